# ruff: noqa: E501 - sample log lines are kept whole
"""Safe archive reading: links, devices, escapes, caps, bombs, nesting, corruption."""

from __future__ import annotations

import gzip
import io
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from fixtures.offline import VMX_LINES, esxtop_csv, rvtools_tables, write_xlsx
from vmdoctor.sources import bundle, bundle_source
from vmdoctor.sources.bundle import Limits, Member, Refusal
from vmdoctor.sources.errors import SourceError
from vmdoctor.sources.resolve import load_spec

VMK_LINE = (
    b"2024-05-02T11:00:00Z cpu1:32)Lost access to volume 4f8c (ds01) due to connectivity issues\n"
)


def _tar(
    path: Path,
    members: dict[str, bytes],
    mode: str = "w:gz",
    extra: list[tarfile.TarInfo] | None = None,
) -> Path:
    with tarfile.open(path, mode) as tar:  # type: ignore[call-overload]
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1714640000
            tar.addfile(info, io.BytesIO(data))
        for info in extra or []:
            tar.addfile(info)
    return path


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_support_bundle_with_nested_archives_and_vm_folders(tmp_path: Path) -> None:
    root = "esx-esx01.lab.test-2024-05-02--11.00-1234"
    inner_zip = _zip_bytes(
        {
            "var/run/log/vobd.log": b"2024-05-02T11:00:01Z: [esx.problem.storage.apd.start] Device or filesystem with identifier [naa.1] has entered the All Paths Down state.\n"
        }
    )
    members = {
        f"{root}/var/run/log/vmkernel.log": VMK_LINE,
        f"{root}/var/run/log/hostd.0.gz": gzip.compress(
            b"2024-05-02T11:00:02Z info hostd[1] [Originator@6876 sub=Vmsvc] Create snapshot failed: vim.fault.NoDiskSpace\n"
        ),
        f"{root}/vmfs/volumes/ds01/vm-000/vmware.log": VMX_LINES["esxi"] + b"\n",
        f"{root}/extra/more.zip": inner_zip,
        f"{root}/README.txt": b"nothing here\n",
    }
    path = _tar(tmp_path / "bundle.tgz", members)
    env = load_spec(str(path))
    assert env.source.kind == "bundle"
    by_sig = {r.signature: r for r in env.timeline.logs}
    assert set(by_sig) == {"VMK025", "HOD012", "VMX017", "VOB001"}
    assert by_sig["VMK025"].objects.host_id == "name:host:esx01.lab.test"
    assert by_sig["VMX017"].objects.vm_id == "name:vm:vm-000"
    assert by_sig["VMX017"].objects.datastore_id == "name:datastore:ds01"
    assert by_sig["VOB001"].file.endswith("more.zip!var/run/log/vobd.log")  # type: ignore[union-attr]


def test_links_devices_and_escapes_are_skipped(tmp_path: Path) -> None:
    link = tarfile.TarInfo("logs/evil-link")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
    hard = tarfile.TarInfo("logs/hard")
    hard.type, hard.linkname = tarfile.LNKTYPE, "logs/vmkernel.log"
    dev = tarfile.TarInfo("logs/dev")
    dev.type = tarfile.CHRTYPE
    path = _tar(
        tmp_path / "b.tar.gz",
        {
            "../../escape.log": VMK_LINE,
            "/abs/vmkernel.log": VMK_LINE,
            "logs/vmkernel.log": VMK_LINE,
        },
        extra=[link, hard, dev],
    )
    items = list(bundle.iter_path(path))
    assert [i.inner_path for i in items if isinstance(i, Member)] == ["logs/vmkernel.log"]
    reasons = {i.name.rsplit("!", 1)[1]: i.reason for i in items if isinstance(i, Refusal)}
    assert set(reasons) == {
        "../../escape.log",
        "/abs/vmkernel.log",
        "logs/evil-link",
        "logs/hard",
        "logs/dev",
    }
    env = bundle_source.load(path)
    assert len(env.timeline.logs) == 1 and any("escapes" in g.reason for g in env.gaps)


def test_directory_symlinks_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "vmkernel.log").write_bytes(VMK_LINE)
    (tmp_path / "d" / "link.log").symlink_to("/etc/passwd")
    items = list(bundle.iter_path(tmp_path / "d"))
    assert any(isinstance(i, Refusal) and "link" in i.reason for i in items)


def test_zip_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("vmkernel.log", b"\0" * (64 << 20))
    start = time.perf_counter()
    items = list(bundle.iter_path(path))
    assert time.perf_counter() - start < 1.0
    assert len(items) == 1 and isinstance(items[0], Refusal) and "zip bomb" in items[0].reason


def test_lying_sizes_hit_the_stream_caps(tmp_path: Path) -> None:
    path = tmp_path / "big.log.gz"
    path.write_bytes(gzip.compress(b"x\n" * 50_000))
    limits = Limits(max_member_bytes=10_000)
    with pytest.raises(bundle.LimitExceeded, match="byte cap"):
        for item in bundle.iter_path(path, limits):
            assert isinstance(item, Member)
            item.stream.read()


def test_member_count_cap(tmp_path: Path) -> None:
    path = _tar(tmp_path / "many.tar", {f"f{i}.log": b"x\n" for i in range(20)}, mode="w")
    with pytest.raises(SourceError, match="more than 5 files"):
        list(bundle.iter_path(path, Limits(max_members=5)))


def test_nesting_depth_cap(tmp_path: Path) -> None:
    data = VMK_LINE
    for n in range(6):
        data = _zip_bytes({f"level{n}.zip" if n else "vmkernel.log": data})
    path = tmp_path / "deep.zip"
    path.write_bytes(data)
    items = list(bundle.iter_path(path, Limits(max_depth=3)))
    assert any(isinstance(i, Refusal) and "nested deeper" in i.reason for i in items)


def test_corrupt_archive_is_a_clean_error(tmp_path: Path) -> None:
    good = _tar(tmp_path / "ok.tgz", {"vmkernel.log": VMK_LINE * 200})
    bad = tmp_path / "bad.tgz"
    bad.write_bytes(good.read_bytes()[:-60])
    with pytest.raises(SourceError, match=r"bad\.tgz"):
        bundle_source.load(bad)


def test_mixed_folder_merges_rvtools_esxtop_and_logs(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    write_xlsx(folder / "export.xlsx", rvtools_tables(2))
    (folder / "capture.csv").write_bytes(esxtop_csv(vms=("vm-000",)))
    (folder / "vmkernel.log").write_bytes(VMK_LINE)
    (folder / "broken.xlsx").write_bytes(b"garbage")
    env = load_spec(str(folder))
    ds_id = {d.name: d.id for d in env.datastores}["ds01"]
    assert env.timeline.logs and any(r.objects.datastore_id == ds_id for r in env.timeline.logs)
    vm = {v.name: v for v in env.vms}["vm-000"]
    assert any(m.entity_id == vm.id for m in env.timeline.metrics)
    assert any(g.source and g.source.endswith("broken.xlsx") for g in env.gaps)
