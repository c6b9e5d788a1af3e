"""The HTML timeline view: one self-contained page (inline CSS, no scripts from elsewhere)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from jinja2 import Environment as Jinja
from jinja2 import PackageLoader, select_autoescape

from vmdoctor.model import Environment
from vmdoctor.model.diagnosis import Diagnosis


def _jinja() -> Jinja:
    return Jinja(
        loader=PackageLoader("vmdoctor.diagnose", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(env: Environment, diagnoses: Sequence[Diagnosis]) -> bytes:
    page = (
        _jinja()
        .get_template("why.html.j2")
        .render(
            source=env.source.name,
            collected_at=env.collected_at,
            generated_at=datetime.now(UTC),
            diagnoses=diagnoses,
        )
    )
    return page.encode()
