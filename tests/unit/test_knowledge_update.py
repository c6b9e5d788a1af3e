"""Installing a knowledge bundle: validated first, old data kept on failure, override preferred."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vmdoctor.knowledge import KnowledgeError, load_knowledge
from vmdoctor.knowledge.bundle import MANIFEST
from vmdoctor.knowledge.store import PACKAGED_DIR, active_bundle, install_bundle, load_bundle


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    target.mkdir()
    for meta in load_bundle(PACKAGED_DIR).manifest.tables.values():
        shutil.copy2(PACKAGED_DIR / meta.file, target / meta.file)
    shutil.copy2(PACKAGED_DIR / MANIFEST, target / MANIFEST)
    return target


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    root = tmp_path / "userdata"
    monkeypatch.setenv("VMDOCTOR_DATA_DIR", str(root))
    load_knowledge.cache_clear()
    yield root / "knowledge"
    load_knowledge.cache_clear()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_type_error_names_file_line_and_column(bundle_copy: Path) -> None:
    _edit(bundle_copy / "esxi_builds.csv", ",4564106,", ",45641O6,")
    with pytest.raises(KnowledgeError, match=r"esxi_builds\.csv: line 2: column build"):
        load_bundle(bundle_copy)


def test_a_duplicate_key_is_rejected(bundle_copy: Path) -> None:
    path = bundle_copy / "lifecycle.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="duplicate key"):
        load_bundle(bundle_copy)


def test_builds_out_of_order_are_rejected(bundle_copy: Path) -> None:
    _edit(bundle_copy / "esxi_builds.csv", ",5224529,2017-03-28,", ",5224529,2017-03-01,")
    with pytest.raises(KnowledgeError, match="lower than"):
        load_bundle(bundle_copy)


def test_a_fixed_build_missing_from_the_builds_is_rejected(bundle_copy: Path) -> None:
    _edit(bundle_copy / "advisories.csv", ",24784735,", ",24784736,")
    with pytest.raises(KnowledgeError, match="not in the esxi builds"):
        load_bundle(bundle_copy)


def test_install_replaces_only_after_validation(bundle_copy: Path, data_dir: Path) -> None:
    _edit(bundle_copy / MANIFEST, "bundle_date = 2026-11-27", "bundle_date = 2099-01-01")
    install_bundle(bundle_copy)
    assert load_bundle(data_dir).manifest.bundle_date.year == 2099
    assert active_bundle().path == data_dir

    _edit(bundle_copy / "lifecycle.csv", "2022-10-15", "not-a-date")
    with pytest.raises(KnowledgeError, match=r"lifecycle\.csv: line"):
        install_bundle(bundle_copy)
    assert load_bundle(data_dir).manifest.bundle_date.year == 2099  # old override kept


def test_install_from_zip(bundle_copy: Path, data_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "kb.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in bundle_copy.iterdir():
            zf.write(file, f"kb/{file.name}")
    install_bundle(archive)
    assert (data_dir / MANIFEST).is_file()


def test_invalid_or_older_override_falls_back_to_packaged(
    bundle_copy: Path, data_dir: Path
) -> None:
    install_bundle(bundle_copy)  # same date as packaged: preferred
    assert active_bundle().path == data_dir
    (data_dir / "guest_os.csv").write_text("guest_id\n", encoding="utf-8")
    assert active_bundle().path == PACKAGED_DIR
    _edit(bundle_copy / MANIFEST, "bundle_date = 2026-11-27", "bundle_date = 2020-01-01")
    install_bundle(bundle_copy)
    assert active_bundle().path == PACKAGED_DIR


def test_cli_kb_commands(bundle_copy: Path, data_dir: Path) -> None:
    from vmdoctor.cli.kb import kb_app

    runner = CliRunner()
    info = runner.invoke(kb_app, ["info"])
    assert info.exit_code == 0 and "esxi_builds" in info.output
    lookup = runner.invoke(kb_app, ["lookup", "21495797"])
    assert (
        lookup.exit_code == 0 and "VMSA-2025-0004" in lookup.output and "24784735" in lookup.output
    )
    cve = runner.invoke(kb_app, ["lookup", "CVE-2021-21974"])
    assert cve.exit_code == 0 and "VMSA-2021-0002" in cve.output
    bad = runner.invoke(kb_app, ["lookup", "nonsense"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    (bundle_copy / "hw_versions.csv").write_text("hw_version\nx\n", encoding="utf-8")
    update = runner.invoke(kb_app, ["update", str(bundle_copy)])
    assert update.exit_code == 1
    assert "hw_versions.csv" in update.output and "unchanged" in update.output
    assert "Traceback" not in update.output
    assert not data_dir.exists()
