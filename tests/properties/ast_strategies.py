"""hypothesis strategies for syntax trees of every construct (for the printer round trip)."""

from __future__ import annotations

import datetime
import unicodedata

from hypothesis import strategies as st

from emurules.syntax import ast
from tests.syntax.test_parser import KEYWORDS

RESERVED = frozenset(KEYWORDS) | {"last", "any"}

names = (
    st.from_regex(r"[a-zđêôơưạ_][a-z0-9_đêôơưạ]{0,6}", fullmatch=True)
    .map(lambda s: unicodedata.normalize("NFC", s))
    .filter(lambda s: s not in RESERVED and s.isidentifier())
)
idents = names.map(lambda s: ast.Ident(text=s))
texts = st.text(
    st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), max_size=12
).filter(lambda s: unicodedata.normalize("NFC", s) == s)
decimals = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)

literals: st.SearchStrategy[ast.Expr] = st.one_of(
    st.integers(0, 10**9).map(lambda v: ast.IntLit(value=v)),
    decimals.map(lambda v: ast.NumberLit(value=v)),
    decimals.map(lambda v: ast.PercentLit(value=v)),
    texts.map(lambda v: ast.TextLit(value=v)),
    st.dates(datetime.date(1000, 1, 1)).map(lambda v: ast.DateLit(value=v)),
    st.booleans().map(lambda v: ast.BoolLit(value=v)),
)
values: st.SearchStrategy[ast.Expr] = st.one_of(
    literals,
    names.map(lambda n: ast.Name(name=n)),
    st.integers(0, 99).map(lambda v: ast.Neg(operand=ast.IntLit(value=v))),
)


