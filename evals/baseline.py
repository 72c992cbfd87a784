"""The LangChain tutorial pipeline, as a baseline: PyPDFLoader / TextLoader ->
RecursiveCharacterTextSplitter(1000, 200) -> Chroma with the same embedder -> top-k similarity.
It answers nothing; it is measured on retrieval only, on the same corpus in the same run."""

from __future__ import annotations

import time
from pathlib import Path

from assistant.core.types import Answer
from ingest.manifest import Manifest


class TutorialPipeline:
    name = "langchain-tutorial"

    def __init__(self, corpus_dir: Path, persist_dir: Path, embedder) -> None:
        from langchain_chroma import Chroma
        from langchain_community.document_loaders import PyPDFLoader, TextLoader
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        manifest = Manifest.load(corpus_dir)
        docs = []
        for path in sorted(corpus_dir.rglob("*")):
            rel = path.relative_to(corpus_dir).as_posix()
            if not path.is_file() or manifest.ignored(rel):
                continue
            loader = PyPDFLoader(str(path)) if path.suffix == ".pdf" else TextLoader(str(path), encoding="utf-8")
            for d in loader.load():
                d.metadata["rel"] = rel
                docs.append(d)
        splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
        self.metas = {rel: manifest.meta_for(rel, {}) for rel in {d.metadata["rel"] for d in splits}}
        self.store = Chroma(collection_name="tutorial", embedding_function=embedder, persist_directory=str(persist_dir))
        self.store.add_documents(splits)
        self.n_chunks = len(splits)

    def ask(self, question: str, history=None, k: int = 10, mode: str = "", id: str | None = None, **_):
        from assistant.core.types import Chunk
        from assistant.retrieval.search import Hit

        t0 = time.perf_counter()
        found = self.store.similarity_search_with_score(question, k=k)
        hits = []
        for doc, distance in found:
            meta = self.metas[doc.metadata["rel"]]
            page = doc.metadata.get("page")
            chunk = Chunk(meta.doc_id, doc.page_content, None if page is None else int(page) + 1, "", 0, meta)
            hits.append(Hit(chunk, score=-float(distance)))
        ms = round((time.perf_counter() - t0) * 1000, 1)
        return Answer(
            question=question,
            text="",
            declined=False,
            citations=[],
            retrieved=hits,
            backend=self.name,
            latency_ms={"retrieve": ms, "total": ms},
            id=id,
        )
