"""The simulator process handle and the test credentials (shared by conftest and scenarios)."""

from __future__ import annotations

import subprocess
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
