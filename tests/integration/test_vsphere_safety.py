"""Read-only, TLS, timeouts, session expiry and secrets, against the simulator."""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import ssl
import subprocess
import sys
import time
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from vcsim_support import PASSWORD, Vcsim

from conftest import StartVcsim
from vmdoctor.sources.vsphere import CollectOptions, collect
from vmdoctor.sources.vsphere.readonly import ALLOWED_METHODS

FAST = CollectOptions(timeout_s=10, perf_window=timedelta(minutes=10))
# Only the collect command, so this test does not depend on the rest of the CLI being wired.
VMDOCTOR_COLLECT = (
    "import typer; from vmdoctor.cli.collect import register; app = typer.Typer(); "
    "app.callback()(lambda: None); register(app); app()"
)
_METHOD = re.compile(rb"Body>\s*<(?:\w+:)?(\w+)")


def test_collection_sends_only_read_methods(vcsim: Vcsim, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    original = http.client.HTTPConnection.request

    def record(
        self: Any, method: str, url: str, body: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        if isinstance(body, str):
            body = body.encode()
        if body:
            match = _METHOD.search(body)
            sent.append(match.group(1).decode() if match else "<unparsed>")
        return original(self, method, url, body, *args, **kwargs)

    monkeypatch.setattr(http.client.HTTPConnection, "request", record)
    outcome = collect([vcsim.target()], FAST)
    assert outcome.useful
    assert "RetrievePropertiesEx" in sent and "QueryPerf" in sent and "Logout" in sent
    assert set(sent) <= ALLOWED_METHODS, sorted(set(sent) - ALLOWED_METHODS)


def test_tls_verification_fails_without_ca_and_passes_with_it(start_vcsim: StartVcsim) -> None:
    # pyVmomi skips verification for 127.0.0.1/localhost: 127.0.0.2 exercises the real path.
    sim = start_vcsim(listen="127.0.0.2:0", tls=True)
    assert sim.cert
    refused = collect([sim.target()], FAST)
    assert not refused.useful
    assert "certificate not trusted" in next(iter(refused.errors.values()))
    trusted = collect([sim.target(ca_file=sim.cert)], FAST)
    assert trusted.useful and len(trusted.environment.vms) == 4
    der = ssl.PEM_cert_to_DER_cert(Path(sim.cert).read_text())
    pinned = collect([sim.target(thumbprint=hashlib.sha256(der).hexdigest())], FAST)
    assert pinned.useful
    wrong = collect([sim.target(thumbprint="00" * 32)], FAST)
    assert not wrong.useful and "thumbprint" in next(iter(wrong.errors.values()))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        insecure = collect([sim.target(insecure=True)], FAST)
    assert insecure.useful
    assert any("verification is OFF" in str(w.message) for w in caught)


def test_wrong_password_and_refused_connection_are_one_line_errors(vcsim: Vcsim) -> None:
    from vmdoctor.sources.vsphere import Credentials

    bad = collect([vcsim.target(credentials=Credentials("vmdoctor-ro", "wrong"))], FAST)
    assert not bad.useful
    assert "wrong user name or password" in next(iter(bad.errors.values()))
    refused = collect([vcsim.target(port=1)], FAST)
    assert "connection refused" in next(iter(refused.errors.values()))


def test_slow_call_hits_timeout_and_becomes_a_gap(start_vcsim: StartVcsim) -> None:
    sim = start_vcsim("-method-delay", "QueryPerf:4000")
    t0 = time.monotonic()
    outcome = collect(
        [sim.target()], CollectOptions(timeout_s=1.5, perf_window=timedelta(minutes=10))
    )
    assert time.monotonic() - t0 < 15
    env = outcome.environment
    assert outcome.useful and len(env.vms) == 4 and env.timeline.events
    metric_gaps = [g for g in env.gaps if g.what == "metrics"]
    assert metric_gaps and "timeout" in metric_gaps[0].reason


def test_hanging_server_gives_exit_worthy_error(start_vcsim: StartVcsim) -> None:
    sim = start_vcsim("-delay", "4000")
    outcome = collect([sim.target()], CollectOptions(timeout_s=1))
    assert not outcome.useful
    assert "timeout" in next(iter(outcome.errors.values()))


def test_session_expiring_mid_collection_logs_in_again(start_vcsim: StartVcsim) -> None:
    sim = start_vcsim("-idle", "1s")
    slept = []

    def pause(message: str) -> None:
        if "reading HostSystem" in message and not slept:
            slept.append(True)
            time.sleep(2.5)  # longer than the idle timeout: the session dies here

    options = CollectOptions(timeout_s=10, perf_window=timedelta(minutes=10), progress=pause)
    outcome = collect([sim.target()], options)
    stats = next(iter(outcome.stats.values()))
    assert stats.relogins >= 1
    env = outcome.environment
    assert len(env.hosts) == 4 and len(env.vms) == 4
    assert not [g for g in env.gaps if g.what in ("host", "vm")]


def test_cli_collect_leaks_no_secret(vcsim: Vcsim, tmp_path: Path) -> None:
    out = tmp_path / "env.json"
    env = {
        **os.environ,
        "VSPHERE_USER": "vmdoctor-ro",
        "VSPHERE_PASSWORD": PASSWORD,
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            VMDOCTOR_COLLECT,
            "collect",
            "--server",
            vcsim.url,
            "-o",
            str(out),
            "--perf-window",
            "10m",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "collected 1 server(s)" in result.stderr
    text = out.read_text()
    assert '"vms"' in text
    for blob in (result.stdout, result.stderr, text):
        assert PASSWORD not in blob
        assert "vmware_soap_session" not in blob
    wrong = subprocess.run(
        [sys.executable, "-c", VMDOCTOR_COLLECT, "collect", "--server", vcsim.url, "-o", str(out)],
        capture_output=True,
        text=True,
        env={**env, "VSPHERE_PASSWORD": "not-it-" + PASSWORD[::-1]},
        timeout=120,
    )
    assert wrong.returncode == 3
    assert "Traceback" not in wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1
