"""`plan`: the checked model -> the steps an engine takes, in dependency order.

Each step names one declaration of one subject kind and what it is; an award that reads
another award's recipients (or whose quota counts them) comes after it. Engines walk the
steps; expressions stay the checked syntax tree, whose types and enum resolutions the
model records (`Model.types`, `Model.enum_refs`).
"""

from __future__ import annotations

from typing import Literal

import attrs

from emurules.check.model import Model
from emurules.syntax import ast

StepKind = Literal["criterion", "score", "let", "award", "ranking"]
Decl = ast.CriterionDecl | ast.ScoreDecl | ast.LetDecl | ast.AwardDecl | ast.RankingDecl


@attrs.frozen
class Step:
    kind: str
    name: str
    what: StepKind
    decl: Decl


@attrs.frozen
class Plan:
    model: Model
    steps: tuple[Step, ...]
    rules: tuple[ast.RuleDecl, ...]
    round_digits: int | None
    year: int | None


def plan(model: Model) -> Plan:
    """Order the declarations of a checked model for evaluation."""
    found: dict[tuple[str, str], Step] = {}
    rules: list[ast.RuleDecl] = []
    for decl in model.module.decls:
        match decl:
            case ast.CriterionDecl() | ast.LetDecl() | ast.AwardDecl() | ast.RankingDecl():
                what: StepKind = {
                    ast.CriterionDecl: "criterion", ast.LetDecl: "let",
                    ast.AwardDecl: "award", ast.RankingDecl: "ranking",
                }[type(decl)]  # type: ignore[assignment]  # fmt: skip
                key = (decl.subject.text, decl.name.text)
                found[key] = Step(decl.subject.text, decl.name.text, what, decl)
            case ast.ScoreDecl():
                key = (decl.subject.text, "score")
                found[key] = Step(decl.subject.text, "score", "score", decl)
            case ast.RuleDecl():
                rules.append(decl)
            case _:
                pass
    settings: dict[str, int] = {}
    ruleset = model.tables.ruleset
    for setting in ruleset.settings if ruleset is not None else ():
        if isinstance(setting.value, int):
            settings[setting.key] = setting.value
    return Plan(
        model=model,
        steps=tuple(found[node] for node in model.order if node in found),
        rules=tuple(rules),
        round_digits=settings.get("round"),
        year=settings.get("year"),
    )
