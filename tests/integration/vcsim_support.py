"""The simulator process handle and the test credentials (shared by conftest and scenarios)."""

from __future__ import annotations

import json
import select
import subprocess
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from vmdoctor.sources.vsphere import Credentials, ServerTarget, parse_server

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "scripts" / "build-vcsim.sh"
BINARY = ROOT / ".build" / "vcsim"
USER = "vmdoctor-ro"
PASSWORD = "S3cret-vcsim-pass!"  # searched for in outputs by the no-leak tests


@dataclass
class Vcsim:
    url: str
    cert: str | None
    process: subprocess.Popen[bytes]
    args: list[str] = field(default_factory=list)

    def target(self, **overrides: object) -> ServerTarget:
        base = replace(parse_server(self.url), credentials=Credentials(USER, PASSWORD))
        return replace(base, **overrides)  # type: ignore[arg-type]

    @property
    def port(self) -> int:
        return parse_server(self.url).port


def launch(binary: Path, *args: str, listen: str = "127.0.0.1:0", cert: str | None = None) -> Vcsim:
    """Start a simulator and wait for its ready line (at most 60 s); stop it with ``stop``."""
    cmd = [str(binary), "-listen", listen, "-username", USER, "-password", PASSWORD, "-stdin-exit"]
    if cert:
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
        raise RuntimeError(f"vcsim did not start: {' '.join(cmd)}")
    info = json.loads(line)
    return Vcsim(url=info["url"], cert=cert, process=proc, args=list(args))


def stop(sim: Vcsim) -> None:
    sim.process.terminate()
    try:
        sim.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        sim.process.kill()
