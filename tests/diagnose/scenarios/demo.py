"""The demo lab's ground-truth incidents as scenarios, labelled with the catalogue's cause ids.

The lab describes each incident's cause chain in words (root cause first); the label below is
the catalogue cause that names that root (or, where the catalogue names the mechanism the
admin acts on, that mechanism), decided from the chain, not from vmdoctor's answer.
"""

from __future__ import annotations

from ._types import Scenario

#: incident id -> (true cause id, why that label)
LABELS: dict[str, tuple[str, str]] = {
    "INC-001": ("vcenter-session-exhaustion", "a script leaks sessions up to vpxd's limit"),
    "INC-002": ("poweron-swap-space", "a forgotten snapshot filled the datastore: no swap room"),
    "INC-003": ("datastore-full", "thin disks filled the NFS datastore; out-of-space question"),
    "INC-004": ("datastore-connectivity-lost", "zoning change -> APD -> hostd blocked"),
    "INC-005": ("host-psod", "driver PSOD took the host down; HA failover then failed"),
    "INC-006": ("poweron-hardware-version-unsupported", "vmx-21 on an ESXi 7.0 U3 host"),
    "INC-007": ("poweron-resource-pool-reservation", "fixed pool reservation exhausted"),
    "INC-008": ("nfs-server-unreachable", "NAS failover partner does not export the share"),
}


def demo_scenarios() -> list[Scenario]:
    from vmdoctor.sources.demo import build_lab

    lab = build_lab()
    out: list[Scenario] = []
    for inc in lab.incidents:
        if inc.id not in LABELS:
            raise AssertionError(f"demo incident {inc.id} has no label in {__name__}.LABELS")
        out.append(
            Scenario(
                name=f"demo-{inc.id}",
                env=lab.environment,
                target=inc.object_name,
                true_cause=LABELS[inc.id][0],
                symptom_kind=inc.symptom,
                at=inc.time,
                origin="demo-lab",
            )
        )
    return out