def _compound(inner: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
    name_like = st.one_of(
        names.map(lambda n: ast.Name(name=n)),
        st.builds(lambda b, a: ast.Path(base=ast.Name(name=b), attr=a), names, idents),
    )
    arguments = st.lists(
        st.builds(ast.Argument, value=inner, name=st.none() | idents)
        | st.integers(1, 9).map(lambda n: ast.Argument(value=ast.Last(count=n))),
        max_size=3,
    ).map(tuple)
    arms = st.lists(st.builds(ast.CaseArm, pattern=inner, value=inner), min_size=1, max_size=3)
    return st.one_of(
        st.builds(ast.Path, base=name_like, attr=idents),
        st.builds(ast.Arith, op=st.sampled_from(["+", "-", "*", "/"]), left=inner, right=inner),
        st.builds(
            ast.Compare,
            op=st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
            left=inner,
            right=inner,
        ),
        st.builds(ast.Logic, op=st.sampled_from(["and", "or", "implies"]), left=inner, right=inner),
        st.builds(ast.Not, operand=inner),
        st.builds(ast.Neg, operand=inner),
        st.builds(ast.Coalesce, value=inner, fallback=inner),
        st.builds(
            ast.Member,
            operand=inner,
            target=st.one_of(
                st.lists(inner, min_size=1, max_size=3).map(lambda i: ast.SetLit(items=tuple(i))),
                st.builds(ast.RangeLit, low=inner, high=inner),
            ),
            negated=st.booleans(),
        ),
        st.builds(ast.IsMissing, operand=inner, negated=st.booleans()),
        st.builds(ast.Conditional, then=inner, cond=inner, otherwise=inner),
        st.builds(ast.Call, func=idents, args=arguments),
        st.builds(
            ast.Case,
            subject=st.none() | inner,
            arms=arms.map(tuple),
            default=st.none() | inner,
        ),
    )


exprs: st.SearchStrategy[ast.Expr] = st.recursive(
    literals | names.map(lambda n: ast.Name(name=n)), _compound, max_leaves=12
)

labels = st.none() | texts


def _tuple(strategy: st.SearchStrategy[object], lo: int = 0, hi: int = 3) -> st.SearchStrategy:  # type: ignore[type-arg]
    return st.lists(strategy, min_size=lo, max_size=hi).map(tuple)


fields = st.builds(
    ast.Field,
    name=idents,
    type=st.builds(ast.TypeRef, name=idents, optional=st.booleans()),
    label=labels,
    constraint=st.none()
    | st.builds(ast.Bound, op=st.sampled_from(["<", "<=", ">", ">="]), value=values)
    | st.builds(ast.FieldRange, low=values, high=values),
    key=st.booleans(),
    default=st.none() | values,
)
rank_keys = _tuple(st.builds(ast.RankKey, expr=exprs, descending=st.booleans()), 1)
conditions = st.builds(
    ast.Condition,
    body=exprs
    | st.builds(
        ast.AnyOf, parts=_tuple(st.builds(ast.Part, id=idents, expr=exprs, label=labels), 1)
    ),
    id=st.none() | idents,
    label=labels,
)
subject_keys = st.one_of(
    names.map(lambda n: ast.SubjectKey(value=n)),
    texts.map(lambda s: ast.SubjectKey(value=s, quoted=True)),
)
expects = st.one_of(
    st.builds(
        ast.Expect,
        key=subject_keys,
        mode=st.sampled_from(["true", "cut", "missing", "present"]),
        name=idents,
    ),
    st.builds(
        ast.Expect, key=subject_keys, mode=st.just("false"), name=idents, because=_tuple(idents)
    ),
    st.builds(
        ast.Expect,
        key=subject_keys,
        mode=st.just("compare"),
        name=idents,
        op=st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
        value=values,
    ),
)
example_items = st.one_of(
    st.builds(
        ast.Record,
        kind=idents,
        fields=_tuple(st.builds(ast.RecordField, name=idents, value=values)),
    ),
    st.builds(ast.ExampleYear, year=st.integers(1900, 2100)),
    st.builds(
        ast.History,
        entries=_tuple(
            st.builds(
                ast.HistoryEntry,
                key=subject_keys,
                year=st.integers(1900, 2100),
                name=idents,
                value=st.none() | values,
            )
            | st.builds(
                ast.HistoryEntry,
                key=subject_keys,
                year=st.integers(1900, 2100),
                name=st.none(),
                predecessor=subject_keys,
            )
        ),
    ),
    expects,
)
awards = st.one_of(
    st.builds(ast.AwardDecl, name=idents, subject=idents, label=labels, given=st.just(True)),
    st.builds(
        ast.AwardDecl,
        name=idents,
        subject=idents,
        label=labels,
        requires=_tuple(idents),
        conditions=_tuple(conditions),
        rank_by=st.just(()) | rank_keys,
        quota=st.none() | exprs,
        within=st.none() | exprs,
        tie_include=st.booleans(),
    ),
)


@st.composite
def _enum_decls(draw: st.DrawFn) -> ast.EnumDecl:
    """An enum whose labels are in the builder's canonical form: none, or one per value."""
    values = draw(_tuple(idents, 1))
    named = draw(st.lists(labels, min_size=len(values), max_size=len(values)))
    return ast.EnumDecl(
        name=draw(idents),
        values=values,
        ordered=draw(st.booleans()),
        labels=tuple(named) if any(label is not None for label in named) else (),
    )


settings_ = st.one_of(
    texts.map(lambda v: ast.Setting(key="version", value=v)),
    st.integers(0, 9999).map(lambda v: ast.Setting(key="year", value=v)),
    st.integers(0, 10).map(lambda v: ast.Setting(key="round", value=v)),
    st.builds(
        ast.Setting,
        key=st.sampled_from(["authority", "document", "number", "place", "basis"]),
        value=texts,
    ),
    st.dates().map(lambda v: ast.Setting(key="date", value=v)),
    st.tuples(texts, texts).map(lambda v: ast.Setting(key="signer", value=v)),
    st.sampled_from(["vi", "en"]).map(lambda v: ast.Setting(key="language", value=v)),
)
monotone_moves = st.one_of(
    st.builds(
        ast.MonotoneField,
        name=idents,
        decreasing=st.booleans(),
        relation=st.none() | idents,
    ),
    st.builds(ast.MonotoneField, name=st.none(), history=st.just(True)),
)
decls: st.SearchStrategy[ast.Decl] = st.one_of(
    st.builds(
        ast.Ruleset,
        title=texts,
        settings=st.lists(settings_, max_size=4, unique_by=lambda s: s.key).map(tuple),
    ),
    _enum_decls(),
    st.builds(
        ast.SubjectDecl,
        name=idents,
        fields=_tuple(fields),
        label=labels,
        display=st.none() | idents,
    ),
    st.builds(ast.RelationDecl, name=idents, owner=idents, member=idents, via=idents, label=labels),
    st.builds(
        ast.CriterionDecl,
        kind=st.sampled_from(["criterion", "bonus", "penalty"]),
        name=idents,
        subject=idents,
        expr=exprs,
        label=labels,
        where=st.none() | exprs,
        max=st.none() | values,
    ),
    st.builds(ast.ScoreDecl, subject=idents, expr=exprs),
    st.builds(ast.LetDecl, name=idents, subject=idents, expr=exprs, label=labels),
    awards,
    st.builds(
        ast.RankingDecl,
        name=idents,
        subject=idents,
        keys=rank_keys,
        label=labels,
        within=st.none() | exprs,
        shared=st.booleans(),
    ),
    st.builds(
        ast.PoolDecl,
        name=idents,
        label=labels,
        awards=_tuple(idents, 1),
        quota=st.none() | st.integers(0, 500),
        tie_include=st.booleans(),
    ),
    st.builds(
        ast.LineageDecl,
        subject=idents,
        held=st.none() | st.sampled_from(["any", "all"]),
        past=st.none() | st.sampled_from(["mean", "min", "max", "sum"]),
    ),
    st.builds(ast.CheckDecl, label=texts, subject=idents, expr=exprs),
    st.builds(
        ast.MonotoneCheck,
        target=idents,
        subject=idents,
        fields=_tuple(monotone_moves, 1),
    ),
    st.just(ast.OrderCheck()),
    st.builds(ast.IgnoresCheck, fields=_tuple(idents, 1), subject=idents),
    st.builds(ast.EqualTreatmentCheck, subject=idents),
    st.builds(ast.LocalCheck, within=exprs, subject=idents),
    st.builds(ast.RuleDecl, label=texts, subject=idents, expr=exprs),
    st.builds(ast.ExampleDecl, label=texts, items=_tuple(example_items)),
)
modules = _tuple(decls, 0, 6).map(lambda d: ast.Module(decls=d))
