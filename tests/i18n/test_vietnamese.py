"""The Vietnamese catalogue mirrors the English one: the same files, the same ids, the same
placeholders, plural entries where English has them (one form: Vietnamese has no plural);
and the language a command speaks is chosen in one place."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from emurules.i18n import LANGUAGES, default_language, message, render

SOURCES = Path(__file__).resolve().parents[2] / "src" / "emurules" / "i18n"


def _entries(lang: str) -> dict[str, tuple[bool, list[str]]]:
    """id -> (is a plural entry, its texts), over every .po file of the language."""
    found: dict[str, tuple[bool, list[str]]] = {}
    for path in sorted((SOURCES / lang).glob("*.po")):
        with path.open("rb") as handle:
            for entry in read_po(handle, locale=lang):
                if not entry.id:
                    continue
                plural = isinstance(entry.id, tuple)
                key = entry.id[0] if plural else entry.id
                texts = list(entry.string) if plural else [entry.string]
                found[str(key)] = (plural, [str(t) for t in texts])
    return found


def _fields(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def test_both_languages_are_catalogued() -> None:
    assert LANGUAGES == ("en", "vi")
    english = sorted(p.name for p in (SOURCES / "en").glob("*.po"))
    assert sorted(p.name for p in (SOURCES / "vi").glob("*.po")) == english


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    english, vietnamese = _entries("en"), _entries("vi")
    problems = [f"{id}: no Vietnamese text" for id in sorted(set(english) - set(vietnamese))]
    problems += [f"{id}: only in Vietnamese" for id in sorted(set(vietnamese) - set(english))]
    for id in sorted(set(english) & set(vietnamese)):
        (en_plural, en_texts), (vi_plural, vi_texts) = english[id], vietnamese[id]
        if en_plural != vi_plural:
            problems.append(f"{id}: a plural entry in one language only")
        if vi_plural and len(vi_texts) != 1:
            problems.append(f"{id}: Vietnamese has one plural form (nplurals=1)")
        wanted = set().union(*(_fields(t) for t in en_texts))
        for text in vi_texts:
            if not text:
                problems.append(f"{id}: an empty Vietnamese text")
            elif _fields(text) | {"count"} != wanted | {"count"}:
                problems.append(f"{id}: placeholders {sorted(_fields(text))}, not {sorted(wanted)}")
            elif vi_plural and "count" in wanted and "count" not in _fields(text):
                problems.append(f"{id}: the Vietnamese text does not show the count")
    assert not problems, "\n".join(problems)


def test_the_vietnamese_headers_declare_one_plural_form() -> None:
    for path in sorted((SOURCES / "vi").glob("*.po")):
        text = path.read_text(encoding="utf-8")
        assert '"Language: vi\\n"' in text, path.name
        assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text, path.name


def test_a_message_reads_in_vietnamese_and_nests() -> None:
    both = message(
        "core.errors-and-warnings",
        errors=message("core.errors", count=1),
        warnings=message("core.warnings", count=3),
    )
    assert render(both, "vi") == "1 lỗi, 3 cảnh báo"
    assert render(both, "en") == "1 error, 3 warnings"
    assert message("report.status-received").text("vi") == "được tặng"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "vi_VN"}, "vi"),
        ({"LANG": "vi_VN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LC_ALL": "", "LANG": "vi"}, "vi"),
    ],
)
def test_the_default_language_comes_from_the_locale(environ: dict[str, str], expected: str) -> None:
    assert default_language(environ=environ) == expected


def test_the_rulesets_language_wins_over_the_locale() -> None:
    assert default_language("vi", environ={"LANG": "C"}) == "vi"
    assert default_language("en", environ={"LANG": "vi_VN"}) == "en"
    assert default_language("fr", environ={"LANG": "vi_VN"}) == "vi"  # none in the catalogue
