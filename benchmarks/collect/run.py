"""Collection speed against the simulator: vmdoctor (lxml) vs pyVmomi's deserializer.

    python benchmarks/collect/run.py --vms 1000 5000 10000

Starts vcsim (built by scripts/build-vcsim.sh) per size with 10 clusters, collects once with
vmdoctor (no perf), then retrieves the same VirtualMachine properties with pyVmomi's own
RetrievePropertiesEx deserialization, and prints round trips, seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from vmdoctor.sources.vsphere import CollectOptions, Credentials, collect, parse_server  # noqa: E402
from vmdoctor.sources.vsphere.properties import PROPERTIES  # noqa: E402
from vmdoctor.sources.vsphere.session import Session  # noqa: E402
from vmdoctor.sources.vsphere.vmomi import vim, vmodl  # noqa: E402

CLUSTERS = 10


def start(vms: int) -> tuple[subprocess.Popen[bytes], str]:
    subprocess.run(["bash", str(ROOT / "scripts" / "build-vcsim.sh")], check=True)
    per_cluster = max(1, vms // CLUSTERS)
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
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())["url"]


def pyvmomi_vms(session: Session) -> tuple[int, float]:
    pc = vmodl.query.PropertyCollector
    content = session.content
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    spec = pc.FilterSpec(
        objectSet=[
            pc.ObjectSpec(
                obj=view,
                skip=True,
                selectSet=[
                    pc.TraversalSpec(name="v", type=vim.view.ContainerView, path="view", skip=False)
                ],
            )
        ],
        propSet=[
            pc.PropertySpec(type=vim.VirtualMachine, pathSet=list(PROPERTIES["VirtualMachine"]))
        ],
    )
    t0 = time.perf_counter()
    result = content.propertyCollector.RetrievePropertiesEx(
        [spec], pc.RetrieveOptions(maxObjects=1000)
    )
    count = len(result.objects)
    while result.token:
        result = content.propertyCollector.ContinueRetrievePropertiesEx(result.token)
        count += len(result.objects)
    elapsed = time.perf_counter() - t0
    view.DestroyView()
    return count, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vms", type=int, nargs="+", default=[1000])
    args = parser.parse_args()
    for vms in args.vms:
        proc, url = start(vms)
        try:
            target = replace(parse_server(url), credentials=Credentials("user", "pass"))
            t0 = time.perf_counter()
            outcome = collect([target], CollectOptions(perf=False, timeout_s=300))
            total = time.perf_counter() - t0
            stats = next(iter(outcome.stats.values()))
            with Session(target, 300) as session:
                count, py_s = pyvmomi_vms(session)
            rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                json.dumps(
                    {
                        "vms": len(outcome.environment.vms),
                        "collect_s": round(total, 2),
                        "inventory_s": round(stats.timings_s.get("inventory", 0), 2),
                        "mapping_s": round(stats.timings_s.get("mapping", 0), 2),
                        "round_trips": stats.round_trips,
                        "pages": stats.pages,
                        "pyvmomi_vm_retrieve_s": round(py_s, 2),
                        "pyvmomi_vms": count,
                        "peak_rss_mb": round(rss_mb),
                    }
                ),
                flush=True,
            )
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
