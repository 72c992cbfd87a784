"""As a user: a law in the library, asked about by article through the `briefing` CLI, is cited
by article and paragraph (and page, for a PDF)."""

import json

import pytest

from tests.frontends.test_end_to_end import briefing
from tests.lawtexts import TITLE_EN, law_html, law_pdf

pytestmark = pytest.mark.e2e


def test_ask_about_an_article_cites_article_paragraph_and_page(settings):
    law_pdf(settings.corpus_dir / "test-act.pdf")
    (settings.corpus_dir / "test-act.pdf.meta.yaml").write_text(f"title: {TITLE_EN}\ntype: law\n", encoding="utf-8")
    law_html(settings.corpus_dir / "test-act-ja.html", japanese=True)
    (settings.corpus_dir / "test-act-ja.html.meta.yaml").write_text("type: law\nlanguage: ja\n", encoding="utf-8")

    proc = briefing(settings, "ask", f"What does Article 3 of the {TITLE_EN} require?", "--json")
    rec = json.loads(proc.stdout)
    assert not rec["declined"], rec
    # The passages of the article come first, each with its paragraph and page.
    assert [r.get("location") for r in rec["retrieved"][:2]] == ["Art. 3(1), p. 2", "Art. 3(2), p. 2"]
    article_3 = [c for c in rec["citations"] if c["article"].startswith("Art. 3(")]
    assert article_3, rec["citations"]
    # Only the named article is quoted: a sentence of Article 1 that reads close is not.
    assert all(c["article"].startswith("Art. 3") for c in rec["citations"]), [
        (c["article"], c["quote"]) for c in rec["citations"]
    ]
    assert all(c["source"] == "test-act.pdf" and c["page"] == 2 for c in article_3)
    assert article_3[0]["location"] == f"{article_3[0]['article']}, p. 2"
    assert article_3[0]["quote"] in rec["answer"] and "report its stock" in rec["answer"]

    proc = briefing(settings, "ask", "第三条は事業者に何を求めていますか")
    assert "第三条第" in proc.stdout and "(test-act-ja.html, 第三条第" in proc.stdout, proc.stdout
