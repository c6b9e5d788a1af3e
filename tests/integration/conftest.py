"""The vCenter simulator (govmomi vcsim) for integration tests.

The fixture builds the simulator with scripts/build-vcsim.sh when needed and fails loudly if
it cannot: these tests never skip. Each test starts its own simulator (well under a second for
a small inventory) so scenarios built through the API never leak between tests.
"""

from __future__ import annotations

import json
import select
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from vcsim_support import BINARY, BUILD_SCRIPT, PASSWORD, USER, Vcsim


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
        cmd = [
            str(vcsim_binary),
            "-listen",
            listen,
            "-username",
            USER,
            "-password",
            PASSWORD,
            "-stdin-exit",
        ]
        cert = None
        if tls:
            cert = str(tmp_path / f"vcsim-{len(started)}.pem")
            cmd += ["-tls", "-cert-out", cert]
        cmd += list(args)
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        line = b""
        while time.monotonic() < deadline and not line.endswith(b"\n"):
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            if ready:
                chunk = proc.stdout.readline()
                if not chunk:
                    break
                line += chunk
            elif proc.poll() is not None:
                break
        if not line:
            proc.kill()
            pytest.fail(f"vcsim did not start: {' '.join(cmd)}", pytrace=False)
        info = json.loads(line)
        sim = Vcsim(url=info["url"], cert=cert, process=proc, args=list(args))
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.process.terminate()
        try:
            sim.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sim.process.kill()


@pytest.fixture
def vcsim(start_vcsim: StartVcsim) -> Vcsim:
    return start_vcsim()
