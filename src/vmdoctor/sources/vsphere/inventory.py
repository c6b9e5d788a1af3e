"""Inventory collection: one paged RetrievePropertiesEx per managed object type over a view."""

from __future__ import annotations

import contextlib
import http.client
import socket
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from vmdoctor.model import Gap
from vmdoctor.sources.vsphere.errors import VimFault
from vmdoctor.sources.vsphere.properties import PROPERTIES
from vmdoctor.sources.vsphere.session import Session
from vmdoctor.sources.vsphere.soap import (
    ObjectProps,
    RawPoster,
    follow_mapped_pages,
    retrieve_envelope,
    retrieve_pages,
)
from vmdoctor.sources.vsphere.split_page import (
    MIN_SPLIT_BYTES,
    SplitFailed,
    can_split,
    map_answer,
)

R = TypeVar("R")

#: vSphere type -> the object type name used in gaps and checks.
OBJECT_TYPE = {
    "VirtualMachine": "vm",
    "HostSystem": "host",
    "ClusterComputeResource": "cluster",
    "ComputeResource": "cluster",
    "Datacenter": "datacenter",
    "Datastore": "datastore",
    "Network": "network",
    "DistributedVirtualPortgroup": "network",
    "OpaqueNetwork": "network",
    "ResourcePool": "resource_pool",
    "VirtualApp": "resource_pool",
    "Folder": "folder",
    "DistributedVirtualSwitch": "network",
    "VmwareDistributedVirtualSwitch": "network",
}

#: Which returned object types each retrieval keeps: a view filtered on a type also returns
#: its subtypes, and those are collected by their own retrieval with their own properties.
KEEP = {
    "ComputeResource": {"ComputeResource"},
    "Network": {"Network", "OpaqueNetwork"},
    "ResourcePool": {"ResourcePool", "VirtualApp"},
    "DistributedVirtualSwitch": {"DistributedVirtualSwitch", "VmwareDistributedVirtualSwitch"},
}


class ContainerView:
    """A recursive view of the whole inventory, rebuilt after a re-login (dies with a session)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.moref: str = ""
        self._view: Any = None
        self.create()
        session.on_relogin(self.create)

    def create(self) -> None:
        content = self.session.content
        self._view = content.viewManager.CreateContainerView(content.rootFolder, [], True)
        self.moref = self._view._moId

    def destroy(self) -> None:
        # Best effort: the view dies with the session anyway.
        with contextlib.suppress(Exception):
            self._view.DestroyView()


@dataclass
class ObjectMapping(Generic[R]):
    """How to map each object of a large type while its answer streams in.

    ``map_one`` may run in a helper process (see split_page), so it returns its result rather
    than storing it; ``keep_one`` runs here, in answer order. ``result_type`` is the type of
    a ``map_one`` result (it travels back as msgpack).
    """

    map_one: Callable[[ObjectProps], R]
    keep_one: Callable[[R], None]
    result_type: Any
    split: bool = True  # allow a helper process (when the machine has a second core)


@dataclass
class TypeResult:
    objects: list[ObjectProps] = field(default_factory=list)
    pages: int = 0
    gaps: list[Gap] = field(default_factory=list)


def send_ahead(
    session: Session, poster: RawPoster, view: ContainerView, obj_type: str, page_size: int
) -> None:
    """Post the first page of ``obj_type`` now; ``retrieve_type`` later reads its answer
    (read-only like any retrieval; a changed request simply goes out again)."""
    collector = session.content.propertyCollector._moId
    envelope = retrieve_envelope(collector, view.moref, obj_type, PROPERTIES[obj_type], page_size)
    poster.send_ahead("RetrievePropertiesEx", envelope)


def retrieve_type(
    session: Session,
    poster: RawPoster,
    view: ContainerView,
    obj_type: str,
    page_size: int,
    source: str,
    paths: tuple[str, ...] | None = None,
    consume: Callable[[ObjectProps], None] | None = None,
    mapping: ObjectMapping[Any] | None = None,
) -> TypeResult:
    """All objects of one type; a path the server does not know is dropped (and recorded).

    With ``consume``, each object is handed over as it is parsed and then freed (not kept in
    the result): the largest type is mapped while it streams in, so memory never holds its
    whole answer as a tree. ``mapping`` does the same on two cores when the answer is large.
    """
    result = TypeResult()
    wanted = list(paths or PROPERTIES[obj_type])
    keep = KEEP.get(obj_type, {obj_type})
    kind = OBJECT_TYPE.get(obj_type, obj_type)
    collector = session.content.propertyCollector._moId
    streamed_gaps: list[Gap] = []
    split = mapping is not None and mapping.split and can_split()
    for _attempt in range(len(wanted) + 2):
        try:
            result.objects = []
            result.pages = 0

            def fetch_all(split: bool = split) -> None:
                result.objects = []
                result.pages = 0
                streamed_gaps.clear()
                if mapping is not None:
                    envelope = retrieve_envelope(collector, view.moref, obj_type, wanted, page_size)
                    result.pages = follow_mapped_pages(
                        poster,
                        collector,
                        envelope,
                        obj_type,
                        _page_mapper(mapping, keep, kind, source, streamed_gaps, split),
                    )
                    return
                for page in retrieve_pages(
                    poster,
                    collector,
                    view.moref,
                    obj_type,
                    wanted,
                    page_size,
                    release=bool(consume),
                ):
                    result.pages += 1
                    for obj in page:
                        if obj.type not in keep:
                            continue
                        if consume is None:
                            result.objects.append(obj)
                        else:
                            if obj.missing:
                                streamed_gaps.extend(missing_gaps([obj], kind, source))
                            consume(obj)

            session.call(fetch_all)
            break
        except SplitFailed:
            split = False  # a strange answer: once more, mapped here alone
            continue
        except VimFault as fault:
            bad = fault.details.get("name")
            if fault.fault_type == "InvalidProperty" and bad in wanted:
                wanted.remove(bad)
                result.gaps.append(
                    Gap(
                        what=f"{kind}.{bad}",
                        reason=f"the server does not know property {bad}",
                        source=source,
                    )
                )
                continue
            result.gaps.append(
                Gap(what=kind, reason=f"{obj_type} retrieval failed: {fault}", source=source)
            )
            return result
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            reason = (
                "no answer within the timeout"
                if isinstance(exc, TimeoutError | socket.timeout)
                else str(exc)
            )
            result.gaps.append(
                Gap(what=kind, reason=f"{obj_type} retrieval failed: {reason}", source=source)
            )
            return result
    result.gaps.extend(missing_gaps(result.objects, kind, source))
    result.gaps.extend(streamed_gaps)
    return result


def _page_mapper(
    mapping: ObjectMapping[Any],
    keep: set[str],
    kind: str,
    source: str,
    gaps: list[Gap],
    split: bool,
) -> Callable[[Iterable[bytes]], str | None]:
    """Maps one page's chunks (in one or two processes); returns its continuation token."""

    def map_one(obj: ObjectProps) -> tuple[list[Gap], Any] | None:
        if obj.type not in keep:
            return None
        return (missing_gaps([obj], kind, source) if obj.missing else [], mapping.map_one(obj))

    def keep_one(mapped: tuple[list[Gap], Any] | None) -> None:
        if mapped is not None:
            gaps.extend(mapped[0])
            mapping.keep_one(mapped[1])

    result_type = tuple[list[Gap], mapping.result_type] | None  # type: ignore[name-defined]

    def map_page(chunks: Iterable[bytes]) -> str | None:
        return map_answer(
            chunks,
            map_one,
            keep_one,
            result_type,
            min_split_bytes=MIN_SPLIT_BYTES if split else sys.maxsize,
        )

    return map_page


