"""Rendering: evidence is never cut, and the chain shows in the terminal, JSON and HTML."""

from __future__ import annotations

import io
import json
import re
from functools import cache

from rich.console import Console

from diagnose.scenarios._lab import Builder, at, background
from vmdoctor.diagnose import diagnose
from vmdoctor.diagnose.render import render_html, render_json, render_terminal
from vmdoctor.diagnose.render.terminal import evidence_text
from vmdoctor.model import Environment
from vmdoctor.model.diagnosis import Diagnosis

GIB = 1024**3
LONG = (
    "Failed to extend swap file from 0 KB to 67108864 KB because the datastore "
    "ds-prod-01 has no free space left: the tail of this line must reach the admin intact"
)


@cache
def _case() -> tuple[Environment, Diagnosis]:
    from factories import make_snapshot

    b = background(Builder())
    b.vmx("vm1", -0.1, LONG)
    b.task(
        "PowerOnVM_Task",
        0,
        vm="vm1",
        state="error",
        fault="GenericVmConfigFault",
        message="Failed to extend swap file from 0 KB to 67108864 KB.",
    )
    b.ds_kw["ds1"] = {"free_bytes": 12 * GIB, "uncommitted_bytes": 0}
    b.vm_kw["vm2"] = {"snapshots": [make_snapshot("s1", days_old=30, size_bytes=400 * GIB)]}
    env = b.build()
    return env, diagnose(env, "app-db-01", at(0))[0]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _render(width: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=False, color_system=None)
    render_terminal(console, [_case()[1]])
    return out.getvalue()


def test_narrow_console_folds_evidence_and_never_truncates() -> None:
    diag = _case()[1]
    for width in (50, 80, 140):
        text = _render(width)
        assert "…" not in text.replace("… ", "")  # only the "… N earlier records" marker
        assert all(len(line) <= width for line in text.splitlines())
        squashed = _squash(text)
        assert _squash(LONG) in squashed, width
        for item in diag.causes[0].evidence:
            assert _squash(evidence_text(item)) in squashed, (width, item.text)


def test_terminal_shows_the_root_cause_and_the_steps() -> None:
    diag = _case()[1]
    text = _render(100)
    root = diag.causes[0].chain[0]
    assert "Root cause:" in text and "→" in text
    assert _squash(root.statement) in _squash(text)
    assert "Now:" in text and "Then:" in text  # the root's fix, then the immediate one
    now_block = _squash(text.split("Now:", 1)[1])
    assert now_block.startswith(_squash(root.remediation)[:30])


def test_json_carries_the_chain() -> None:
    env, diag = _case()
    doc = json.loads(render_json(env, [diag], target="app-db-01"))
    assert doc["schema_version"] == "1.1"
    chain = doc["causes"][0]["chain"]
    assert chain[0]["object"]["name"] == "app-web-01" and chain[0]["family"] == "storage"
    assert chain[0]["remediation"] and chain[0]["evidence"]
    assert chain[-1]["object"]["name"] == "app-db-01"


def test_html_shows_the_chain_escaped() -> None:
    env, diag = _case()
    page = render_html(env, [diag]).decode()
    assert "Root cause:" in page and 'class="chain"' in page
    assert "app-web-01" in page
