"""Named cases for STO014 storage-connectivity-lost (events and storage log records)."""

from __future__ import annotations

from typing import Any

import pytest

from vmdoctor.checks.storage.connectivity import (
    APD,
    CONNECTIVITY,
    NFS,
    PATH_DEAD,
    PDL,
    REDUNDANCY_LOST,
    RESTORED,
    log_kind,
)
from vmdoctor.model import Event, Gap, ObjectLink, Severity, Status, Timeline

from factories import make_env, make_event, make_host, make_log, run_one

EVENT_CASES = [
    ("quiet", [], [], Status.PASS, None),
    ("unrelated-events-only", [make_event("VmPoweredOnEvent")], [], Status.PASS, None),
    ("apd-start", [make_event("esx.problem.storage.apd.start")], [], Status.FAIL, Severity.HIGH),
    (
        "apd-timeout-is-critical",
        [
            make_event("esx.problem.storage.apd.start", hours_ago=3),
            make_event("esx.problem.storage.apd.timeout", key=2),
        ],
        [],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    (
        "pdl",
        [make_event("esx.problem.scsi.device.state.permanentloss.noopens")],
        [],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    (
        "heartbeat-timeout",
        [make_event("esx.problem.vmfs.heartbeat.timedout")],
        [],
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "nfs-disconnect",
        [make_event("esx.problem.vmfs.nfs.server.disconnect")],
        [],
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "redundancy-lost",
        [make_event("esx.problem.storage.redundancy.lost")],
        [],
        Status.FAIL,
        Severity.MEDIUM,
    ),
    (
        "redundancy-degraded",
        [make_event("esx.problem.storage.redundancy.degraded")],
        [],
        Status.FAIL,
        Severity.LOW,
    ),
    (
        "apd-older-than-window",
        [make_event("esx.problem.storage.apd.start", hours_ago=200)],
        [],
        Status.PASS,
        None,
    ),
    (
        "vobd-lost-connectivity-log",
        [],
        [
            make_log(
                "vobd: Lost connectivity to storage device naa.600a. Path vmhba3:C0:T0:L1 is down."
            )
        ],
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "log-without-timestamp-counts",
        [],
        [
            make_log(
                "Device naa.600a has been removed or is permanently inaccessible.", hours_ago=None
            )
        ],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    (
        "unrelated-storage-log",
        [],
        [make_log("Checkpoint_Unstun: vm stopped for 1234 us", log="vmware.log")],
        Status.PASS,
        None,
    ),
    (
        "other-family-log-ignored",
        [],
        [make_log("Lost connectivity to storage device naa.1", family="resources")],
        Status.PASS,
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "events", "logs", "status", "severity"), EVENT_CASES, ids=[c[0] for c in EVENT_CASES]
)
def test_storage_connectivity_lost(
    case: str, events: list[Any], logs: list[Any], status: Status, severity: Severity | None
) -> None:
    host = make_host()
    env = make_env(hosts=[host], timeline=Timeline(events=events, logs=logs))
    outcome = run_one("STO014", host, env)
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert (outcome.severity or Severity.HIGH) is severity


def test_events_of_another_host_do_not_count() -> None:
    host = make_host()
    other = make_event("esx.problem.storage.apd.start", objects=ObjectLink(host_id="h2"))
    env = make_env(hosts=[host], timeline=Timeline(events=[other]))
    assert run_one("STO014", host, env).status is Status.PASS


def test_recovery_is_reported_with_the_loss() -> None:
    host = make_host()
    events: list[Event] = [
        make_event("esx.problem.storage.apd.start", hours_ago=5, key=1),
        make_event("esx.clear.storage.apd.exit", hours_ago=4, key=2),
    ]
    outcome = run_one("STO014", host, make_env(hosts=[host], timeline=Timeline(events=events)))
    assert outcome.status is Status.FAIL
    assert outcome.evidence["restored"] is True and outcome.evidence["recoveries"] == 1
    assert "restored afterwards" in outcome.message


def test_no_events_collected_is_unknown_with_the_gap_reason() -> None:
    host = make_host()
    env = make_env(hosts=[host], gaps=[Gap(what="events", reason="event collection disabled")])
    outcome = run_one("STO014", host, env)
    assert outcome.status is Status.UNKNOWN and "event collection disabled" in outcome.message


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Shapes of real vobd / vmkernel lines (names and identifiers replaced).
        (
            "Lost connectivity to storage device naa.6006x. Path vmhba39:C0:T0:L0 is down. "
            'Affected datastores: "ds".',
            CONNECTIVITY,
        ),
        (
            "Lost path redundancy to storage device naa.6006x. Path vmhba39:C0:T0:L1 is down.",
            REDUNDANCY_LOST,
        ),
        (
            "NFS: 286: Restored connection to server 192.0.2.10 mount point /vol/data1, "
            'mounted as a20f-0000 ("NFS_1")',
            RESTORED,
        ),
        (
            "NFS: 157: Lost connection to server 192.0.2.10 mount point /vol/data1, "
            'mounted as a20f-0000 ("NFS_1")',
            NFS,
        ),
        (
            "Device or filesystem with identifier [naa.600a] has entered the All Paths Down state.",
            APD,
        ),
        (
            "Device or filesystem with identifier [naa.600a] has exited the All Paths Down state.",
            RESTORED,
        ),
        ("H:0x0 D:0x2 P:0x0 Valid sense data: 0x5 0x25 0x0.", PDL),
        ('Re-issuing first command for HPP device "eui.7e" (NO_CONNECT_ON_APD = CLEAR)', None),
        (
            'HPP: HppAttemptFailoverRequest:1391: Re-issuing first command for HPP device "eui.7e"',
            PATH_DEAD,
        ),
        (
            'WARNING: NMP: nmp_DeviceStartLoop: NMP Device "naa.6006x" is blocked. '
            "Not starting I/O from device.",
            CONNECTIVITY,
        ),
        ("vmw_psp_rr: path vmhba33:C0:T1:L0 changed state from on to dead", PATH_DEAD),
    ],
)
def test_log_lines_are_classified(text: str, kind: Any) -> None:
    assert log_kind(text, None) is kind
