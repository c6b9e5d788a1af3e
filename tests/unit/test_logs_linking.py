# ruff: noqa: E501 - sample log lines are kept whole
"""Log-only sources link records to the VM, host, datastore and vCenter they concern, and
stand in for the inventory they lack; merged with an inventory, the stand-ins fold in."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from fixtures.offline import rvtools_tables, write_xlsx
from vmdoctor.checks.engine import run_checks
from vmdoctor.checks.registry import registry
from vmdoctor.model import Status
from vmdoctor.sources import logs
from vmdoctor.sources.logs import identity
from vmdoctor.sources.resolve import load_spec, load_specs

HEADER = (
    b"2024-05-02T11:00:00.001Z In(05) vmx Hostname=esx01.lab.test\n"
    b"2024-05-02T11:00:00.002Z In(05) vmx Config file: /vmfs/volumes/6550a1b2-3c4d5e6f-7a8b-001b21c3d4e5/old-folder/old-folder.vmx\n"
    b'2024-05-02T11:00:00.003Z In(05) vmx DICT               displayName = "vm-001"\n'
)
PANIC = b"2024-05-02T11:58:00.000Z In(05) vcpu-0 MONITOR PANIC: vcpu-0:VMM fault 14: src=MONITOR\n"
APD = b"2024-05-02T11:00:01Z: [APDCorrelator] 1us: [esx.problem.storage.apd.start] Device or filesystem with identifier [naa.1] has entered the All Paths Down state.\n"
LOST = (
    b"2024-05-02T11:00:05Z cpu1:32)Lost access to volume 4f8c (ds01) due to connectivity issues\n"
)
HOSTD = b"2024-05-02T11:00:09Z info hostd[1] [Originator@6876 sub=Vmsvc.vm:/vmfs/volumes/ds01/old-folder/old-folder.vmx] Failed to lock the file\n"


def _tgz(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_vmware_log_names_its_vm_and_host_from_its_own_header(tmp_path: Path) -> None:
    folder = tmp_path / "old-folder"
    folder.mkdir()
    (folder / "vmware.log").write_bytes(HEADER + PANIC)
    env = load_spec(str(folder))
    (rec,) = env.timeline.logs
    assert rec.objects.vm_id == "name:vm:vm-001"  # displayName, not the folder name
    assert rec.objects.host_id == "name:host:esx01.lab.test"  # Hostname= in the header
    (vm,) = env.vms
    assert (vm.name, vm.host_id, vm.power_state) == (
        "vm-001",
        "name:host:esx01.lab.test",
        "unknown",
    )
    assert [h.name for h in env.hosts] == ["esx01.lab.test"]
    gaps = {(g.what, g.object_name) for g in env.gaps}
    assert ("inventory", "vm-001") in gaps and ("inventory", "esx01.lab.test") in gaps


def test_identity_parsers() -> None:
    ident = identity.vm_identity(HEADER, "x/vmfs/volumes/ds01/old-folder/vmware.log")
    assert (ident.name, ident.folder, ident.datastore) == ("vm-001", "old-folder", "ds01")
    assert ident.aliases() == {"old-folder"}
    hosts = b"127.0.0.1 localhost.localdomain localhost\n10.0.0.5 esx07.corp.test esx07\n"
    assert identity.host_from_identity_file("etc/hosts", hosts) == "esx07.corp.test"
    esxcli = b"   Domain Name: corp.test\n   Fully Qualified Domain Name: esx08.corp.test\n"
    assert (
        identity.host_from_identity_file("commands/esxcli_system-hostname-get.txt", esxcli)
        == "esx08.corp.test"
    )
    assert (
        identity.host_from_bundle_name("/x/esx-esx09.corp.test-2024-05-02--11.00-123.tgz")
        == "esx09.corp.test"
    )
    assert identity.host_from_bundle_name("support.tgz") is None


def test_bundle_host_from_etc_hosts_even_after_the_logs(tmp_path: Path) -> None:
    """The tar is read as a stream: etc/hosts comes last, the links are still completed."""
    path = _tgz(
        tmp_path / "upload.tgz",
        {
            "vm-support/var/run/log/vobd.log": APD,
            "vm-support/var/run/log/vmkernel.log": LOST,
            "vm-support/var/run/log/hostd.log": HOSTD,
            "vm-support/vmfs/volumes/ds01/old-folder/vmware.log": HEADER + PANIC,
            "vm-support/etc/hosts": b"10.0.0.1 esx01.lab.test esx01\n",
        },
    )
    env = load_spec(str(path))
    assert {r.objects.host_id for r in env.timeline.logs} == {"name:host:esx01.lab.test"}
    hostd = next(r for r in env.timeline.logs if r.log == "hostd.log")
    assert hostd.objects.vm_id == "name:vm:vm-001"  # the folder name is an alias of the VM
    (host,) = env.hosts
    assert host.datastore_ids == ["name:datastore:ds01"]
    (ds,) = env.datastores
    assert ds.host_ids == [host.id]


def test_a_bare_vmkernel_log_says_its_host_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "vmkernel.log"
    path.write_bytes(LOST)
    env = logs.load(path)
    assert env.timeline.logs[0].objects.host_id is None
    assert env.hosts == [] and [d.name for d in env.datastores] == ["ds01"]
    assert any(g.what == "logs:host" and "vmkernel.log" in g.reason for g in env.gaps)


def test_vpxd_log_links_to_a_vcenter_even_a_nameless_one(tmp_path: Path) -> None:
    path = tmp_path / "vpxd.log"
    path.write_bytes(
        b"2024-05-02T11:00:00.000Z error vpxd[1] [Originator@6876 sub=Default] Failed to connect to database: ODBC error\n"
    )
    env = logs.load(path)
    (rec,) = env.timeline.logs
    assert rec.objects.vcenter_id == "name:vcenter:vcenter" and rec.objects.host_id is None
    assert [v.name for v in env.vcenters] == ["vcenter"]


def test_checks_on_stand_ins_say_unknown(tmp_path: Path) -> None:
    folder = tmp_path / "old-folder"
    folder.mkdir()
    (folder / "vmware.log").write_bytes(HEADER + PANIC)
    env = load_spec(str(folder))
    result = run_checks(env, list(registry()))
    statuses = {f.status for f in result.findings if f.object.type in ("vm", "host")}
    assert statuses == {Status.UNKNOWN}
    assert all(
        "inventory was not collected" in f.message for f in result.findings if f.object.type == "vm"
    )


def test_merged_with_inventory_the_stand_ins_fold_into_it(tmp_path: Path) -> None:
    rv = write_xlsx(tmp_path / "e.xlsx", rvtools_tables(3))
    bundle = _tgz(
        tmp_path / "esx-esx01-2024-05-02--11.00-1.tgz",
        {
            "x/var/run/log/vmkernel.log": LOST,
            "x/vmfs/volumes/ds01/old-folder/vmware.log": HEADER + PANIC,
            "x/var/log/vpxd.log": b"2024-05-02T11:00:00.000Z error vpxd[1] [Originator@6876 sub=Default] ODBC error: (08001)\n",
        },
    )
    env = load_specs([str(rv), str(bundle)])
    ids = {e.id for attr in ("hosts", "vms", "datastores", "vcenters") for e in getattr(env, attr)}
    assert not [i for i in ids if i.startswith("name:")]  # every stand-in matched by name
    by_log = {r.log: r for r in env.timeline.logs}
    vm = next(v for v in env.vms if v.name == "vm-001")
    assert by_log["vmware.log"].objects.vm_id == vm.id
    host = next(h for h in env.hosts if h.name == "esx01.lab.test")
    assert by_log["vmkernel.log"].objects.host_id == host.id  # short name from the bundle
    assert by_log["vpxd.log"].objects.vcenter_id == env.vcenters[0].id  # the only vCenter
    assert not [g for g in env.gaps if g.what == "inventory"]
    assert len(env.vms) == 3
