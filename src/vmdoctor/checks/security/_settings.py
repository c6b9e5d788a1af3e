"""Data-driven checks: "this advanced setting must have this value", one table row per check.

Most hardening controls read one advanced setting (host OptionManager, VM extraConfig, vCenter
OptionManager) and compare it with a recommended value. Each such control is still its own
check (ID, name, title, severity, references, documentation); only the evaluation is shared.
A :class:`SettingRule` holds what differs, :func:`register` turns it into a check.

What an *absent* key means depends on where it is read, and is decided per rule:

- host: ESXi reports every option it knows, so an absent key was not collected (or the host's
  release does not have it): always UNKNOWN, never a silent pass;
- VM: extraConfig lists only keys that were set, so absent means the ESXi default; a rule
  says whether that default meets the baseline (``Absent.COMPLIANT``) or not
  (``Absent.NONCOMPLIANT``), following the "is default" column of the SCG;
- vCenter: like a VM once any setting was collected (the OptionManager lists what is set).

When the settings themselves were not collected (``VM.advanced_settings is None``, an empty
host or vCenter setting map) the result is UNKNOWN with the collector's reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from vmdoctor.checks.base import (
    CheckContext,
    Fix,
    Outcome,
    ThresholdValue,
    check,
    fail,
    not_applicable,
    ok,
    unknown,
)
from vmdoctor.checks.gaps import missing
from vmdoctor.checks.security._common import setting_missing
from vmdoctor.model import VM, Family, Host, Severity, VCenter

Problem = Callable[[str, CheckContext], str | None]  # raw value -> what is wrong, or None


@dataclass(frozen=True, slots=True)
class Expect:
    """A comparison: ``describe`` is its wording in the docs, ``problem`` the test itself."""

    describe: str  # completes "<key> ...", e.g. "must be 1"
    problem: Problem


class Absent(Enum):
    UNKNOWN = "unknown"  # not collected: say so
    COMPLIANT = "compliant"  # the ESXi default meets the baseline
    NONCOMPLIANT = "noncompliant"  # the ESXi default does not meet it


def _norm(raw: str) -> str:
    return raw.strip().strip('"').strip()


def equals(expected: str) -> Expect:
    def problem(raw: str, ctx: CheckContext) -> str | None:
        return None if _norm(raw).lower() == expected.lower() else f"expected {expected}"

    return Expect(f"must be {expected}", problem)


def boolean(expected: bool) -> Expect:
    wanted = "true" if expected else "false"

    def problem(raw: str, ctx: CheckContext) -> str | None:
        value = _norm(raw).lower()
        truthy = value in {"true", "1", "yes", "on"}
        falsy = value in {"false", "0", "no", "off"}
        if (truthy and expected) or (falsy and not expected):
            return None
        return f"expected {wanted}"

    return Expect(f"must be {wanted}", problem)


def _number(raw: str) -> int | None:
    try:
        return int(_norm(raw))
    except ValueError:
        return None


def at_least(threshold: str) -> Expect:
    def problem(raw: str, ctx: CheckContext) -> str | None:
        value, limit = _number(raw), ctx.threshold(threshold)
        if value is None:
            return "not a number"
        return None if value >= limit else f"below {limit:g}"

    return Expect(f"must be at least ``{threshold}``", problem)


def between(low: int, threshold: str, zero_means: str = "") -> Expect:
    def problem(raw: str, ctx: CheckContext) -> str | None:
        value, limit = _number(raw), ctx.threshold(threshold)
        if value is None:
            return "not a number"
        if value < low:
            return zero_means or f"below {low}"
        return None if value <= limit else f"above {limit:g}"

    return Expect(f"must be between {low} and ``{threshold}``", problem)


def empty() -> Expect:
    def problem(raw: str, ctx: CheckContext) -> str | None:
        return None if not _norm(raw) else "expected empty"

    return Expect("must be empty", problem)


def not_empty() -> Expect:
    def problem(raw: str, ctx: CheckContext) -> str | None:
        return None if _norm(raw) else "not set"

    return Expect("must not be empty", problem)


def one_of(threshold: str) -> Expect:
    """The value is one of the comma-separated words of a threshold."""

    def problem(raw: str, ctx: CheckContext) -> str | None:
        allowed = [w.strip().lower() for w in str(ctx.setting(threshold)).split(",") if w.strip()]
        return None if _norm(raw).lower() in allowed else f"expected one of {', '.join(allowed)}"

    return Expect(f"must be one of ``{threshold}``", problem)


def includes_all(threshold: str) -> Expect:
    """The value, a comma-separated list, holds every word of a threshold."""

    def problem(raw: str, ctx: CheckContext) -> str | None:
        have = {w.strip().lower() for w in _norm(raw).split(",") if w.strip()}
        wanted = [w.strip().lower() for w in str(ctx.setting(threshold)).split(",") if w.strip()]
        lacking = [w for w in wanted if w not in have]
        return f"does not include {', '.join(lacking)}" if lacking else None

    return Expect(f"must include every entry of ``{threshold}``", problem)


@dataclass(frozen=True, slots=True)
class SettingRule:
    id: str
    name: str
    title: str
    summary: str  # the docstring's first line: the compliant state
    target: str  # "host" | "vm" | "vcenter"
    key: str
    expect: Expect
    absent: Absent
    severity: Severity
    why: str
    remediation: str
    bad_value: str  # shown in the generated example
    references: tuple[str, ...]
    fix: Fix = Fix.SAFE
    thresholds: Mapping[str, ThresholdValue] = field(default_factory=dict)
    default_scan: bool = True  # False: only in baseline profiles (scg-8, stig-8) or by name


_EXAMPLE_OBJECT = {"host": "esx03", "vm": "app-web-01", "vcenter": "vcsa-01"}
_ABSENT_TEXT = {
    Absent.UNKNOWN: "A host that does not report the key gives UNKNOWN (ESXi lists every option "
    "it has, so a missing key was not collected).",
    Absent.COMPLIANT: "An absent key takes the ESXi default, which meets the baseline: it passes.",
    Absent.NONCOMPLIANT: "An absent key takes the ESXi default, which does not meet the baseline: "
    "it fails.",
}


def docstring(rule: SettingRule) -> str:
    """The four documented sections, generated from the rule (why/remediation are its own)."""
    thresholds = ""
    if rule.thresholds:
        values = ", ".join(f"``{k}`` = {v}" for k, v in rule.thresholds.items())
        thresholds = f" Defaults: {values}."
    return (
        f"{rule.summary}\n\n"
        f"What it checks:\n    The {_WHERE[rule.target]} {rule.key} {rule.expect.describe}."
        f"{thresholds} {_ABSENT_TEXT[rule.absent]}\n"
        f"Why it matters:\n    {rule.why}\n"
        f"Example:\n    {_EXAMPLE_OBJECT[rule.target]}: {rule.key} = {rule.bad_value}.\n"
        f"Remediation:\n    {rule.remediation}\n"
    )


_WHERE = {
    "host": "host advanced setting",
    "vm": "VM advanced setting (extraConfig)",
    "vcenter": "vCenter advanced setting",
}


def _compare(rule: SettingRule, raw: str, ctx: CheckContext) -> Outcome:
    problem = rule.expect.problem(raw, ctx)
    if problem is None:
        return ok()
    return fail(f"{rule.key} = {_norm(raw) or '(empty)'}: {problem}", setting=rule.key, value=raw)


def _absent_outcome(rule: SettingRule) -> Outcome:
    if rule.absent is Absent.COMPLIANT:
        return ok()
    if rule.absent is Absent.UNKNOWN:
        return unknown(f"{rule.key} is not set and its default is not known")
    return fail(
        f"{rule.key} is not set and the default does not meet the baseline "
        f"({rule.expect.describe.replace('``', '')})",
        setting=rule.key,
    )


def _host_fn(rule: SettingRule) -> Callable[[Host, CheckContext], Outcome]:
    def evaluate(host: Host, ctx: CheckContext) -> Outcome:
        raw = host.advanced_settings.get(rule.key)
        if raw is None:
            return setting_missing(ctx, host, rule.key)
        return _compare(rule, raw, ctx)

    return evaluate


def _vm_fn(rule: SettingRule) -> Callable[[VM, CheckContext], Outcome]:
    absent = _absent_outcome(rule)
    key = rule.key

    def evaluate(vm: VM, ctx: CheckContext) -> Outcome:
        if vm.template:
            return not_applicable()
        settings = vm.advanced_settings
        if settings is None:
            return missing(
                ctx,
                vm.id,
                "advanced settings were not collected",
                "vm.advanced_settings",
                "vm.config",
            )
        raw = settings.get(key)
        if raw is None:
            return absent
        return _compare(rule, raw, ctx)

    return evaluate


def _vcenter_fn(rule: SettingRule) -> Callable[[VCenter, CheckContext], Outcome]:
    absent = _absent_outcome(rule)

    def evaluate(vc: VCenter, ctx: CheckContext) -> Outcome:
        if not vc.advanced_settings:
            return missing(
                ctx, vc.id, "vCenter advanced settings were not collected", "vcenter.settings"
            )
        raw = vc.advanced_settings.get(rule.key)
        if raw is None:
            return absent
        return _compare(rule, raw, ctx)

    return evaluate


_FACTORIES: dict[str, Callable[[SettingRule], Callable[[Any, CheckContext], Outcome]]] = {
    "host": _host_fn,
    "vm": _vm_fn,
    "vcenter": _vcenter_fn,
}


def register(rules: tuple[SettingRule, ...]) -> None:
    """Declare one check per rule, exactly as ``@check`` on a hand-written function would."""
    for rule in rules:
        if rule.target == "host" and rule.absent is not Absent.UNKNOWN:
            raise ValueError(f"{rule.id}: an absent host setting can only be UNKNOWN")
        fn = _FACTORIES[rule.target](rule)
        fn.__name__ = fn.__qualname__ = rule.name.replace("-", "_")
        fn.__doc__ = docstring(rule)
        check(
            id=rule.id,
            name=rule.name,
            title=rule.title,
            family=Family.SECURITY,
            applies_to=rule.target,
            severity=rule.severity,
            fix=rule.fix,
            thresholds=rule.thresholds,
            references=rule.references,
            default_scan=rule.default_scan,
        )(fn)
