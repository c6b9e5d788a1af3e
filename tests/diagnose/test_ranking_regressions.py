"""Regressions found reading `vmdoctor why` on the demo lab as an administrator would."""

from __future__ import annotations

from diagnose.scenarios._lab import Builder, at, background
from vmdoctor.diagnose import diagnose, find_incidents
from vmdoctor.diagnose.causes import RULES_BY_ID
from vmdoctor.diagnose.records import from_log
from vmdoctor.model import LogRecord


def test_standing_facts_elsewhere_do_not_explain_a_disconnected_host() -> None:
    """Only the inventory says the host is disconnected; an unrelated datastore is
    inaccessible. That is no answer: not conclusive, and say which records would settle it."""
    b = background(Builder())
    b.host_kw["h3"] = {"connection_state": "disconnected"}
    b.ds_kw["nfs1"] = {"accessible": False}
    (found,) = [d for d in diagnose(b.build()) if d.symptom.target.name == "esx03.lab.local"]
    assert not found.conclusive
    assert all(c.score < 0.5 for c in found.causes)
    assert "best lead" not in found.verdict  # too weak to name
    assert "vpxd.log" in found.missing_data[0] and "esx03.lab.local" in found.missing_data[0]


def test_a_host_a_user_disconnected_is_explained_by_that_user() -> None:
    b = background(Builder())
    b.host_kw["h3"] = {"connection_state": "disconnected"}
    b.event(
        "HostDisconnectedEvent",
        -40,
        "Disconnected from esx03.lab.local in DC1. Reason: The connection was closed by the user",
        host="h3",
        user="LAB\\ops-admin",
    )
    (found,) = [d for d in diagnose(b.build()) if d.symptom.target.name == "esx03.lab.local"]
    assert found.symptom.time == at(-40)
    assert found.conclusive and found.causes[0].cause_id == "host-disconnected-by-user"


def test_a_guest_shutdown_a_user_asked_for_is_no_incident_but_is_explained() -> None:
    b = Builder()
    b.event("VmGuestShutdownEvent", 0, "Guest OS shut down for app-db-01", vm="vm1", user="LAB\\a")
    env = b.build()
    assert find_incidents(env) == []
    (found,) = diagnose(env, "app-db-01", at(0))
    assert found.causes[0].cause_id == "user-power-off"


def test_an_event_signal_never_matches_log_text() -> None:
    """The hardware-sensor event's message pattern ("red") once matched "occurred" in a
    vmware.log line and blamed the hardware for a guest triple fault."""
    rec = from_log(
        LogRecord(
            time=at(0),
            log="vmware.log",
            text="[msg.monitorEvent.tripleFault] A fatal error has occurred in the virtual machine",
        )
    )
    assert not any(s.matches(rec) for s in RULES_BY_ID["host-hardware-failure"].signals)
