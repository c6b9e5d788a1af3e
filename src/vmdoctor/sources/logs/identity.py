"""Who wrote a log: the VM of a vmware.log, the host of a support bundle, the vCenter of vpxd.

A vmware.log names its VM in its own header (``DICT displayName = "app-db-01"`` and
``Config file: /vmfs/volumes/<ds>/<folder>/<vm>.vmx``) and sits in the VM's folder. A
vm-support bundle names its host in its file or top folder name
(``esx-<hostname>-<yyyy>-<mm>-<dd>--<hh>.<mm>-<pid>.tgz``), in ``commands/hostname*`` /
``esxcli system hostname get`` output and in ``etc/hosts``. A vCenter support bundle is
``vc-<hostname>-<date>.tgz`` (or ``vcsupport-<date>.zip``, which names nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: how much of a vmware.log's head is read for its identity (the DICT dump comes early)
VMX_HEAD_BYTES = 512 << 10

_DISPLAY_NAME = re.compile(rb'DICT\s+displayName = "([^"\r\n]{1,200})"')
_VMX_HOSTNAME = re.compile(rb"(?:\| |\) |In\(\d\d\) )vmx\|? Hostname=([A-Za-z0-9][A-Za-z0-9.-]*)")
_CONFIG_FILE = re.compile(rb"Config file: (\S[^\r\n]*?\.vmx)\s*$", re.M)
_VOLUME_PATH = re.compile(r"^/vmfs/volumes/([^/]+)/(?:(.+)/)?([^/]+)\.vmx$")
_UUID_LIKE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f-]{32,}$")

_ESX_BUNDLE = re.compile(r"(?:^|[/!])esx-(.+?)-\d{4}-\d\d-\d\d--\d\d\.\d\d(?:-\d+)?(?:[/!.]|$)")
_VC_BUNDLE = re.compile(r"(?:^|[/!])vc-(.+?)-\d{4}-\d\d-\d\d--\d\d\.\d\d(?:-\d+)?(?:[/!.]|$)")
_LOOPBACK = ("127.", "::1", "0.0.0.0")
_HOSTNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$")


@dataclass(frozen=True, slots=True)
class VmIdentity:
    """What a vmware.log says about its VM; any part may be missing."""

    display_name: str | None = None
    vmx_stem: str | None = None  # "app-db-01" of ".../app-db-01.vmx"
    folder: str | None = None  # the VM folder on the datastore
    datastore: str | None = None  # only when the path names it (not a volume UUID)
    host: str | None = None  # the ESXi host the VM ran on ("Hostname=" in the header)

    @property
    def name(self) -> str | None:
        return self.display_name or self.vmx_stem or self.folder

    def aliases(self) -> set[str]:
        """Other names lines may use for this VM (its folder, its .vmx file name)."""
        return {n for n in (self.vmx_stem, self.folder) if n and n != self.name}


def vm_identity(head: bytes, path: str) -> VmIdentity:
    """The VM a vmware.log belongs to: its header first, then the folder it sits in."""
    display = _DISPLAY_NAME.search(head)
    hostname = _VMX_HOSTNAME.search(head)
    config = _CONFIG_FILE.search(head)
    stem = folder = datastore = None
    if config:
        vmx = config.group(1).decode("utf-8", "replace").strip().replace("\\", "/")
        m = _VOLUME_PATH.match(vmx)
        if m:
            datastore = None if _UUID_LIKE.match(m.group(1)) else m.group(1)
            folder = m.group(2).rsplit("/", 1)[-1] if m.group(2) else None
            stem = m.group(3)
        else:
            stem = vmx.rsplit("/", 1)[-1].removesuffix(".vmx") or None
    path_folder, path_ds = folder_of(path)
    return VmIdentity(
        host=hostname.group(1).decode("ascii") if hostname else None,
        display_name=display.group(1).decode("utf-8", "replace").strip() if display else None,
        vmx_stem=stem,
        folder=folder or path_folder,
        datastore=datastore or path_ds,
    )


def folder_of(inner_path: str) -> tuple[str | None, str | None]:
    """A vmware.log lives in its VM folder: ``.../vmfs/volumes/<ds>/<vm>/vmware.log``."""
    parts = [p for p in inner_path.replace("\\", "/").split("/") if p]
    folder = parts[-2] if len(parts) >= 2 else None
    ds = None
    if "volumes" in parts:
        i = parts.index("volumes")
        if len(parts) - i == 4 and not _UUID_LIKE.match(parts[i + 1]):
            ds = parts[i + 1]
    return folder, ds


def host_from_bundle_name(name: str) -> str | None:
    """``esx-esx01.lab.local-2026-11-20--03.40-12345`` (file or folder) -> the host name."""
    m = _ESX_BUNDLE.search(name.replace("\\", "/"))
    return m.group(1) if m else None


def vcenter_from_bundle_name(name: str) -> str | None:
    m = _VC_BUNDLE.search(name.replace("\\", "/"))
    return m.group(1) if m else None


def is_host_identity_file(inner_path: str) -> bool:
    """Bundle files that name the host: etc/hosts, commands/hostname*, esxcli hostname."""
    path = inner_path.replace("\\", "/").lower()
    base = path.rsplit("/", 1)[-1]
    if path == "etc/hosts" or path.endswith("/etc/hosts"):
        return True
    return "commands/" in path and (base.startswith("hostname") or "hostname-get" in base)


def host_from_identity_file(inner_path: str, data: bytes) -> str | None:
    """The host's name as the file gives it (an FQDN when the file has one)."""
    text = data.decode("utf-8", "replace")
    if inner_path.replace("\\", "/").lower().endswith("etc/hosts"):
        return _from_etc_hosts(text)
    fqdn = re.search(r"Fully Qualified Domain Name:\s*(\S+)", text)
    if fqdn:
        return _clean(fqdn.group(1))
    short = re.search(r"Host Name:\s*(\S+)", text)
    if short:
        return _clean(short.group(1))
    for line in text.splitlines():
        if line.strip():
            return _clean(line.strip().split()[0])
    return None


def _from_etc_hosts(text: str) -> str | None:
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 2 or fields[0].startswith(_LOOPBACK):
            continue
        names = [n for n in fields[1:] if not n.startswith("localhost")]
        if names:
            return _clean(max(names, key=lambda n: n.count(".")))  # the FQDN over the alias
    return None


def _clean(name: str) -> str | None:
    name = name.strip().rstrip(".")
    if not _HOSTNAME.match(name) or name.startswith("localhost"):
        return None
    return name
