"""Networks from vSwitch, vPort, vNIC, dvSwitch and dvPort; VM NICs linked to them by name.

A standard port group becomes one Network per datacenter (as vCenter has one Network object
per port group name and datacenter) and, on each host that has it, a HostPortGroup with its
effective security policy. A distributed port group becomes a Network with its own security
policy. vNetwork names the port group of each NIC: that name is the link, looked up in the
VM's datacenter first. A NIC whose port group is in neither list keeps ``network_id=None``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import msgspec

from vmdoctor.model import HostPortGroup, Network, PortGroupSecurity, VSwitch
from vmdoctor.sources.rvtools.inventory import Inventory, cols, get, slug
from vmdoctor.sources.rvtools.table import Table, as_bool, as_int, as_str

#: uplink port groups carry no VM ports and their policy is not applied to VM traffic
_UPLINK_GROUP = re.compile(r"uplink", re.IGNORECASE)


def build_networks(inv: Inventory, tables: dict[str, Table]) -> None:
    switches = _host_vswitches(tables.get("vSwitch"), tables.get("vNIC"))
    groups = _host_portgroups(tables.get("vPort"), switches)
    for name, host in list(inv.hosts.items()):
        changes: dict[str, Any] = {}
        if "vSwitch" in tables:
            changes["vswitches"] = switches.get(name, [])
        if "vPort" in tables:
            changes["portgroups"] = [group for group, _ in groups.get(name, [])]
        if changes:
            inv.hosts[name] = msgspec.structs.replace(host, **changes)
    _standard_networks(inv, groups)
    if "dvPort" in tables:
        _distributed_networks(inv, tables["dvPort"], tables.get("dvSwitch"))
    _host_network_ids(inv)


def _security(row: Any, c: dict[str, int | None]) -> PortGroupSecurity:
    return PortGroupSecurity(
        allow_promiscuous=as_bool(get(row, c["promisc"])),
        mac_changes=as_bool(get(row, c["mac"])),
        forged_transmits=as_bool(get(row, c["forged"])),
    )


def _host_vswitches(table: Table | None, nics: Table | None) -> dict[str, list[VSwitch]]:
    if table is None:
        return {}
    uplinks: dict[tuple[str, str], list[str]] = defaultdict(list)
    if nics is not None:
        n = cols(nics, host=("Host",), device=("Network Device",), switch=("Switch",))
        for row in nics.rows:
            host, dev = as_str(get(row, n["host"])), as_str(get(row, n["device"]))
            switch = as_str(get(row, n["switch"]))
            if host and dev and switch:
                uplinks[(host, switch)].append(dev)
    c = cols(
        table,
        host=("Host",),
        switch=("Switch",),
        promisc=("Promiscuous Mode",),
        mac=("Mac Changes",),
        forged=("Forged Transmits",),
        mtu=("MTU",),
    )
    out: dict[str, list[VSwitch]] = defaultdict(list)
    for row in table.rows:
        host, switch = as_str(get(row, c["host"])), as_str(get(row, c["switch"]))
        if host and switch:
            out[host].append(
                VSwitch(
                    name=switch,
                    security=_security(row, c),
                    uplinks=sorted(uplinks.get((host, switch), [])),
                    mtu=as_int(get(row, c["mtu"])),
                )
            )
    return out


def _host_portgroups(
    table: Table | None, switches: dict[str, list[VSwitch]]
) -> dict[str, list[tuple[HostPortGroup, str | None]]]:
    """Per host: (port group, datacenter name). A blank policy column inherits the vSwitch's."""
    if table is None:
        return {}
    c = cols(
        table,
        host=("Host",),
        dc=("Datacenter",),
        group=("Port Group",),
        switch=("Switch",),
        vlan=("VLAN",),
        promisc=("Promiscuous Mode",),
        mac=("Mac Changes",),
        forged=("Forged Transmits",),
    )
    out: dict[str, list[tuple[HostPortGroup, str | None]]] = defaultdict(list)
    for row in table.rows:
        host, group = as_str(get(row, c["host"])), as_str(get(row, c["group"]))
        if not host or not group:
            continue
        switch = as_str(get(row, c["switch"])) or ""
        own = _security(row, c)
        parent = next((s.security for s in switches.get(host, []) if s.name == switch), None)
        if parent is not None:
            own = PortGroupSecurity(
                allow_promiscuous=_first(own.allow_promiscuous, parent.allow_promiscuous),
                mac_changes=_first(own.mac_changes, parent.mac_changes),
                forged_transmits=_first(own.forged_transmits, parent.forged_transmits),
            )
        out[host].append(
            (
                HostPortGroup(
                    name=group, vswitch=switch, vlan_id=as_int(get(row, c["vlan"])), security=own
                ),
                as_str(get(row, c["dc"])),
            )
        )
    return out


