"""RVTools tabs beyond the basics: networks, host state and services, guest IDs, EVC, DRS,
snapshot sizes and the gaps that explain what an export cannot tell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fixtures.offline import VC, rvtools_network_tabs, rvtools_tables, write_xlsx
from vmdoctor.model import Environment, EnvironmentIndex
from vmdoctor.sources import rvtools
from vmdoctor.sources.rvtools.guests import guest_id


def _load(tmp_path: Path, tabs: dict[str, list[list[Any]]]) -> Environment:
    return rvtools.load(write_xlsx(tmp_path / "export.xlsx", tabs))


@pytest.fixture(scope="module")
def net_env(tmp_path_factory: pytest.TempPathFactory) -> Environment:
    tabs = rvtools_tables(4, "4x") | rvtools_network_tabs()
    tabs["vNetwork"].append(
        ["vm-001", "Network adapter 2", "Vmxnet3", "dvpg-app", "True", "True", "00:50:56:00:00:02"]
    )
    tabs["vNetwork"].append(
        ["vm-002", "Network adapter 2", "E1000e", "VLAN-99-old", "True", "True", "00:50:56:0:0:3"]
    )
    tabs["vHealth"].append(["esx02.lab.test", "SSH service is running!", "Security", VC])
    return _load(tmp_path_factory.mktemp("net"), tabs)


def test_standard_and_distributed_port_groups_become_networks(net_env: Environment) -> None:
    nets = {n.name: n for n in net_env.networks}
    assert set(nets) == {"VM Network", "dvpg-app"}  # the uplink port group is left out
    std, dv = nets["VM Network"], nets["dvpg-app"]
    assert (std.type, std.vlan_id, std.switch_name) == ("Network", 10, "vSwitch0")
    assert set(std.host_ids) == {h.id for h in net_env.hosts}
    assert dv.id == f"{VC}:dvportgroup-7" and dv.type == "DistributedVirtualPortgroup"
    assert dv.security is not None and dv.security.mac_changes is True
    assert dv.security.forged_transmits is False and set(dv.host_ids) == set(std.host_ids)


def test_host_switches_and_port_groups_carry_their_security_policy(net_env: Environment) -> None:
    hosts = {h.name: h for h in net_env.hosts}
    esx01, esx02 = hosts["esx01.lab.test"], hosts["esx02.lab.test"]
    assert esx01.vswitches and esx01.vswitches[0].uplinks == ["vmnic0"]
    assert esx01.vswitches[0].security.forged_transmits is False
    assert esx02.portgroups and esx02.portgroups[0].security.forged_transmits is True
    assert len(esx01.network_ids) == 2  # the standard and the distributed port group


def test_vm_nics_are_linked_to_networks_by_port_group_name(net_env: Environment) -> None:
    vms = {v.name: v for v in net_env.vms}
    nets = {n.name: n.id for n in net_env.networks}
    assert vms["vm-000"].nics[0].network_id == nets["VM Network"]
    assert vms["vm-001"].network_ids == [nets["VM Network"], nets["dvpg-app"]]
    missing = vms["vm-002"].nics[1]
    assert missing.network_name == "VLAN-99-old" and missing.network_id is None


def test_ssh_running_comes_from_vhealth_and_other_services_are_a_gap(
    net_env: Environment,
) -> None:
    hosts = {h.name: h for h in net_env.hosts}
    ssh = hosts["esx02.lab.test"].service("TSM-SSH")
    assert ssh is not None and ssh.running
    assert hosts["esx01.lab.test"].service("TSM-SSH") is None  # not flagged: not known stopped
    gap = EnvironmentIndex(net_env).gap_for("host.services", hosts["esx01.lab.test"].id)
    assert gap is not None and "NTPD" in gap.reason


def test_hosts_with_runtime_data_are_connected_others_unknown_with_a_gap(
    tmp_path: Path,
) -> None:
    tabs = rvtools_tables(2, "4x")
    header = tabs["vHost"][0]
    blank = [""] * len(header)
    blank[header.index("Host")] = "esx09.lab.test"
    blank[header.index("Datacenter")] = "DC1"
    tabs["vHost"].append(blank)
    env = _load(tmp_path, tabs)
    hosts = {h.name: h for h in env.hosts}
    assert hosts["esx01.lab.test"].connection_state == "connected"
    lost = hosts["esx09.lab.test"]
    assert lost.connection_state == "unknown"
    gap = EnvironmentIndex(env).gap_for("host.connection_state", lost.id)
    assert gap is not None and "not responding" in gap.reason


def test_connection_state_column_is_used_when_present(tmp_path: Path) -> None:
    tabs = rvtools_tables(1, "4x")
    tabs["vHost"][0].append("Connection state")
    tabs["vHost"][1].append("notResponding")
    tabs["vHost"][2].append("connected")
    env = _load(tmp_path, tabs)
    states = {h.name: h.connection_state for h in env.hosts}
    assert states == {"esx01.lab.test": "notResponding", "esx02.lab.test": "connected"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Microsoft Windows Server 2016 or later (64-bit)", "windows9Server64Guest"),
        ("Microsoft Windows Server 2016 (64-bit)", "windows9Server64Guest"),
        ("Microsoft Windows Server 2022 (64-bit)", "windows2019srvNext_64Guest"),
        ("Ubuntu Linux (64 bit)", "ubuntu64Guest"),
        ("CentOS 4/5/6/7 (64-bit)", "centos64Guest"),
        ("FortiAnalyzer-VM64 v7", None),
        ("", None),
    ],
)
def test_guest_display_names_map_to_guest_ids(name: str, expected: str | None) -> None:
    assert guest_id(name) == expected


def test_guest_ids_and_unmapped_names_become_per_vm_gaps(tmp_path: Path) -> None:
    tabs = rvtools_tables(2, "4x")
    header = tabs["vInfo"][0]
    tabs["vInfo"][2][header.index("OS according to the VMware Tools")] = "Appliance OS 7"
    env = _load(tmp_path, tabs)
    vms = {v.name: v for v in env.vms}
    assert vms["vm-000"].guest_id == vms["vm-000"].guest_id_running == "ubuntu64Guest"
    odd = vms["vm-001"]
    assert odd.guest_id == "ubuntu64Guest" and odd.guest_id_running is None
    gap = EnvironmentIndex(env).gap_for("vm.guest.guestId", odd.id)
    assert gap is not None and "Appliance OS 7" in gap.reason


def test_cluster_evc_from_hosts_current_evc_and_drs_threshold_inverted(tmp_path: Path) -> None:
    tabs = rvtools_tables(1, "4x")
    tabs["vHost"][0].append("Current EVC")
    for row in tabs["vHost"][1:]:
        row.append("intel-cascadelake")
    rate = tabs["vCluster"][0].index("DRS vmotion rate")
    tabs["vCluster"][1][rate] = 2  # API vmotionRate 2 = the client's threshold 4
    env = _load(tmp_path, tabs)
    cluster = env.clusters[0]
    assert cluster.evc_mode == "intel-cascadelake"
    assert cluster.drs is not None and cluster.drs.migration_threshold == 4


def test_snapshot_total_size_is_not_taken_as_the_delta_size(tmp_path: Path) -> None:
    env = _load(tmp_path, rvtools_tables(2, "4x"))
    vm = {v.name: v for v in env.vms}["vm-000"]
    assert vm.snapshots and vm.snapshots[0].size_bytes is None
    gap = EnvironmentIndex(env).gap_for("vm.snapshots.size", vm.id)
    assert gap is not None and "base" in gap.reason


def test_vm_home_datastore_counts_without_disks(tmp_path: Path) -> None:
    tabs = rvtools_tables(1, "4x")
    del tabs["vDisk"]
    env = _load(tmp_path, tabs)
    assert env.vms[0].datastore_ids == [f"{VC}:datastore-1"]


def test_exports_without_network_tabs_say_so(tmp_path: Path) -> None:
    env = _load(tmp_path, rvtools_tables(1, "4x"))
    idx = EnvironmentIndex(env)
    assert env.networks == []
    networks = idx.gap_for("networks")
    assert networks is not None and "vPort" in networks.reason
    host_net = idx.gap_for("host.network", env.hosts[0].id)
    assert host_net is not None and "vSwitch" in host_net.reason
