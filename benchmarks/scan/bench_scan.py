"""Benchmark: the demo lab at 1k / 10k / 100k VMs — generation, save, load and scan.

Each scale runs in its own child process pinned to one core, so peak RSS is per scale.
The baseline, run in the same process, is the engine's floor: one no-op check per
(check, object) pair, i.e. what dispatch alone costs. Target (issue 2): 100k VMs through
every check in under 20 s on one core, peak RSS under 1.5 GB.

    python benchmarks/scan/bench_scan.py [--scales 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path


def run_scale(vm_count: int) -> dict[str, float | int]:
    from vmdoctor.checks.base import ok
    from vmdoctor.checks.engine import run_checks
    from vmdoctor.checks.registry import registry
    from vmdoctor.sources import snapshot
    from vmdoctor.sources.demo import build_lab

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    checks = list(registry())
    t0 = time.perf_counter()
    env = build_lab(vm_count).environment
    t_gen = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "env.json.gz"
        t0 = time.perf_counter()
        snapshot.save(env, path)
        t_save = time.perf_counter() - t0
        size = path.stat().st_size
        del env
        t0 = time.perf_counter()
        env = snapshot.load(path)
        t_load = time.perf_counter() - t0
    noop = [replace(c, fn=lambda obj, ctx: ok()) for c in checks]
    t0 = time.perf_counter()
    run_checks(env, noop)
    t_floor = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = run_checks(env, checks)
    t_scan = time.perf_counter() - t0
    return {
        "vms": len(env.vms),
        "hosts": len(env.hosts),
        "checks": len(checks),
        "metric_series": len(env.timeline.metrics),
        "findings": len(result.findings),
        "generate_s": round(t_gen, 2),
        "save_s": round(t_save, 2),
        "snapshot_mb": round(size / 1e6, 1),
        "load_s": round(t_load, 2),
        "dispatch_floor_s": round(t_floor, 2),
        "scan_s": round(t_scan, 2),
        "scan_vs_floor": round(t_scan / t_floor, 1) if t_floor else 0.0,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1000,10000,100000")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_scale(args.child)))
        return
    print(
        f"# {datetime.now(UTC):%Y-%m-%d} on {platform.node()} "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()})"
    )
    rows = []
    for scale in (int(s) for s in args.scales.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(scale)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(out.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row), flush=True)
    keys = list(rows[0])
    print("\n| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
