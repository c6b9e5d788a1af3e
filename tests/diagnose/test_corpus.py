"""Measured accuracy on the labelled scenario corpus, kept as a regression test.

Targets (issue 5): top-1 >= 90 %, top-3 = 100 %, at least 40 scenarios covering every
symptom kind and every family.
"""

from __future__ import annotations

from functools import cache

import pytest

from diagnose.scenarios import Scenario, written_scenarios
from diagnose.scenarios.demo import demo_scenarios
from vmdoctor.diagnose import diagnose
from vmdoctor.diagnose.causes import RULES_BY_ID
from vmdoctor.diagnose.kinds import ANY_SYMPTOM
from vmdoctor.model import Family


@cache
def corpus() -> tuple[Scenario, ...]:
    return (*written_scenarios(), *demo_scenarios())


@cache
def ranked(name: str) -> tuple[str, ...]:
    scenario = next(s for s in corpus() if s.name == name)
    found = diagnose(scenario.env, scenario.target, scenario.at)
    return tuple(c.cause_id for c in found[0].causes) if found else ()


def test_corpus_is_large_and_covers_every_symptom_and_family() -> None:
    scenarios = corpus()
    assert len(scenarios) >= 40
    assert {s.symptom_kind for s in scenarios} >= ANY_SYMPTOM
    assert {RULES_BY_ID[s.true_cause].family for s in scenarios} == set(Family)
    assert len({s.name for s in scenarios}) == len(scenarios)
    assert any(s.target is None for s in scenarios), "some scenarios ask without a target"


def test_every_label_names_a_catalogue_cause() -> None:
    assert [s.name for s in corpus() if s.true_cause not in RULES_BY_ID] == []


def test_accuracy_meets_the_targets() -> None:
    scenarios = corpus()
    top1 = [s.name for s in scenarios if ranked(s.name)[:1] == (s.true_cause,)]
    top3 = [s.name for s in scenarios if s.true_cause in ranked(s.name)[:3]]
    assert len(top1) / len(scenarios) >= 0.90, sorted({s.name for s in scenarios} - set(top1))
    assert len(top3) == len(scenarios), sorted({s.name for s in scenarios} - set(top3))


@pytest.mark.parametrize("scenario", written_scenarios(), ids=lambda s: s.name)
def test_written_scenario_top3(scenario: Scenario) -> None:
    assert scenario.true_cause in ranked(scenario.name)[:3]
