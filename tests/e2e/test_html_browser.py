"""The HTML report in a real headless Chromium: offline, filterable, sortable, drillable, charted.

Needs the Debian packages chromium and chromium-driver and pip selenium. Missing ones fail the
test with the command that installs them: a browser test that skips proves nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from report_factories import XSS, make_finding, make_result, many_findings, sample_env
from vmdoctor.model import Finding, Severity, Status
from vmdoctor.report import Report, build_report, render_html

from factories import GIB, make_datastore, make_host

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "apt-get update && apt-get install -y chromium chromium-driver"
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--window-size=1400,1000",
)
# an attribute-based payload: runs on innerHTML insertion, where <script> would not
IMG_XSS = "<img src=x onerror=\"document.title='pwned'\">"


def _selenium() -> Any:
    try:
        from selenium import webdriver
    except ImportError:  # pragma: no cover - the failure message is the point
        pytest.fail("selenium is not installed: pip install -e '.[dev]' (or pip install selenium)")
    return webdriver


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found; install the browser with: {INSTALL}")
    webdriver = _selenium()
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="vmdoctor-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def browser_report() -> Report:
    """450 generated findings (five pages) plus hand-made ones with hostile names."""
    hostile = [
        make_finding("STO001", severity=Severity.CRITICAL, obj_id="ds9", obj_name=f"ds-{XSS}"),
        make_finding(
            "SEC002",
            severity=Severity.HIGH,
            obj_type="host",
            obj_id="h9",
            obj_name=IMG_XSS,
            message=f"message {IMG_XSS}",
        ),
        make_finding(
            "SEC002", status=Status.UNKNOWN, obj_type="host", obj_id="h9", obj_name=IMG_XSS
        ),
    ]
    env = sample_env(
        datastores=[
            make_datastore(id=f"ds{i}", name=f"ds-{i:02d}", free_bytes=(100 + 150 * i) * GIB)
            for i in range(8)
        ],
        hosts=[
            make_host(id=f"h{i}", name=f"esx{i:02d}", cpu_usage_mhz=10_000 * (i + 1))
            for i in range(6)
        ],
    )
    return build_report(env, make_result([*hostile, *many_findings(450)], passed={"STO001": 5}))


@pytest.fixture(scope="module")
def report() -> Report:
    return browser_report()


@pytest.fixture(scope="module")
def report_file(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(report), "utf-8")
    return path


@pytest.fixture
def page(driver: Any, report_file: Path) -> Path:
    """The report freshly loaded: every test starts unfiltered, unsorted, panel closed."""
    driver.get("about:blank")
    driver.get_log("performance")  # drop what earlier tests caused
    driver.get(report_file.as_uri())
    wait_for(lambda: driver.find_element("id", "match-count").get_attribute("data-count"))
    return report_file


def wait_for(condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within timeout")
        time.sleep(0.05)


def match_count(driver: Any) -> int:
    return int(driver.find_element("id", "match-count").get_attribute("data-count"))


def wait_count(driver: Any, expected: int) -> None:
    try:
        wait_for(lambda: match_count(driver) == expected)
    except AssertionError:
        raise AssertionError(f"match count {match_count(driver)}, expected {expected}") from None


def table_rows(driver: Any) -> list[Any]:
    return driver.find_elements("css selector", "#findings-body tr")


def select(driver: Any, element_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", element_id)).select_by_value(value)


def type_filter(driver: Any, text: str) -> None:
    box = driver.find_element("id", "filter-text")
    box.clear()
    if text:
        box.send_keys(text)
    else:  # clear() sends no input event
        driver.execute_script("arguments[0].dispatchEvent(new Event('input'))", box)


def reset_filters(driver: Any, report: Report) -> None:
    type_filter(driver, "")
    for element_id in ("filter-family", "filter-severity", "filter-status"):
        select(driver, element_id, "")
    wait_count(driver, len(report.findings))


def test_no_network_requests_and_no_script_errors(driver: Any, page: Path) -> None:
    html = page.read_text("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    requested = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    assert requested, "the performance log saw no request at all: the check below would be void"
    external = [u for u in requested if not u.startswith(("file:", "data:", "about:"))]
    assert not external, external
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def test_hostile_names_render_as_text(driver: Any, page: Path, report: Report) -> None:
    assert driver.title != "pwned"
    assert not driver.find_elements("css selector", "#findings-body img")
    type_filter(driver, "onerror")
    wait_count(driver, 2)
    cells = [r.text for r in table_rows(driver)]
    assert any(IMG_XSS in c for c in cells)
    assert driver.title != "pwned"


def test_pages_through_findings(driver: Any, page: Path, report: Report) -> None:
    total = len(report.findings)
    assert match_count(driver) == total
    assert len(table_rows(driver)) == 100
    first_page = table_rows(driver)[0].text
    driver.find_element("id", "page-next").click()
    wait_for(lambda: "rows 101–200" in driver.find_element("id", "page-info").text)
    assert table_rows(driver)[0].text != first_page
    driver.find_element("id", "page-prev").click()
    wait_for(lambda: "rows 1–100" in driver.find_element("id", "page-info").text)


def test_filters_change_the_row_count(driver: Any, page: Path, report: Report) -> None:
    findings = report.findings
    select(driver, "filter-severity", "critical")
    wait_count(driver, sum(f.severity is Severity.CRITICAL for f in findings))
    select(driver, "filter-status", "UNKNOWN")
    wait_count(
        driver,
        sum(f.severity is Severity.CRITICAL and f.status is Status.UNKNOWN for f in findings),
    )
    select(driver, "filter-severity", "")
    select(driver, "filter-status", "")
    select(driver, "filter-family", "security")
    wait_count(driver, sum(f.family.value == "security" for f in findings))
    select(driver, "filter-family", "")
    type_filter(driver, "vm-000010")
    wait_count(driver, sum(f.object.name == "vm-000010" for f in findings))
    assert all("vm-000010" in r.text for r in table_rows(driver))
    reset_filters(driver, report)


def test_sorts_by_clicking_headers(driver: Any, page: Path, report: Report) -> None:
    header = driver.find_element("css selector", "#findings-table th[data-sort=object]")
    names = sorted(f.object.name.lower() for f in report.findings)

    def first_object() -> str:
        text: str = table_rows(driver)[0].find_element("css selector", "button.object-link").text
        return text.lower()

    header.click()
    wait_for(lambda: first_object() == names[0])
    assert "sorted-asc" in header.get_attribute("class")
    header.click()
    wait_for(lambda: first_object() == names[-1])
    assert "sorted-desc" in header.get_attribute("class")


def test_object_drill_down(driver: Any, page: Path, report: Report) -> None:
    type_filter(driver, "vm-000042")
    wait_count(driver, sum(f.object.name == "vm-000042" for f in report.findings))
    table_rows(driver)[0].find_element("css selector", "button.object-link").click()
    panel = driver.find_element("id", "object-panel")
    wait_for(panel.is_displayed)
    assert driver.find_element("id", "object-title").text == "vm vm-000042"
    own = [f for f in report.findings if f.object.id == "vm42"]
    boxes = panel.find_elements("css selector", ".object-finding")
    assert len(boxes) == len(own) == 2
    assert own[0].message in panel.text and "Remediation:" in panel.text
    assert "#object=vm%3Avm42" in driver.current_url
    driver.find_element("id", "object-close").click()
    wait_for(lambda: not panel.is_displayed())


def test_drill_down_from_a_link(driver: Any, page: Path) -> None:
    driver.get(page.as_uri() + "#object=host%3Ah9")
    driver.refresh()
    panel = driver.find_element("id", "object-panel")
    wait_for(panel.is_displayed)
    assert len(panel.find_elements("css selector", ".object-finding")) == 2
    assert IMG_XSS in driver.find_element("id", "object-title").text
    assert driver.title != "pwned"


def test_charts_render(driver: Any, page: Path) -> None:
    for chart, bars in (("datastore-chart", 8), ("host-chart", 12), ("severity-chart", 5)):
        rects = driver.find_elements("css selector", f"#{chart} svg rect")
        assert len(rects) == bars, chart
        widths = [driver.execute_script("return arguments[0].getBBox().width", r) for r in rects]
        assert max(widths) > 0, chart
    # the fullest datastore comes first and is drawn as critical
    first_label = driver.find_element("css selector", "#datastore-chart svg text.label").text
    assert first_label == "ds-00"


def test_large_report_stays_responsive(driver: Any, tmp_path: Path) -> None:
    """20k findings: the DOM holds one page of rows, filtering answers quickly."""
    findings: list[Finding] = many_findings(20_000)
    report = build_report(sample_env(), make_result(findings))
    path = tmp_path / "large.html"
    path.write_text(render_html(report), "utf-8")
    started = time.monotonic()
    driver.get(path.as_uri())
    wait_for(lambda: driver.find_element("id", "match-count").get_attribute("data-count"))
    assert time.monotonic() - started < 20
    assert match_count(driver) == 20_000
    assert len(table_rows(driver)) == 100
    select(driver, "filter-severity", "high")
    wait_count(driver, sum(f.severity is Severity.HIGH for f in findings))
    payload = driver.execute_script(
        "return JSON.parse(document.getElementById('findings-data').textContent).findings.length"
    )
    assert payload == 20_000
