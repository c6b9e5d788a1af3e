"""The labelled scenario corpus: each scenario is an Environment plus the true cause."""

from __future__ import annotations

from ._types import Scenario


def written_scenarios() -> list[Scenario]:
    from . import infra, parsed, poweron, vm

    return [*poweron.scenarios(), *vm.scenarios(), *infra.scenarios(), *parsed.scenarios()]


__all__ = ["Scenario", "written_scenarios"]
