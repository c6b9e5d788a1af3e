"""RVTools exports (xlsx via calamine, per-tab CSV) -> Environment."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from fixtures.offline import CUSTOM_ATTRS, VC, rvtools_tables, write_csv_export, write_xlsx
from vmdoctor.model import EnvironmentIndex
from vmdoctor.sources import bundle_source, rvtools
from vmdoctor.sources.errors import SourceError
from vmdoctor.sources.resolve import load_spec
from vmdoctor.sources.rvtools import table as rv_table


@pytest.fixture(scope="module")
def env4(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = write_xlsx(tmp_path_factory.mktemp("rv") / "export.xlsx", rvtools_tables(4, "4x"))
    return rvtools.load(path)


def test_detect_and_resolve_pick_rvtools(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", rvtools_tables(1))
    assert rvtools.detect(path)
    assert load_spec(str(path)).source.kind == "rvtools"


def test_vms_from_all_per_vm_tabs(env4) -> None:  # type: ignore[no-untyped-def]
    vm = {v.name: v for v in env4.vms}["vm-000"]
    assert vm.id == f"{VC}:vm-1000"
    assert (vm.num_cpu, vm.memory_mb, vm.power_state, vm.hw_version) == (
        2,
        4096,
        "poweredOn",
        "vmx-19",
    )
    assert vm.storage_committed_bytes == 20480 * 2**20  # MiB are 2^20 bytes
    assert vm.custom_attributes == {CUSTOM_ATTRS[0]: "ok", CUSTOM_ATTRS[1]: "team-a"}
    assert vm.cpu_limit_mhz is None and vm.cpu_hot_add is False  # -1 = unlimited
    assert vm.ballooned_memory_mb == 512 and vm.memory_hot_add is True
    assert vm.tools_status == "toolsOld" and vm.tools_version == 12352
    assert vm.tools_version_status == "guestToolsNeedUpgrade"
    assert [d.capacity_bytes for d in vm.disks] == [40960 * 2**20]
    assert vm.datastore_ids == [f"{VC}:datastore-1"]
    assert vm.nics[0].network_name == "VM Network" and vm.nics[0].adapter_type == "vmxnet3"
    assert vm.removable_devices and vm.removable_devices[0].connected
    assert vm.snapshots and vm.snapshots[0].name == "before-upgrade"
    assert vm.snapshots[0].created == datetime(2024, 4, 1, 10, tzinfo=UTC)
    other = {v.name: v for v in env4.vms}["vm-001"]
    assert other.snapshots == [] and other.removable_devices == []  # tab present, none listed


def test_hosts_clusters_datastores_multipath(env4) -> None:  # type: ignore[no-untyped-def]
    idx = EnvironmentIndex(env4)
    host = {h.name: h for h in env4.hosts}["esx01.lab.test"]
    assert (host.version, host.build, host.cpu_cores, host.cpu_threads) == (
        "7.0.3",
        21930508,
        40,
        80,
    )
    assert host.cpu_usage_mhz == int(40 * 2100 * 0.25)
    assert host.ntp_servers == ["ntp1.lab.test"] and host.service("ntpd").running  # type: ignore[union-attr]
    assert host.storage_devices and host.storage_devices[0].paths_dead == 1
    cluster = idx.cluster(host.cluster_id)
    assert cluster and cluster.ha and cluster.ha.enabled and cluster.ha.failover_level == 1
    assert cluster.drs and cluster.drs.behavior == "fullyAutomated"
    assert cluster.datacenter_id == f"{VC}:dc:DC1"
    ds = env4.datastores[0]
    assert ds.free_pct == pytest.approx(248576 / 1048576 * 100)
    assert ds.uncommitted_bytes == (900000 - 800000) * 2**20
    assert set(ds.host_ids) == {h.id for h in env4.hosts}
    assert env4.vcenters[0].build == 21477706
    assert env4.collected_at == datetime(2024, 5, 2, 12, tzinfo=UTC)


def test_health_and_licences_are_evidence_without_keys(env4) -> None:  # type: ignore[no-untyped-def]
    health = [r for r in env4.timeline.logs if r.log == "rvtools.vHealth"]
    assert len(health) == 3
    by_sig = {r.signature: r for r in health}
    vm0 = {v.name: v for v in env4.vms}["vm-000"]
    assert by_sig["rvtools.vm-tools"].objects.vm_id == vm0.id
    assert by_sig["rvtools.zombie"].objects.datastore_id == f"{VC}:datastore-1"
    assert by_sig["rvtools.storage"].family == "storage"
    lic = [r for r in env4.timeline.logs if r.log == "rvtools.vLicense"]
    assert len(lic) == 1 and "4 of 8" in lic[0].text
    assert lic[0].severity == "high"  # expires 8 days after the export
    assert "AAAAA" not in str(env4)


def test_gaps_say_what_an_export_cannot_tell(env4) -> None:  # type: ignore[no-untyped-def]
    whats = {g.what for g in env4.gaps}
    assert {"metrics", "events", "tasks"} <= whats
    assert EnvironmentIndex(env4).gap_for("metrics") is not None


def test_unknown_columns_are_ignored_with_a_note(env4) -> None:  # type: ignore[no-untyped-def]
    assert "Some Future Column" in env4.source.details["ignored_columns"]


def test_rvtools_3x_layout_mb_units_and_missing_tabs(tmp_path: Path) -> None:
    env = rvtools.load(write_xlsx(tmp_path / "old.xlsx", rvtools_tables(2, "3x")))
    vm = env.vms[0]
    assert vm.hw_version == "vmx-13" and vm.storage_committed_bytes == 20480 * 2**20
    assert vm.snapshots is None  # no vSnapshot tab: not collected, not "none"
    whats = {g.what for g in env.gaps}
    assert {"vm.snapshots", "vm.disks", "datastore", "host.storage_devices"} <= whats
    assert vm.host_id == {h.name: h for h in env.hosts}["esx01.lab.test"].id


def test_per_tab_csv_export_folder(tmp_path: Path) -> None:
    folder = write_csv_export(tmp_path / "csv", rvtools_tables(3, "4x"))
    env = bundle_source.load(folder)
    assert len(env.vms) == 3 and len(env.hosts) == 2
    assert {v.name: v for v in env.vms}["vm-000"].snapshots


def test_single_csv_tab_is_detected(tmp_path: Path) -> None:
    folder = write_csv_export(tmp_path / "csv", {"vInfo": rvtools_tables(2)["vInfo"]})
    path = folder / "RVTools_tabvInfo.csv"
    assert rvtools.detect(path)
    assert len(rvtools.load(path).vms) == 2


def test_absurd_uncompressed_size_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "big.xlsx", rvtools_tables(50))
    monkeypatch.setattr(rv_table, "MAX_XLSX_UNCOMPRESSED_BYTES", 10_000)
    with pytest.raises(SourceError, match=r"big\.xlsx.*byte cap"):
        rvtools.load(path)


def test_not_a_workbook_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(SourceError, match=r"fake\.xlsx"):
        rvtools.load(path)


def test_workbook_without_inventory_tabs(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", {"Sheet1": [["a"], [1]]})
    with pytest.raises(SourceError, match="no vInfo or vHost"):
        rvtools.load(path)
