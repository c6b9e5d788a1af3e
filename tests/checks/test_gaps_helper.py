"""The shared UNKNOWN wording (vmdoctor.checks.gaps): what is missing, then why."""

from __future__ import annotations

from vmdoctor.checks.base import Analysis, CheckContext
from vmdoctor.checks.gaps import find_gap_any, missing, missing_any
from vmdoctor.model import Environment, Gap, Status

from factories import make_env, make_host


def _ctx(env: Environment) -> CheckContext:
    return CheckContext(Analysis(env), {})


def test_missing_appends_the_reason_of_the_first_matching_gap() -> None:
    env = make_env(
        gaps=[
            Gap(what="host", reason="host is disconnected", object_id="h1"),
            Gap(what="host.services", reason="services not exported"),
        ]
    )
    outcome = missing(_ctx(env), "h1", "host services were not collected", "host.services")
    assert outcome.status is Status.UNKNOWN
    # the object's own gap wins over the estate-wide one, and a wider name covers the narrower
    assert outcome.message == "host services were not collected (host is disconnected)"
    assert outcome.evidence["gap"] == "host"


def test_missing_without_a_gap_keeps_the_bare_message() -> None:
    outcome = missing(_ctx(make_env()), "h1", "lockdown mode was not collected", "host.config")
    assert outcome.status is Status.UNKNOWN
    assert outcome.message == "lockdown mode was not collected"
    assert "gap" not in outcome.evidence


def test_a_narrow_gap_does_not_explain_other_data() -> None:
    env = make_env(gaps=[Gap(what="vm.config.guestId", reason="unknown guest OS name")])
    outcome = missing(_ctx(env), "vm1", "hardware version was not collected", "vm.config.version")
    assert outcome.message == "hardware version was not collected"


def test_missing_any_finds_the_gap_of_any_listed_object() -> None:
    env = make_env(
        hosts=[make_host(id="h1"), make_host(id="h2")],
        gaps=[Gap(what="host.connection_state", reason="export cannot tell", object_id="h2")],
    )
    ctx = _ctx(env)
    assert find_gap_any(ctx.index, ["h1"], "host.connection_state") is None
    outcome = missing_any(ctx, ["h1", "h2"], "no usable host", "host.connection_state")
    assert outcome.message == "no usable host (export cannot tell)"
