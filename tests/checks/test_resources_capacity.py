"""Named cases for overcommit, latency, failover, limits and sizing checks (RES007-RES018)."""

from __future__ import annotations

from typing import Any

import pytest

from vmdoctor.checks.registry import registry
from vmdoctor.model import Gap, MetricSeries, Severity, Status, Timeline

from factories import (
    make_cluster,
    make_datastore,
    make_env,
    make_host,
    make_resource_pool,
    make_series,
    make_vm,
    run_one,
)

GIB_MB = 1024


def vms_on(host_id: str, count: int, num_cpu: int = 4, memory_mb: int = 16384) -> list[Any]:
    return [
        make_vm(id=f"{host_id}-vm{i}", host_id=host_id, num_cpu=num_cpu, memory_mb=memory_mb)
        for i in range(count)
    ]


def check_case(
    check_key: str, obj: Any, env: Any, status: Status, severity: Severity | None, **thresholds: Any
) -> None:
    outcome = run_one(check_key, obj, env, **thresholds)
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert (outcome.severity or registry().get(check_key).severity) is severity


# host: 64 cores / 128 threads, 1 TiB
HOST = make_host()
HOST_OVERCOMMIT = [
    ("RES007", "light", vms_on("h1", 20), Status.PASS, None),
    ("RES007", "ratio-5", vms_on("h1", 80), Status.FAIL, Severity.LOW),  # 320 / 64
    ("RES007", "ratio-10", vms_on("h1", 160), Status.FAIL, Severity.CRITICAL),
    (
        "RES007",
        "powered-off-ignored",
        [make_vm(id=f"x{i}", num_cpu=8, power_state="poweredOff") for i in range(100)],
        Status.PASS,
        None,
    ),
    ("RES008", "fits", vms_on("h1", 60), Status.PASS, None),  # 960 GiB of 1024
    ("RES008", "ratio-1.25", vms_on("h1", 80), Status.FAIL, Severity.MEDIUM),
    ("RES008", "ratio-1.6", vms_on("h1", 103), Status.FAIL, Severity.CRITICAL),
]


@pytest.mark.parametrize(
    ("check_id", "case", "vms", "status", "severity"),
    HOST_OVERCOMMIT,
    ids=[f"{c[0]}-{c[1]}" for c in HOST_OVERCOMMIT],
)
def test_host_overcommit(
    check_id: str, case: str, vms: list[Any], status: Status, severity: Severity | None
) -> None:
    check_case(check_id, HOST, make_env(hosts=[HOST], vms=vms), status, severity)


def test_vcpu_overcommit_on_threads_basis() -> None:
    env = make_env(hosts=[HOST], vms=vms_on("h1", 80))  # 320 vCPUs: 5:1 cores, 2.5:1 threads
    check_case("RES007", HOST, env, Status.FAIL, None)
    check_case("RES007", HOST, env, Status.PASS, None, basis="threads")


def test_host_overcommit_unknown_without_capacity() -> None:
    host = make_host(cpu_cores=None, cpu_threads=None, memory_mb=None)
    env = make_env(hosts=[host], vms=vms_on("h1", 5))
    check_case("RES007", host, env, Status.UNKNOWN, None)
    check_case("RES008", host, env, Status.UNKNOWN, None)


def cluster_env(hosts: list[Any], vms: list[Any], **kw: Any) -> Any:
    return make_env(clusters=[make_cluster(**kw)], hosts=hosts, vms=vms)


TWO_HOSTS = [make_host(id="h1"), make_host(id="h2", name="esx02")]
CLUSTER_OVERCOMMIT = [
    ("RES009", "balanced", TWO_HOSTS, vms_on("h1", 40), Status.PASS, None),
    ("RES009", "ratio-5", TWO_HOSTS, vms_on("h1", 160), Status.FAIL, Severity.LOW),
    (
        "RES009",
        "maintenance-host-excluded",
        [make_host(id="h1"), make_host(id="h2", in_maintenance_mode=True)],
        vms_on("h1", 80),
        Status.FAIL,
        Severity.LOW,
    ),
    (
        "RES009",
        "no-usable-host",
        [make_host(id="h1", connection_state="notResponding")],
        vms_on("h1", 4),
        Status.UNKNOWN,
        None,
    ),
    ("RES010", "fits", TWO_HOSTS, vms_on("h1", 100), Status.PASS, None),
    ("RES010", "ratio-1.25", TWO_HOSTS, vms_on("h1", 160), Status.FAIL, Severity.MEDIUM),
    (
        "RES010",
        "missing-host-memory",
        [make_host(id="h1"), make_host(id="h2", memory_mb=None)],
        vms_on("h1", 4),
        Status.UNKNOWN,
        None,
    ),
]


