"""Resource checks: missing host figures and host states cite the collector's reason."""

from __future__ import annotations

from vmdoctor.model import Gap, Status

from factories import make_cluster, make_env, make_host, make_vm, run_one


def test_res017_host_outside_the_inventory_cites_the_host_gap() -> None:
    vm = make_vm(host_id="h9", num_cpu=8)
    gap = Gap(what="host", reason="the export has no vHost tab")
    outcome = run_one("RES017", vm, make_env(vms=[vm], hosts=[], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "no vHost tab" in outcome.message


def test_res018_host_geometry_cites_a_whole_host_gap() -> None:
    host = make_host(cpu_sockets=None)
    vm = make_vm()
    gap = Gap(what="host", reason="an esxtop capture holds no host configuration", object_id="h1")
    outcome = run_one("RES018", vm, make_env(vms=[vm], hosts=[host], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "esxtop" in outcome.message


def test_res009_cluster_of_hosts_in_unknown_state_cites_the_connection_gap() -> None:
    host = make_host(connection_state="unknown")
    gap = Gap(what="host.connection_state", reason="export cannot tell", object_id=host.id)
    env = make_env(clusters=[make_cluster()], hosts=[host], gaps=[gap])
    outcome = run_one("RES009", make_cluster(), env)
    assert outcome.status is Status.UNKNOWN
    assert "no usable host" in outcome.message and "export cannot tell" in outcome.message


def test_res005_balloon_unknown_names_the_data_then_the_reason() -> None:
    vm = make_vm(ballooned_memory_mb=None)
    gap = Gap(what="metrics", reason="an RVTools export holds no performance history")
    outcome = run_one("RES005", vm, make_env(vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN
    assert outcome.message == (
        "no mem.vmmemctl.average samples and no quickStats value were collected for this VM "
        "(an RVTools export holds no performance history)"
    )
