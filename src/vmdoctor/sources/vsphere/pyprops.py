"""Small property reads through pyVmomi's PropertyCollector (never attribute access).

pyVmomi's ``obj.attr`` calls PropertyCollector.Fetch, which some servers (and vcsim) do not
support; these helpers use RetrievePropertiesEx, like the bulk path, for the few
singleton reads where pyVmomi's typed objects are convenient.
"""

from __future__ import annotations

from typing import Any

from vmdoctor.sources.vsphere.session import Session
from vmdoctor.sources.vsphere.vmomi import vim, vmodl

PC = vmodl.query.PropertyCollector


def read_property(session: Session, obj: Any, obj_type: str, path: str) -> Any:
    spec = PC.FilterSpec(
        objectSet=[PC.ObjectSpec(obj=obj, skip=False)],
        propSet=[PC.PropertySpec(type=getattr(vim, obj_type), pathSet=[path], all=False)],
    )
    result = session.call(
        lambda: session.content.propertyCollector.RetrievePropertiesEx([spec], PC.RetrieveOptions())
    )
    for content in getattr(result, "objects", None) or []:
        for prop in content.propSet or []:
            if prop.name == path:
                return prop.val
    return None


def read_traversed(
    session: Session, obj: Any, obj_type: str, path: str, target_type: str, paths: list[str]
) -> list[Any]:
    """Properties of the objects ``obj.path`` points to (TaskManager.recentTask -> Task.info)."""
    traversal = PC.TraversalSpec(name="t", type=getattr(vim, obj_type), path=path, skip=False)
    spec = PC.FilterSpec(
        objectSet=[PC.ObjectSpec(obj=obj, skip=True, selectSet=[traversal])],
        propSet=[PC.PropertySpec(type=getattr(vim, target_type), pathSet=paths, all=False)],
    )
    pc = session.content.propertyCollector
    result = session.call(lambda: pc.RetrievePropertiesEx([spec], PC.RetrieveOptions()))
    out: list[Any] = []
    while result is not None:
        out.extend(result.objects or [])
        token = result.token
        result = session.call(_continue(pc, token)) if token else None
    return out


def _continue(pc: Any, token: str) -> Any:
    return lambda: pc.ContinueRetrievePropertiesEx(token)
