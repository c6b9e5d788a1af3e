"""One authenticated session per server: TLS, timeouts, version, login, re-login, logout.

The session is the only owner of the pyVmomi stub. Every call goes through :meth:`call`, which
re-logs in once when the server answers ``NotAuthenticated`` (an expired session) and tells
its listeners, so that server-side helper objects (views, collectors) are rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import socket
import ssl
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from lxml import etree

from vmdoctor.sources.vsphere.errors import VimFault, VSphereError
from vmdoctor.sources.vsphere.readonly import guard_stub
from vmdoctor.sources.vsphere.target import ServerTarget
from vmdoctor.sources.vsphere.vmomi import SoapStubAdapter, VmomiSupport, vim, vmodl

T = TypeVar("T")

FALLBACK_VERSION = "vim.version.version9"


class InsecureConnectionWarning(UserWarning):
    """TLS verification was turned off by the user (--insecure / GOVC_INSECURE)."""


def ssl_context(target: ServerTarget) -> ssl.SSLContext | None:
    if target.scheme != "https":
        return None
    if target.insecure or target.thumbprint:
        # A pinned thumbprint replaces chain verification (pyVmomi checks it on connect).
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        if target.insecure and not target.thumbprint:
            warnings.warn(
                f"{target.name}: TLS certificate verification is OFF (--insecure)",
                InsecureConnectionWarning,
                stacklevel=2,
            )
        return ctx
    return ssl.create_default_context(cafile=target.ca_file)


def describe_connection_error(target: ServerTarget, exc: BaseException) -> str:
    """A one-line, secret-free explanation of why a server cannot be reached."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"TLS certificate not trusted ({exc.verify_message}); pass --ca-file with the "
            "vCenter CA, --thumbprint to pin it, or --insecure"
        )
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake failed ({exc.reason or exc})"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "no answer within the timeout (the server hangs or a firewall drops packets)"
    if isinstance(exc, ConnectionRefusedError):
        return f"connection refused on port {target.port}"
    if isinstance(exc, socket.gaierror):
        return f"unknown host {target.host!r}"
    if isinstance(exc, OSError):
        return f"cannot connect: {exc.strerror or type(exc).__name__}"
    if isinstance(exc, http.client.HTTPException):
        return f"unexpected HTTP answer ({type(exc).__name__}: {exc})"
    if "thumbprint" in str(exc).lower():
        return "server certificate thumbprint does not match --thumbprint"
    return f"{type(exc).__name__}: {exc}"


def _check_thumbprint(sock: Any, expected: str) -> None:
    der = sock.getpeercert(binary_form=True)
    want = expected.replace(":", "").lower()
    algo = {40: "sha1", 64: "sha256", 128: "sha512"}.get(len(want))
    if algo is None:
        raise ValueError("--thumbprint must be a SHA-1, SHA-256 or SHA-512 fingerprint")
    if hashlib.new(algo, der).hexdigest() != want:
        raise VSphereError("", "server certificate thumbprint does not match --thumbprint")


def negotiate_version(target: ServerTarget, ctx: ssl.SSLContext | None, timeout_s: float) -> str:
    """The newest API version both pyVmomi and the server speak (vimServiceVersions.xml)."""
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(target.host, target.port, timeout=timeout_s, context=ctx)
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout_s)
    try:
        conn.connect()
        if target.thumbprint:
            _check_thumbprint(conn.sock, target.thumbprint)
        conn.request("GET", target.path.rstrip("/") + "/vimServiceVersions.xml")
        resp = conn.getresponse()
        body = resp.read()
    finally:
        conn.close()
    if resp.status != 200:
        return FALLBACK_VERSION
    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError:
        return FALLBACK_VERSION
    for ns in root.iter("namespace"):
        if ns.findtext("name") != "urn:vim25":
            continue
        versions = [v.text for v in ns.iter("version") if v.text]
        for version in versions:  # newest first in the file
            known = VmomiSupport.versionMap.get(f"vim25/{version}")
            if known:
                return str(known)
    return FALLBACK_VERSION


