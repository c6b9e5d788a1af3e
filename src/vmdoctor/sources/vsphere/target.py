"""Which server to talk to and as whom: server specs, credentials, connection options.

Credentials come, in this order, from the config file entry of the server, the environment
(``VSPHERE_USER``/``VSPHERE_PASSWORD``, then ``GOVC_USERNAME``/``GOVC_PASSWORD``, or the user
part of ``GOVC_URL``), then an interactive prompt when a terminal is attached. A password is
never accepted on the command line.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import msgspec

from vmdoctor.sources.vsphere.errors import CredentialsError


@dataclass(frozen=True, slots=True)
class Credentials:
    user: str
    password: str = field(repr=False)

    def __repr__(self) -> str:  # never show the password, even in a debugger or a traceback
        return f"Credentials(user={self.user!r}, password=***)"


@dataclass(frozen=True, slots=True)
class ServerTarget:
    """One vCenter or ESXi endpoint. ``name`` is what users recognise and what IDs start with."""

    host: str
    port: int
    scheme: str = "https"
    path: str = "/sdk"
    credentials: Credentials | None = None
    ca_file: str | None = None
    thumbprint: str | None = None
    insecure: bool = False

    @property
    def name(self) -> str:
        default = 443 if self.scheme == "https" else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{self.path}"


@dataclass(frozen=True, slots=True)
class CollectOptions:
    timeout_s: float = 60.0
    events_since: timedelta = timedelta(days=7)
    perf: bool = True
    perf_window: timedelta = timedelta(hours=1)
    max_events: int = 20_000
    page_size: int = 1000
    progress: Callable[[str], None] | None = None
    #: Parse and map a large VM answer in two processes when a second core is there.
    split_parse: bool = True


def parse_server(spec: str) -> ServerTarget:
    """``host``, ``host:port``, ``[v6]:port`` or ``https://host[:port]/sdk`` (``http://`` too)."""
    spec = spec.strip()
    if not spec:
        raise ValueError("empty server name")
    if "://" not in spec:
        spec = "https://" + spec
    parts = urlsplit(spec)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"unsupported scheme {parts.scheme!r} in server {spec!r}")
    if not parts.hostname:
        raise ValueError(f"no host name in server {spec!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValueError(f"invalid port in server {spec!r}") from None
    creds = None
    if parts.username:
        creds = Credentials(unquote(parts.username), unquote(parts.password or ""))
    return ServerTarget(
        host=parts.hostname,
        port=port,
        scheme=parts.scheme,
        path=parts.path if parts.path not in ("", "/") else "/sdk",
        credentials=creds,
    )


def servers_from_environment(environ: Mapping[str, str]) -> list[str]:
    for key in ("VSPHERE_SERVER", "GOVC_URL"):
        if environ.get(key):
            return [environ[key]]
    return []


def credentials_from_environment(environ: Mapping[str, str]) -> Credentials | None:
    for user_key, pass_key in (
        ("VSPHERE_USER", "VSPHERE_PASSWORD"),
        ("GOVC_USERNAME", "GOVC_PASSWORD"),
    ):
        if environ.get(user_key) and pass_key in environ:
            return Credentials(environ[user_key], environ[pass_key])
    url = environ.get("GOVC_URL")
    if url:
        try:
            from_url = parse_server(url).credentials
        except ValueError:
            return None
        if from_url and from_url.password:
            return from_url
    return None


def insecure_from_environment(environ: Mapping[str, str]) -> bool:
    return environ.get("GOVC_INSECURE", "").strip().lower() in ("1", "true", "yes")


class _ServerEntry(msgspec.Struct, forbid_unknown_fields=True):
    server: str
    user: str | None = None
    password: str | None = None
    ca_file: str | None = None
    thumbprint: str | None = None
    insecure: bool = False


class _ServersFile(msgspec.Struct):
    vcenter: list[_ServerEntry] = []


def load_servers_file(path: Path) -> list[ServerTarget]:
    """A TOML file with ``[[vcenter]]`` tables (server, user, password, ca_file, thumbprint,
    insecure). A file holding a password is refused if group or others can read it."""
    try:
        raw = path.read_bytes()
        mode = path.stat().st_mode
    except OSError as exc:
        raise CredentialsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        parsed = msgspec.toml.decode(raw, type=_ServersFile)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise CredentialsError(f"{path}: {str(exc).replace('`$.', '`')}") from None
    if any(e.password for e in parsed.vcenter) and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(
            f"{path}: holds passwords but is readable by group or others "
            f"(mode {stat.S_IMODE(mode):o}); run: chmod 600 {path}"
        )
    targets = []
    for i, entry in enumerate(parsed.vcenter):
        try:
            target = parse_server(entry.server)
        except ValueError as exc:
            raise CredentialsError(f"{path}: vcenter[{i}].server: {exc}") from None
        creds = target.credentials
        if entry.user is not None:
            creds = Credentials(entry.user, entry.password or "")
        targets.append(
            replace(
                target,
                credentials=creds,
                ca_file=entry.ca_file,
                thumbprint=entry.thumbprint,
                insecure=entry.insecure,
            )
        )
    return targets


def resolve_credentials(
    target: ServerTarget,
    environ: Mapping[str, str] | None = None,
    prompt: Callable[[str, bool], str] | None = None,
) -> ServerTarget:
    """Fill in the target's credentials; prompt only when a terminal is there to answer."""
    environ = os.environ if environ is None else environ
    if target.credentials and target.credentials.password:
        return target
    creds = credentials_from_environment(environ)
    if creds is None and target.credentials:  # user known, password missing
        creds = target.credentials
    if (creds is None or not creds.password) and prompt is not None and sys.stdin.isatty():
        user = creds.user if creds else prompt(f"User for {target.name}: ", False)
        creds = Credentials(user, prompt(f"Password for {user}@{target.name}: ", True))
    if creds is None or not creds.user:
        raise CredentialsError(
            f"{target.name}: no credentials: set VSPHERE_USER and VSPHERE_PASSWORD "
            "(or GOVC_USERNAME/GOVC_PASSWORD), list the server in a config file, "
            "or run in a terminal to be prompted"
        )
    return replace(target, credentials=creds)
