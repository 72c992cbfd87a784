"""Incremental BM25 (documents added and removed in place of a rebuild) ranks and scores
exactly as a full rebuild over the same documents."""

import random

import numpy as np

from assistant.index.lexical import BM25

WORDS = (
    "semiconductor export control alliance supply chain investment screening threshold rare earth "
    "critical mineral subsidy quantum cable port security budget ministry cabinet review "
    "経済安全保障 推進法 重要技術 半導体"
).split()


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))


def _by_key(bm25: BM25, query: str, k: int, mask_of=None) -> list[tuple[str, float]]:
    mask = None if mask_of is None else np.array([key is not None and mask_of(key) for key in bm25.keys])
    return [(bm25.keys[i], s) for i, s in bm25.search(query, k, mask)]


def test_incremental_updates_equal_a_full_rebuild_on_a_random_sequence():
    rng = random.Random(7)
    live: dict[str, str] = {}  # key -> text
    slot_of: dict[str, int] = {}
    inc = BM25([], keys=[])
    serial = 0
    for _step in range(60):
        remove = rng.sample(sorted(live), k=min(len(live), rng.randint(0, 6)))
        add = {}
        for _ in range(rng.randint(0, 9)):
            serial += 1
            add[f"doc{serial:04d}"] = _text(rng)
        inc, placed = inc.updated(list(add.values()), [slot_of.pop(key) for key in remove], keys=list(add))
        for key in remove:
            del live[key]
        for key, slot in zip(add, placed):
            live[key], slot_of[key] = add[key], slot
        full = BM25(list(live.values()), keys=list(live))
        assert inc.n == full.n == len(live)
        assert set(inc.index) == set(full.index)  # a term no live document has is gone
        for _ in range(4):
            query = " ".join(rng.sample(WORDS, rng.randint(1, 4)))
            k = rng.randint(1, 15)
            assert _by_key(inc, query, k) == _by_key(full, query, k)
            keep = lambda key: int(key[3:]) % 3 != 0  # noqa: E731  a filter, as a mask
            assert _by_key(inc, query, k, keep) == _by_key(full, query, k, keep)
            full_scores = dict(zip(full.keys, full.scores(query)))
            inc_scores = {key: s for key, s in zip(inc.keys, inc.scores(query)) if key is not None}
            assert inc_scores == full_scores


def test_update_leaves_the_old_index_as_it_was():
    old = BM25(["semiconductor supply chain", "export controls on chips"], keys=["a", "b"])
    before = old.search("semiconductor chips", 5)
    new, placed = old.updated(["semiconductor subsidy"], [0], keys=["c"])
    assert placed == [0]  # the empty slot is reused
    assert old.search("semiconductor chips", 5) == before
    assert [new.keys[i] for i, _ in new.search("semiconductor", 5)] == ["c"]


def test_removing_an_empty_slot_twice_is_refused():
    bm25, _ = BM25(["a text"], keys=["a"]).updated([], [0])
    try:
        bm25.updated([], [0])
    except ValueError:
        return
    raise AssertionError("removed twice")


def test_the_retriever_follows_ingests_incrementally_and_matches_a_fresh_one(settings, embedder):
    """Files added, changed (same text, new access level: same chunk ids, new metadata) and
    removed: the retriever's BM25 is updated, not rebuilt, and answers as a new retriever does."""
    from assistant.retrieval.search import Retriever
    from ingest.pipeline import ingest

    def note(name, title, body, access="public"):
        (settings.corpus_dir / name).write_text(
            f"---\ntitle: {title}\naccess: {access}\n---\n\n{body}\n", encoding="utf-8"
        )

    def same(a, b, queries):
        for q in queries:
            for mode in ("lexical", "hybrid"):
                assert [(h.chunk.id, round(h.score, 9), h.lexical) for h in a.search(q, mode=mode)] == [
                    (h.chunk.id, round(h.score, 9), h.lexical) for h in b.search(q, mode=mode)
                ], (q, mode)

    queries = ["semiconductor export controls", "gallium stockpile", "undersea cables", "port security"]
    note("a.md", "Chips", "Export controls on semiconductors were agreed by the allies.")
    note("b.md", "Cables", "Undersea cables carry the region's data.")
    note("c.md", "Stockpile", "The gallium stockpile holds ninety days of supply.")
    ingest(settings, progress=False)
    r = Retriever(settings, embedder=embedder)
    same(r, Retriever(settings, embedder=embedder), queries)
    note("d.md", "Ports", "Port security inspections doubled; semiconductors shipments were checked.")
    (settings.corpus_dir / "b.md").unlink()
    note("c.md", "Stockpile", "The gallium stockpile holds ninety days of supply.", access="restricted")
    ingest(settings, progress=False)
    same(r, Retriever(settings, embedder=embedder), queries)
    assert all(h.chunk.meta.title != "Stockpile" for h in r.search("gallium stockpile"))  # now restricted
    assert r.stats["lexical_full"] == 1 and r.stats["lexical_incremental"] == 1
