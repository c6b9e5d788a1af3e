"""Named cases for STO013 storage-path-redundancy."""

from __future__ import annotations

from typing import Any

import pytest

from vmdoctor.model import Gap, Severity, Status

from factories import make_env, make_host, make_storage_device, run_one

CASES = [
    ("two-healthy-paths", [make_storage_device()], Status.PASS, None),
    (
        "only-local-devices",
        [make_storage_device(is_local=True, paths_total=1, paths_active=1)],
        Status.PASS,
        None,
    ),
    (
        "active-standby-is-redundant",
        [make_storage_device(paths_total=4, paths_active=2)],
        Status.PASS,
        None,
    ),
    (
        "single-path",
        [make_storage_device(paths_total=1, paths_active=1)],
        Status.FAIL,
        Severity.MEDIUM,
    ),
    (
        "one-of-four-dead",
        [make_storage_device(paths_total=4, paths_active=3, paths_dead=1)],
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "all-paths-dead",
        [
            make_storage_device(),
            make_storage_device("naa.2", paths_total=2, paths_active=0, paths_dead=2),
        ],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    ("not-collected", None, Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "devices", "status", "severity"), CASES, ids=[c[0] for c in CASES]
)
def test_storage_path_redundancy(
    case: str, devices: Any, status: Status, severity: Severity | None
) -> None:
    host = make_host(storage_devices=devices)
    outcome = run_one("STO013", host, make_env(hosts=[host]))
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert (outcome.severity or Severity.HIGH) is severity


def test_missing_devices_cite_the_host_gap() -> None:
    host = make_host(storage_devices=None)
    env = make_env(
        hosts=[host], gaps=[Gap(what="host.config", reason="host config timed out", object_id="h1")]
    )
    assert "host config timed out" in run_one("STO013", host, env).message


def test_disconnected_host_is_unknown() -> None:
    host = make_host(connection_state="notResponding", storage_devices=[make_storage_device()])
    assert run_one("STO013", host, make_env(hosts=[host])).status is Status.UNKNOWN


def test_message_lists_the_devices() -> None:
    devices = [make_storage_device(f"naa.{i}", paths_total=1, paths_active=1) for i in range(5)]
    host = make_host(storage_devices=devices)
    outcome = run_one("STO013", host, make_env(hosts=[host]))
    assert "5 device(s) with a single path" in outcome.message and "+2 more" in outcome.message
    assert outcome.evidence["devices_single_path"] == 5
