"""Build fault scenarios in the simulator through the vSphere API, as an administrator would.

This is the test's own, unguarded pyVmomi connection: it writes. vmdoctor's collector never
uses it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pyVim.connect import Disconnect, SmartConnect
from pyVmomi import vim, vmodl
from vcsim_support import PASSWORD, USER, Vcsim


@contextmanager
def admin(sim: Vcsim) -> Iterator[Any]:
    target = sim.target()
    si = SmartConnect(protocol="http", host=target.host, port=target.port, user=USER, pwd=PASSWORD)
    try:
        yield si.RetrieveContent()
    finally:
        Disconnect(si)


def find(content: Any, vim_type: Any, name: str) -> Any:
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim_type], True)
    try:
        pc = content.propertyCollector
        spec = vmodl.query.PropertyCollector.FilterSpec(
            objectSet=[
                vmodl.query.PropertyCollector.ObjectSpec(
                    obj=view,
                    skip=True,
                    selectSet=[
                        vmodl.query.PropertyCollector.TraversalSpec(
                            name="v", type=vim.view.ContainerView, path="view", skip=False
                        )
                    ],
                )
            ],
            propSet=[vmodl.query.PropertyCollector.PropertySpec(type=vim_type, pathSet=["name"])],
        )
        for obj in pc.RetrieveContents([spec]):
            if obj.propSet[0].val == name:
                return obj.obj
    finally:
        view.DestroyView()
    raise LookupError(name)


def wait(task: Any, timeout_s: float = 30) -> Any:
    """Wait for a task; return its info (also when it failed: scenarios build failures too)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        info = task.info
        if info.state in ("success", "error"):
            return info
        time.sleep(0.05)
    raise TimeoutError("task did not finish")
