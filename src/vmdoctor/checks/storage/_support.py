"""Helpers shared by the storage checks: per-scan memos, time and size helpers.

Not a check module (the registry imports it like any other module of the family; it defines no
check). Everything estate-wide is computed once per scan and memoised on the scan's
``EnvironmentIndex``, so nothing outlives the scan that built it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from vmdoctor.model import VM, Datastore

GIB = 1024**3
DAY_S = 86_400.0


def as_utc(moment: datetime) -> datetime:
    """Sources should give aware datetimes; a naive one is taken as UTC rather than local time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def age_days(moment: datetime, now: datetime) -> float:
    return (as_utc(now) - as_utc(moment)).total_seconds() / DAY_S


def gib(size_bytes: float) -> float:
    return round(size_bytes / GIB, 1)


def vm_datastore_ids(vm: VM) -> list[str]:
    """The datastores a VM has files on: its home/working datastores and every disk's."""
    listed = vm.datastore_ids
    extra = [d.datastore_id for d in vm.disks if d.datastore_id and d.datastore_id not in listed]
    # Usually every disk sits on a listed datastore: no copy is made then.
    return [*listed, *dict.fromkeys(extra)] if extra else listed


# Datastore types that every host of a cluster can mount by design (network or distributed).
_SHARED_TYPES = frozenset({"nfs", "nfs41", "vsan", "vvol"})
# Types that are host-local by design.
_LOCAL_TYPES = frozenset({"pmem"})


def is_local_datastore(ds: Datastore) -> bool | None:
    """True when only one host can reach the datastore; None when the inventory cannot tell."""
    kind = ds.type.lower()
    if kind in _SHARED_TYPES:
        return False
    if kind in _LOCAL_TYPES:
        return True
    if ds.multiple_host_access is not None:
        return not ds.multiple_host_access
    if len(ds.host_ids) > 1:
        return False
    return None  # one or zero mounting hosts listed: maybe a partial collection, do not guess


def split_names(value: object) -> tuple[str, ...]:
    """A comma-separated threshold string as a tuple of trimmed, non-empty names."""
    return tuple(part.strip() for part in str(value).split(",") if part.strip())
