"""Cause chains: from the root cause, through the graph, to the symptom; and their wording."""

# ruff: noqa: E501 - log lines are quoted verbatim, as vSphere writes them

from __future__ import annotations

from datetime import timedelta
from functools import cache

import msgspec

from diagnose.scenarios._lab import Builder, at, background
from vmdoctor.diagnose import diagnose
from vmdoctor.model import Disk
from vmdoctor.model.diagnosis import Cause, Diagnosis

from factories import make_snapshot

GIB = 1024**3


def _swap_failure(b: Builder) -> Builder:
    """app-db-01 (vm1, on ds1) cannot extend its swap file."""
    b.vmx("vm1", -0.1, "Failed to extend swap file from 0 KB to 67108864 KB.")
    b.task(
        "PowerOnVM_Task",
        0,
        vm="vm1",
        state="error",
        fault="GenericVmConfigFault",
        message="Failed to extend swap file from 0 KB to 67108864 KB.",
    )
    return b


def _why(b: Builder, target: str = "app-db-01") -> Diagnosis:
    return diagnose(b.build(), target, at(0))[0]


def _snapshot(days: float, size_gib: int) -> dict[str, object]:
    snap = make_snapshot("s1", days_old=days, name="nightly-backup", size_bytes=size_gib * GIB)
    # the factories date snapshots from their own clock; the chain counts days to collection
    snap = msgspec.structs.replace(snap, created=at(90) - timedelta(days=days))
    return {"snapshots": [snap]}


def test_a_forgotten_snapshot_is_the_root_of_a_full_datastore() -> None:
    b = _swap_failure(background(Builder()))
    b.ds_kw["ds1"] = {"free_bytes": 12 * GIB, "uncommitted_bytes": 0}
    b.vm_kw["vm2"] = _snapshot(days=40, size_gib=400)  # app-web-01 shares ds1
    diag = _why(b)
    top = diag.causes[0]
    assert top.cause_id == "poweron-swap-space"
    root, full, no_room, symptom = top.chain
    assert (root.object.name, root.family) == ("app-web-01", "storage")  # type: ignore[union-attr]
    assert "40 days ago" in root.statement and "400 GiB" in root.statement
    assert full.object and full.object.name == "ds-prod-01" and "99.4 % full" in full.statement
    assert no_room.object and no_room.object.name == "app-db-01"
    assert symptom.object and symptom.object.id == diag.symptom.target.id
    assert diag.verdict.startswith(
        "ds-prod-01 filled up because a 40-day-old snapshot of app-web-01 grew to 400 GiB, so "
        "app-db-01 had no room for its swap file"
    )
    assert "app-web-01" in root.remediation and root.prevention


def test_thin_overcommitment_is_the_root_when_no_snapshot_filled_it() -> None:
    b = _swap_failure(background(Builder()))
    b.ds_kw["ds1"] = {"free_bytes": 12 * GIB, "uncommitted_bytes": 3000 * GIB}
    b.vm_kw["vm6"] = {
        "disks": [
            Disk(label="Hard disk 2", capacity_bytes=1500 * GIB, datastore_id="ds1", thin=True)
        ]
    }
    root = _why(b).causes[0].chain[0]
    assert (root.object.name, root.family) == ("ds-prod-01", "storage")  # type: ignore[union-attr]
    assert "thin-provisioned" in root.statement and "gpu-render-01" in root.statement


def test_a_small_snapshot_does_not_outweigh_heavy_overcommitment() -> None:
    b = _swap_failure(background(Builder()))
    b.ds_kw["ds1"] = {"free_bytes": 12 * GIB, "uncommitted_bytes": 3000 * GIB}
    b.vm_kw["vm2"] = _snapshot(days=1, size_gib=45)  # 2 % of the datastore, one day old
    root = _why(b).causes[0].chain[0]
    assert root.object and root.object.name == "ds-prod-01"


def test_no_upstream_root_when_the_datastore_is_not_full() -> None:
    b = _swap_failure(background(Builder()))  # ds1 half free: nothing filled it
    b.vm_kw["vm2"] = _snapshot(days=40, size_gib=400)
    diag = _why(b)
    top = diag.causes[0]
    assert top.cause_id == "poweron-swap-space"
    assert [s.object.name for s in top.chain if s.object] == ["app-db-01", "app-db-01"]
    assert diag.verdict.startswith("Most likely cause:")


