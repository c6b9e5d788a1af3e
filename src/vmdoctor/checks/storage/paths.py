"""Host storage multipathing: dead paths and devices left with a single path."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok, unknown
from vmdoctor.checks.gaps import missing
from vmdoctor.model import Family, Host, Severity, StorageDevice
from vmdoctor.model.finding import EvidenceValue


def _device_name(device: StorageDevice) -> str:
    return device.display_name or device.canonical_name


def _is_local(device: StorageDevice) -> bool:
    # ESXi names local devices "Local <vendor> Disk (naa...)"; sources without the isLocal flag
    # (RVTools' multipath tab) still carry that name.
    return device.is_local or device.display_name.lower().startswith("local ")


@check(
    id="STO013",
    name="storage-path-redundancy",
    title="Host storage devices have dead paths or a single path",
    family=Family.STORAGE,
    applies_to="host",
    severity=Severity.HIGH,
    thresholds={"min_paths": 2},
    fix=Fix.MANUAL,
    references=("VMware KB 2004684",),
)
def storage_path_redundancy(host: Host, ctx: CheckContext) -> Outcome:
    """Every shared storage device of the host has redundant, live paths.

    What it checks:
        For each non-local storage device of the host: devices with no working path
        (critical), devices with dead paths (high), and devices whose usable paths (total
        minus dead; standby paths count) are fewer than 2 (medium). Local disks are skipped.
    Why it matters:
        With one path left, a single cable, SFP, switch port or controller failover turns into
        All Paths Down: every VM on the datastore freezes and hostd can stop answering
        vCenter. Dead paths are that failure halfway done.
    Example:
        esx04: naa.600a0b80...12 has 1 of 4 paths dead; naa.600a0b80...31 has a single path.
    Remediation:
        Check cabling, switch zoning / iSCSI port binding and array target ports for the dead
        paths (esxcli storage core path list), then rescan. Present every LUN through at least
        two HBAs and two fabrics or networks.
    """
    if not host.is_connected:
        if host.connection_state in ("unknown", ""):
            return missing(
                ctx,
                host.id,
                "the host's connection state was not collected: its path state may not be current",
                "host.connection_state",
            )
        return unknown(f"host is {host.connection_state}: its path state is not current")
    if host.storage_devices is None:
        return missing(
            ctx,
            host.id,
            "storage devices and paths were not collected",
            "host.storage_devices",
            "host.config",
            "host",
        )
    min_paths = ctx.threshold("min_paths")
    no_path: list[str] = []
    dead: list[str] = []
    single: list[str] = []
    shared = 0
    for device in host.storage_devices:
        if _is_local(device):
            continue
        shared += 1
        usable = device.paths_total - device.paths_dead
        if device.paths_active <= 0 or usable <= 0:
            no_path.append(_device_name(device))
        elif device.paths_dead > 0:
            dead.append(
                f"{_device_name(device)} ({device.paths_dead} of {device.paths_total} dead)"
            )
        elif usable < min_paths:
            single.append(_device_name(device))
    evidence: dict[str, EvidenceValue] = {
        "shared_devices": shared,
        "devices_without_path": len(no_path),
        "devices_with_dead_paths": len(dead),
        "devices_single_path": len(single),
    }
    parts = []
    if no_path:
        parts.append(f"{len(no_path)} device(s) without a working path: {_first(no_path)}")
    if dead:
        parts.append(f"{len(dead)} device(s) with dead paths: {_first(dead)}")
    if single:
        parts.append(f"{len(single)} device(s) with a single path: {_first(single)}")
    if not parts:
        return ok()
    if no_path:
        severity = Severity.CRITICAL
    elif dead:
        severity = Severity.HIGH
    else:
        severity = Severity.MEDIUM
    return fail("; ".join(parts), severity, **evidence)


def _first(names: list[str], limit: int = 3) -> str:
    more = f" (+{len(names) - limit} more)" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more
