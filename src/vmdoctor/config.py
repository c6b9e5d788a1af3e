"""User configuration (TOML): thresholds and severities per check, disabled checks, suppressions
and profiles.

Example ``vmdoctor.toml``::

    disable = ["CFG010", "snapshot-count"]

    [check.STO001]            # by ID, name or alias
    warning_pct = 20
    severity = "critical"

    [[suppress]]
    check = "SEC002"
    object = "esx-lab-*"      # glob on the object's name or ID
    reason = "lab hosts, SSH needed by the test harness"
    expires = 2027-03-31

    [profile.storage]
    families = ["storage"]
"""

from __future__ import annotations

import fnmatch
import os
from datetime import date
from pathlib import Path

import msgspec

from vmdoctor.checks.base import CheckDef, ThresholdValue
from vmdoctor.checks.registry import Registry, registry
from vmdoctor.model import Family, Severity


class ConfigError(ValueError):
    """A configuration file is unreadable or invalid; the message names the file and the field."""


class SuppressRule(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    check: str
    reason: str
    object: str = "*"
    expires: date | None = None

    def matches(self, object_id: str, object_name: str) -> bool:
        return fnmatch.fnmatchcase(object_name, self.object) or fnmatch.fnmatchcase(
            object_id, self.object
        )

    def active(self, today: date) -> bool:
        return self.expires is None or today <= self.expires


class Profile(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    description: str = ""
    families: list[Family] = []
    checks: list[str] = []  # IDs or names; with families, the union
    exclude: list[str] = []


class Config(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    disable: list[str] = []
    check: dict[str, dict[str, ThresholdValue]] = {}
    suppress: list[SuppressRule] = []
    profile: dict[str, Profile] = {}
    # Sections owned by other parts of vmdoctor (connections, store, ...) are kept raw here
    # and validated by their owners.
    vcenter: list[dict[str, str | int | bool]] = []


DEFAULT_CONFIG = Config()
CONFIG_ENV = "VMDOCTOR_CONFIG"


def default_config_path() -> Path | None:
    """``$VMDOCTOR_CONFIG``, else ``./vmdoctor.toml``, else ``~/.config/vmdoctor/config.toml``."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    for candidate in (Path("vmdoctor.toml"), Path.home() / ".config" / "vmdoctor" / "config.toml"):
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None, checks: Registry | None = None) -> Config:
    if path is None:
        return DEFAULT_CONFIG
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    try:
        config = msgspec.toml.decode(raw, type=Config)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{path}: {_tomlish(str(exc))}") from None
    except msgspec.DecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    validate_config(config, checks or registry(), path)
    return config


def _tomlish(message: str) -> str:
    return message.replace("`$.", "`").replace("`$`", "the top level")


def validate_config(config: Config, checks: Registry, path: Path | str) -> None:
    """Every check key must exist and every override must name a known threshold."""
    for key in config.disable:
        _resolve(checks, key, path, "disable")
    for key, overrides in config.check.items():
        chk = _resolve(checks, key, path, f"check.{key}")
        for name, value in overrides.items():
            if name == "severity":
                if value not in {s.value for s in Severity}:
                    raise ConfigError(
                        f"{path}: check.{key}.severity: {value!r} is not one of "
                        + ", ".join(s.value for s in Severity)
                    )
            elif name not in chk.thresholds:
                known = ", ".join(sorted(chk.thresholds)) or "none"
                raise ConfigError(
                    f"{path}: check.{key}.{name}: {chk.id} has no threshold {name!r} "
                    f"(known: {known})"
                )
            elif type(value) is not type(chk.thresholds[name]) and not (
                isinstance(value, int | float) and isinstance(chk.thresholds[name], int | float)
            ):
                raise ConfigError(
                    f"{path}: check.{key}.{name}: expected "
                    f"{type(chk.thresholds[name]).__name__}, got {value!r}"
                )
    for i, rule in enumerate(config.suppress):
        _resolve(checks, rule.check, path, f"suppress[{i}].check")
    for name, profile in config.profile.items():
        for key in (*profile.checks, *profile.exclude):
            _resolve(checks, key, path, f"profile.{name}")


def _resolve(checks: Registry, key: str, path: Path | str, where: str) -> CheckDef:
    chk = checks.find(key)
    if chk is None:
        raise ConfigError(f"{path}: {where}: no check with ID or name {key!r}")
    return chk


def thresholds_for(config: Config, chk: CheckDef) -> dict[str, ThresholdValue]:
    merged = dict(chk.thresholds)
    for key in (chk.id, chk.name, *chk.aliases):
        for name, value in config.check.get(key, {}).items():
            if name != "severity":
                merged[name] = value
    return merged


def severity_for(config: Config, chk: CheckDef) -> Severity | None:
    """The user's severity override for this check, if any."""
    for key in (chk.id, chk.name, *chk.aliases):
        value = config.check.get(key, {}).get("severity")
        if isinstance(value, str):
            return Severity(value)
    return None


def select_checks(
    config: Config, checks: Registry, profile: str | None = None, only: list[str] | None = None
) -> list[CheckDef]:
    """The checks a scan runs: the profile (or the default scan), minus disabled ones, or just
    ``only``. The default scan leaves out baseline-only hardening checks (``default_scan``)."""
    if only:
        return [checks.get(key) for key in only]
    selected: list[CheckDef]
    if profile is None:
        selected = [c for c in checks if c.default_scan]
    else:
        builtin = builtin_profiles()
        prof = config.profile.get(profile) or builtin.get(profile)
        if prof is None:
            known = ", ".join(sorted({*config.profile, *builtin}))
            raise ConfigError(f"unknown profile {profile!r} (known: {known})")
        wanted = {checks.get(k).id for k in prof.checks}
        excluded = {checks.get(k).id for k in prof.exclude}
        selected = [
            c
            for c in checks
            if (c.family in prof.families or c.id in wanted or (not prof.families and not wanted))
            and c.id not in excluded
        ]
    disabled = {checks.get(k).id for k in config.disable}
    return [c for c in selected if c.id not in disabled]


FAMILY_PROFILES: dict[str, Profile] = {
    family.value: Profile(description=f"only the {family.value} checks", families=[family])
    for family in Family
}


def builtin_profiles() -> dict[str, Profile]:
    """One profile per family, plus the hardening baselines (scg-8, stig-8) from the knowledge."""
    from vmdoctor.knowledge.profiles import builtin_profiles as baseline_profiles

    return FAMILY_PROFILES | baseline_profiles()
