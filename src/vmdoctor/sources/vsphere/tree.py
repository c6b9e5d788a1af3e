"""The inventory tree of one server: which datacenter and cluster each object belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field

from vmdoctor.sources.vsphere.soap import ObjectProps
from vmdoctor.sources.vsphere.xmlval import text

#: What the tree knows of one object: (moref, type, parent moref, name).
TreeEntry = tuple[str, str, str | None, str | None]


@dataclass(slots=True)
class InventoryTree:
    vcenter_id: str
    parents: dict[str, str] = field(default_factory=dict)  # moref -> parent moref
    types: dict[str, str] = field(default_factory=dict)  # moref -> managed object type
    names: dict[str, str] = field(default_factory=dict)

    def add(self, objects: list[ObjectProps]) -> None:
        for obj in objects:
            self.types[obj.moref] = obj.type
            parent = obj.props.get("parent")
            if parent is not None and parent.text:
                self.parents[obj.moref] = parent.text
            name = obj.props.get("name")
            if name is not None:
                self.names[obj.moref] = text(name) or ""

    def entry(self, moref: str) -> TreeEntry:
        return moref, self.types.get(moref, ""), self.parents.get(moref), self.names.get(moref)

    def restore(self, entry: TreeEntry) -> None:
        """Add an object learnt elsewhere (e.g. mapped in the helper process)."""
        moref, obj_type, parent, name = entry
        self.types[moref] = obj_type
        if parent is not None:
            self.parents[moref] = parent
        if name is not None:
            self.names[moref] = name

    def id(self, moref: str | None) -> str | None:
        return f"{self.vcenter_id}:{moref}" if moref else None

    def ancestor(self, moref: str | None, wanted: str) -> str | None:
        seen = 0
        while moref and seen < 64:  # a cycle would be a server bug; never loop forever
            moref = self.parents.get(moref)
            if moref and self.types.get(moref) == wanted:
                return moref
            seen += 1
        return None

    def datacenter_id(self, moref: str | None) -> str | None:
        return self.id(self.ancestor(moref, "Datacenter"))

    def cluster_of_compute(self, compute: str | None) -> str | None:
        """The cluster ID when ``compute`` (a host's parent) is a cluster, else None."""
        if compute and self.types.get(compute) == "ClusterComputeResource":
            return self.id(compute)
        return None
