"""Top-1 / top-3 accuracy of ``why`` on the labelled scenario corpus (tests/diagnose).

python benchmarks/why/accuracy.py [--verbose]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from diagnose.scenarios import written_scenarios
from diagnose.scenarios.demo import demo_scenarios
from vmdoctor.diagnose import diagnose


def main() -> None:
    verbose = "--verbose" in sys.argv
    scenarios = [*written_scenarios(), *demo_scenarios()]
    top1 = top3 = 0
    by_origin: dict[str, list[int]] = {}
    t0 = time.perf_counter()
    for s in scenarios:
        found = diagnose(s.env, s.target, s.at)
        ids = [c.cause_id for c in found[0].causes] if found else []
        hit1, hit3 = ids[:1] == [s.true_cause], s.true_cause in ids[:3]
        top1 += hit1
        top3 += hit3
        counts = by_origin.setdefault(s.origin, [0, 0, 0])
        counts[0] += 1
        counts[1] += hit1
        counts[2] += hit3
        if verbose or not hit1:
            mark = "ok " if hit1 else ("top3" if hit3 else "MISS")
            print(f"{mark:4} {s.name:32} true={s.true_cause:38} got={ids[:3]}")
    elapsed = time.perf_counter() - t0
    n = len(scenarios)
    print(
        f"scenarios: {n}  top-1: {top1}/{n} = {top1 / n:.1%}  top-3: {top3}/{n} = {top3 / n:.1%}"
        f"  ({elapsed:.2f} s)"
    )
    for origin, (count, h1, h3) in sorted(by_origin.items()):
        print(f"  {origin:10} {count:3}  top-1 {h1 / count:.1%}  top-3 {h3 / count:.1%}")
    chain_roots(verbose)


def chain_roots(verbose: bool) -> None:
    """Demo incidents whose top cause's chain starts at the ground-truth root (object, family)."""
    from vmdoctor.sources.demo import build_lab

    lab = build_lab()
    hits = 0
    for inc in lab.incidents:
        found = diagnose(lab.environment, inc.object_name, inc.time)
        chain = found[0].causes[0].chain if found and found[0].causes else []
        root = chain[0] if chain else None
        truth = inc.root_cause
        hit = bool(
            root
            and root.object
            and root.object.id == truth.object_id
            and str(root.family) == str(truth.family)
        )
        hits += hit
        if verbose or not hit:
            name = root.object.name if root and root.object else "-"
            got = f"{name} [{root.family if root else '-'}]"
            print(f"{'ok ' if hit else 'MISS'} chain {inc.id}  root={got}  truth={truth.family}")
    n = len(lab.incidents)
    print(f"demo chains: root matches the ground truth (object and family) in {hits}/{n}")


if __name__ == "__main__":
    main()