def missing_gaps(objects: list[ObjectProps], kind: str, source: str) -> list[Gap]:
    """One gap per object whose properties came back in missingSet (permission, host down...)."""
    gaps = []
    for obj in objects:
        if not obj.missing:
            continue
        name = obj.props.get("name")
        first = obj.missing[0]
        paths = ", ".join(sorted({m.path for m in obj.missing}))
        what = f"{kind}.{first.path.split('.')[0]}" if len(obj.missing) == 1 else kind
        gaps.append(
            Gap(
                what=what,
                reason=f"{first.fault_type}: {first.message or 'not readable'} ({paths})",
                object_type=kind,
                object_id=f"{source}:{obj.moref}",
                object_name=name.text if name is not None else obj.moref,
                source=source,
            )
        )
    return gaps


Mapper = Callable[[ObjectProps, Any], Any]


def host_settings(
    session: Session, poster: RawPoster, hosts: list[ObjectProps], source: str
) -> tuple[dict[str, dict[str, str]], list[Gap]]:
    """Each host's advanced settings from its OptionManager (what UpdateOptions changes)."""
    from vmdoctor.sources.vsphere.map_hosts import option_values
    from vmdoctor.sources.vsphere.soap import follow_pages, objects_envelope

    owners = {}
    for host in hosts:
        ref = host.props.get("configManager.advancedOption")
        if ref is not None and ref.text:
            owners[ref.text] = host.moref
    if not owners:
        return {}, []
    collector = session.content.propertyCollector._moId
    envelope = objects_envelope(collector, "OptionManager", sorted(owners), ["setting"])
    out: dict[str, dict[str, str]] = {}

    def fetch() -> None:
        out.clear()
        for page in follow_pages(poster, collector, envelope, "OptionManager"):
            for obj in page:
                out[owners.get(obj.moref, obj.moref)] = option_values(obj.props.get("setting"))

    try:
        session.call(fetch)
    except (VimFault, OSError, http.client.HTTPException) as exc:
        return {}, [
            Gap(
                what="host.advanced_settings",
                reason=f"host option managers not readable: {exc}",
                object_type="host",
                source=source,
            )
        ]
    return out, []
