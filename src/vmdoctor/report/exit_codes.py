"""Process exit codes following the monitoring-plugin convention (Nagios, Icinga, Sensu).

    0 OK        nothing that counts failed
    1 WARNING   a FAIL that counts, none critical
    2 CRITICAL  a FAIL of critical severity that counts
    3 UNKNOWN   nothing could be decided: no evaluation passed or failed (no checks ran, no
                objects, or every result was UNKNOWN / ERROR / SKIPPED)

Which FAILs count: by default those of medium severity or above (low and info findings are
advice, not alerts). ``fail_on`` moves that floor: with ``fail_on=LOW`` a low FAIL gives 1,
with ``fail_on=CRITICAL`` only critical FAILs matter. Suppressed findings (SKIPPED) never count.

UNKNOWN and ERROR results do not change the code of a scan that decided something: they are
reported (terminal, JSON, HTML) but a monitoring system would otherwise flap to UNKNOWN on
every estate with one host whose metrics were not collected.
"""

from __future__ import annotations

from enum import IntEnum

from vmdoctor.model import ScanResult, Severity, Status

DEFAULT_FAIL_ON = Severity.MEDIUM


class ExitCode(IntEnum):
    OK = 0
    WARNING = 1
    CRITICAL = 2
    UNKNOWN = 3


def exit_code(result: ScanResult, fail_on: Severity | None = None) -> int:
    floor = (fail_on or DEFAULT_FAIL_ON).rank
    counted = [
        f.severity for f in result.findings if f.status is Status.FAIL and f.severity.rank >= floor
    ]
    if Severity.CRITICAL in counted:
        return ExitCode.CRITICAL
    if counted:
        return ExitCode.WARNING
    if not any(s.passed or s.failed for s in result.stats):
        return ExitCode.UNKNOWN
    return ExitCode.OK
