"""Renderers for diagnoses: a terminal story, a JSON document, an HTML timeline."""

from vmdoctor.diagnose.render.html import render_html
from vmdoctor.diagnose.render.json import render_json, to_document
from vmdoctor.diagnose.render.terminal import render_incidents, render_terminal

__all__ = ["render_html", "render_incidents", "render_json", "render_terminal", "to_document"]