@pytest.mark.parametrize(
    ("check_id", "case", "hosts", "vms", "status", "severity"),
    CLUSTER_OVERCOMMIT,
    ids=[f"{c[0]}-{c[1]}" for c in CLUSTER_OVERCOMMIT],
)
def test_cluster_overcommit(
    check_id: str,
    case: str,
    hosts: list[Any],
    vms: list[Any],
    status: Status,
    severity: Severity | None,
) -> None:
    env = cluster_env(hosts, vms)
    check_case(check_id, env.clusters[0], env, status, severity)


# --- N+1 ----------------------------------------------------------------------------------------


def hosts_using(n: int, mem_used_gib: int, cpu_used_mhz: int = 40_000, **kw: Any) -> list[Any]:
    return [
        make_host(
            id=f"h{i}",
            name=f"esx{i:02}",
            memory_usage_mb=mem_used_gib * GIB_MB,
            cpu_usage_mhz=cpu_used_mhz,
            **kw,
        )
        for i in range(1, n + 1)
    ]


N_PLUS_1 = [
    ("roomy", hosts_using(4, 500), Status.PASS, None),  # 2000 GiB on 3072 left: 65 %
    ("tight-95pct", hosts_using(4, 730), Status.FAIL, Severity.HIGH),  # 2920 / 3072
    ("does-not-fit", hosts_using(4, 900), Status.FAIL, Severity.CRITICAL),
    ("cpu-bound", hosts_using(3, 100, cpu_used_mhz=100_000), Status.FAIL, Severity.CRITICAL),
    ("single-host", hosts_using(1, 100), Status.FAIL, Severity.CRITICAL),
    ("usage-missing", hosts_using(3, 100, cpu_used_mhz=None), Status.UNKNOWN, None),
    ("no-usable-host", hosts_using(2, 100, connection_state="disconnected"), Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "hosts", "status", "severity"), N_PLUS_1, ids=[c[0] for c in N_PLUS_1]
)
def test_cluster_n_plus_1(
    case: str, hosts: list[Any], status: Status, severity: Severity | None
) -> None:
    env = cluster_env(hosts, [])
    check_case("RES013", env.clusters[0], env, status, severity)


def test_n_plus_1_ignores_a_host_in_maintenance() -> None:
    hosts = [*hosts_using(2, 600), make_host(id="h9", in_maintenance_mode=True, memory_usage_mb=0)]
    env = cluster_env(hosts, [])  # 1200 GiB demand on 1024 left once the largest usable fails
    check_case("RES013", env.clusters[0], env, Status.FAIL, Severity.CRITICAL)


# --- latency ------------------------------------------------------------------------------------


def latency(
    entity_id: str,
    counter: str,
    values: list[float],
    *,
    entity_type: str = "datastore",
    instance: str = "",
) -> MetricSeries:
    return make_series(
        entity_id,
        counter,
        list(values),
        entity_type=entity_type,
        unit="ms",
        interval_s=300,
        instance=instance,
    )


READ = "datastore.totalReadLatency.average"
WRITE = "datastore.totalWriteLatency.average"
DS = make_datastore()
DS_CASES = [
    (
        "fast",
        [latency("ds1", READ, [2.0] * 288), latency("ds1", WRITE, [3.0] * 288)],
        Status.PASS,
        None,
    ),
    (
        "slow-writes",
        [latency("ds1", READ, [2.0] * 288), latency("ds1", WRITE, [30.0] * 288)],
        Status.FAIL,
        Severity.HIGH,
    ),
    ("very-slow-reads", [latency("ds1", READ, [80.0] * 288)], Status.FAIL, Severity.CRITICAL),
    ("brief-spike", [latency("ds1", READ, [2.0] * 280 + [400.0] * 8)], Status.PASS, None),
    (
        "host-view-per-instance",
        [latency("h1", WRITE, [25.0] * 288, entity_type="host", instance="ds1")],
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "other-datastore-instance",
        [latency("h1", WRITE, [25.0] * 288, entity_type="host", instance="ds9")],
        Status.UNKNOWN,
        None,
    ),
    ("no-series", [], Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "series", "status", "severity"), DS_CASES, ids=[c[0] for c in DS_CASES]
)
def test_datastore_latency(
    case: str, series: list[MetricSeries], status: Status, severity: Severity | None
) -> None:
    env = make_env(datastores=[DS], timeline=Timeline(metrics=series))
    check_case("RES011", DS, env, status, severity)


