"""Every evidence quote of every dataset is found in the text the ingest actually produces
for its document and page (not in a hand-made copy), and every dataset item is well formed."""

import json
from collections import defaultdict
from pathlib import Path

import pytest

from assistant.features.evaluation.textmatch import covers, fold
from ingest.manifest import Manifest
from ingest.pipeline import prepare
from tests.conftest import CORPUS

DATASETS = sorted((Path(__file__).resolve().parents[2] / "evals" / "datasets").glob("*.jsonl"))


@pytest.fixture(scope="module")
def texts(embedder):
    from assistant.core.settings import Settings

    settings = Settings(corpus_dir=CORPUS)
    manifest = Manifest.load(CORPUS)
    by_doc: dict[str, dict] = defaultdict(lambda: defaultdict(str))
    for path in sorted(CORPUS.rglob("*")):
        rel = path.relative_to(CORPUS).as_posix()
        if path.is_file() and not manifest.ignored(rel):
            meta, chunks, _ = prepare(path, rel, manifest, settings, embedder.count_tokens, 200)
            for c in chunks:
                by_doc[meta.doc_id][c.page] += "\n" + c.text
                by_doc[meta.doc_id]["all"] += "\n" + c.text
    return by_doc


def _units(item):
    return item["turns"] if "turns" in item else [item]


@pytest.mark.parametrize("path", DATASETS, ids=lambda p: p.name)
def test_every_quote_is_in_the_ingested_text_of_its_document_and_page(path, texts):
    ids, missing = set(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        assert item["id"] not in ids
        ids.add(item["id"])
        for unit in _units(item):
            assert unit["question"].strip()
            if unit.get("answerable", True):
                assert unit["must_include"] and unit["evidence"], item["id"]
            for ev in unit.get("evidence", []):
                doc = texts.get(ev["doc"])
                assert doc is not None, f"{item['id']}: unknown doc {ev['doc']}"
                where = doc[ev["page"]] if ev.get("page") else doc["all"]
                if not covers(where, ev["quote"]):
                    missing.append(f"{item['id']}: {ev['quote']!r} (p. {ev.get('page')})")
            evidence_text = fold(
                " ".join(
                    texts[e["doc"]][e["page"]] if e.get("page") else texts[e["doc"]]["all"]
                    for e in unit.get("evidence", [])
                )
            )
            for group in unit.get("must_include", []):
                assert any(fold(alt) in evidence_text for alt in group), f"{item['id']}: {group}"
    assert not missing, "\n".join(missing)


def test_dev_set_spans_the_whole_corpus():
    items = [json.loads(l) for l in (DATASETS[0].parent / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    docs = {e["doc"] for i in items for e in i["evidence"]}
    assert docs == set(Manifest.load(CORPUS).documents[k]["id"] for k in Manifest.load(CORPUS).documents)
    assert sum(i["answerable"] for i in items) >= 40 and sum(not i["answerable"] for i in items) >= 20
