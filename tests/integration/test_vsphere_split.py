"""The VM answer parsed and mapped in two processes gives the same environment as in one."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from vmdoctor.sources.vsphere import CollectOptions, collect, inventory, split_page

OPTIONS = CollectOptions(timeout_s=30, perf=False, perf_window=timedelta(minutes=10))


def test_two_process_mapping_matches_one_process(
    start_vcsim: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = start_vcsim("-cluster", "2", "-vm", "60")
    # Split even this small answer, in many slices, and count the helper processes started.
    monkeypatch.setattr(inventory, "MIN_SPLIT_BYTES", 1)
    monkeypatch.setattr(split_page, "SLICE_BYTES", 8 * 1024)
    helpers: list[object] = []
    original = split_page._Helper.__init__

    def counted(self: Any, map_one: Any) -> None:
        helpers.append(self)
        original(self, map_one)

    monkeypatch.setattr(split_page._Helper, "__init__", counted)

    plain = collect([sim.target()], replace(OPTIONS, split_parse=False))
    assert helpers == []
    split = collect([sim.target()], OPTIONS)
    assert len(helpers) == 1

    one, two = plain.environment, split.environment
    assert len(one.vms) == 2 * 60 + 60  # 2 clusters and 1 standalone host, 60 VMs each
    assert two.vms == one.vms  # same VMs, same fields, same order
    assert two.hosts == one.hosts and two.gaps == one.gaps
    assert {v.datacenter_id for v in two.vms} == {one.datacenters[0].id}
    assert all(v.host_id and v.disks and v.nics for v in two.vms)
    assert split.stats[sim.target().name].round_trips == plain.stats[sim.target().name].round_trips
