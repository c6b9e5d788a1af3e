"""Server specs, credentials from the environment and files, the read-only allow-list."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from vmdoctor.sources.vsphere.errors import CredentialsError
from vmdoctor.sources.vsphere.perf import batches
from vmdoctor.sources.vsphere.readonly import ALLOWED_METHODS, ReadOnlyViolation, guard_stub
from vmdoctor.sources.vsphere.target import (
    Credentials,
    credentials_from_environment,
    load_servers_file,
    parse_server,
    resolve_credentials,
)


@pytest.mark.parametrize(
    ("spec", "host", "port", "scheme", "name"),
    [
        ("vc01.lab", "vc01.lab", 443, "https", "vc01.lab"),
        ("vc01.lab:8443", "vc01.lab", 8443, "https", "vc01.lab:8443"),
        ("https://vc01.lab/sdk", "vc01.lab", 443, "https", "vc01.lab"),
        ("http://127.0.0.1:8989/sdk", "127.0.0.1", 8989, "http", "127.0.0.1:8989"),
        ("[fd00::5]:443", "fd00::5", 443, "https", "fd00::5"),
    ],
)
def test_server_specs(spec: str, host: str, port: int, scheme: str, name: str) -> None:
    target = parse_server(spec)
    assert (target.host, target.port, target.scheme, target.name) == (host, port, scheme, name)


@pytest.mark.parametrize("spec", ["", "ftp://vc", "https://", "vc:notaport"])
def test_bad_server_specs(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_server(spec)


def test_credentials_never_show_the_password() -> None:
    creds = Credentials("admin", "hunter2")
    assert "hunter2" not in repr(creds) and "hunter2" not in str(creds)


def test_environment_variables_in_order() -> None:
    assert credentials_from_environment(
        {"VSPHERE_USER": "a", "VSPHERE_PASSWORD": "p"}
    ) == Credentials("a", "p")
    assert credentials_from_environment(
        {"GOVC_USERNAME": "b", "GOVC_PASSWORD": "q"}
    ) == Credentials("b", "q")
    assert credentials_from_environment({"GOVC_URL": "https://c:r@vc/sdk"}) == Credentials("c", "r")
    assert credentials_from_environment({}) is None


def test_missing_credentials_without_terminal_is_a_clear_error() -> None:
    with pytest.raises(CredentialsError, match="VSPHERE_USER"):
        resolve_credentials(parse_server("vc01"), environ={}, prompt=None)


def test_servers_file_with_password_must_be_private(tmp_path: Path) -> None:
    path = tmp_path / "servers.toml"
    path.write_text('[[vcenter]]\nserver = "vc01.lab"\nuser = "ro"\npassword = "pw"\n')
    os.chmod(path, 0o644)
    with pytest.raises(CredentialsError, match="chmod 600"):
        load_servers_file(path)
    os.chmod(path, 0o600)
    (target,) = load_servers_file(path)
    assert target.credentials == Credentials("ro", "pw")


def test_servers_file_errors_name_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "servers.toml"
    path.write_text('[[vcenter]]\nservr = "vc01.lab"\n')
    with pytest.raises(CredentialsError, match=r"servers\.toml"):
        load_servers_file(path)


def test_guard_blocks_writes_and_passes_reads() -> None:
    calls: list[str] = []
    stub = SimpleNamespace(InvokeMethod=lambda mo, info, args: calls.append(info.wsdlName))
    guard_stub(stub)
    stub.InvokeMethod(None, SimpleNamespace(wsdlName="RetrievePropertiesEx"), ())
    with pytest.raises(ReadOnlyViolation):
        stub.InvokeMethod(None, SimpleNamespace(wsdlName="ReconfigVM_Task"), ())
    assert calls == ["RetrievePropertiesEx"]
    assert not {
        m
        for m in ALLOWED_METHODS
        if m.endswith("_Task") or m.startswith(("Update", "Set", "Power"))
    } - {"SetCollectorPageSize"}


def test_perf_batches_respect_max_query_metrics() -> None:
    entities = [("VirtualMachine", f"vm-{i}") for i in range(100)]
    out = batches(entities, per_entity=7, limit=64)
    assert all(len(b) * 7 <= 64 for b in out)
    assert sum(len(b) for b in out) == 100
