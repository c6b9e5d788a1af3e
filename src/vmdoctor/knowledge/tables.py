"""Typed rows of the knowledge tables, one ``msgspec.Struct`` per CSV file.

Every row keeps ``confidence`` (high / medium / low) and ``source``. An empty CSV cell means
"unknown" and becomes ``None`` (or the empty default), never zero. Columns holding several
values (CVE ids, STIG ids) are separated by ``;``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import msgspec

Confidence = Literal["high", "medium", "low"]


class Row(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    confidence: Confidence
    source: str


class EsxiBuild(Row, frozen=True, kw_only=True):
    version_line: str  # "8.0"
    update: str  # "GA" | "U1" | ... : the update branch the build belongs to
    version: str  # "8.0.1" as the API reports it (6.x lines do not encode the update)
    release: str  # "ESXi 8.0 Update 1c"
    bulletin: str = ""
    build: int
    release_date: date | None = None  # None: not known (recalled builds)
    kind: Literal["iso", "patch"]
    security_only: bool = False  # released beside a full patch with the same security fixes
    recalled: bool = False


class VCenterBuild(Row, frozen=True, kw_only=True):
    version_line: str
    update: str
    version: str  # "8.0.3"
    release: str
    build: int  # about.build, what the API and the vSphere Client show
    iso_build: int | None = None
    appliance_version: str = ""
    release_date: date


class Lifecycle(Row, frozen=True, kw_only=True):
    product: Literal["esxi", "vcenter"]
    version_line: str
    general_availability: date
    end_of_general_support: date
    end_of_technical_guidance: date


class Advisory(Row, frozen=True, kw_only=True):
    """One advisory for one version line (``branch`` empty) or one update branch of it."""

    advisory: str  # "VMSA-2024-0006"
    published: date
    product: Literal["esxi", "vcenter", "tools"]
    version_line: str = ""  # "8.0"; empty for Tools rows
    branch: str = ""  # "U2": the row covers only builds of that update branch
    affected_from: str = ""  # Tools rows: first affected Tools version
    fix_status: Literal["fixed", "unknown", "none"]  # none = no fix will be released
    fixed_release: str = ""
    fixed_build: int | None = None
    fixed_version: str = ""  # Tools rows: first fixed Tools version
    cves: tuple[str, ...]
    cvss_max: float
    exploited: bool  # exploitation in the wild reported
    kev: bool  # listed in the CISA Known Exploited Vulnerabilities catalogue
    kev_added: date | None = None
    title: str
    applies_if: str = ""  # a condition narrowing who is affected


class AdvisoryCve(Row, frozen=True, kw_only=True):
    cve: str
    advisory: str
    cvss: float | None = None
    exploited: bool = False
    kev_added: date | None = None


class HwVersion(Row, frozen=True, kw_only=True):
    hw_version: int
    first_esxi: str = ""  # "7.0 U2"; empty for Workstation/Fusion-only versions
    on_esxi: bool


class EsxiMaxHw(Row, frozen=True, kw_only=True):
    esxi_release: str  # "8.0 U2"
    max_hw_version: int


class ToolsVersion(Row, frozen=True, kw_only=True):
    tools_version: str  # "12.1.5"
    version_int: int
    tools_build: int | None = None
    bundled_line: str = ""  # ESXi line whose patch bundles this release; empty = not bundled
    bundled_esxi_build: int | None = None
    release_date: date | None = None


class GuestOs(Row, frozen=True, kw_only=True):
    guest_id: str
    full_name: str
    min_esxi: str  # first ESXi release whose API knows the id ("8.0 U3")
    min_esxi_is_bound: bool = False  # True: known by then, perhaps earlier


class HardeningControl(Row, frozen=True, kw_only=True):
    control_id: str  # "esxi-8.deactivate-ssh"
    object: Literal["host", "vcenter", "vm", "guest", "vsan_cluster"]
    setting_key: str = ""
    default_value: str = ""
    recommended_value: str = ""
    priority: str = ""  # SCG P0 / P1 / P2 / Advanced
    severity: Literal["info", "low", "medium", "high"]
    api_readable: bool  # False: the vSphere API cannot show the value (manual review)
    api_path: str = ""
    disa_stig_ids: tuple[str, ...] = ()
    disa_stig_value: str = ""
    baseline: str


class PerfThreshold(Row, frozen=True, kw_only=True):
    metric: str
    entity: str
    esxtop: str = ""
    unit: str = ""
    warning: float | None = None
    critical: float | None = None
    op: Literal["gt", "ge", "lt"]


class PerfInterval(Row, frozen=True, kw_only=True):
    interval: str
    sample_seconds: int
    retention: str
    ready_ms_10pct_per_vcpu: int


class ProfileControl(Row, frozen=True, kw_only=True):
    profile: str  # "scg-8"
    control_id: str
    disa_stig_ids: tuple[str, ...] = ()
    check_ids: tuple[str, ...] = ()
    status: Literal["automated", "manual", "not-covered"]
    note: str = ""
    title: str = ""  # what the control asks for, in a few words (vmdoctor's wording)


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    row_type: type[Row]
    key: Callable[[Any], Hashable]  # must be unique within the table


TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec("esxi_builds", EsxiBuild, lambda r: r.build),
    TableSpec("vcenter_builds", VCenterBuild, lambda r: r.build),
    TableSpec("lifecycle", Lifecycle, lambda r: (r.product, r.version_line)),
    TableSpec(
        "advisories",
        Advisory,
        lambda r: (r.advisory, r.product, r.version_line, r.branch, r.affected_from),
    ),
    TableSpec("advisory_cves", AdvisoryCve, lambda r: r.cve),
    TableSpec("hw_versions", HwVersion, lambda r: r.hw_version),
    TableSpec("esxi_max_hw_version", EsxiMaxHw, lambda r: r.esxi_release),
    TableSpec("tools_versions", ToolsVersion, lambda r: (r.tools_version, r.bundled_esxi_build)),
    TableSpec("guest_os", GuestOs, lambda r: r.guest_id),
    TableSpec("hardening", HardeningControl, lambda r: r.control_id),
    TableSpec("perf_thresholds", PerfThreshold, lambda r: (r.metric, r.entity, r.esxtop)),
    TableSpec("perf_intervals", PerfInterval, lambda r: r.interval),
    TableSpec("profile_scg8", ProfileControl, lambda r: (r.profile, r.control_id)),
)

LIST_SEPARATOR = ";"
