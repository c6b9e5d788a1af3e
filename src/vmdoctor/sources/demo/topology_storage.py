"""The datastores of a cluster: shared VMFS, vSAN or NFS, the ISO library, a local disk."""

from __future__ import annotations

import math
import random

from vmdoctor.model import StorageDevice
from vmdoctor.sources.demo.draft import GIB, ClusterInfo, DatastoreDraft, Draft
from vmdoctor.sources.demo.plan import ClusterPlan, Profile

TIB = 1024 * GIB


def random_hex(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(digits * 4):0{digits}x}"


def vmfs_uuid(rng: random.Random) -> str:
    return f"{random_hex(rng, 8)}-{random_hex(rng, 8)}-{random_hex(rng, 4)}-{random_hex(rng, 12)}"


def _nfs_url(rng: random.Random) -> str:
    return f"ds:///vmfs/volumes/{random_hex(rng, 8)}-{random_hex(rng, 8)}/"


def _datastore(
    draft: Draft,
    vcenter_id: str,
    datacenter_id: str,
    name: str,
    type_: str,
    *,
    url: str,
    host_ids: list[str],
    cluster_id: str | None,
    naa: str | None = None,
    local: bool = False,
    used_fraction: float = 0.6,
    committed_bytes: int = 0,
    capacity_bytes: int | None = None,
) -> DatastoreDraft:
    # The caller evaluates url, naa and used_fraction in the order the lab's RNG expects.
    return DatastoreDraft(
        id=draft.moref(vcenter_id, "datastore"),
        name=name,
        vcenter_id=vcenter_id,
        datacenter_id=datacenter_id,
        type=type_,
        url=url,
        host_ids=host_ids,
        cluster_id=cluster_id,
        naa=naa,
        local=local,
        committed_bytes=committed_bytes,
        used_fraction=used_fraction,
        capacity_bytes=capacity_bytes,
    )


def add_shared_datastores(
    draft: Draft,
    cp: ClusterPlan,
    profile: Profile,
    ids: tuple[str, str, str],
    host_ids: list[str],
    info: ClusterInfo,
) -> list[DatastoreDraft]:
    """The datastores every host of the cluster mounts; ``ids``: vCenter, datacenter, cluster."""
    rng = draft.rng
    vc_id, dc_id, cluster_id = ids
    shared: list[DatastoreDraft] = []
    if profile.vsan:
        url = f"ds:///vmfs/volumes/vsan:{random_hex(rng, 16)}-{random_hex(rng, 16)}/"
        shared.append(
            _datastore(
                draft,
                vc_id,
                dc_id,
                f"vsan-{cp.short}",
                "vsan",
                url=url,
                host_ids=host_ids,
                cluster_id=cluster_id,
                used_fraction=rng.uniform(0.5, 0.62),
            )
        )
    else:
        count = max(1, math.ceil(cp.vms / profile.vms_per_datastore))
        for i in range(count):
            shared.append(
                _datastore(
                    draft,
                    vc_id,
                    dc_id,
                    f"ds-{cp.short}-vmfs-{i + 1:02d}",
                    "VMFS",
                    url=f"ds:///vmfs/volumes/{vmfs_uuid(rng)}/",
                    host_ids=host_ids,
                    cluster_id=cluster_id,
                    naa="naa.624a9370" + random_hex(rng, 24),
                    used_fraction=rng.uniform(0.42, 0.68),
                )
            )
    if profile.nfs_datastore:
        shared.append(
            _datastore(
                draft,
                vc_id,
                dc_id,
                f"nfs-{cp.short}-prod-01",
                "NFS",
                url=_nfs_url(rng),
                host_ids=host_ids,
                cluster_id=cluster_id,
                used_fraction=rng.uniform(0.5, 0.6),
            )
        )
    for ds in shared:
        draft.add_datastore(ds)
    info.datastore_ids = [ds.id for ds in shared]
    return shared


def mount_iso_library(
    draft: Draft,
    vcenter_id: str,
    datacenter_id: str,
    host_ids: list[str],
    info: ClusterInfo,
    iso_by_dc: dict[str, DatastoreDraft],
) -> DatastoreDraft:
    """The datacenter's one NFS ISO library (created by its first cluster), mounted here too."""
    iso = iso_by_dc.get(datacenter_id)
    if iso is None:
        iso = _datastore(
            draft,
            vcenter_id,
            datacenter_id,
            "nfs-iso-library",
            "NFS",
            url=_nfs_url(draft.rng),
            host_ids=[],
            cluster_id=None,
            committed_bytes=1300 * GIB,
            capacity_bytes=4 * TIB,
        )
        iso_by_dc[datacenter_id] = iso
        draft.add_datastore(iso)
    iso.host_ids.extend(host_ids)
    info.iso_datastore_id = iso.id
    return iso


def add_local_datastore(
    draft: Draft, cp: ClusterPlan, ids: tuple[str, str, str], host_id: str
) -> None:
    """A VMFS datastore on the host's own disk; ``ids``: vCenter, datacenter, cluster."""
    rng = draft.rng
    vc_id, dc_id, cluster_id = ids
    local = _datastore(
        draft,
        vc_id,
        dc_id,
        f"esx-{cp.short}-{cp.hosts:02d}-local",
        "VMFS",
        url=f"ds:///vmfs/volumes/{vmfs_uuid(rng)}/",
        host_ids=[host_id],
        cluster_id=cluster_id,
        local=True,
        capacity_bytes=1788 * GIB,
        naa="naa.5000c500" + random_hex(rng, 24),
    )
    draft.add_datastore(local)
    host = draft.host(host_id)
    device = StorageDevice(
        canonical_name=local.naa or "",
        display_name="Local SAS Disk",
        is_local=True,
        paths_total=1,
        paths_active=1,
        datastore_id=local.id,
    )
    draft.replace_host(
        host_id,
        datastore_ids=[*host.datastore_ids, local.id],
        storage_devices=[*(host.storage_devices or []), device],
    )
