"""Collection speed against the simulator: vmdoctor vs pyVmomi's deserializer vs a raw floor.

    python benchmarks/collect/run.py --vms 1000 5000 10000 [--repeat 3] [--perf]

For each size, vcsim (built by scripts/build-vcsim.sh) is started with 10 clusters, then three
measurements run ``--repeat`` times (after one raw warm-up round, not counted), interleaved
(raw, vmdoctor, pyVmomi, raw, ...) so that a change in machine load hits all three alike, each
in its own Python process so that peak RSS belongs to one of them:

* ``vmdoctor``: a full collection (inventory, host settings, events, alarms, tasks; with
  ``--perf`` also performance counters) through :func:`vmdoctor.sources.vsphere.collect`.
  The compared time is ``retrieve_map_s``: the 11 per-type retrievals (posting, parsing with
  lxml while the answer streams in, mapping VMs as they arrive) plus mapping every other type
  into the model. Host advanced settings, events, alarms and tasks are outside it (pyVmomi
  and the floor do not fetch them), but inside ``collect_s``.
* ``pyvmomi``: the same property paths of the same 11 types over the same view with the same
  page size, retrieved and deserialized by pyVmomi's own ``RetrievePropertiesEx`` (what a
  collector built on pyVmomi objects pays before it even walks them).
* ``raw``: the same 11 request envelopes posted over plain ``http.client``, every answer read
  to its last byte and thrown away: the floor set by the server and the network.

Each line printed is one JSON object; the last line per size has the medians and the ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from vmdoctor.sources.vsphere import CollectOptions, Credentials, collect, parse_server  # noqa: E402
from vmdoctor.sources.vsphere.collector import TYPES  # noqa: E402
from vmdoctor.sources.vsphere.inventory import ContainerView  # noqa: E402
from vmdoctor.sources.vsphere.properties import PROPERTIES  # noqa: E402
from vmdoctor.sources.vsphere.session import Session  # noqa: E402
from vmdoctor.sources.vsphere.soap import retrieve_envelope  # noqa: E402
from vmdoctor.sources.vsphere.vmomi import vim, vmodl  # noqa: E402

CLUSTERS = 10
PAGE = 1000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def target(url: str) -> Any:
    return replace(parse_server(url), credentials=Credentials("user", "pass"))


# --- workers (each runs in its own process) ---------------------------------------------------


def worker_vmdoctor(url: str, perf: bool) -> dict[str, Any]:
    t0 = time.perf_counter()
    outcome = collect(
        [target(url)],
        CollectOptions(perf=perf, timeout_s=600, perf_window=timedelta(minutes=10)),
    )
    total = time.perf_counter() - t0
    stats = next(iter(outcome.stats.values()))
    env = outcome.environment
    return {
        "vms": len(env.vms),
        "hosts": len(env.hosts),
        "collect_s": round(total, 2),
        "inventory_s": round(stats.timings_s.get("inventory", 0), 3),
        "mapping_s": round(stats.timings_s.get("mapping", 0), 3),
        "retrieve_map_s": round(
            stats.timings_s.get("inventory", 0) + stats.timings_s.get("mapping", 0), 3
        ),
        "host_settings_s": round(stats.timings_s.get("host_settings", 0), 3),
        "metrics_s": round(stats.timings_s.get("metrics", 0), 2),
        "series": len(env.timeline.metrics),
        "round_trips": stats.round_trips,
        "pages": stats.pages,
        "mb_received": round(stats.bytes_received / 1e6, 1),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def worker_pyvmomi(url: str) -> dict[str, Any]:
    pc = vmodl.query.PropertyCollector
    with Session(target(url), 600) as session:
        content = session.content
        view = content.viewManager.CreateContainerView(content.rootFolder, [], True)
        t0 = time.perf_counter()
        count = 0
        for obj_type in TYPES:
            spec = pc.FilterSpec(
                objectSet=[
                    pc.ObjectSpec(
                        obj=view,
                        skip=True,
                        selectSet=[
                            pc.TraversalSpec(
                                name="v", type=vim.view.ContainerView, path="view", skip=False
                            )
                        ],
                    )
                ],
                propSet=[
                    pc.PropertySpec(type=getattr(vim, obj_type), pathSet=list(PROPERTIES[obj_type]))
                ],
            )
            result = content.propertyCollector.RetrievePropertiesEx(
                [spec], pc.RetrieveOptions(maxObjects=PAGE)
            )
            while result is not None:
                count += len(result.objects)
                token = result.token
                result = (
                    content.propertyCollector.ContinueRetrievePropertiesEx(token) if token else None
                )
        elapsed = time.perf_counter() - t0
        view.DestroyView()
    return {"objects": count, "retrieve_s": round(elapsed, 3), "peak_rss_mb": round(peak_rss_mb())}


def worker_raw(url: str) -> dict[str, Any]:
    """The same envelopes over a bare HTTP connection; bodies read and discarded."""
    with Session(target(url), 600) as session:
        view = ContainerView(session)
        collector = session.content.propertyCollector._moId
        cookie, version = session.stub.cookie, session.stub.versionId
        tgt = session.target
        conn = http.client.HTTPConnection(tgt.host, tgt.port, timeout=600)
        headers = {"Cookie": cookie, "SOAPAction": version, "Content-Type": "text/xml"}
        t0 = time.perf_counter()
        received = 0
        answers = []
        for obj_type in TYPES:
            body = retrieve_envelope(collector, view.moref, obj_type, PROPERTIES[obj_type], PAGE)
            conn.request("POST", tgt.path, body, headers)
            resp = conn.getresponse()
            answer = resp.read()  # to the last byte
            received += len(answer)
            answers.append(answer)
            del answer
        elapsed = time.perf_counter() - t0
        conn.close()
        view.destroy()
    # Outside the timing: the answers hold as many objects as pyVmomi deserialized.
    objects = sum(a.count(b"<objects>") + a.count(b"<objects ") for a in answers)
    return {
        "retrieve_s": round(elapsed, 3),
        "mb_received": round(received / 1e6, 1),
        "objects": objects,
    }


# --- orchestration ------------------------------------------------------------------------------


def start(vms: int) -> tuple[subprocess.Popen[bytes], str, float]:
    subprocess.run(["bash", str(ROOT / "scripts" / "build-vcsim.sh")], check=True)
    per_cluster = max(1, vms // CLUSTERS)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [
            str(ROOT / ".build" / "vcsim"),
            "-cluster",
            str(CLUSTERS),
            "-host",
            "0",
            "-vm",
            str(per_cluster),
            "-stdin-exit",
            "-username",
            "user",
            "-password",
            "pass",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    url = json.loads(proc.stdout.readline())["url"]
    return proc, url, time.perf_counter() - t0


def run_worker(kind: str, url: str, perf: bool) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", kind, "--url", url]
    if perf:
        cmd.append("--perf")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=3600)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": sys.version.split()[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vms", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=3, help="rounds per size (medians)")
    parser.add_argument("--perf", action="store_true", help="also collect performance counters")
    parser.add_argument("--worker", choices=("vmdoctor", "pyvmomi", "raw"))
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.worker:
        workers = {
            "vmdoctor": lambda: worker_vmdoctor(args.url, args.perf),
            "pyvmomi": lambda: worker_pyvmomi(args.url),
            "raw": lambda: worker_raw(args.url),
        }
        print(json.dumps(workers[args.worker]()), flush=True)
        return
    print(json.dumps({"machine": machine()}), flush=True)
    for vms in args.vms:
        proc, url, build_s = start(vms)
        try:
            rows: dict[str, list[dict[str, Any]]] = {"raw": [], "vmdoctor": [], "pyvmomi": []}
            loads: list[float] = []
            # Warm-up, not counted: the simulator settles (GC after building its inventory).
            run_worker("raw", url, False)
            for rnd in range(args.repeat):
                for name in rows:
                    loads.append(os.getloadavg()[0])
                    row = run_worker(name, url, args.perf and name == "vmdoctor")
                    rows[name].append(row)
                    print(json.dumps({"size": vms, "round": rnd, "run": name, **row}), flush=True)
            raw_s = median([r["retrieve_s"] for r in rows["raw"]])
            mine_s = median([r["retrieve_map_s"] for r in rows["vmdoctor"]])
            theirs_s = median([r["retrieve_s"] for r in rows["pyvmomi"]])
            print(
                json.dumps(
                    {
                        "size": vms,
                        "rounds": args.repeat,
                        "vcsim_start_s": round(build_s, 1),
                        "load_1m_min_max": [round(min(loads), 2), round(max(loads), 2)],
                        "raw_s": raw_s,
                        "vmdoctor_retrieve_map_s": mine_s,
                        "vmdoctor_collect_s": median([r["collect_s"] for r in rows["vmdoctor"]]),
                        "pyvmomi_s": theirs_s,
                        "pyvmomi_over_vmdoctor": round(theirs_s / max(mine_s, 1e-6), 2),
                        "vmdoctor_over_raw": round(mine_s / max(raw_s, 1e-6), 2),
                        "vmdoctor_peak_rss_mb": max(r["peak_rss_mb"] for r in rows["vmdoctor"]),
                        "pyvmomi_peak_rss_mb": max(r["peak_rss_mb"] for r in rows["pyvmomi"]),
                        "round_trips": rows["vmdoctor"][0]["round_trips"],
                        "objects_raw_pyvmomi": [
                            rows["raw"][0]["objects"],
                            rows["pyvmomi"][0]["objects"],
                        ],
                    }
                ),
                flush=True,
            )
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
