"""The symptoms vmdoctor recognises: what an admin would say stopped working."""

from __future__ import annotations

VM_POWER_ON_FAILED = "vm-power-on-failed"
VM_DOWN = "vm-down"  # powered off or crashed unexpectedly
VM_STUNNED = "vm-stunned"  # stunned or paused on a pending question
HOST_NOT_RESPONDING = "host-not-responding"  # disconnected, not responding, crashed
DATASTORE_LOST = "datastore-lost"  # APD, PDL, NFS loss, dead paths
MANAGEMENT_UNRESPONSIVE = "management-unresponsive"  # hostd / vpxa / vpxd, sessions
UNSPECIFIED = "unspecified"  # the admin named an object but the timeline shows no symptom

SYMPTOM_KINDS: dict[str, str] = {
    VM_POWER_ON_FAILED: "VM failed to power on",
    VM_DOWN: "VM powered off or crashed",
    VM_STUNNED: "VM stunned or waiting on a question",
    HOST_NOT_RESPONDING: "host not responding, disconnected or crashed",
    DATASTORE_LOST: "datastore lost (APD, PDL, NFS loss, dead paths)",
    MANAGEMENT_UNRESPONSIVE: "management plane not answering (hostd, vpxa, vCenter)",
    UNSPECIFIED: "no symptom in the timeline",
}

VM_SYMPTOMS = frozenset({VM_POWER_ON_FAILED, VM_DOWN, VM_STUNNED})
ANY_SYMPTOM = frozenset(SYMPTOM_KINDS) - {UNSPECIFIED}
