"""esxtop series computed from several columns: host CPU without _Total, VM CPU from its vCPU
worlds, and the host's highest device latency."""

from __future__ import annotations

import io
import math

from vmdoctor.model import EnvironmentIndex
from vmdoctor.sources.esxtop.parser import parse_capture
from vmdoctor.sources.names import name_ref

H = "\\\\esx07.lab.test"


def _capture(header: list[str], rows: list[list[str]]) -> bytes:
    lines = [",".join(f'"{h}"' for h in ["(PDH-CSV 4.0) (UTC)(0)", *header])]
    for n, row in enumerate(rows):
        lines.append(",".join(f'"{v}"' for v in [f"05/02/2024 12:00:{n * 5:02d}", *row]))
    return ("\r\n".join(lines) + "\r\n").encode()


def test_host_cpu_without_total_is_the_mean_of_the_pcpus() -> None:
    data = _capture(
        [f"{H}\\Physical Cpu(0)\\% Util Time", f"{H}\\Physical Cpu(1)\\% Util Time"],
        [["20", "40"], ["10", ""]],
    )
    env = parse_capture(io.BytesIO(data), "cpu.csv")
    util = EnvironmentIndex(env).series(env.hosts[0].id, "cpu.utilization.average")
    assert util is not None and list(util.values()) == [30.0, 10.0]


def test_vm_ready_is_summed_over_vcpu_worlds_without_group_columns() -> None:
    data = _capture(
        [
            f"{H}\\Vcpu(5001:app01:5002:vmx-vcpu-0:app01)\\% Ready",
            f"{H}\\Vcpu(5001:app01:5003:vmx-vcpu-1:app01)\\% Ready",
            f"{H}\\Vcpu(5001:app01:5004:vmx:app01)\\% Ready",  # not a vCPU world
        ],
        [["4", "6", "50"]],
    )
    env = parse_capture(io.BytesIO(data), "vcpu.csv")
    vm = env.vms[0]
    assert (vm.name, vm.num_cpu) == ("app01", 2)
    ready = EnvironmentIndex(env).series(name_ref("vm", "app01"), "cpu.ready.summation")
    assert ready is not None and list(ready.values()) == [500.0]  # 10 % of 5 s


def test_max_total_latency_takes_gavg_or_davg_plus_kavg_per_device() -> None:
    dev = f"{H}\\Physical Disk SCSI Device"
    data = _capture(
        [
            f"{dev}(naa.1)\\Average Guest MilliSec/Command",
            f"{dev}(naa.2)\\Average Driver MilliSec/Command",
            f"{dev}(naa.2)\\Average Kernel MilliSec/Command",
        ],
        [["12", "9", "5"], ["3", "1", "0.5"], ["", "", ""]],
    )
    env = parse_capture(io.BytesIO(data), "disk.csv")
    latest = EnvironmentIndex(env).series(env.hosts[0].id, "disk.maxTotalLatency.latest")
    assert latest is not None and list(latest.values())[:2] == [14.0, 3.0]
    assert math.isnan(list(latest.values())[2])  # no device answered: a missing sample
