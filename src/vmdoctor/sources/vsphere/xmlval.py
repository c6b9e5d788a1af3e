"""Small readers over vim25 XML elements (the ``<val>`` of a property and its children).

Lookups walk children with ``iterchildren(tag)`` (half the cost of ``find``, which parses a
path on every call). Where a mapper reads several fields of one element, :func:`fields`
indexes its children once, and the readers take those elements directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from vmdoctor.sources.vsphere.soap import XSI_TYPE

_V = "{urn:vim25}"
_V_LEN = len(_V)


def child(el: Any, *path: str) -> Any:
    for name in path:
        if el is None:
            return None
        el = next(el.iterchildren(_V + name), None)
    return el


def fields(el: Any) -> dict[str, Any]:
    """An element's children by local name (for an array, the last one: use children())."""
    if el is None:
        return {}
    return {c.tag[_V_LEN:]: c for c in el}


def text(el: Any, *path: str) -> str | None:
    node = child(el, *path) if path else el
    if node is None:
        return None
    return node.text or ""


def integer(el: Any, *path: str) -> int | None:
    value = text(el, *path)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        return int(float(value))


def boolean(el: Any, *path: str) -> bool | None:
    value = text(el, *path)
    if value is None:
        return None
    return value.strip() in ("true", "1")


def when(el: Any, *path: str) -> datetime | None:
    value = text(el, *path)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def children(el: Any, name: str) -> Iterator[Any]:
    if el is None:
        return iter(())
    return iter(el.iterchildren(_V + name))


def items(el: Any) -> list[Any]:
    """The elements of an ``ArrayOf...`` value (any child name)."""
    return [] if el is None else list(el)


def xtype(el: Any) -> str:
    declared = el.get(XSI_TYPE, "") if el is not None else ""
    return str(declared.rpartition(":")[2])


def moref(el: Any) -> tuple[str, str] | None:
    """(type, value) of a ManagedObjectReference element."""
    if el is None or not el.text:
        return None
    return el.get("type", ""), el.text


def morefs(el: Any) -> list[str]:
    return [c.text for c in items(el) if c.text]
