"""Resolving what the admin typed ("app-db-01", "esx07", "vcenter") to an inventory object."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from vmdoctor.diagnose.correlation import object_ref
from vmdoctor.model import EnvironmentIndex, ObjectRef

TARGET_TYPES = ("vms", "hosts", "datastores", "vcenters", "clusters", "networks")


class UnknownTargetError(LookupError):
    """No VM, host, datastore or vCenter has this name. ``str()`` is one line for the user."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no VM, host, datastore or vCenter named {name!r} in the sources{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


def resolve_target(index: EnvironmentIndex, name: str) -> ObjectRef:
    """Exact id or name, then case-insensitive name, then the short host name (esx07)."""
    env = index.env
    wanted = name.strip()
    if wanted.lower() == "vcenter" and env.vcenters:
        return object_ref(index, env.vcenters[0].id)
    if wanted in index.by_id:
        return object_ref(index, wanted)
    objects = [obj for attr in TARGET_TYPES for obj in getattr(env, attr)]
    lowered = wanted.lower()
    matchers: tuple[Callable[[str], bool], ...] = (
        lambda n: n == wanted,
        lambda n: n.lower() == lowered,
        lambda n: n.lower().split(".")[0] == lowered,
    )
    for match in matchers:
        found = [obj for obj in objects if match(obj.name)]
        if found:
            return object_ref(index, found[0].id)
    names = sorted({obj.name for obj in objects})
    close = difflib.get_close_matches(wanted, names, n=5, cutoff=0.6)
    if not close:
        short = {n.split(".")[0]: n for n in names}
        close = [short[s] for s in difflib.get_close_matches(wanted, list(short), n=5, cutoff=0.6)]
    raise UnknownTargetError(wanted, close)
