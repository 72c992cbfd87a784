"""An issuer has one canonical name in the manifest and keeps its other names for search: a
document whose own metadata gives an alias is filed under the canonical name, and a filter that
names an issuer by an alias finds that issuer's documents (and only them)."""

from __future__ import annotations

from assistant.retrieval.search import Retriever
from ingest.manifest import Manifest
from ingest.pipeline import ingest

MANIFEST = """issuer_aliases:
  The White House: [White House, NSC, National Security Council]
  G7 Leaders: [G7, Group of Seven]
documents:
  readout.md:
    issuer: The White House
"""


def _note(title: str, issuer: str, text: str) -> str:
    return f"---\ntitle: {title}\nissuer: {issuer}\ndate: 2023-02-28\n---\n\n{text}\n"


def test_the_manifest_files_an_alias_under_its_canonical_name(tmp_path):
    (tmp_path / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    manifest = Manifest.load(tmp_path)
    assert manifest.canonical_issuer("NSC") == "The White House"
    assert manifest.canonical_issuer("  group of  SEVEN ") == "G7 Leaders"
    assert manifest.canonical_issuer("MEXT") == "MEXT"  # not listed: unchanged
    assert manifest.meta_for("communique.md", {"issuer": "Group of Seven"}).issuer == "G7 Leaders"


def test_a_filter_by_an_alias_finds_the_canonical_issuers_documents(settings, embedder):
    corpus = settings.corpus_dir
    (corpus / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    (corpus / "readout.md").write_text(
        _note("Readout", "NSC", "The economic security dialogue discussed semiconductor supply chains."),
        encoding="utf-8",
    )
    (corpus / "communique.md").write_text(
        _note("Communique", "Group of Seven", "Leaders discussed semiconductor supply chains and resilience."),
        encoding="utf-8",
    )
    ingest(settings, progress=False)
    retriever = Retriever(settings, embedder=embedder)
    everything = {h.chunk.meta.issuer for h in retriever.search("semiconductor supply chains", k=5)}
    assert everything == {"The White House", "G7 Leaders"}  # both filed under canonical names
    for alias in ("NSC", "White House", "national security council"):
        hits = retriever.search("semiconductor supply chains", filters={"issuer": [alias]}, k=5)
        assert hits and {h.chunk.meta.issuer for h in hits} == {"The White House"}, alias
    g7 = retriever.search("semiconductor supply chains", filters={"issuer": ["G7"]}, k=5)
    assert {h.chunk.doc_id for h in g7} == {"communique"}
