"""Every property path the collector asks for exists in the vSphere API (pyVmomi's type info)."""

from __future__ import annotations

import pytest
from pyVmomi import vim

from vmdoctor.sources.vsphere.properties import PROPERTIES


def _resolve(vim_type: type, path: str) -> None:
    current = vim_type
    for part in path.split("."):
        info = current._GetPropertyInfo(part)  # type: ignore[attr-defined]
        current = info.type
        while getattr(current, "Item", None) is not None:  # arrays: follow the element type
            current = current.Item


@pytest.mark.parametrize(
    ("obj_type", "path"), [(t, p) for t, paths in PROPERTIES.items() for p in paths]
)
def test_property_path_is_valid(obj_type: str, path: str) -> None:
    _resolve(getattr(vim, obj_type), path)


def test_an_invalid_path_is_caught() -> None:
    with pytest.raises(AttributeError):
        _resolve(vim.VirtualMachine, "config.hardware.bogus")