def _session_limit(b: Builder) -> Builder:
    b.vpxd(
        0,
        "[VpxdMoSessionManager] Session limit reached: 2000 sessions are active; rejecting "
        "login for user LAB\\ops-admin",
    )
    b.vc_kw.update(active_sessions=2000, max_sessions=2000)
    return b


def test_a_client_that_never_logs_out_is_the_root_of_session_exhaustion() -> None:
    b = _session_limit(background(Builder()))
    for i in range(12):
        b.event(
            "UserLoginSessionEvent", -110 + 9 * i, "User LAB\\poller logged in", user="LAB\\poller"
        )
    top = _why(b, "vcenter").causes[0]
    assert top.cause_id == "vcenter-session-exhaustion"
    root = top.chain[0]
    assert root.family == "configuration" and "LAB\\poller" in root.statement
    assert "12 times" in root.statement and "never logged out" in root.statement
    assert root.object and root.object.name == "vc01.lab.local"


def test_a_client_that_logs_out_is_no_leak() -> None:
    b = _session_limit(background(Builder()))
    for i in range(12):
        b.event(
            "UserLoginSessionEvent", -110 + 9 * i, "User LAB\\poller logged in", user="LAB\\poller"
        )
        b.event(
            "UserLogoutSessionEvent",
            -106 + 9 * i,
            "User LAB\\poller logged out",
            user="LAB\\poller",
        )
    chain = _why(b, "vcenter").causes[0].chain
    assert all("LAB\\poller" not in s.statement for s in chain)


def test_dead_paths_are_the_root_of_an_apd() -> None:
    from factories import make_storage_device

    b = background(Builder())
    b.vobd(
        "h2",
        -2,
        "[esx.problem.storage.redundancy.lost] Lost path redundancy to storage device naa.600508b1001c9d21.",
        ds="ds2",
    )
    b.vmkernel(
        "h2",
        -1,
        "StorageApdHandler: 1204: APD start for 0x430a5e1c3f40 [naa.600508b1001c9d21]",
        ds="ds2",
    )
    b.event("HostNotRespondingEvent", 0, "Host esx02.lab.local in DC1 is not responding", host="h2")
    device = make_storage_device(
        "naa.600508b1001c9d21", paths_total=2, paths_active=0, paths_dead=2, datastore_id="ds2"
    )
    b.host_kw["h2"] = {"storage_devices": [device], "connection_state": "notResponding"}
    top = _why(b, "esx02").causes[0]
    root = top.chain[0]
    assert (root.object.name, root.family) == ("esx02.lab.local", "storage")  # type: ignore[union-attr]
    assert "naa.600508b1001c9d21" in root.statement and "2 of 2" in root.statement
    assert any(s.object and s.object.name == "ds-prod-02" for s in top.chain)


def test_every_cause_has_a_chain_ending_at_the_symptom() -> None:
    b = _swap_failure(background(Builder()))
    diag = _why(b)
    for cause in diag.causes:
        assert cause.chain, cause.cause_id
        assert cause.chain[-1].object == diag.symptom.target


def test_a_cause_without_chain_still_decodes() -> None:
    """Schema 1.0 documents (no chain) stay readable: the field is optional."""
    old = (
        b'{"rank":1,"cause_id":"datastore-full","family":"storage","title":"t","confidence":0.5,'
        b'"score":0.6,"evidence":[],"remediation":"r","prevention":"p"}'
    )
    assert msgspec.json.decode(old, type=Cause).chain == []


@cache
def _demo() -> tuple[list[tuple[str, str, str, str, str]], int]:
    from vmdoctor.sources.demo import build_lab

    lab = build_lab()
    rows = []
    for inc in lab.incidents:
        top = diagnose(lab.environment, inc.object_name, inc.time)[0].causes[0]
        root = top.chain[0]
        rows.append(
            (
                inc.id,
                root.object.id if root.object else "",
                str(root.family),
                inc.root_cause.object_id or "",
                str(inc.root_cause.family),
            )
        )
    return rows, len(lab.incidents)


def test_demo_chains_reach_the_ground_truth_roots() -> None:
    """The yardstick: each demo incident's chain starts at its true root (object and family)."""
    rows, count = _demo()
    misses = [r for r in rows if (r[1], r[2]) != (r[3], r[4])]
    assert count == 8 and misses == []
