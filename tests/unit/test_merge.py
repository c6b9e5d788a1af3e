"""Merging Environments of one estate by host, VM and datastore names."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from fixtures.offline import esxtop_csv, rvtools_tables, write_xlsx
from vmdoctor.model import EnvironmentIndex, Gap, LogRecord, ObjectLink, Timeline
from vmdoctor.sources import rvtools
from vmdoctor.sources.esxtop.parser import parse_capture
from vmdoctor.sources.logs import LogScanner, environment_from_scanner
from vmdoctor.sources.merge import merge_environments
from vmdoctor.sources.names import name_ref


def _rv(tmp_path: Path):  # type: ignore[no-untyped-def]
    return rvtools.load(write_xlsx(tmp_path / "e.xlsx", rvtools_tables(3)))


def _logs(records: list[LogRecord]):  # type: ignore[no-untyped-def]
    env = environment_from_scanner(LogScanner(), kind="logs", name="bundle.tgz")
    return msgspec.structs.replace(
        env, timeline=Timeline(logs=records), collected_at=datetime(2030, 1, 1, tzinfo=UTC)
    )


def test_log_records_attach_to_inventory_ids(tmp_path: Path) -> None:
    rv = _rv(tmp_path)
    rec = LogRecord(
        time=datetime(2024, 5, 2, tzinfo=UTC), log="vmware.log", text="x",
        objects=ObjectLink(vm_id=name_ref("vm", "VM-000"), host_id=name_ref("host", "esx01"),
                           datastore_id=name_ref("datastore", "ds01")),
    )  # fmt: skip
    unknown = LogRecord(
        time=None, log="vobd.log", text="y", objects=ObjectLink(host_id=name_ref("host", "esx99"))
    )
    merged = merge_environments([rv, _logs([rec, unknown])])
    by_name = {v.name: v for v in merged.vms}
    got = merged.timeline.logs[0]
    assert got.objects.vm_id == by_name["vm-000"].id  # case-insensitive
    assert (
        got.objects.host_id == {h.name: h for h in merged.hosts}["esx01.lab.test"].id
    )  # short name
    assert got.objects.datastore_id == merged.datastores[0].id
    (kept,) = [r for r in merged.timeline.logs if r.text == "y"]
    assert kept.objects.host_id == name_ref("host", "esx99")  # unknown stays named
    assert got in EnvironmentIndex(merged).logs_by_object[by_name["vm-000"].id]
    assert merged.collected_at == datetime(2030, 1, 1, tzinfo=UTC)  # the latest
    assert len(merged.vms) == 3


def test_esxtop_vms_fold_into_inventory_vms(tmp_path: Path) -> None:
    rv = _rv(tmp_path)
    cap = parse_capture(io.BytesIO(esxtop_csv(vms=("vm-001", "ghost"))), "cap.csv")
    merged = merge_environments([rv, cap])
    names = sorted(v.name for v in merged.vms)
    assert names == ["ghost", "vm-000", "vm-001", "vm-002"]
    vm1 = {v.name: v for v in merged.vms}["vm-001"]
    assert vm1.num_cpu == 3  # the inventory's VM, not the capture's stand-in
    assert EnvironmentIndex(merged).series(vm1.id, "cpu.ready.summation") is not None
    host = {h.name: h for h in merged.hosts}["esx01.lab.test"]
    assert EnvironmentIndex(merged).series(host.id, "disk.deviceLatency.average", "naa.600a0001")
    # the capture's "only name, vCPUs and memory" gap no longer applies to vm-001
    assert not [g for g in merged.gaps if g.what == "vm" and g.object_name == "vm-001"]
    assert [g for g in merged.gaps if g.what == "vm" and g.object_name == "ghost"]


def test_gaps_are_combined_without_duplicates(tmp_path: Path) -> None:
    rv = _rv(tmp_path)
    extra = msgspec.structs.replace(
        _logs([]), gaps=[Gap(what="metrics", reason="r", source="s")] * 2
    )
    merged = merge_environments([rv, extra, extra])
    assert len([g for g in merged.gaps if g.reason == "r"]) == 1
    assert merged.source.kind == "merged" and "rvtools" in merged.source.details["source1"]
