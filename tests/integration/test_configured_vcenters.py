"""vCenters listed in vmdoctor.toml are the source when none is named on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vcsim_support import PASSWORD, USER

from conftest import StartVcsim


def _vmdoctor(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VSPHERE_", "GOVC_"))}
    return subprocess.run(
        [sys.executable, "-m", "vmdoctor", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**env, "VMDOCTOR_CONFIG": "", "PYTHONWARNINGS": "ignore"},
        timeout=180,
    )


def test_scan_uses_the_configured_vcenter_not_the_demo_lab(
    start_vcsim: StartVcsim, tmp_path: Path
) -> None:
    sim = start_vcsim()
    config = tmp_path / "vmdoctor.toml"
    config.write_text(
        f'[[vcenter]]\nserver = "{sim.url}"\nuser = "{USER}"\npassword = "{PASSWORD}"\n'
        "\n[check.STO001]\nwarning_pct = 20\n"
    )
    config.chmod(0o644)
    refused = _vmdoctor("scan", "--no-perf", "--format", "json", cwd=tmp_path)
    assert refused.returncode == 3 and "chmod 600" in refused.stderr  # a password, world-readable

    config.chmod(0o600)
    result = _vmdoctor("scan", "--no-perf", "--format", "json", cwd=tmp_path)
    assert "Traceback" not in result.stderr and PASSWORD not in result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["source"]["kind"] == "vsphere"
    assert "demo lab" not in result.stderr
    assert report["summary"]["objects"]["vm"] > 0
