"""The data schema lowered from the checked model: fields, types, defaults, bounds, names."""

from __future__ import annotations

import copy
import datetime
import pickle
from decimal import Decimal

import pytest

import emurules
from emurules import limits
from emurules.plan.ir import VType
from emurules.plan.lower_schema import lower_schema
from emurules.plan.schema import FieldSchema, NameInfo, Schema, describe
from emurules.suggest import suggest
from emurules.values import EnumValue
from tests.helpers import BRIEF, ROOT

LAW = ROOT / "examples" / "law-2022" / "criteria.emu"


@pytest.fixture(scope="module")
def law() -> Schema:
    return lower_schema(emurules.load(LAW).model)


@pytest.fixture(scope="module")
def brief() -> Schema:
    return lower_schema(emurules.load(BRIEF).model)


def test_law_2022_fields(law: Schema) -> None:
    person = law.kinds["individual"]
    assert person.key == "id"
    assert list(person.fields) == [
        "id", "name", "unit", "task", "discipline", "initiatives",
        "provincial_initiative", "digital_cert", "training_hours", "leave_months",
    ]  # fmt: skip
    fields = person.fields
    assert fields["id"] == FieldSchema("id", VType("text"), key=True, label="Mã cán bộ")
    assert fields["unit"].type == VType("ref", "collective")
    task_label = "Mức độ hoàn thành nhiệm vụ"
    assert fields["task"] == FieldSchema("task", VType("enum", "rating"), label=task_label)
    assert fields["discipline"].default == EnumValue("discipline", "none", 0)
    assert fields["initiatives"] == FieldSchema(
        "initiatives",
        VType("int"),
        default=Decimal(0),
        low=(Decimal(0), False),
        constraint_text=">= 0",
        label="Số sáng kiến",
    )
    assert fields["digital_cert"].default is False
    leave = fields["leave_months"]
    assert leave.type == VType("number") and leave.optional and leave.default is None
    assert (leave.low, leave.high, leave.constraint_text) == (
        (Decimal(0), False),
        (Decimal(12), False),
        "in 0..12",
    )


def test_law_2022_percent_is_between_0_and_1(law: Schema) -> None:
    online = law.kinds["collective"].fields["online_services"]
    assert online.type == VType("percent")
    assert (online.low, online.high) == ((Decimal(0), False), (Decimal(1), False))
    assert online.constraint_text == "0%..100%"


def test_law_2022_names_sorts_and_types(law: Schema) -> None:
    person = law.kinds["individual"].names
    assert person["year"] == NameInfo("year", "year", VType("int"))
    task = NameInfo("task", "field", VType("enum", "rating"), label="Mức độ hoàn thành nhiệm vụ")
    assert person["task"] == task
    assert person["leave_months"].type == VType("number", optional=True)
    assert person["task_points"].sort == "criterion"
    assert person["score"] == NameInfo("score", "score", VType("number"))
    assert person["advanced_worker"] == NameInfo("advanced_worker", "award", VType("bool"))
    unit = law.kinds["collective"]
    assert unit.names["fighters"].sort == "bonus"
    members = VType("relation", "individual")
    assert unit.names["members"] == NameInfo("members", "relation", members, label="Thành viên")
    assert unit.names["block_table"] == NameInfo("block_table", "ranking", VType("int"))
    assert unit.names_of("award") == [
        "advanced_collective", "excellent_collective", "emulation_flag",
    ]  # fmt: skip


def test_enums_and_locale(law: Schema, brief: Schema) -> None:
    assert law.enums["rating"] == ("incomplete", "complete", "good", "excellent")
    assert law.enum_value("discipline", "warning") == EnumValue("discipline", "warning", 2)
    assert law.locale == brief.locale == "iso"
    vi = emurules.compile('ruleset "r" { locale "vi" }\nsubject p { id: text key }')
    assert vi.schema.locale == "vi"


def test_language_brief(brief: Schema) -> None:
    unit = brief.kinds["collective"]
    assert unit.fields["late_reports"].default == Decimal(0)
    assert unit.fields["records_digitised"].constraint_text == "0%..100%"
    person = brief.kinds["individual"]
    assert person.fields["training_hours"].low == (Decimal(0), False)
    assert person.fields["leave_months"].optional
    assert person.fields["digital_cert"].default is False
    assert person.names["provincial_fighter"] == NameInfo(
        "provincial_fighter", "award", VType("bool")
    )
    assert not person.names["provincial_fighter"].given
    band = brief.kinds["collective"].names["band"]
    assert band == NameInfo("band", "let", VType("text"))


def test_given_awards_are_marked() -> None:
    rules = emurules.compile(
        'subject p { id: text key }\naward medal "Huân chương" for p given\n'
        'award a "A" for p { when held(medal, last 2) >= 1 }'
    )
    assert rules.schema.kinds["p"].names["medal"] == NameInfo(
        "medal", "award", VType("bool"), given=True
    )


def test_bounds_defaults_and_texts() -> None:
    rules = emurules.compile(
        """
        enum level { low, high }
        subject p {
          id: int key
          a: number = -0.5
          b: percent? in 10%..-1%
          c: number? >= -2.5
          d: int < 7
          e: percent > 50%
          f: date >= 2020-01-01 = 2021-03-04
          g: text = "x"
          h: level = high
          i: percent = 15%
        }
        """
    )
    fields = rules.schema.kinds["p"].fields
    assert fields["id"].type == VType("int") and fields["id"].key
    assert fields["a"].default == Decimal("-0.5")
    assert (fields["b"].low, fields["b"].high) == (
        (Decimal("0.1"), False),
        (Decimal("-0.01"), False),
    )
    assert fields["b"].constraint_text == "in 10%..-1%"
    assert (fields["c"].low, fields["c"].high) == ((Decimal("-2.5"), False), None)
    assert (fields["d"].low, fields["d"].high) == (None, (Decimal(7), True))
    assert (fields["e"].low, fields["e"].high) == ((Decimal("0.5"), True), (Decimal(1), False))
    assert fields["e"].constraint_text == "> 50%"
    assert fields["f"].default == datetime.date(2021, 3, 4)
    assert (fields["f"].low, fields["f"].high) == (None, None)  # dates are not range-checked
    assert fields["g"].default == "x"
    assert fields["h"].default == EnumValue("level", "high", 1)
    assert fields["i"].default == Decimal("0.15")


def test_round_trips(law: Schema, brief: Schema) -> None:
    for schema in (law, brief):
        assert pickle.loads(pickle.dumps(schema)) == schema
        assert copy.deepcopy(schema) == schema


def test_rules_carry_their_schema() -> None:
    rules = emurules.load(LAW)
    assert rules.schema == lower_schema(rules.model)
    assert pickle.loads(pickle.dumps(rules)).schema == rules.schema
    assert copy.deepcopy(rules).schema == rules.schema


def test_describe_names_types_as_the_checker_does() -> None:
    from emurules.check import types as t

    for declared in (
        t.INT, t.NUMBER, t.PERCENT, t.BOOL, t.TEXT, t.DATE, t.UNKNOWN,
        t.Type("enum", "rating", optional=True), t.Type("ref", "unit"),
        t.Type("relation", "person"),
    ):  # fmt: skip
        assert describe(VType(declared.kind, declared.name, declared.optional)) == declared.describe


def test_shared_helpers() -> None:
    assert limits.DEFAULT_LOCALE in limits.LOCALES
    assert str(suggest("scor", ["score", "x"])) == "did you mean 'score'?"
    assert str(suggest("TASK", ["task"])) == "did you mean 'task'?"
    assert suggest("zzz", ["a"]) is None
