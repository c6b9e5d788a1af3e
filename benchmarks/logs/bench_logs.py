# ruff: noqa: E501 - one synthetic log template per line
"""Log scanning throughput: vmdoctor's signature scan vs ``grep -E -f`` on the same files.

    python benchmarks/logs/bench_logs.py --size-mb 1024

Generates mixed synthetic logs (vmkernel, vobd, hostd, vpxa, fdm, vpxd, vmware.log; about one
line in 500 matches a signature) into /tmp, then, in the same run and on the same files:
``grep -E -c -f`` with every catalog regex translated to POSIX ERE, and vmdoctor's bundle
loader (prefilter + regex + record building) in a child process, reporting wall time and peak
RSS. Target (issue 4): within 3x of grep's wall time, flat memory.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from vmdoctor.knowledge.signatures import load_signatures  # noqa: E402

WORK = Path("/tmp/vmdoctor-bench-logs")
NOISE = {
    "vmkernel.log": "{t} cpu{c}:{w})NetPort: 1165: disabled port 0x{w:x} on vSwitch0 after link flap check {n}",
    "vobd.log": "{t}: [netCorrelator] {n}us: [vob.net.vmnic.linkstate.up] vmnic{c} linkstate up",
    "hostd.log": "{t} info hostd[{w}] [Originator@6876 sub=Vimsvc.TaskManager opID={n:x}] Task Completed : haTask-{n}",
    "vpxa.log": "{t} verbose vpxa[{w}] [Originator@6876 sub=vpxLro opID={n:x}] [VpxLRO] -- FINISH lro-{n}",
    "fdm.log": "{t} verbose fdm[{w}] [Originator@6876 sub=Cluster opID=SWI-{n:x}] Host host-{c} heartbeat received",
    "vpxd.log": "{t} info vpxd[{w}] [Originator@6876 sub=vpxLro opID={n:x}] [VpxLRO] -- BEGIN lro-{n} -- SessionManager",
    "vmware.log": "{t}| vcpu-{c}| I125: Guest: toolbox: Version: build-{n} heartbeat ok",
}


def generate(size_mb: int) -> list[Path]:
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    rnd = random.Random(42)
    samples = [s.sample for s in load_signatures()]
    per_file = size_mb * (1 << 20) // len(NOISE)
    paths = []
    for kind, noise in NOISE.items():
        lines = []
        for n in range(40_000):
            t = f"2024-05-02T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}.{n % 1000:03d}Z"
            if n % 500 == 0:
                lines.append(f"{t} {rnd.choice(samples)}")
            else:
                lines.append(
                    noise.format(t=t, c=n % 48, w=rnd.randrange(1 << 20), n=rnd.randrange(1 << 30))
                )
        block = ("\n".join(lines) + "\n").encode()
        path = WORK / kind
        with open(path, "wb") as fh:
            written = 0
            while written < per_file:
                fh.write(block)
                written += len(block)
        paths.append(path)
    return paths


def to_ere(regex: str) -> str:
    out = regex.replace("(?:", "(").replace("\\d", "[0-9]").replace("\\S", "[^[:space:]]")
    out = out.replace("\\s", "[[:space:]]").replace("\\w", "[[:alnum:]_]").replace("\\'", "'")
    return out


def run_grep(paths: list[Path], c_locale: bool = False) -> tuple[float, int]:
    patterns = WORK / "patterns.ere"
    patterns.write_text("\n".join(to_ere(s.regex) for s in load_signatures()) + "\n")
    start = time.perf_counter()
    env = {**os.environ, "LC_ALL": "C"} if c_locale else None
    cmd = ["grep", "-E", "-c", "-f", str(patterns), *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    count = sum(int(line.rsplit(":", 1)[1]) for line in proc.stdout.splitlines())
    return elapsed, count


CHILD = """
import sys, time, resource
sys.path.insert(0, {src!r})
from pathlib import Path
from vmdoctor.sources import bundle_source
start = time.perf_counter()
env = bundle_source.load(Path({work!r}))
elapsed = time.perf_counter() - start
dropped = sum(int(g.reason.split()[0]) for g in env.gaps if "more lines matching" in g.reason)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(elapsed, len(env.timeline.logs) + dropped, len(env.timeline.logs), rss)
"""


def run_vmdoctor() -> tuple[float, int, int, float]:
    code = CHILD.format(src=str(ROOT / "src"), work=str(WORK))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2]), float(out[3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, nargs="+", default=[1024])
    args = parser.parse_args()
    print(
        f"{'size':>8} {'grep s':>8} {'grep C s':>9} {'grep lines':>11} {'vmdoctor s':>11} "
        f"{'matched':>9} {'kept':>7} {'ratio':>6} {'ratio C':>8} {'RSS MB':>7}"
    )
    for size in args.size_mb:
        paths = generate(size)
        for p in paths:  # warm the page cache so both read from memory
            with open(p, "rb") as fh:
                while fh.read(1 << 24):
                    pass
        grep_s, grep_lines = run_grep(paths)
        grep_c_s, _ = run_grep(paths, c_locale=True)
        ours_s, matched, kept, rss = run_vmdoctor()
        print(
            f"{size:>6}MB {grep_s:>8.2f} {grep_c_s:>9.2f} {grep_lines:>11} {ours_s:>11.2f} "
            f"{matched:>9} {kept:>7} {ours_s / grep_s:>6.2f} {ours_s / grep_c_s:>8.2f} {rss:>7.0f}"
        )
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