def test_datastore_latency_skips_inaccessible_datastores() -> None:
    ds = make_datastore(accessible=False)
    check_case("RES011", ds, make_env(datastores=[ds]), Status.SKIPPED, None)


HOST_MAX = "disk.maxTotalLatency.latest"
HOST_LAT_CASES = [
    ("fast", [latency("h1", HOST_MAX, [4.0] * 288, entity_type="host")], Status.PASS, None),
    (
        "slow",
        [latency("h1", HOST_MAX, [35.0] * 288, entity_type="host")],
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "critical",
        [latency("h1", HOST_MAX, [70.0] * 288, entity_type="host")],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    ("no-series", [], Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "series", "status", "severity"), HOST_LAT_CASES, ids=[c[0] for c in HOST_LAT_CASES]
)
def test_host_disk_latency(
    case: str, series: list[MetricSeries], status: Status, severity: Severity | None
) -> None:
    env = make_env(timeline=Timeline(metrics=series))
    check_case("RES012", HOST, env, status, severity)


def test_latency_unknown_cites_gap() -> None:
    env = make_env(gaps=[Gap(what="metrics", reason="no perf privilege", object_id="h1")])
    outcome = run_one("RES012", HOST, env)
    assert outcome.status is Status.UNKNOWN and "no perf privilege" in outcome.message


# --- limits and sizing --------------------------------------------------------------------------

VM_CASES = [
    ("RES014", "no-cpu-limit", make_vm(), Status.PASS, None),
    ("RES014", "limit-without-effect", make_vm(cpu_limit_mhz=8000), Status.PASS, None),
    ("RES014", "cpu-limited", make_vm(cpu_limit_mhz=1000), Status.FAIL, Severity.MEDIUM),
    ("RES014", "zero-limit", make_vm(cpu_limit_mhz=0), Status.FAIL, Severity.HIGH),
    ("RES014", "template", make_vm(template=True, cpu_limit_mhz=10), Status.SKIPPED, None),
    ("RES015", "no-memory-limit", make_vm(), Status.PASS, None),
    ("RES015", "limit-above-size", make_vm(memory_limit_mb=32768), Status.PASS, None),
    ("RES015", "memory-limited", make_vm(memory_limit_mb=4096), Status.FAIL, Severity.HIGH),
    ("RES017", "fits-cores", make_vm(num_cpu=32), Status.PASS, None),
    ("RES017", "wider-than-cores", make_vm(num_cpu=96), Status.FAIL, Severity.MEDIUM),
    ("RES017", "wider-than-threads", make_vm(num_cpu=160), Status.FAIL, Severity.CRITICAL),
    ("RES017", "host-missing", make_vm(host_id="nope"), Status.UNKNOWN, None),
    ("RES018", "fits-node", make_vm(num_cpu=16, memory_mb=256 * 1024), Status.PASS, None),
    ("RES018", "wider-cpu", make_vm(num_cpu=48), Status.FAIL, Severity.LOW),
    ("RES018", "wider-memory", make_vm(memory_mb=600 * 1024), Status.FAIL, Severity.LOW),
    ("RES018", "host-geometry-missing", make_vm(), Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("check_id", "case", "vm", "status", "severity"),
    VM_CASES,
    ids=[f"{c[0]}-{c[1]}" for c in VM_CASES],
)
def test_vm_limits_and_sizing(
    check_id: str, case: str, vm: Any, status: Status, severity: Severity | None
) -> None:
    host = make_host(cpu_sockets=None) if case == "host-geometry-missing" else HOST
    check_case(check_id, vm, make_env(hosts=[host], vms=[vm]), status, severity)


POOL_CASES = [
    ("unlimited", make_resource_pool(), Status.PASS, None),
    ("cpu-limit", make_resource_pool(cpu_limit_mhz=20000), Status.FAIL, Severity.LOW),
    ("memory-limit-fits", make_resource_pool(memory_limit_mb=64 * 1024), Status.FAIL, Severity.LOW),
    (
        "memory-limit-starves",
        make_resource_pool(memory_limit_mb=16 * 1024),
        Status.FAIL,
        Severity.HIGH,
    ),
]


@pytest.mark.parametrize(
    ("case", "pool", "status", "severity"), POOL_CASES, ids=[c[0] for c in POOL_CASES]
)
def test_resource_pool_limit(
    case: str, pool: Any, status: Status, severity: Severity | None
) -> None:
    vms = [make_vm(id=f"v{i}", resource_pool_id="rp1", memory_mb=8192) for i in range(3)]
    env = make_env(resource_pools=[pool], vms=vms)
    check_case("RES016", pool, env, status, severity)
