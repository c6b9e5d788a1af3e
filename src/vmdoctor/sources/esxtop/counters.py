"""Which esxtop columns become which vSphere counters, and how the units convert.

esxtop shows percentages of the sample interval; vCenter stores ``*.summation`` CPU counters as
milliseconds per sample interval, and the checks read vCenter's names. So ``%RDY`` at an
interval of ``s`` seconds becomes ``cpu.ready.summation = pct / 100 * s * 1000`` ms, summed over
the VM's vCPUs exactly as vCenter's aggregate instance is. Memory in MBytes becomes KB, as
vCenter reports ``mem.*`` counters. Network drop percentages have no vCenter equivalent and
keep esxtop's unit under an ``esxtop.`` name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CounterMap:
    counter: str
    unit: str
    kind: str  # "pct_to_ms" | "mb_to_kb" | "same"


#: (esxtop object, esxtop counter) -> vSphere counter. Object is the part before "(instance)".
VM_COUNTERS: dict[tuple[str, str], CounterMap] = {
    ("Group Cpu", "% Ready"): CounterMap("cpu.ready.summation", "ms", "pct_to_ms"),  # %RDY
    ("Group Cpu", "% CoStop"): CounterMap("cpu.costop.summation", "ms", "pct_to_ms"),  # %CSTP
    ("Group Cpu", "% Max Limited"): CounterMap(
        "cpu.maxlimited.summation", "ms", "pct_to_ms"
    ),  # %MLMTD
    ("Group Cpu", "% Swap Wait"): CounterMap("cpu.swapwait.summation", "ms", "pct_to_ms"),  # %SWPWT
    ("Group Cpu", "% Used"): CounterMap("esxtop.cpu.used.percent", "percent", "same"),  # %USED
    ("Group Memory", "Memctl MBytes"): CounterMap(
        "mem.vmmemctl.average", "KB", "mb_to_kb"
    ),  # MCTLSZ
    ("Group Memory", "Swapped MBytes"): CounterMap(
        "mem.swapped.average", "KB", "mb_to_kb"
    ),  # SWCUR
    ("Group Memory", "Memory Consumed Size MBytes"): CounterMap(
        "mem.consumed.average", "KB", "mb_to_kb"
    ),
    ("Group Memory", "Compressed Memory MBytes"): CounterMap(
        "mem.compressed.average", "KB", "mb_to_kb"
    ),
    ("Network Port", "% Outbound Packets Dropped"): CounterMap(
        "esxtop.net.droppedTx.percent", "percent", "same"
    ),  # %DRPTX
    ("Network Port", "% Received Packets Dropped"): CounterMap(
        "esxtop.net.droppedRx.percent", "percent", "same"
    ),  # %DRPRX
    ("Virtual Disk", "Average MilliSec/Read"): CounterMap(
        "virtualDisk.totalReadLatency.average", "ms", "same"
    ),
    ("Virtual Disk", "Average MilliSec/Write"): CounterMap(
        "virtualDisk.totalWriteLatency.average", "ms", "same"
    ),
}

HOST_COUNTERS: dict[tuple[str, str], CounterMap] = {
    ("Physical Disk SCSI Device", "Average Driver MilliSec/Command"): CounterMap(
        "disk.deviceLatency.average", "ms", "same"
    ),  # DAVG
    ("Physical Disk SCSI Device", "Average Kernel MilliSec/Command"): CounterMap(
        "disk.kernelLatency.average", "ms", "same"
    ),  # KAVG
    ("Physical Disk SCSI Device", "Average Guest MilliSec/Command"): CounterMap(
        "disk.totalLatency.average", "ms", "same"
    ),  # GAVG
    ("Physical Disk SCSI Device", "Average Queue MilliSec/Command"): CounterMap(
        "disk.queueLatency.average", "ms", "same"
    ),  # QAVG
    ("Physical Cpu", "% Util Time"): CounterMap("cpu.utilization.average", "percent", "same"),
    ("Physical Cpu", "% Processor Time"): CounterMap("cpu.usage.average", "percent", "same"),
    ("Memory", "Memctl Current MBytes"): CounterMap("mem.vmmemctl.average", "KB", "mb_to_kb"),
    ("Memory", "Swap Used MBytes"): CounterMap("mem.swapused.average", "KB", "mb_to_kb"),
    ("Memory", "Free MBytes"): CounterMap("mem.free.average", "KB", "mb_to_kb"),
    ("Network Port", "% Outbound Packets Dropped"): CounterMap(
        "esxtop.net.droppedTx.percent", "percent", "same"
    ),
    ("Network Port", "% Received Packets Dropped"): CounterMap(
        "esxtop.net.droppedRx.percent", "percent", "same"
    ),
}


def convert(kind: str, value: float, interval_s: int) -> float:
    if kind == "pct_to_ms":
        return value / 100.0 * interval_s * 1000.0
    if kind == "mb_to_kb":
        return value * 1024.0
    return value
