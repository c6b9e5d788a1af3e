"""Suite-wide hooks."""

from __future__ import annotations

from pathlib import Path

import pytest

CHECK_TESTS = Path(__file__).parent / "checks"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """When every check test module ran, each check must have been seen passing AND failing.

    Check tests go through ``factories.run_one``, which records the outcomes.
    """
    from vmdoctor.checks.registry import registry

    import factories

    ran = {Path(str(item.path)) for item in session.items}
    expected = set(CHECK_TESTS.glob("test_*.py"))
    if not expected or not expected <= ran or session.testsfailed:
        return
    missing = []
    for chk in registry():
        for status in ("PASS", "FAIL"):
            if (chk.id, status) not in factories.OUTCOMES_SEEN:
                missing.append(f"{chk.id} has no {status} case")
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("check cases missing: " + "; ".join(missing), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
