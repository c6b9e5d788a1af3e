"""Version arithmetic: ESXi/vCenter releases, VMware Tools integers, virtual hardware versions."""

from __future__ import annotations

import re
from functools import lru_cache

#: (major, minor, update): "8.0 U2" and "8.0.2" are both (8, 0, 2).
Release = tuple[int, int, int]

_RELEASE_RE = re.compile(r"\s*(?:<=)?\s*(\d+)\.(\d+)(?:\.(\d+))?(?:\s*U(\d+))?")


@lru_cache(maxsize=1024)
def parse_release(text: str | None) -> Release | None:
    """``"8.0 U2"``, ``"8.0.2"``, ``"8.0.2.00100"`` -> (8, 0, 2); None when unparseable."""
    if not text:
        return None
    m = _RELEASE_RE.match(text)
    if m is None:
        return None
    update = m.group(4) or m.group(3) or "0"
    return int(m.group(1)), int(m.group(2)), int(update)


def update_number(update: str) -> int:
    """``"GA"`` -> 0, ``"U3"`` -> 3."""
    return 0 if update == "GA" else int(update.removeprefix("U"))


def version_line(version: str | None) -> str | None:
    """``"8.0.3"`` -> ``"8.0"``."""
    release = parse_release(version)
    return None if release is None else f"{release[0]}.{release[1]}"


def release_label(release: Release) -> str:
    major, minor, update = release
    return f"{major}.{minor}" + (f" U{update}" if update else "")


# --- VMware Tools ------------------------------------------------------------------------------
# open-vm-tools lib/include/vm_tools_version.h: TOOLS_VERSION_UINT(MJR, MNR, BASE)
TOOLS_VERSION_NONE = 0
TOOLS_VERSION_UNMANAGED = 0x7FFFFFFF  # guest OS packages (open-vm-tools), not managed by vSphere
TOOLS_VERSION_INVALID = 0xFFFFFFFF

_TOOLS_SPECIAL = {
    TOOLS_VERSION_NONE: "none",
    TOOLS_VERSION_UNMANAGED: "unmanaged",
    TOOLS_VERSION_INVALID: "invalid",
    -1: "invalid",
}


def tools_int(major: int, minor: int, patch: int) -> int:
    if not (0 <= minor < 32 and 0 <= patch < 32 and major >= 0):
        raise ValueError(f"Tools version {major}.{minor}.{patch} cannot be encoded")
    return (major << 10) + (minor << 5) + patch


def tools_version_to_int(version: str) -> int:
    """``"12.2.0"`` -> 12352. Raises ValueError for anything else."""
    parts = version.strip().split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a Tools version (major.minor.patch): {version!r}")
    return tools_int(int(parts[0]), int(parts[1]), int(parts[2]))


@lru_cache(maxsize=4096)
def tools_int_to_version(value: int) -> str:
    """12352 -> ``"12.2.0"``; 0 -> ``"none"``; 2147483647 -> ``"unmanaged"``."""
    special = _TOOLS_SPECIAL.get(value)
    if special is not None:
        return special
    if value < 0:
        raise ValueError(f"not a Tools version number: {value}")
    return f"{value >> 10}.{(value >> 5) & 0x1F}.{value & 0x1F}"


def is_real_tools_version(value: int | None) -> bool:
    return value is not None and value not in _TOOLS_SPECIAL and value > 0


# --- virtual hardware --------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def hw_version_number(hw_version: str | int | None) -> int | None:
    """``"vmx-19"`` -> 19."""
    if hw_version is None:
        return None
    if isinstance(hw_version, int):
        return hw_version
    m = re.fullmatch(r"\s*(?:vmx-)?(\d+)\s*", hw_version)
    return int(m.group(1)) if m else None
