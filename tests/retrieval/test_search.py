def test_passages_a_hair_apart_keep_one_order_from_run_to_run():
    # Embeddings computed on several threads differ in the last bits between runs; the order of
    # two passages must not depend on them.
    from types import SimpleNamespace

    from assistant.retrieval.search import _steady

    a, b, c = (SimpleNamespace(id=i) for i in "abc")
    assert [ch.id for ch, _ in _steady([(b, 0.71230001), (a, 0.7123), (c, 0.9)])] == ["c", "a", "b"]
    assert [ch.id for ch, _ in _steady([(a, 0.7123), (b, 0.71230001), (c, 0.9)])] == ["c", "a", "b"]
