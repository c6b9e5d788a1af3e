"""Speed of ``why`` on a 10k-VM estate with about 1 M timeline records, after load.

Baseline: one linear pass over every event, task and log record (comparing each record's VM
link with the target) — the least any answer that reads the timeline must cost.

    python benchmarks/why/speed.py [--vms 10000] [--records 1000000]
"""

# ruff: noqa: E501 - log lines and event messages are quoted verbatim, as vSphere writes them

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta

import msgspec

from vmdoctor.diagnose import diagnose, find_incidents
from vmdoctor.model import Environment, Event, LogRecord, ObjectLink, Timeline
from vmdoctor.sources.demo import build_lab

NOISE_EVENTS = (
    ("UserLoginSessionEvent", "User LAB\\svc-backup logged in"),
    ("VmBeingHotMigratedEvent", "Migrating {vm} off host"),
    (
        "AlarmStatusChangedEvent",
        "Alarm 'Virtual machine CPU usage' on {vm} changed from Green to Yellow",
    ),
    ("VmReconfiguredEvent", "Reconfigured {vm} on host"),
)
NOISE_LOGS = (
    ("vmware.log", "In(05) vcpu-0 Tools: Changing running status: 1 => 2."),
    ("vmkernel.log", "cpu3:2097612)NetqueueBal: 5032: vmnic0: device Up notification"),
    (
        "hostd.log",
        "info hostd[2099588] [Originator@6876 sub=Vimsvc] Task Completed : haTask-ha-root-pool-vim.ResourcePool.updateConfig",
    ),
    ("vobd.log", "[netCorrelator] 1234us: [vob.net.vmnic.linkstate.up] vmnic1 linkstate up"),
)


def padded(env: Environment, total: int, seed: int = 3) -> Environment:
    """The lab's own timeline plus ordinary noise up to ``total`` records."""
    rng = random.Random(seed)
    tl = env.timeline
    have = len(tl.events) + len(tl.tasks) + len(tl.logs)
    need = max(0, total - have)
    start = env.collected_at - timedelta(days=14)
    span = 14 * 86400
    vms = env.vms
    events: list[Event] = list(tl.events)
    logs: list[LogRecord] = list(tl.logs)
    for i in range(need):
        vm = vms[rng.randrange(len(vms))]
        when = start + timedelta(seconds=rng.randrange(span))
        link = ObjectLink(vm_id=vm.id, host_id=vm.host_id, cluster_id=vm.cluster_id)
        if i % 2:
            etype, msg = NOISE_EVENTS[i % len(NOISE_EVENTS)]
            events.append(
                Event(
                    key=10_000_000 + i,
                    time=when,
                    type=etype,
                    message=msg.format(vm=vm.name),
                    objects=link,
                )
            )
        else:
            log, text = NOISE_LOGS[i % len(NOISE_LOGS)]
            logs.append(
                LogRecord(time=when, log=log, text=f"{when.isoformat()} {text}", objects=link)
            )
    return msgspec.structs.replace(
        env, timeline=Timeline(events=events, tasks=tl.tasks, logs=logs, metrics=tl.metrics)
    )


def baseline(env: Environment, vm_id: str) -> int:
    tl = env.timeline
    n = sum(1 for e in tl.events if e.objects.vm_id == vm_id)
    n += sum(1 for t in tl.tasks if t.objects.vm_id == vm_id or t.entity_id == vm_id)
    n += sum(1 for r in tl.logs if r.objects.vm_id == vm_id)
    return n


def timed(label: str, fn: object) -> float:
    t0 = time.perf_counter()
    fn()  # type: ignore[operator]
    elapsed = time.perf_counter() - t0
    print(f"{label:44} {elapsed:7.3f} s")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vms", type=int, default=10_000)
    ap.add_argument("--records", type=int, default=1_000_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    lab = build_lab(args.vms)
    env = padded(lab.environment, args.records)
    tl = env.timeline
    print(
        f"load: {len(env.vms)} VMs, {len(tl.events) + len(tl.tasks) + len(tl.logs):,} "
        f"records ({time.perf_counter() - t0:.1f} s, not counted)"
    )
    incident = lab.incidents[0] if lab.incidents else None
    target = incident.object_name if incident else env.vms[0].name
    at = incident.time if incident else None
    vm_id = env.vms[0].id
    base = timed("baseline: one linear pass over the records", lambda: baseline(env, vm_id))
    one = timed(f"why {target} --at ...", lambda: diagnose(env, target, at))
    vm_inc = next((i for i in lab.incidents if i.object_type == "vm"), None)
    if vm_inc is not None:
        one = max(
            one,
            timed(
                f"why {vm_inc.object_name} --at ...",
                lambda: diagnose(env, vm_inc.object_name, vm_inc.time),
            ),
        )
    inc = timed("incidents (find_incidents)", lambda: find_incidents(env))
    allx = timed("why (no target: 5 newest incidents)", lambda: diagnose(env, limit=5))
    worst = max(one, inc, allx)
    print(
        f"worst / baseline: {worst / base:.1f}x; target < 2 s: {'met' if worst < 2 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
