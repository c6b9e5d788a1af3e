"""Flaws on single VMs: snapshots, backups, Tools, hardware, devices, limits, contention."""

from __future__ import annotations

from vmdoctor.sources.demo.plant_vm_load import plant_busy_host, plant_mgmt_placement
from vmdoctor.sources.demo.plant_vm_settings import (
    plant_devices_and_state,
    plant_guest_compatibility,
)
from vmdoctor.sources.demo.plant_vm_storage import plant_snapshots_and_backups
from vmdoctor.sources.demo.planter import Planter


def plant_vm_problems(p: Planter, rep: int) -> None:
    # The order is part of the lab: every planter draws its targets from the one seeded RNG.
    plant_snapshots_and_backups(p)
    plant_guest_compatibility(p)
    plant_devices_and_state(p)
    plant_mgmt_placement(p, rep)
    plant_busy_host(p)
