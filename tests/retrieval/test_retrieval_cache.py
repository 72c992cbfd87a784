"""The retrieval cache: keyed by (query, filters with the role's access filter, k, mode, index
version), bounded, invalidated by an ingest that commits, and never handing out its own hits."""

import dataclasses

import pytest

from assistant.index.stores import open_store
from assistant.retrieval.search import Retriever
from ingest.pipeline import ingest


class SpyStore:
    """The real store, counting the dense queries that reach it."""

    def __init__(self, store) -> None:
        self.store, self.queries = store, 0

    def query_ids(self, *args, **kwargs):
        self.queries += 1
        return self.store.query_ids(*args, **kwargs)

    def reopen(self):
        self.store = self.store.reopen()
        return self

    def __getattr__(self, name):
        return getattr(self.store, name)


def _note(settings, name: str, title: str, body: str, access: str = "public") -> None:
    (settings.corpus_dir / name).write_text(f"---\ntitle: {title}\naccess: {access}\n---\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def indexed(settings, embedder):
    _note(settings, "chips.md", "Chips note", "The allies agreed export controls on advanced semiconductors in 2023.")
    _note(settings, "cables.md", "Cables note", "Undersea cables carry most of the region's data traffic.")
    _note(
        settings,
        "secret.md",
        "Stockpile note",
        "The gallium stockpile at Tomakomai holds ninety days of supply.",
        access="restricted",
    )
    ingest(settings, progress=False)
    return settings


def _retriever(settings, embedder, **kw):
    spy = SpyStore(open_store(settings))
    return Retriever(settings, store=spy, embedder=embedder, **kw), spy


def _ids(hits):
    return [(h.chunk.id, h.score) for h in hits]


def test_a_repeated_query_is_answered_from_the_cache_without_the_store(indexed, embedder):
    r, spy = _retriever(indexed, embedder)
    first = r.search("export controls on semiconductors")
    assert spy.queries == 1
    timings = {}
    again = r.search("export controls on semiconductors", timings=timings)
    assert spy.queries == 1 and timings["cache_hit"]
    assert _ids(again) == _ids(first) and again[0].chunk.meta.title == "Chips note"
    assert r.stats["cache_hits"] == 1


def test_callers_cannot_change_what_the_cache_holds(indexed, embedder):
    r, _ = _retriever(indexed, embedder)
    first = r.search("undersea cables")
    # Hits and chunks are frozen: a caller cannot change them in place ...
    with pytest.raises(dataclasses.FrozenInstanceError):
        first[0].score = -1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        first[0].chunk.text = "changed by a caller"  # type: ignore[misc]
    # ... and the list it got is its own.
    first.clear()
    second = r.search("undersea cables")
    assert second and second[0].score > 0 and "Undersea cables" in second[0].chunk.text


def test_filters_k_and_mode_are_part_of_the_key(indexed, embedder):
    r, spy = _retriever(indexed, embedder)
    r.search("semiconductors")
    r.search("semiconductors", filters={"type": ["statement"]})
    r.search("semiconductors", k=3)
    r.search("semiconductors", mode="dense")
    assert spy.queries == 4
    r.search("semiconductors", mode="lexical")  # no dense query, still its own entry
    r.search("semiconductors", filters={"type": ["statement"]})
    r.search("semiconductors", k=3)
    assert spy.queries == 4 and r.stats["cache_hits"] == 2


def test_the_roles_access_filter_is_part_of_the_key(indexed, embedder):
    r, spy = _retriever(indexed, embedder, role="public")
    q = "gallium stockpile Tomakomai"
    assert all(h.chunk.meta.access == "public" for h in r.search(q))
    r.role = "restricted"  # the same query by a role that may read more is not served the public result
    assert r.search(q)[0].chunk.meta.title == "Stockpile note"
    assert spy.queries == 2
    r.role = "public"
    assert all(h.chunk.meta.access == "public" for h in r.search(q))
    assert spy.queries == 2  # still cached for the public role


def test_an_ingest_that_commits_invalidates_the_cache(indexed, embedder):
    r, spy = _retriever(indexed, embedder)
    q = "port security inspections"
    before = r.search(q)
    assert all(h.chunk.meta.title != "Ports note" for h in before)
    ingest(indexed, progress=False)  # nothing changed: no commit, the cache still answers
    r.search(q)
    assert spy.queries == 1
    _note(indexed, "ports.md", "Ports note", "Port security inspections were doubled at major container terminals.")
    ingest(indexed, progress=False)
    after = r.search(q)
    assert spy.queries == 2 and after[0].chunk.meta.title == "Ports note"


def test_the_cache_is_bounded_least_recently_used_first_out(indexed, embedder):
    s = indexed.model_copy(update={"retrieval_cache_size": 2})
    r, spy = _retriever(s, embedder)
    r.search("semiconductors")
    r.search("cables")
    r.search("semiconductors")  # now the most recent
    r.search("gallium")  # evicts "cables"
    assert spy.queries == 3
    r.search("semiconductors")
    assert spy.queries == 3
    r.search("cables")
    assert spy.queries == 4


def test_a_cache_of_size_zero_is_off(indexed, embedder):
    r, spy = _retriever(indexed.model_copy(update={"retrieval_cache_size": 0}), embedder)
    r.search("semiconductors")
    r.search("semiconductors")
    assert spy.queries == 2


@pytest.mark.parametrize("hidden", [1, 6])  # most chunks visible (filtered after the store) / few (filtered in it)
def test_dense_search_shows_exactly_the_visible_chunks(settings, embedder, hidden):
    for n in range(3):
        _note(settings, f"open{n}.md", f"Open note {n}", f"Semiconductor subsidies, public round {n}.")
    for n in range(hidden):
        _note(
            settings,
            f"closed{n}.md",
            f"Closed note {n}",
            f"Semiconductor subsidies, restricted round {n}.",
            access="restricted",
        )
    ingest(settings, progress=False)
    public, _ = _retriever(settings, embedder, role="public")
    restricted, _ = _retriever(settings, embedder, role="restricted")
    seen = {h.chunk.meta.title for h in public.search("semiconductor subsidies", mode="dense")}
    assert seen == {f"Open note {n}" for n in range(3)}
    assert len(restricted.search("semiconductor subsidies", mode="dense")) == 3 + hidden
