"""RVTools import speed: vmdoctor (python-calamine) vs reading the same workbook with openpyxl.

    python benchmarks/rvtools/bench_rvtools.py --vms 1000 10000

Writes a synthetic RVTools 4.x workbook (all per-VM tabs, two disks and NICs per VM, the
network tabs) into /tmp with openpyxl, then in the same run times: vmdoctor's full import (read
+ build the Environment) and openpyxl's read-only pass over the same tabs (reading cells only,
no model building: the floor an openpyxl-based importer could reach). Target (issue 2): 10k VMs
< 3 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.offline import rvtools_network_tabs, rvtools_tables, write_xlsx  # noqa: E402
from vmdoctor.sources import rvtools  # noqa: E402


def widen(tabs: dict[str, list[list[object]]]) -> dict[str, list[list[object]]]:
    """Two disks and two NICs per VM, as real exports have, and the network tabs (vSwitch,
    vPort, vNIC, dvSwitch, dvPort) so that port groups are built and NICs linked to them."""
    for tab in ("vDisk", "vNetwork"):
        tabs[tab] = [tabs[tab][0]] + [row for row in tabs[tab][1:] for _ in range(2)]
    return tabs | rvtools_network_tabs()


def openpyxl_read(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    wb.close()
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vms", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(f"{'VMs':>7} {'xlsx MB':>8} {'vmdoctor s':>11} {'openpyxl s':>11} {'speed-up':>9}")
    for n in args.vms:
        with tempfile.TemporaryDirectory() as tmp:
            path = write_xlsx(Path(tmp) / f"rvtools-{n}.xlsx", widen(rvtools_tables(n)))
            start = time.perf_counter()
            env = rvtools.load(path)
            ours = time.perf_counter() - start
            assert len(env.vms) == n
            start = time.perf_counter()
            openpyxl_read(path)
            theirs = time.perf_counter() - start
            size = path.stat().st_size / (1 << 20)
            print(f"{n:>7} {size:>8.1f} {ours:>11.2f} {theirs:>11.2f} {theirs / ours:>8.1f}x")


if __name__ == "__main__":
    main()
