"""The ordinary noise of two weeks in a healthy estate: logins, reconfigurations, vMotions,
reboots, backups. Diagnosis has to find the signal in it, as it would in real life."""

from __future__ import annotations

from datetime import timedelta

from vmdoctor.sources.demo.catalog import ADMINS, BACKUP_USER, MONITOR_USER
from vmdoctor.sources.demo.draft import Draft
from vmdoctor.sources.demo.records import Records

DAYS = 14


def add_background(draft: Draft, rec: Records) -> None:
    rng = draft.rng
    now = draft.now
    start = now - timedelta(days=DAYS)

    def moment(max_days: float = DAYS) -> timedelta:
        return timedelta(seconds=rng.randrange(int(max_days * 86400)))

    for vc in draft.vcenters:
        for day in range(DAYS):
            base = start + timedelta(days=day)
            for _ in range(rng.randint(2, 6)):
                user = rng.choice(ADMINS)
                t = base + timedelta(hours=rng.uniform(7, 18))
                ip = f"10.10.10.{rng.randint(20, 60)}"
                rec.vcenter_event(
                    t,
                    vc.id,
                    "UserLoginSessionEvent",
                    f"User {user}@{ip} logged in as vsphere-client",
                    user=user,
                )
                rec.vcenter_event(
                    t + timedelta(minutes=rng.randint(5, 90)),
                    vc.id,
                    "UserLogoutSessionEvent",
                    f"User {user}@{ip} logged out (login time: {t:%Y-%m-%dT%H:%M}, "
                    f"number of API invocations: {rng.randint(40, 900)}, user agent: "
                    "vsphere-client)",
                    user=user,
                )
            t = base + timedelta(hours=21, minutes=rng.randint(0, 20))
            rec.vcenter_event(
                t,
                vc.id,
                "UserLoginSessionEvent",
                f"User {BACKUP_USER}@10.10.20.15 logged in as VMware VI Client",
                user=BACKUP_USER,
            )
            for hour in range(0, 24, 6):
                t = base + timedelta(hours=hour, minutes=2)
                rec.vcenter_event(
                    t,
                    vc.id,
                    "UserLoginSessionEvent",
                    f"User {MONITOR_USER}@10.10.30.40 logged in as pyvmomi Python/3.11",
                    user=MONITOR_USER,
                )
                rec.vcenter_event(
                    t + timedelta(seconds=40),
                    vc.id,
                    "UserLogoutSessionEvent",
                    f"User {MONITOR_USER}@10.10.30.40 logged out (login time: "
                    f"{t:%Y-%m-%dT%H:%M}, number of API invocations: 212, user "
                    "agent: pyvmomi Python/3.11)",
                    user=MONITOR_USER,
                )

    for vm in draft.vms:
        roll = rng.random()
        if roll < 0.05:
            t = start + moment()
            user = rng.choice(ADMINS)
            rec.vm_task(t, vm, "ReconfigVM_Task", "VirtualMachine.reconfigure", user=user)
            host = draft.host(vm.host_id) if vm.host_id else None
            rec.vm_event(
                t + timedelta(seconds=3),
                vm,
                "VmReconfiguredEvent",
                f"Reconfigured {vm.name} on {host.name if host else ''} in {rec.dc_name(vm)}",
                user=user,
            )
        elif roll < 0.09 and vm.power_state == "poweredOn":
            t = start + moment()
            host = draft.host(vm.host_id) if vm.host_id else None
            where = f"{host.name if host else ''} in {rec.dc_name(vm)}"
            user = rng.choice(ADMINS)
            rec.vm_event(
                t,
                vm,
                "VmGuestShutdownEvent",
                f"Guest OS shut down for {vm.name} on {where}",
                user=user,
            )
            rec.vm_event(
                t + timedelta(seconds=50),
                vm,
                "VmPoweredOffEvent",
                f"{vm.name} on {where} is powered off",
                user=user,
            )
            rec.vm_task(
                t + timedelta(minutes=6), vm, "PowerOnVM_Task", "VirtualMachine.powerOn", user=user
            )
            rec.vm_event(
                t + timedelta(minutes=6, seconds=4),
                vm,
                "VmPoweredOnEvent",
                f"{vm.name} on {where} is powered on",
                user=user,
            )
        elif roll < 0.14 and vm.power_state == "poweredOn":
            t = start + moment()
            target = draft.host(vm.host_id).name if vm.host_id else "another host"
            rec.vm_event(t, vm, "DrsVmMigratedEvent", f"{vm.name} was migrated by DRS to {target}")
        elif roll < 0.19:
            # Last night's backup of a sample of VMs: snapshot, copy, delete.
            t = now - timedelta(hours=rng.uniform(10, 14))
            rec.vm_task(
                t,
                vm,
                "CreateSnapshot_Task",
                "VirtualMachine.createSnapshot",
                user=BACKUP_USER,
                duration_s=6,
            )
            rec.vm_task(
                t + timedelta(minutes=rng.randint(8, 45)),
                vm,
                "RemoveSnapshot_Task",
                "VirtualMachine.removeSnapshot",
                user=BACKUP_USER,
                duration_s=20,
            )
        elif vm.power_state == "poweredOff" and roll < 0.5:
            host = draft.host(vm.host_id) if vm.host_id else None
            rec.vm_event(
                start + moment(),
                vm,
                "VmPoweredOffEvent",
                f"{vm.name} on {host.name if host else ''} in {rec.dc_name(vm)} is powered off",
                user=rng.choice(ADMINS),
            )

    for host in draft.hosts:
        t = start + moment()
        rec.hostd(
            t,
            host,
            "Event 1221 : User vpxuser@127.0.0.1 logged in as VMware-client/6.5.0",
            sub="Vimsvc.ha-eventmgr",
        )
        rec.vmkernel(start + moment(), host, "cpu3:2098001)NetPort: 1576: disabled port 0x4000009")
