"""Named cases for STO015 backup-too-old and the date reader behind it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from vmdoctor.checks.storage.backup_dates import latest_time
from vmdoctor.model import Severity, Status

from factories import make_env, make_vm, run_one

# NOW is 2026-11-20 12:00 UTC.
RUBRIK_FRESH = {
    "Rubrik_LastBackup": "Last Backup successfully completed at Thu Nov 19 22:43:27 UTC 2026"
}
RUBRIK_OLD = {
    "Rubrik_LastBackup": "Last Backup successfully completed at Thu Nov 05 22:43:27 UTC 2026"
}
VPROXY_4_DAYS = {
    "Last EMC vProxy Backup": "Backup Server=bk01, Policy=Gold, JobId=42, "
    "StartTime=2026-11-16T00:48:53Z, EndTime=2026-11-16T00:52:58Z"
}
NETBACKUP_EPOCH = {"NB_LAST_BACKUP": str(int(datetime(2026, 11, 20, 1, tzinfo=UTC).timestamp()))}
COMMVAULT_FRESH = {"Last Backup": "11/20/2026 02:10:00 AM"}
VEEAM_NOTES = "Owner: team-a\nVeeam Backup: Job name: [Daily], Time: [11/19/2026 9:15:00 PM]"

# (case, the VM under test, the other VMs of the estate, status, severity)
CASES: list[tuple[str, Any, list[Any], Status, Severity | None]] = [
    ("rubrik-yesterday", make_vm(custom_attributes=RUBRIK_FRESH), [], Status.PASS, None),
    ("rubrik-15-days", make_vm(custom_attributes=RUBRIK_OLD), [], Status.FAIL, Severity.CRITICAL),
    ("vproxy-4-days", make_vm(custom_attributes=VPROXY_4_DAYS), [], Status.FAIL, Severity.MEDIUM),
    ("netbackup-epoch-today", make_vm(custom_attributes=NETBACKUP_EPOCH), [], Status.PASS, None),
    ("commvault-today", make_vm(custom_attributes=COMMVAULT_FRESH), [], Status.PASS, None),
    ("veeam-notes-yesterday", make_vm(annotation=VEEAM_NOTES), [], Status.PASS, None),
    (
        "attribute-name-is-case-insensitive",
        make_vm(custom_attributes={"rubrik_lastbackup": RUBRIK_FRESH["Rubrik_LastBackup"]}),
        [],
        Status.PASS,
        None,
    ),
    (
        "empty-attribute-never-backed-up",
        make_vm(custom_attributes={"Rubrik_LastBackup": ""}),
        [],
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "no-record-while-others-have-one",
        make_vm(custom_attributes={}),
        [make_vm(id="vm2", name="other", custom_attributes=RUBRIK_FRESH)],
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "no-backup-tool-in-the-estate",
        make_vm(custom_attributes={"Owner": "team-a"}),
        [make_vm(id="vm2", name="other")],
        Status.UNKNOWN,
        None,
    ),
    (
        "unreadable-date",
        make_vm(custom_attributes={"Last Backup": "see backup console"}),
        [],
        Status.UNKNOWN,
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "vm", "others", "status", "severity"), CASES, ids=[c[0] for c in CASES]
)
def test_backup_too_old(
    case: str, vm: Any, others: list[Any], status: Status, severity: Severity | None
) -> None:
    outcome = run_one("STO015", vm, make_env(vms=[vm, *others]))
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert (outcome.severity or Severity.MEDIUM) is severity


def test_templates_are_not_applicable() -> None:
    vm = make_vm(template=True)
    assert run_one("STO015", vm, make_env(vms=[vm])).status is Status.SKIPPED


def test_attribute_names_are_configurable() -> None:
    vm = make_vm(custom_attributes={"MyTool.Last": "2026-11-20 03:00"})
    env = make_env(vms=[vm])
    assert run_one("STO015", vm, env).status is Status.UNKNOWN
    assert run_one("STO015", vm, env, attributes="MyTool.Last").status is Status.PASS


def test_day_month_order_is_a_setting() -> None:
    # 11/10/2026 is Nov 10 (10 days old) as month/day and Oct 11 (40 days old) as day/month.
    vm = make_vm(custom_attributes={"Last Backup": "11/10/2026 10:00"})
    env = make_env(vms=[vm])
    assert run_one("STO015", vm, env).evidence["age_days"] == pytest.approx(10.1, abs=0.1)
    assert run_one("STO015", vm, env, date_order="dmy").evidence["age_days"] == pytest.approx(
        40.1, abs=0.1
    )


def test_a_date_in_the_future_is_unknown() -> None:
    vm = make_vm(custom_attributes={"Last Backup": "2027-03-01 10:00"})
    outcome = run_one("STO015", vm, make_env(vms=[vm]))
    assert outcome.status is Status.UNKNOWN and "date_order" in outcome.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Last Backup successfully completed at Thu May 29 22:43:27 UTC 2025",
            datetime(2025, 5, 29, 22, 43, 27),
        ),
        (
            "StartTime=2023-10-30T00:48:53Z, EndTime=2023-10-30T00:52:58Z",
            datetime(2023, 10, 30, 0, 52, 58),
        ),
        ("Last backup: 11/20/2026 10:00:00", datetime(2026, 11, 20, 10)),
        (
            "Type [Full] Result [Success] Time [21/09/2013 15:02:11]",
            datetime(2013, 9, 21, 15, 2, 11),
        ),
        ("20.11.2026 10:00", datetime(2026, 11, 20, 10)),
        ("Nov 20, 2026 10:00 PM", datetime(2026, 11, 20, 22)),
        ("Friday, November 20, 2026 12:30:00 AM", datetime(2026, 11, 20, 0, 30)),
        ("20-Nov-2026", datetime(2026, 11, 20)),
        ("2026/11/20 08:00", datetime(2026, 11, 20, 8)),
        ("2026-11-20T10:00:00+02:00", datetime(2026, 11, 20, 8)),
        ("1763632800", datetime(2025, 11, 20, 10)),
        ("1763632800000", datetime(2025, 11, 20, 10)),
        ("no date here", None),
        ("31/02/2026", None),
    ],
)
def test_latest_time_reads_the_formats_backup_tools_write(
    text: str, expected: datetime | None
) -> None:
    found = latest_time(text)
    assert found == (expected.replace(tzinfo=UTC) if expected else None)