def _first(value: bool | None, fallback: bool | None) -> bool | None:
    return fallback if value is None else value


def _standard_networks(
    inv: Inventory, groups: dict[str, list[tuple[HostPortGroup, str | None]]]
) -> None:
    members: dict[tuple[str | None, str], list[tuple[str, HostPortGroup]]] = defaultdict(list)
    for host_name, entries in groups.items():
        host_id = inv.host_id(host_name) or host_name
        for group, dc in entries:
            members[(dc, group.name)].append((host_id, group))
    for (dc, name), hosts in members.items():
        vlans = {g.vlan_id for _, g in hosts}
        switches = {g.vswitch for _, g in hosts}
        net_id = f"{inv.vcenter_id}:network:{slug(dc or '')}:{slug(name)}"
        inv.networks[net_id] = Network(
            id=net_id,
            name=name,
            vcenter_id=inv.vcenter_id,
            datacenter_id=inv.datacenter_id(dc),
            type="Network",
            vlan_id=vlans.pop() if len(vlans) == 1 else None,
            switch_name=switches.pop() if len(switches) == 1 else None,
            host_ids=sorted({h for h, _ in hosts}),
        )


def _distributed_networks(inv: Inventory, table: Table, dvswitch: Table | None) -> None:
    switch_dc: dict[str, str | None] = {}
    switch_hosts: dict[str, list[str]] = {}
    if dvswitch is not None:
        d = cols(dvswitch, switch=("Switch",), dc=("Datacenter",), members=("Host members",))
        for row in dvswitch.rows:
            if switch := as_str(get(row, d["switch"])):
                switch_dc[switch] = as_str(get(row, d["dc"]))
                names = (as_str(get(row, d["members"])) or "").split(",")
                switch_hosts[switch] = sorted(
                    {hid for n in names if (hid := inv.host_id(n.strip()))}
                )
    c = cols(
        table,
        group=("Port",),
        switch=("Switch",),
        vlan=("VLAN",),
        promisc=("Allow Promiscuous", "Promiscuous Mode"),
        mac=("Mac Changes",),
        forged=("Forged Transmits",),
        oid=("Object ID",),
    )
    for row in table.rows:
        name, switch = as_str(get(row, c["group"])), as_str(get(row, c["switch"])) or ""
        if not name or _UPLINK_GROUP.search(name):
            continue
        oid = as_str(get(row, c["oid"]))
        net_id = f"{inv.vcenter_id}:{oid}" if oid else f"{inv.vcenter_id}:dvpg:{slug(name)}"
        inv.networks[net_id] = Network(
            id=net_id,
            name=name,
            vcenter_id=inv.vcenter_id,
            datacenter_id=inv.datacenter_id(switch_dc.get(switch)),
            type="DistributedVirtualPortgroup",
            vlan_id=as_int(get(row, c["vlan"])),
            switch_name=switch or None,
            security=_security(row, c),
            host_ids=switch_hosts.get(switch, []),
        )


def _host_network_ids(inv: Inventory) -> None:
    by_host: dict[str, list[str]] = defaultdict(list)
    for net in inv.networks.values():
        for host_id in net.host_ids:
            by_host[host_id].append(net.id)
    for name, host in list(inv.hosts.items()):
        if host.id in by_host:
            inv.hosts[name] = msgspec.structs.replace(host, network_ids=by_host[host.id])


def link_vm_networks(inv: Inventory) -> None:
    """Set NIC.network_id and VM.network_ids from the port group names of vNetwork."""
    if not inv.networks:
        return
    by_dc: dict[tuple[str | None, str], str] = {}
    by_name: dict[str, set[str]] = defaultdict(set)
    for net in inv.networks.values():
        by_dc.setdefault((net.datacenter_id, net.name), net.id)
        by_name[net.name].add(net.id)
    for name, vm in list(inv.vms.items()):
        if not vm.nics:
            continue
        nics = []
        for nic in vm.nics:
            net_id = None
            if nic.network_name:
                net_id = by_dc.get((vm.datacenter_id, nic.network_name))
                candidates = by_name.get(nic.network_name, set())
                if net_id is None and len(candidates) == 1:
                    net_id = next(iter(candidates))
            nics.append(nic if net_id is None else msgspec.structs.replace(nic, network_id=net_id))
        ids = list(dict.fromkeys(n.network_id for n in nics if n.network_id))
        inv.vms[name] = msgspec.structs.replace(vm, nics=nics, network_ids=ids)
