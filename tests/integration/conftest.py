"""The vCenter simulator (govmomi vcsim) for integration tests.

The fixture builds the simulator with scripts/build-vcsim.sh when needed and fails loudly if
it cannot: these tests never skip. A test that builds a scenario through the API starts its own
simulator (well under a second for a small inventory) so scenarios never leak between tests;
read-only tests share one per module (see test_vsphere_findings.py).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from vcsim_support import BINARY, BUILD_SCRIPT, Vcsim, launch, stop


@pytest.fixture(scope="session")
def vcsim_binary() -> Path:
    result = subprocess.run(
        ["bash", str(BUILD_SCRIPT)], capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0 or not BINARY.exists():
        pytest.fail(f"cannot build the vCenter simulator:\n{result.stderr[-2000:]}", pytrace=False)
    return BINARY


StartVcsim = Callable[..., Vcsim]


@pytest.fixture
def start_vcsim(vcsim_binary: Path, tmp_path: Path) -> Iterator[StartVcsim]:
    started: list[Vcsim] = []

    def start(*args: str, listen: str = "127.0.0.1:0", tls: bool = False) -> Vcsim:
        cert = str(tmp_path / f"vcsim-{len(started)}.pem") if tls else None
        try:
            sim = launch(vcsim_binary, *args, listen=listen, cert=cert)
        except RuntimeError as exc:
            pytest.fail(str(exc), pytrace=False)
        started.append(sim)
        return sim

    yield start
    for sim in started:
        stop(sim)


@pytest.fixture
def vcsim(start_vcsim: StartVcsim) -> Vcsim:
    return start_vcsim()
