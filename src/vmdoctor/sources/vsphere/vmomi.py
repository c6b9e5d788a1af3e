"""pyVmomi's generated types, as ``Any`` for the type checker (they are built at run time)."""

from __future__ import annotations

import importlib
from typing import Any

_pyvmomi: Any = importlib.import_module("pyVmomi")

vim: Any = _pyvmomi.vim
vmodl: Any = _pyvmomi.vmodl
SoapStubAdapter: Any = _pyvmomi.SoapStubAdapter
VmomiSupport: Any = _pyvmomi.VmomiSupport
