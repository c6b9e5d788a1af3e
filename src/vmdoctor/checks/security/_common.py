"""Helpers shared by the security checks: reading host settings and services."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Outcome, fail, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.model import Host, Severity


def setting_missing(ctx: CheckContext, host: Host, key: str) -> Outcome:
    # ESXi answers every option it has, so an absent key means it was not collected.
    return missing(
        ctx,
        host.id,
        f"advanced setting {key} was not collected",
        "host.advanced_settings",
        "host.config",
        "host",
    )


def int_setting(host: Host, key: str) -> int | None:
    """The integer value of an advanced setting; None when absent or not a number."""
    raw = host.advanced_settings.get(key)
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        return None


def is_true(raw: str) -> bool:
    return raw.strip().lower() in {"true", "1", "yes", "on"}


def service_outcome(host: Host, ctx: CheckContext, key: str, label: str) -> Outcome:
    if host.services is None:
        return missing(
            ctx, host.id, "host services were not collected", "host.services", "host.config", "host"
        )
    service = host.service(key)
    if service is None:
        return missing(
            ctx,
            host.id,
            f"service {key} is not in the collected list",
            "host.services",
            "host.config",
            "host",
        )
    if service.running:
        return fail(
            f"{label} is running (start policy: {service.policy or 'not collected'})",
            service=key,
            policy=service.policy,
        )
    if service.policy == "on":
        return fail(
            f"{label} is stopped but starts with the host (policy on)",
            Severity.LOW,
            service=key,
            policy=service.policy,
        )
    return ok()
