"""strip_markup: the markup the shipped press releases carry never reaches a quote; the words do."""

import time

import pytest

from assistant.core.text import strip_markup

SHIPPED = [  # as they stood in the index built before the rule (catalog.sqlite, 2026-11-30)
    (
        '**<span style="text-decoration: underline">THE ALLIANCE: FORGING A FREE AND OPEN INDO-PACIFIC</span>**',
        "THE ALLIANCE: FORGING A FREE AND OPEN INDO-PACIFIC",
    ),
    (
        "<u>Climate Change, Clean Energy, and Green Growth</u> **<u>and Recovery</u>**\n• Global Subnational",
        "Climate Change, Clean Energy, and Green Growth and Recovery\nGlobal Subnational",
    ),
    ("diverse markets. • Strengthen competitiveness", "diverse markets.\nStrengthen competitiveness"),
    ("supply chains.\n\n<!-- -->\n\n1. Investment in mining", "supply chains.\n\n1. Investment in mining"),
    ("energy security*.*\n\nPrime Minister", "energy security.\n\nPrime Minister"),
    (
        "*Read more about the U.S. Japan Climate Partnership here*",
        "Read more about the U.S. Japan Climate Partnership here",
    ),
    ("US-China competition* Former Prime Minister", "US-China competition Former Prime Minister"),
    ("●産業技術総合研究所", "産業技術総合研究所"),
]


@pytest.mark.parametrize("raw, clean", SHIPPED)
def test_markup_goes_words_stay(raw, clean):
    assert strip_markup(raw) == clean
    assert strip_markup(clean) == clean  # idempotent: render-time cleaning of clean text is a no-op


@pytest.mark.parametrize(
    "text",
    [
        "exports fell < 5% and imports > 3%",  # comparison signs are text
        "第1-2-1図 ■ と ・ は本文",  # a figure label and the Japanese separator are text
        "the file snake_case_name and __init__",  # underscores are not emphasis here
        "Article 5(2), p. 3",
    ],
)
def test_text_that_looks_like_markup_is_kept(text):
    assert strip_markup(text) == text


def test_linear_on_long_runs():
    n = 1_000_000
    start = time.perf_counter()
    for text in ("a" + " " * n + "b", " " * n + "\u2022", "<!--" * (n // 4), "*a" * (n // 2), "a" + "\n \n" * (n // 3)):
        strip_markup(text)
    assert time.perf_counter() - start < 10  # quadratic would be hours


def test_ingest_cleaning_leaves_no_markup_in_the_shipped_statements():
    from ingest.clean import clean_markup, clean_pdf_pages
    from tests.conftest import CORPUS

    paths = sorted((CORPUS / "statements").glob("*.md"))
    raw = "".join(p.read_text(encoding="utf-8") for p in paths)
    assert "**" in raw and "<!--" in raw  # the corpus does carry markup: the test can fail
    for path in paths:
        text = clean_markup(path.read_text(encoding="utf-8"))
        assert not any(mark in text for mark in ("*", "\u2022", "<!--", "-->", "<span", "<u>")), path.name
    assert clean_pdf_pages(["\u2022 First point *\n\u2022 Second point"]) == ["First point\nSecond point"]
