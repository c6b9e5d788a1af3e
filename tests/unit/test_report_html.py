"""The HTML report without a browser: self-contained, escaped, complete (browser: tests/e2e)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from report_factories import XSS, make_finding, make_result, sample_report
from vmdoctor.model import Family
from vmdoctor.report import REPORTERS, ReportOptions, build_report, render_html
from vmdoctor.report.html_payload import json_for_script

from factories import make_env


class Collector(HTMLParser):
    """Elements and attributes as the browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        for name in ("src", "href", "action", "data", "poster"):
            if attributes.get(name):
                self.urls.append(attributes[name] or "")
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")


def parsed(html: str) -> Collector:
    c = Collector()
    c.feed(html)
    return c


def payload_of(html: str) -> dict:  # type: ignore[type-arg]
    m = re.search(r'<script type="application/json" id="findings-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))  # type: ignore[no-any-return]


def test_self_contained_no_external_urls() -> None:
    html = render_html(sample_report())
    doc = parsed(html)
    assert all(u.startswith("#") for u in doc.urls), doc.urls
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html  # CSP: the browser itself refuses any fetch


def test_script_names_are_escaped_everywhere() -> None:
    html = render_html(sample_report())
    doc = parsed(html)
    # exactly our two script elements: the JSON data and the code
    assert [s.get("type") for s in doc.scripts] == ["application/json", None]
    assert XSS not in html
    assert "&lt;script&gt;" in html  # datastore chart label, gap reason
    payload = payload_of(html)
    assert [o[2] for o in payload["objects"]].count(f"vm-{XSS}") == 1  # decoded verbatim


def test_json_blob_cannot_break_out_of_its_script_element() -> None:
    hostile = {"name": "</script><script>alert(1)</script><!-- & -->"}
    text = str(json_for_script(hostile))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == hostile


def test_payload_has_every_finding_with_deduplicated_checks_and_objects() -> None:
    report = sample_report()
    payload = payload_of(render_html(report))
    assert len(payload["findings"]) == len(report.findings)
    assert len(payload["checks"]) == len({f.check_id for f in report.findings})
    assert len(payload["objects"]) == len({(f.object.type, f.object.id) for f in report.findings})
    check, status, severity, obj, message, evidence = payload["findings"][0]
    assert payload["checks"][check][0] == "STO001"
    assert payload["statuses"][status] == "FAIL"
    assert payload["severities"][severity] == "critical"
    assert payload["objects"][obj][2] == "ds-prod-01"
    assert message == "only 3.9 % free" and evidence == "free_pct=3.9; thin=true; note="


def test_sections_charts_gaps_and_check_statistics() -> None:
    html = render_html(sample_report())
    doc = parsed(html)
    for family in Family:
        assert f"family-{family.value}" in doc.ids
    for section in ("summary", "health", "charts", "findings", "gaps", "checks", "object-panel"):
        assert section in doc.ids
    assert {"datastore-chart", "host-chart", "severity-chart"} <= doc.ids
    assert doc.tags.count("svg") == 3
    # three datastores, two hosts × (cpu, memory), five severity columns
    assert doc.tags.count("rect") == 3 + 4 + 5
    assert "performance statistics level 1" in html
    assert "STO001" in html and "SEC002" in html


def test_charts_say_when_data_is_missing() -> None:
    from factories import make_datastore

    env = make_env(datastores=[make_datastore(capacity_bytes=None, free_bytes=None)])
    html = render_html(build_report(env, make_result([make_finding()])))
    assert "No data: 1 object(s)" in html
    empty = render_html(build_report(make_env(datastores=[]), make_result([make_finding()])))
    assert "No such objects in this estate" in empty


def test_writer_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "scan.html"
    REPORTERS["html"].write(sample_report(), ReportOptions(output=target))
    assert target.read_text("utf-8").startswith("<!doctype html>")


def test_passed_findings_are_included_when_asked_for() -> None:
    from vmdoctor.model import Status

    passed = make_finding("RES001", status=Status.PASS, message="")
    result = make_result([make_finding()], passed_findings=[passed])
    payload = payload_of(render_html(build_report(make_env(), result)))
    assert [payload["statuses"][row[1]] for row in payload["findings"]] == ["FAIL", "PASS"]
