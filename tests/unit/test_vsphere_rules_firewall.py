"""Cluster DRS rules and host firewall rulesets, from recorded vCenter answers to the model."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from vmdoctor.model.entities import ClusterRule, FirewallRuleset
from vmdoctor.sources.vsphere.collector import map_collected
from vmdoctor.sources.vsphere.inventory import retrieve_type
from vmdoctor.sources.vsphere.properties import PROPERTIES
from vmdoctor.sources.vsphere.tree import InventoryTree

RESPONSES = Path(__file__).parent / "vsphere_responses"
VC = "vc1"


def collected(obj_type: str, response: str) -> tuple[dict[str, list[Any]], list[Any]]:
    session = SimpleNamespace(
        call=lambda fn: fn(),
        content=SimpleNamespace(propertyCollector=SimpleNamespace(_moId="propertyCollector")),
    )
    body = (RESPONSES / response).read_bytes()
    sent: list[bytes] = []

    def post(method: str, envelope: bytes) -> bytes:
        sent.append(envelope)
        return body

    result = retrieve_type(session, post, SimpleNamespace(moref="v"), obj_type, 1000, VC)  # type: ignore[arg-type]
    assert len(sent) == 1
    return {obj_type: result.objects}, result.gaps


def mapped(obj_type: str, response: str) -> tuple[dict[str, list[Any]], list[Any]]:
    objects, gaps = collected(obj_type, response)
    tree = InventoryTree(VC)
    tree.add(objects[obj_type])
    tree.types["group-h4"] = "Folder"
    return map_collected(objects, tree, {}), gaps


def test_every_kind_of_drs_rule_is_mapped() -> None:
    parts, gaps = mapped("ClusterComputeResource", "clusters_rules.xml")
    assert gaps == []
    prod, lab, restricted = parts["clusters"]
    assert prod.drs is not None and prod.drs.migration_threshold == 3
    rules = {r.name: r for r in prod.drs_rules or []}
    assert rules["separate-dc-controllers"] == ClusterRule(
        name="separate-dc-controllers",
        kind="anti-affinity",
        enabled=True,
        mandatory=False,
        in_compliance=True,
        vm_ids=[f"{VC}:vm-301", f"{VC}:vm-302"],
    )
    together = rules["keep-app-with-db"]
    assert (together.kind, together.enabled, together.in_compliance) == ("affinity", False, False)
    must = rules["sql-licensed-hosts"]
    assert (must.kind, must.mandatory, must.vm_group, must.host_group) == (
        "vm-host",
        True,
        "sql-vms",
        "sql-hosts",
    )
    assert must.host_group_affine is True and must.vm_ids == []
    avoid = rules["no-dmz-on-rack-b"]
    assert (avoid.host_group, avoid.host_group_affine, avoid.mandatory) == ("rack-b", False, False)
    order = rules["db-before-app"]
    assert (order.kind, order.vm_group, order.depends_on_vm_group) == (
        "dependency",
        "app-vms",
        "db-vms",
    )
    assert [r.name for r in prod.drs_rules or []][:2] == [
        "separate-dc-controllers",
        "keep-app-with-db",
    ]  # API order kept
    # Configuration read without rules: none. Configuration not returned: not collected.
    assert lab.drs_rules == [] and restricted.drs_rules is None


def test_enabled_firewall_rulesets_with_their_allowed_addresses() -> None:
    assert "config.firewall" in PROPERTIES["HostSystem"]
    parts, gaps = mapped("HostSystem", "hosts_firewall.xml")
    reachable, down = parts["hosts"]
    assert reachable.firewall_rulesets == [
        FirewallRuleset(key="sshServer", label="SSH Server", required=False, all_ip=True),
        FirewallRuleset(
            key="vSphereClient",
            label="vSphere Web Client",
            required=True,
            all_ip=False,
            allowed_ips=["10.0.0.5", "192.168.10.0/24"],
        ),
    ]  # the disabled NFS client ruleset is left out
    # A host that cannot be read: not collected (None), and a gap says why.
    assert down.firewall_rulesets is None
    assert [(g.what, g.object_id) for g in gaps] == [("host.config", f"{VC}:host-102")]
    assert "HostNotReachable" in gaps[0].reason
