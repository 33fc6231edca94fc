"""`emurules doc`: a criteria file as a document an office could publish.

The document is built once (`document`) as headings, paragraphs, lists and tables in the
reader's language, and written as Markdown, HTML or Word (report/doc_markdown.py,
doc_html.py, doc_docx.py). Everything is named by its label; the parts are numbered as a
Vietnamese office numbers them: I., II. per subject kind, 1., 2. per criterion, award and
ranking, a), b) per condition. Then the fairness checks with their verdicts and the file's
examples.

Labels and text in formulas are the ministry's words and are kept as written; each writer
escapes only what would break its format (report/safe.py).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from emurules.i18n import DEFAULT, message, render
from emurules.i18n.formatting import Shown, date
from emurules.i18n.formatting import number as number_text
from emurules.plan import ir
from emurules.plan.metadata import Metadata
from emurules.plan.schema import Schema
from emurules.plan.steps import Award, Criterion, Plan, Ranking, RankKey, Score
from emurules.report.doc_checks import Verdict, Verdicts, checks
from emurules.report.doc_examples import examples
from emurules.report.doc_fields import fields
from emurules.report.doc_model import Block, Document, Heading, Items, Paragraph, Table, roman
from emurules.report.words import Names, Text, words
from emurules.stack import call_deep

__all__ = ["Verdict", "Verdicts", "document", "to_docx", "to_html", "to_markdown"]


def document(
    plan: Plan,
    lang: str = DEFAULT,
    verdicts: Verdicts | None = None,
    schema: Schema | None = None,
) -> Document:
    """The published criteria in `lang`; `schema` (`Rules.schema`) gives the labels of
    kinds, fields, relations and enum values (without it, their identifiers). Phrased on a
    thread with room when the criteria nest deeply (`Plan.depth`)."""
    return call_deep(
        plan.depth, lambda: _Builder(plan, lang, Names.of(plan, schema)).build(verdicts)
    )


def to_markdown(
    plan: Plan,
    lang: str = DEFAULT,
    verdicts: Verdicts | None = None,
    schema: Schema | None = None,
) -> str:
    from emurules.report.doc_markdown import markdown

    return markdown(document(plan, lang, verdicts, schema))


def to_html(
    plan: Plan,
    lang: str = DEFAULT,
    verdicts: Verdicts | None = None,
    schema: Schema | None = None,
) -> str:
    from emurules.report.doc_html import html

    return html(document(plan, lang, verdicts, schema))


def to_docx(
    plan: Plan,
    path: Path,
    lang: str = DEFAULT,
    verdicts: Verdicts | None = None,
    schema: Schema | None = None,
) -> None:
    """Write the document as a Word file (needs the `docx` extra), atomically."""
    from emurules.report.doc_docx import write_docx

    write_docx(document(plan, lang, verdicts, schema), path)


class _Builder:
    """Collects the blocks of one document; each kind of declaration adds its own."""

    def __init__(self, plan: Plan, lang: str, names: Names) -> None:
        self.plan, self.lang, self.names = plan, lang, names
        self.blocks: list[Block] = []

    def text(self, text: Text) -> str:
        return render(text, self.lang)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def paragraph(self, text: Text) -> None:
        self.add(Paragraph(self.text(text)))

    def build(self, verdicts: Verdicts | None) -> Document:
        plan = self.plan
        title = plan.title if plan.title is not None else self.text(message("doc.default-title"))
        self._metadata(plan.metadata)
        head, self.blocks = tuple(self.blocks), []
        settings = [_setting(k, v) for k, v in plan.settings] if plan.title is not None else []
        settings += _rewards(plan)
        if settings:
            self.add(Items(tuple(self.text(s) for s in settings)))
        part = 0
        for kind in plan.kinds:
            steps = [
                s
                for s in plan.written
                if isinstance(s, Criterion | Score | Award | Ranking) and s.kind == kind
            ]
            if not steps:
                continue
            part += 1
            self.add(Heading(2, f"{roman(part)}. {self.names.kind(kind)}"))
            schema = self.names.schema
            lineage = schema.kinds[kind].lineage if schema is not None else None
            if lineage is not None:
                held, past = _LINEAGE[lineage[0]], _LINEAGE[lineage[1]]
                self.paragraph(message("doc.lineage", held=held, past=past))
            for number, step in enumerate(steps, start=1):
                self._step(number, step)
        found = checks(plan, self.names, verdicts)
        if found:
            part += 1
            heading = self.text(message("doc.checks-heading"))
            self.add(Heading(2, f"{roman(part)}. {heading}"))
            self.add(Items(tuple(self.text(c) for c in found), "number"))
        if plan.examples:
            part += 1
            heading = self.text(message("doc.examples-heading"))
            self.add(Heading(2, f"{roman(part)}. {heading}"))
            self.add(*examples(plan, self.names, self.lang))
        data = fields(self.names.schema, self.names, self.lang)
        if data:
            part += 1
            heading = self.text(message("doc.fields-heading"))
            self.add(Heading(2, f"{roman(part)}. {heading}"))
            self.add(*data)
        return Document(title, tuple(self.blocks), self.lang, head, plan.metadata)

    def _metadata(self, meta: Metadata) -> None:
        """Who issues the criteria, as what, and on which legal bases: the document's head."""
        head: list[Text] = []
        if meta.authority is not None:
            head.append(message("doc.metadata-authority", value=meta.authority))
        if meta.document is not None:
            head.append(message("doc.metadata-document", value=meta.document))
        if meta.number is not None:
            head.append(message("doc.metadata-number", value=meta.number))
        if meta.place is not None:
            head.append(message("doc.metadata-place", value=meta.place))
        if meta.date is not None:
            head.append(message("doc.metadata-date", value=date(meta.date, self.lang)))
        if meta.signer is not None:
            signer = meta.signer
            head.append(message("doc.metadata-signer", title=signer.title, name=signer.name))
        if head:
            self.add(Items(tuple(self.text(t) for t in head)))
        if meta.bases:
            self.paragraph(message("doc.metadata-bases"))
            self.add(Items(meta.bases))

    def _step(self, number: int, step: Criterion | Score | Award | Ranking) -> None:
        match step:
            case Criterion():
                self._criterion(number, step)
            case Score():
                self._heading(number, message("doc.score-heading"))
                kind = step.kind
                most = self._most(step)
                if most is not None:
                    self.paragraph(
                        message("doc.at-most-points", maximum=number_text(most, self.lang))
                    )
                self.paragraph(message("doc.score", score=words(step.expr, self.names, kind)))
            case Award():
                self._award(number, step)
            case Ranking():
                self._ranking(number, step)

    def _most(self, score: Score) -> Decimal | None:
        """The most a score can be, when it adds criteria that each have a maximum."""
        expr = score.expr
        operands = expr.operands if isinstance(expr, ir.Sum) else (expr,)
        maxima: dict[str, Decimal | None] = {
            s.name: s.maximum if s.sort != "penalty" else None
            for s in self.plan.written
            if isinstance(s, Criterion) and s.kind == score.kind
        }
        found = Decimal(0)
        for operand in operands:
            most = maxima.get(operand.name) if isinstance(operand, ir.Read) else None
            if most is None:
                return None
            found += most
        return found

    def _heading(self, number: int, name: Text) -> None:
        self.add(Heading(3, f"{number}. {self.text(name)}"))

    def _criterion(self, number: int, criterion: Criterion) -> None:
        names, kind = self.names, criterion.kind
        name: Text = criterion.label or criterion.name
        if criterion.sort == "bonus":
            name = message("doc.bonus", name=name)
        elif criterion.sort == "penalty":
            name = message("doc.penalty", name=name)
        self._heading(number, name)
        if criterion.where is not None:
            where = words(criterion.where, names, kind)
            self.paragraph(message("doc.applies-where", condition=where))
        if criterion.maximum_text is not None:
            self.paragraph(message("doc.at-most-points", maximum=criterion.maximum_text))
        table = criterion.table
        if table is None:
            self.paragraph(message("doc.points", points=words(criterion.expr, names, kind)))
            return
        enum, chooser = _chooser(criterion)
        if chooser is not None:
            head: Text = words(chooser, names, kind)
        else:
            head = table.subject or message("doc.column-condition")
        rows: list[tuple[str, ...]] = []
        for row in table.rows:
            if row.condition is not None:
                pattern = self.text(words(row.condition, names, kind))
            else:
                pattern = names.value(enum, row.pattern) if enum is not None else row.pattern
            rows.append((pattern, row.value))
        if table.other is not None:
            rows.append((self.text(message("doc.any-other")), table.other))
        columns = (self.text(head), self.text(message("doc.column-points")))
        self.add(Table(columns, tuple(rows), (False, True)))

    def _keys(self, keys: tuple[RankKey, ...], kind: str) -> Text:
        """`the score (highest first), then initiatives (lowest first)`."""
        found: Text | None = None
        for key in keys:
            said = words(key.expr, self.names, kind)
            if key.descending:
                phrase = message("doc.highest-first", key=said)
            else:
                phrase = message("doc.lowest-first", key=said)
            found = phrase if found is None else message("doc.then", first=found, then=phrase)
        assert found is not None
        return found

    def _award(self, number: int, award: Award) -> None:
        names, kind = self.names, award.kind
        self._heading(number, message("doc.award-heading", award=award.label or award.name))
        self.paragraph(message("doc.awarded-to", kind=names.kind(kind)))
        if award.given:
            self.paragraph(message("doc.given"))
            return
        conditions: list[Text] = []
        for condition in award.conditions:
            if condition.requires is not None:
                required = names.name(kind, condition.requires)
                conditions.append(message("doc.requires", award=required))
            elif condition.parts:
                parts: Text | None = None
                for part in condition.parts:
                    assert part.expr is not None
                    phrase = part.label or words(part.expr, names, kind)
                    parts = (
                        phrase
                        if parts is None
                        else message("doc.or-part", left=parts, right=phrase)
                    )
                assert parts is not None
                if condition.label:
                    parts = message("doc.labelled-parts", label=condition.label, parts=parts)
                conditions.append(parts)
            else:
                assert condition.expr is not None
                text = words(condition.expr, names, kind)
                if condition.label:
                    text = message("doc.labelled-condition", label=condition.label, condition=text)
                conditions.append(text)
        if conditions:
            self.paragraph(message("doc.conditions"))
            self.add(Items(tuple(self.text(c) for c in conditions), "letter"))
        within = words(award.within, names, kind) if award.within is not None else None
        if award.rank_by:
            keys = self._keys(award.rank_by, kind)
            if within is not None:
                self.paragraph(message("doc.ranked-within", keys=keys, within=within))
            else:
                self.paragraph(message("doc.ranked", keys=keys))
        if award.quota is not None:
            quota = words(award.quota, names, kind)
            if within is not None:
                self.paragraph(message("doc.quota-per", quota=quota, within=within))
            else:
                self.paragraph(message("doc.quota", quota=quota))
            if award.tie_include:
                self.paragraph(message("doc.tie-include"))
        if award.pool is not None:
            pool = award.pool
            kinds = {a.name: a.kind for a in self.plan.awards()}
            others = tuple(names.name(kinds[a], a) for a in pool.awards if a != award.name)
            label = pool.label or pool.name
            self.paragraph(message("doc.pool", pool=label, quota=pool.quota, awards=others))
            if pool.tie_include:
                self.paragraph(message("doc.tie-include"))
        if award.reward is not None:
            self.paragraph(message("doc.reward", multiple=Shown(award.reward)))
        if award.replaces:
            replaced = tuple(names.name(kind, name) for name in award.replaces)
            self.paragraph(message("doc.reward-replaces", titles=replaced))

    def _ranking(self, number: int, ranking: Ranking) -> None:
        names, kind = self.names, ranking.kind
        # a label names the table itself; an identifier needs saying what it is
        self._heading(number, ranking.label or message("doc.league-table", name=ranking.name))
        keys = self._keys(ranking.keys, kind)
        subjects = names.kind(kind)
        if ranking.within is not None:
            within = words(ranking.within, names, kind)
            self.paragraph(
                message("doc.league-ranked-within", kind=subjects, keys=keys, within=within)
            )
        else:
            self.paragraph(message("doc.league-ranked", kind=subjects, keys=keys))


