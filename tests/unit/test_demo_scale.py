"""Scaled demo labs and the scale argument."""

from __future__ import annotations

import pytest

from vmdoctor.sources.demo import build_lab, parse_scale
from vmdoctor.sources.demo.plan import scaled_plan


@pytest.mark.parametrize(
    ("text", "count"),
    [("1000", 1000), ("1k", 1000), ("10k", 10_000), ("100K", 100_000), ("1m", 1_000_000),
     ("2.5k", 2500), (" 10_000 ", 10_000)],
)  # fmt: skip
def test_parse_scale_accepts_counts_and_suffixes(text: str, count: int) -> None:
    assert parse_scale(text) == count


@pytest.mark.parametrize("text", ["", "ten", "10x", "-5", "1kk", "5", "2m"])
def test_parse_scale_rejects_bad_values_clearly(text: str) -> None:
    with pytest.raises(ValueError, match="invalid demo scale"):
        parse_scale(text)


def test_scaled_lab_has_the_requested_vm_count_and_proportions() -> None:
    lab = build_lab(1000)
    env = lab.environment
    assert len(env.vms) == 1000
    assert len({vm.name for vm in env.vms}) == 1000
    assert 36 <= len(env.hosts) <= 44  # about 25 VMs per host
    per_cluster: dict[str, int] = {}
    for host in env.hosts:
        per_cluster[host.cluster_id or ""] = per_cluster.get(host.cluster_id or "", 0) + 1
    assert max(per_cluster.values()) <= 32
    assert len(lab.planted) > 2 * 30  # problems repeat with size
    assert len(lab.incidents) >= 4
    assert env.source.details["scale"] == "1000"


@pytest.mark.parametrize("vm_count", [10_000, 100_000, 1_000_000])
def test_large_plans_respect_cluster_and_vcenter_limits(vm_count: int) -> None:
    plan = scaled_plan(vm_count)
    assert plan.vm_count == vm_count
    assert all(c.hosts <= 32 for c in plan.clusters)
    per_vcenter: dict[int, int] = {}
    for cluster in plan.clusters:
        per_vcenter[cluster.vcenter] = per_vcenter.get(cluster.vcenter, 0) + cluster.vms
    assert max(per_vcenter.values()) <= 40_000
