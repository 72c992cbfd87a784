"""A question that names an article ("What does Article 2 define?", 第二条は何を定義していますか)
means that article: passages of laws labelled with it rise, in either language (the labels and
the question are read by the one parser of `core/articles.py`, so 第二条 and "Article 2" match).

Search already finds the article's passages by their header ("Article 2 (Definitions)" is
embedded and indexed with each of them); among the candidates of fusion, this boost puts the
article the question names before passages that only mention it ("as defined in Article 2")."""

from __future__ import annotations

from dataclasses import replace

from assistant.core.articles import ArticleRef, article_refs
from assistant.core.types import Hit


def _match(asked: list[ArticleRef], label: str) -> float:
    """1 for the article (and paragraph, when the question names one), 0.5 for another
    paragraph of the named article, 0 otherwise."""
    refs = article_refs(label)
    if not refs:
        return 0.0
    have = refs[0]
    best = 0.0
    for q in asked:
        if q.same_article(have):
            best = max(best, 1.0 if not q.paragraph or not have.paragraph or q.paragraph == have.paragraph else 0.5)
    return best


def boost_articles(query: str, hits: list[Hit], weight: float, rrf_k: int) -> list[Hit]:
    """Hits re-ranked with up to `weight` times a first rank's share of the fusion added to the
    passages of the articles the question names; the label is added to `boosted_by`."""
    if not weight or not hits:
        return hits
    asked = article_refs(query)
    if not asked:
        return hits
    out = []
    for h in hits:
        share = _match(asked, h.chunk.article) if h.chunk.article else 0.0
        out.append(
            replace(h, score=h.score + weight * share / (rrf_k + 1), boosted_by=h.boosted_by + (h.chunk.article,))
            if share
            else h
        )
    return sorted(out, key=lambda h: -h.score)
