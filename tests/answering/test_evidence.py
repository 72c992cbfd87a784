"""Which sentences may be quoted at all: a footnote reference is not an answer, however long."""

from __future__ import annotations

from assistant.answering.evidence import _mostly_reference

FOOTNOTE = (
    "16 For further details on Japan-U.S. cooperation on economic security, see Akira Igata and Brad "
    "Glosserman, \u201cJapan is indispensable again: The need for economic security is reviving Washington\u2019s "
    "alliance with Tokyo,\u201d Foreign Affairs, 15 July 2021, https://www.foreignaffairs.com/articles/"
)


def test_a_sentence_with_a_web_address_is_a_reference_however_long():
    assert len(FOOTNOTE) > 160  # the old rule let a long footnote through
    assert _mostly_reference(FOOTNOTE)
    assert _mostly_reference("NEC began selling it in August 2023 (see www.nec.com/press).")
    assert not _mostly_reference("The Economic Division was launched in April 2020 with 20 staff.")
