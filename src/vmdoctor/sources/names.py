"""Name references: how a source without inventory points at a host, VM or datastore.

A log line says "esx01" or "[ds1] vm1/vm1.vmx", not a managed object ID. Such a source links
its records to ``name:<kind>:<name>``; :func:`vmdoctor.sources.merge.merge_environments`
replaces each reference with the ID of the inventory object of that name, when one is known.
"""

from __future__ import annotations

PREFIX = "name:"


def name_ref(kind: str, name: str) -> str:
    """``kind`` is "host", "vm" or "datastore"."""
    return f"{PREFIX}{kind}:{name}"


def parse_name_ref(ref: str) -> tuple[str, str] | None:
    if not ref.startswith(PREFIX):
        return None
    kind, _, name = ref[len(PREFIX) :].partition(":")
    return (kind, name) if name else None


#: the vCenter of a vpxd.log that does not say its own name
UNNAMED_VCENTER = "vcenter"
