"""Configuration files: valid ones take effect, invalid ones fail with file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from vmdoctor.checks.registry import registry
from vmdoctor.config import ConfigError, load_config, select_checks, thresholds_for
from vmdoctor.model import Family


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vmdoctor.toml"
    path.write_text(text)
    return path


def test_thresholds_disable_and_profiles(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
disable = ["datastore-free-space"]

[check.STO001]
warning_pct = 25

[profile.mine]
families = ["storage"]
""",
    )
    config = load_config(path)
    sto001 = registry().get("STO001")
    assert thresholds_for(config, sto001)["warning_pct"] == 25
    assert sto001 not in select_checks(config, registry())
    assert all(c.family is Family.STORAGE for c in select_checks(config, registry(), "mine"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('disable = ["NOPE999"]', "disable: no check with ID or name 'NOPE999'"),
        ("[check.STO001]\nwarn = 3", "check.STO001.warn: STO001 has no threshold 'warn'"),
        ("[check.STO001]\nwarning_pct = 'x'", "check.STO001.warning_pct: expected int"),
        ("[check.STO001]\nseverity = 'urgent'", "severity: 'urgent' is not one of"),
        ("colour = 1", "unknown field `colour`"),
        ("[[suppress]]\ncheck = 'STO001'", "missing required field `reason`"),
        ("disable = [", "not valid TOML"),
    ],
)
def test_bad_config_names_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


def test_unknown_profile(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown profile 'nope'"):
        select_checks(load_config(None), registry(), "nope")


def test_baseline_only_checks_run_in_their_profile_or_by_name() -> None:
    config = load_config(None)
    default = {c.id for c in select_checks(config, registry())}
    assert "SEC058" not in default and "SEC001" in default
    assert "SEC058" in {c.id for c in select_checks(config, registry(), "scg-8")}
    assert [c.id for c in select_checks(config, registry(), only=["SEC058"])] == ["SEC058"]