class Session:
    """A logged-in session with one server; use as a context manager (always logs out)."""

    def __init__(self, target: ServerTarget, timeout_s: float) -> None:
        self.target = target
        self.timeout_s = timeout_s
        self.relogins = 0
        self.calls = 0
        self._on_relogin: list[Callable[[], None]] = []
        self.stub: Any = None
        self.content: Any = None

    # --- lifecycle ------------------------------------------------------------------------

    def open(self) -> Session:
        target = self.target
        try:
            ctx = ssl_context(target)
            version = negotiate_version(target, ctx, self.timeout_s)
            port = target.port if target.scheme == "https" else -target.port
            self.stub = SoapStubAdapter(
                host=target.host,
                port=port,
                path=target.path,
                version=version,
                sslContext=ctx,
                thumbprint=target.thumbprint,
                httpConnectionTimeout=self.timeout_s,
                connectionPoolTimeout=300,
                poolSize=4,
            )
            guard_stub(self.stub)
            instance = vim.ServiceInstance("ServiceInstance", self.stub)
            self.content = instance.RetrieveContent()
            self._login()
        except VSphereError as exc:
            raise VSphereError(target.name, exc.problem) from None
        except vim.fault.InvalidLogin:
            user = target.credentials.user if target.credentials else "?"
            raise VSphereError(
                target.name, f"login refused for user {user!r}: wrong user name or password"
            ) from None
        except vmodl.MethodFault as exc:
            raise VSphereError(target.name, f"{type(exc).__name__}: {exc.msg}") from None
        except Exception as exc:  # any failure to connect becomes one line, never a traceback
            raise VSphereError(target.name, describe_connection_error(target, exc)) from None
        return self

    def _login(self) -> None:
        creds = self.target.credentials
        if creds is None:
            raise VSphereError(self.target.name, "no credentials")
        self.content.sessionManager.Login(creds.user, creds.password)

    def close(self) -> None:
        if self.stub is None:
            return
        try:
            # Best effort: an expired or dead session has nothing left to log out.
            with contextlib.suppress(Exception):
                self.content.sessionManager.Logout()
        finally:
            self.stub.DropConnections()
            self.stub = None

    def __enter__(self) -> Session:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- calls ----------------------------------------------------------------------------

    def on_relogin(self, callback: Callable[[], None]) -> None:
        self._on_relogin.append(callback)

    def relogin(self) -> None:
        self.relogins += 1
        self.stub.cookie = ""
        self._login()
        for callback in self._on_relogin:
            callback()

    def call(self, fn: Callable[[], T]) -> T:
        """Run one API call; on an expired session, log in again and retry once.

        An expired session shows as NotAuthenticated, or (vcsim, some vpxd versions) as
        ManagedObjectNotFound for the session's own view: then the session is asked whether
        it is still alive before logging in again.
        """
        self.calls += 1
        try:
            return fn()
        except vim.fault.NotAuthenticated:
            self.relogin()
        except vmodl.fault.ManagedObjectNotFound:
            if self.alive():
                raise
            self.relogin()
        except VimFault as fault:
            if fault.fault_type == "ManagedObjectNotFound" and not self.alive():
                self.relogin()
            elif not fault.is_not_authenticated:
                raise
            else:
                self.relogin()
        self.calls += 1
        return fn()

    def alive(self) -> bool:
        """Whether the server still knows this session (SessionManager.currentSession set)."""
        pc = vmodl.query.PropertyCollector
        spec = pc.FilterSpec(
            objectSet=[pc.ObjectSpec(obj=self.content.sessionManager, skip=False)],
            propSet=[
                pc.PropertySpec(type=vim.SessionManager, pathSet=["currentSession"], all=False)
            ],
        )
        self.calls += 1
        try:
            result = self.content.propertyCollector.RetrievePropertiesEx(
                [spec], pc.RetrieveOptions()
            )
        except vim.fault.NotAuthenticated:
            return False
        for content in getattr(result, "objects", None) or []:
            for prop in content.propSet or []:
                if prop.val is not None:
                    return True
        return False

    @property
    def session_cookie(self) -> str:
        return str(self.stub.cookie) if self.stub is not None else ""

    @property
    def api_version(self) -> str:
        return str(self.content.about.apiVersion)
