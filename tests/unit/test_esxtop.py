"""esxtop batch captures -> metric series under the counter names the checks read."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fixtures.offline import esxtop_csv
from vmdoctor.model import EnvironmentIndex
from vmdoctor.sources import esxtop
from vmdoctor.sources.errors import SourceError
from vmdoctor.sources.esxtop.parser import parse_capture
from vmdoctor.sources.names import name_ref


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_vm_counters_are_converted_to_vcenter_units(newline: str) -> None:
    env = parse_capture(io.BytesIO(esxtop_csv(newline=newline)), "cap.csv")
    idx = EnvironmentIndex(env)
    web = name_ref("vm", "web01")
    ready = idx.series(web, "cpu.ready.summation")
    assert ready is not None and ready.interval_s == 5 and ready.unit == "ms"
    assert list(ready.values()) == [500.0, 500.0, 500.0]  # 10 % of 5 s
    db_ready = idx.series(name_ref("vm", "db01"), "cpu.ready.summation")
    assert db_ready is not None and list(db_ready.values()) == [1000.0] * 3
    assert list(idx.series(web, "cpu.costop.summation").values()) == [75.0] * 3  # type: ignore[union-attr]
    assert list(idx.series(web, "mem.vmmemctl.average").values()) == [256 * 1024.0] * 3  # type: ignore[union-attr]
    drop = idx.series(web, "esxtop.net.droppedTx.percent", instance="vSwitch0")
    assert drop is not None and drop.unit == "percent"
    assert ready.start == datetime(2024, 5, 2, 12, tzinfo=UTC)
    assert env.collected_at == datetime(2024, 5, 2, 12, 0, 10, tzinfo=UTC)


def test_minimal_entities_for_a_capture_alone() -> None:
    env = parse_capture(io.BytesIO(esxtop_csv()), "cap.csv")
    vms = {v.name: v for v in env.vms}
    assert set(vms) == {"web01", "db01"}
    assert (vms["web01"].num_cpu, vms["web01"].memory_mb, vms["web01"].power_state) == (
        2,
        4096,
        "poweredOn",
    )
    assert env.hosts[0].name == "esx01.lab.test"
    host_id = env.hosts[0].id
    idx = EnvironmentIndex(env)
    davg = idx.series(host_id, "disk.deviceLatency.average", instance="naa.600a0001")
    assert davg is not None and list(davg.values()) == [20.0] * 3
    assert idx.gap_for("events") is not None


def test_seventeen_thousand_columns_with_cr_endings(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(esxtop_csv(extra_columns=17_000, samples=4, newline="\r"))
    assert esxtop.detect(path)
    env = esxtop.load(path)
    assert env.source.details["columns"] == str(17_000 + 3 + 2 * 9 + 3)
    assert env.source.details["samples"] == "4"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b'"Time","a"\n"1","2"\n', "not an esxtop batch capture"),
        (b'"(PDH-CSV 4.0) (UTC)(0)","\\\\h\\Memory\\Free MBytes"\n', "no samples"),
    ],
)
def test_bad_captures_are_clean_errors(data: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_capture(io.BytesIO(data), "x.csv")


def test_truncated_rows_and_garbage_values_become_missing_samples() -> None:
    data = esxtop_csv(samples=2).rstrip(b"\r\n")
    data = data[: data.rfind(b",")] + b"\r\n" + b'"05/02/2024 12:00:10","oops"\r\n'
    env = parse_capture(io.BytesIO(data), "t.csv")
    ready = EnvironmentIndex(env).series(name_ref("vm", "web01"), "cpu.ready.summation")
    assert ready is not None and len(ready) == 3 and len(ready.present()) == 2
