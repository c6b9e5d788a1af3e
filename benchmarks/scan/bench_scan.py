"""Benchmark: the demo lab at 1k / 10k / 100k VMs — generation, save, load and scan.

Each scale runs as two child processes pinned to one core: generate + save, then load + scan
(what `vmdoctor scan env.json.gz` costs), so each peak RSS is that phase's own.
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


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _peak_rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def phase_generate(vm_count: int, path: Path) -> dict[str, float | int]:
    """Generate the lab and save it: what `vmdoctor scan demo:N --save FILE` pays first."""
    from vmdoctor.sources import snapshot
    from vmdoctor.sources.demo import build_lab

    _pin_one_core()
    t0 = time.perf_counter()
    env = build_lab(vm_count).environment
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    snapshot.save(env, path)
    return {
        "vms": len(env.vms),
        "hosts": len(env.hosts),
        "metric_series": len(env.timeline.metrics),
        "generate_s": round(t_gen, 2),
        "save_s": round(time.perf_counter() - t0, 2),
        "snapshot_mb": round(path.stat().st_size / 1e6, 1),
        "generate_save_rss_mb": _peak_rss_mb(),
    }


def phase_scan(path: Path) -> dict[str, float | int]:
    """Load the snapshot and run every check: what `vmdoctor scan FILE` costs."""
    from vmdoctor.checks.base import ok
    from vmdoctor.checks.engine import run_checks
    from vmdoctor.checks.registry import registry
    from vmdoctor.sources import snapshot

    _pin_one_core()
    checks = list(registry())
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
        "checks": len(checks),
        "findings": len(result.findings),
        "load_s": round(t_load, 2),
        "dispatch_floor_s": round(t_floor, 2),
        "scan_s": round(t_scan, 2),
        "scan_vs_floor": round(t_scan / t_floor, 1) if t_floor else 0.0,
        "load_scan_rss_mb": _peak_rss_mb(),
    }


def _child(*args: str) -> dict[str, float | int]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1000,10000,100000")
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scan", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(phase_generate(args.generate, args.path)))
        return
    if args.scan:
        print(json.dumps(phase_scan(args.path)))
        return
    print(
        f"# {datetime.now(UTC):%Y-%m-%d} on {platform.node()} "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()})"
    )
    rows = []
    for scale in (int(s) for s in args.scales.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            path = str(Path(tmp) / "env.json.gz")
            row = _child("--generate", str(scale), "--path", path)
            row |= _child("--scan", "--path", path)
        rows.append(row)
        print(json.dumps(row), flush=True)
    keys = list(rows[0])
    print("\n| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
