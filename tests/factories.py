"""Factories for test objects: a healthy default, overridden by keyword.

vm = make_vm(num_cpu=8, host_id="h1")
env = make_env(vms=[vm], hosts=[make_host(id="h1")])
outcome = run_one("RES003", vm, env)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from vmdoctor.checks.base import Analysis, CheckContext, Outcome
from vmdoctor.checks.registry import registry
from vmdoctor.config import DEFAULT_CONFIG, thresholds_for
from vmdoctor.model import (
    NIC,
    VM,
    Cluster,
    Datacenter,
    Datastore,
    Disk,
    DRSConfig,
    Environment,
    HAConfig,
    Host,
    HostService,
    MetricSeries,
    Network,
    SourceInfo,
    VCenter,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
GIB = 1024**3


def make_vcenter(**kw: Any) -> VCenter:
    base: dict[str, Any] = dict(id="vc1", name="vc01.lab.local", version="8.0.3", build=24322831)
    return VCenter(**(base | kw))


def make_cluster(**kw: Any) -> Cluster:
    base: dict[str, Any] = dict(
        id="c1",
        name="Cluster-A",
        datacenter_id="dc1",
        vcenter_id="vc1",
        ha=HAConfig(
            enabled=True,
            admission_control_enabled=True,
            admission_control_policy="resourcePercentage",
            cpu_failover_pct=25,
            memory_failover_pct=25,
            host_monitoring_enabled=True,
            vm_monitoring="vmMonitoringOnly",
        ),
        drs=DRSConfig(enabled=True, behavior="fullyAutomated", migration_threshold=3),
        evc_mode="intel-cascadelake",
    )
    return Cluster(**(base | kw))


def make_host(**kw: Any) -> Host:
    base: dict[str, Any] = dict(
        id="h1",
        name="esx01.lab.local",
        vcenter_id="vc1",
        datacenter_id="dc1",
        cluster_id="c1",
        version="8.0.3",
        build=24585383,
        vendor="Dell Inc.",
        model="PowerEdge R650",
        cpu_model="Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz",
        cpu_vendor="intel",
        cpu_sockets=2,
        cpu_cores=64,
        cpu_threads=128,
        cpu_mhz=2000,
        memory_mb=1024 * 1024,
        cpu_usage_mhz=40_000,
        memory_usage_mb=400 * 1024,
        power_state="poweredOn",
        lockdown_mode="lockdownNormal",
        advanced_settings={
            "UserVars.ESXiShellInteractiveTimeOut": "900",
            "UserVars.ESXiShellTimeOut": "900",
            "Security.AccountLockFailures": "5",
            "Security.AccountUnlockTime": "900",
            "Config.HostAgent.plugins.solo.enableMob": "false",
            "Syslog.global.logHost": "udp://syslog.lab.local:514",
        },
        services=[
            HostService(key="TSM-SSH", label="SSH", running=False, policy="off"),
            HostService(key="TSM", label="ESXi Shell", running=False, policy="off"),
            HostService(key="ntpd", label="NTP Daemon", running=True, policy="on"),
        ],
        ntp_servers=["ntp1.lab.local", "ntp2.lab.local"],
        syslog_hosts=["udp://syslog.lab.local:514"],
        vswitches=[],
        portgroups=[],
        storage_devices=[],
        datastore_ids=["ds1"],
        network_ids=["net1"],
    )
    return Host(**(base | kw))


def make_vm(**kw: Any) -> VM:
    base: dict[str, Any] = dict(
        id="vm1",
        name="app-web-01",
        vcenter_id="vc1",
        datacenter_id="dc1",
        cluster_id="c1",
        host_id="h1",
        power_state="poweredOn",
        guest_id="windows2019srv_64Guest",
        guest_id_running="windows2019srv_64Guest",
        tools_status="toolsOk",
        tools_running_status="guestToolsRunning",
        tools_version=12352,
        tools_version_status="guestToolsCurrent",
        hw_version="vmx-19",
        num_cpu=4,
        cores_per_socket=4,
        memory_mb=16384,
        nics=[
            NIC(
                label="Network adapter 1",
                network_name="VM Network",
                network_id="net1",
                connected=True,
                start_connected=True,
                adapter_type="vmxnet3",
            )
        ],
        disks=[Disk(label="Hard disk 1", capacity_bytes=100 * GIB, datastore_id="ds1", thin=True)],
        snapshots=[],
        removable_devices=[],
        advanced_settings={},
        datastore_ids=["ds1"],
        network_ids=["net1"],
    )
    return VM(**(base | kw))


def make_datastore(**kw: Any) -> Datastore:
    base: dict[str, Any] = dict(
        id="ds1",
        name="ds-prod-01",
        vcenter_id="vc1",
        datacenter_id="dc1",
        type="VMFS",
        capacity_bytes=2048 * GIB,
        free_bytes=1024 * GIB,
        uncommitted_bytes=0,
        accessible=True,
        multiple_host_access=True,
        host_ids=["h1"],
    )
    return Datastore(**(base | kw))


def make_network(**kw: Any) -> Network:
    base: dict[str, Any] = dict(id="net1", name="VM Network", vcenter_id="vc1", host_ids=["h1"])
    return Network(**(base | kw))


def make_series(
    entity_id: str,
    counter: str,
    values: list[float | None],
    *,
    entity_type: str = "vm",
    unit: str = "ms",
    interval_s: int = 20,
    instance: str = "",
    end: datetime = NOW,
) -> MetricSeries:
    start = end - timedelta(seconds=interval_s * (len(values) - 1))
    return MetricSeries(
        entity_type=entity_type,
        entity_id=entity_id,
        counter=counter,
        unit=unit,
        interval_s=interval_s,
        start=start,
        samples=MetricSeries.pack(values),
        instance=instance,
    )


def make_env(**kw: Any) -> Environment:
    """An estate of one of each object unless overridden (pass ``vms=[...]`` etc.)."""
    base: dict[str, Any] = dict(
        collected_at=NOW,
        source=SourceInfo(kind="test", name="factories"),
        vcenters=[make_vcenter()],
        datacenters=[Datacenter(id="dc1", name="DC1", vcenter_id="vc1")],
        clusters=[make_cluster()],
        hosts=[make_host()],
        vms=[make_vm()],
        datastores=[make_datastore()],
        networks=[make_network()],
    )
    return Environment(**(base | kw))


#: (check id, status) of every run_one call: tests/conftest.py verifies that each check was seen
#: both passing and failing when the whole check suite runs.
OUTCOMES_SEEN: set[tuple[str, str]] = set()


def run_one(check_key: str, obj: Any, env: Environment | None = None, **thresholds: Any) -> Outcome:
    """Run one check on one object, with its default thresholds (overridden by keyword)."""
    chk = registry().get(check_key)
    analysis = Analysis(env or make_env())
    merged = thresholds_for(DEFAULT_CONFIG, chk) | thresholds
    outcome = chk.fn(obj, CheckContext(analysis, merged))
    OUTCOMES_SEEN.add((chk.id, outcome.status.value))
    return outcome


# --- storage helpers (appended) -----------------------------------------------------------------


def make_snapshot(id: str = "snap-1", *, days_old: float = 1.0, **kw: Any) -> Any:
    """A snapshot taken ``days_old`` days before NOW."""
    from vmdoctor.model import Snapshot

    base: dict[str, Any] = dict(
        id=id, name=f"before-change-{id}", created=NOW - timedelta(days=days_old)
    )
    return Snapshot(**(base | kw))


def make_storage_device(canonical_name: str = "naa.600a0b8000000001", **kw: Any) -> Any:
    """A shared SAN device with two healthy paths unless overridden."""
    from vmdoctor.model import StorageDevice

    base: dict[str, Any] = dict(
        canonical_name=canonical_name, is_local=False, paths_total=2, paths_active=2, paths_dead=0
    )
    return StorageDevice(**(base | kw))


def make_event(type: str, *, hours_ago: float = 1.0, key: int = 1, **kw: Any) -> Any:
    """An event ``hours_ago`` hours before NOW, linked to host h1 unless ``objects`` is given."""
    from vmdoctor.model import Event, ObjectLink

    base: dict[str, Any] = dict(
        key=key,
        time=NOW - timedelta(hours=hours_ago),
        type=type,
        severity="warning",
        objects=ObjectLink(host_id="h1"),
    )
    return Event(**(base | kw))


def make_log(text: str, *, hours_ago: float | None = 1.0, **kw: Any) -> Any:
    """A storage-family log record linked to host h1 (``hours_ago=None``: no timestamp)."""
    from vmdoctor.model import LogRecord, ObjectLink

    base: dict[str, Any] = dict(
        time=None if hours_ago is None else NOW - timedelta(hours=hours_ago),
        log="vobd.log",
        text=text,
        family="storage",
        objects=ObjectLink(host_id="h1"),
    )
    return LogRecord(**(base | kw))


def make_resource_pool(**kw: Any) -> Any:
    """A resource pool of cluster c1 without limits (resources / configuration checks)."""
    from vmdoctor.model import ResourcePool

    base: dict[str, Any] = dict(id="rp1", name="Production", cluster_id="c1")
    return ResourcePool(**(base | kw))
