"""Saving and loading Environments: round trip, and clear errors for bad files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from vmdoctor.model import Environment, Event, Gap, Timeline
from vmdoctor.sources import snapshot
from vmdoctor.sources.errors import SourceError

from factories import make_env, make_series, make_vm


def _env() -> Environment:
    return make_env(
        vms=[make_vm(), make_vm(id="vm2", name="db-01", memory_mb=65536)],
        timeline=Timeline(
            events=[Event(key=1, time=make_env().collected_at, type="VmPoweredOffEvent")],
            metrics=[make_series("vm1", "cpu.ready.summation", [100.0, None, 300.0])],
        ),
        gaps=[Gap(what="logs", reason="no log bundle given")],
    )


@pytest.mark.parametrize("name", ["env.json.gz", "env.json"])
def test_round_trip_is_lossless(tmp_path: Path, name: str) -> None:
    env = _env()
    path = tmp_path / name
    snapshot.save(env, path)
    assert snapshot.load(path) == env
    assert snapshot.is_snapshot(path)


def test_metric_samples_survive_with_missing_values(tmp_path: Path) -> None:
    path = tmp_path / "env.json.gz"
    snapshot.save(_env(), path)
    series = snapshot.load(path).timeline.metrics[0]
    assert series.present() == [100.0, 300.0]
    assert len(series) == 3


def _write_gz(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data))
    return path


def test_truncated_file_names_file_and_problem(tmp_path: Path) -> None:
    path = tmp_path / "env.json.gz"
    snapshot.save(_env(), path)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(SourceError, match=r"env\.json\.gz: corrupt or truncated"):
        snapshot.load(path)


def test_corrupt_json(tmp_path: Path) -> None:
    path = _write_gz(tmp_path / "env.json.gz", b'{"format": "vmdoctor-environment", "sche')
    with pytest.raises(SourceError, match="invalid or truncated JSON"):
        snapshot.load(path)


def test_foreign_json(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"kind": "something else"}))
    with pytest.raises(SourceError, match="not a vmdoctor snapshot"):
        snapshot.load(path)


def _edit_lines(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    docs = [json.loads(line) for line in path.read_text().splitlines()]
    edit(docs)
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))


def test_future_version_asks_for_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "env.json"
    snapshot.save(_env(), path)
    _edit_lines(path, lambda docs: docs[0].update(schema_version=snapshot.SCHEMA_VERSION + 1))
    with pytest.raises(SourceError, match="newer than this vmdoctor understands"):
        snapshot.load(path)


def test_wrong_field_type_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "env.json"
    snapshot.save(_env(), path)

    def spoil(docs: list[dict]) -> None:  # type: ignore[type-arg]
        vms = next(d for d in docs if "vms" in d)
        vms["vms"][1]["memory_mb"] = "lots"

    _edit_lines(path, spoil)
    with pytest.raises(SourceError, match=r"line \d+: .*vms\[1\]\.memory_mb"):
        snapshot.load(path)


def test_file_cut_at_a_line_boundary_is_truncated(tmp_path: Path) -> None:
    path = tmp_path / "env.json"
    snapshot.save(_env(), path)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-2]))
    with pytest.raises(SourceError, match="truncated snapshot"):
        snapshot.load(path)


def test_large_lists_are_written_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "CHUNK", 2)
    env = make_env(vms=[make_vm(id=f"vm{i}", name=f"vm-{i}") for i in range(5)])
    path = tmp_path / "env.json.gz"
    snapshot.save(env, path)
    with gzip.open(path, "rt") as fh:
        vm_lines = [line for line in fh if line.startswith('{"vms"')]
    assert len(vm_lines) == 3
    assert snapshot.load(path) == env


def test_failed_save_leaves_previous_snapshot_intact(tmp_path: Path) -> None:
    path = tmp_path / "env.json.gz"
    snapshot.save(_env(), path)
    before = path.read_bytes()

    class Boom(Exception):
        pass

    def explode(*_: object, **__: object) -> bytes:
        raise Boom

    original = snapshot._encoder
    snapshot._encoder = type("E", (), {"encode": staticmethod(explode)})()  # type: ignore[assignment]
    try:
        with pytest.raises(Boom):
            snapshot.save(_env(), path)
    finally:
        snapshot._encoder = original
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["env.json.gz"]
