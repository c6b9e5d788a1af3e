"""The read-only guarantee: every vSphere method vmdoctor sends is on this allow-list.

Collection creates only session-scoped helper objects (a container view, event and task
history collectors) and destroys them; nothing it sends changes the inventory, a setting or a
running workload. The guard is enforced on every call, through pyVmomi or the raw SOAP path,
and an integration test records every method put on the wire.
"""

from __future__ import annotations

from typing import Any

#: Methods that read, plus the session bookkeeping a read-only role is allowed to do.
ALLOWED_METHODS: frozenset[str] = frozenset(
    {
        # session
        "RetrieveServiceContent",
        "Login",
        "Logout",
        "SessionIsActive",
        "CurrentTime",
        # property collector and views (views and collectors live only in our session)
        "RetrieveProperties",
        "RetrievePropertiesEx",
        "ContinueRetrievePropertiesEx",
        "CancelRetrievePropertiesEx",
        "CreateContainerView",
        "DestroyView",
        # events and tasks
        "QueryEvents",
        "CreateCollectorForEvents",
        "CreateCollectorForTasks",
        "ReadNextEvents",
        "ReadNextTasks",
        "ReadPreviousEvents",
        "ReadPreviousTasks",
        "SetCollectorPageSize",
        "ResetCollector",
        "RewindCollector",
        "DestroyCollector",
        # performance
        "QueryPerf",
        "QueryPerfCounter",
        "QueryPerfCounterByLevel",
        "QueryAvailablePerfMetric",
        "QueryPerfProviderSummary",
        # host configuration reads
        "QueryOptions",
        "QueryHostConnectionInfo",
        "RetrieveHardwareUptime",
    }
)


class ReadOnlyViolation(RuntimeError):
    """vmdoctor tried to send a method that is not known to be read-only (a bug, never sent)."""

    def __init__(self, method: str) -> None:
        super().__init__(f"refusing to send {method}: not on vmdoctor's read-only allow-list")
        self.method = method


def check_method(method: str) -> None:
    if method not in ALLOWED_METHODS:
        raise ReadOnlyViolation(method)


def guard_stub(stub: Any) -> None:
    """Make a pyVmomi SOAP stub refuse every method outside the allow-list, before sending."""
    if getattr(stub, "_vmdoctor_guarded", False):
        return
    original = stub.InvokeMethod

    def invoke(mo: Any, info: Any, args: Any, *rest: Any) -> Any:
        check_method(info.wsdlName)
        return original(mo, info, args, *rest)

    stub.InvokeMethod = invoke
    stub._vmdoctor_guarded = True