_LINEAGE = {
    "any": message("doc.lineage-any"),
    "all": message("doc.lineage-all"),
    "mean": message("doc.lineage-mean"),
    "min": message("doc.lineage-min"),
    "max": message("doc.lineage-max"),
    "sum": message("doc.lineage-sum"),
}


def _setting(key: str, value: str) -> Text:
    """A setting of the ruleset in words."""
    match key:
        case "version":
            return message("doc.setting-version", value=value)
        case "year":
            return message("doc.setting-year", value=value)
        case "round":
            return message("doc.setting-round", digits=value)
        case "emurules":
            return message("doc.setting-emurules", version=value)
        case _:
            return message("doc.setting", key=key, value=value)


def _rewards(plan: Plan) -> list[Text]:
    """The base salary and the rounding of rewards, when the ruleset states them."""
    rewards, found = plan.rewards, list[Text]()
    if rewards.base_salary is not None:
        found.append(message("doc.base-salary", amount=Shown(Decimal(rewards.base_salary))))
    rounding = rewards.rounding
    if rounding is not None:
        step = Shown(Decimal(rounding.step))
        if rounding.mode == "up":
            found.append(message("doc.rewards-round-up", step=step))
        elif rounding.mode == "down":
            found.append(message("doc.rewards-round-down", step=step))
        else:
            found.append(message("doc.rewards-round-nearest", step=step))
    return found


def _chooser(criterion: Criterion) -> tuple[str | None, ir.Node | None]:
    """What a `case` chooses by, and its enum (the table shows the values' labels)."""
    expr = criterion.expr
    if not isinstance(expr, ir.Match):
        return None, None
    enum = expr.subject.type.name if expr.subject.type.kind == "enum" else None
    return enum, expr.subject
