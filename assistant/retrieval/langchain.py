"""The assistant's retrieval as a LangChain retriever, for teams that build their own chains on
our index (docs/api.md, "LangChain").

`BriefingRetriever` runs the same hybrid search as the CLI, the app and the API
(`retrieval.search.Retriever`: dense and BM25 fused, boosts, rerank), so the role's access filter
is applied inside it, before fusion, exactly as there: a public caller never gets a restricted
passage. The role is fixed when the retriever is made (the search object's own role): nothing
passed to `invoke` can change it, and the filters, those of the CLI and the API, have no access
key.

Each `Document` is one passage: `page_content` is the passage text as stored and quoted (without
the title header the embedder reads), and `metadata` says where it comes from, with a ready
citation string built from `core.types.Citation` and `location()`, as the front ends print
them. Imported only by callers that want LangChain, so nothing else pays for it at start-up."""

from __future__ import annotations

from datetime import date
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, field_validator

from assistant.core.access import ROLES
from assistant.core.settings import Settings
from assistant.core.types import FILTER_LIST_KEYS, Citation, Filters, Hit
from assistant.retrieval.search import MODES, Retriever

__all__ = ["BriefingRetriever", "check_filters", "citation_text", "to_document"]

DATE_KEYS = ("date_from", "date_to")


def check_filters(filters: dict | None) -> Filters:
    """The caller's filters as the CLI's options build them (`Filters`): lists for type,
    issuer, language and doc_id (a single string counts as a list of one), dates for date_from /
    date_to. An unknown key is refused rather than ignored: a misspelt filter would otherwise
    widen the search without a word. So is `access`, as the API refuses it: what a caller may read
    is the role's business, and an access filter outside the role's levels leaves the search an
    empty access list, which the filters read as no filter at all."""
    out = Filters()
    for key, value in (filters or {}).items():
        if key == "access":
            raise ValueError("no access filter: what may be read follows the retriever's role")
        if key in DATE_KEYS:
            if value:
                out[key] = str(value) if not isinstance(value, date) else value.isoformat()
        elif key in FILTER_LIST_KEYS:
            values = [value] if isinstance(value, str) else list(value or [])
            if values:
                out[key] = [str(v) for v in values]
        else:
            known = ", ".join((*(k for k in FILTER_LIST_KEYS if k != "access"), *DATE_KEYS))
            raise ValueError(f"unknown filter '{key}' (known: {known})")
    return out


def citation_text(citation: Citation) -> str:
    """A passage's reference as `briefing ask` lists its sources, "Title (source, Art. 3(2), p. 2)",
    without the marker: a chain numbers its own passages."""
    where = f", {citation.location}" if citation.location else ""
    return f"{citation.title} ({citation.source}{where})"


def to_document(hit: Hit, rank: int) -> Document:
    """One hit as a LangChain Document: the passage text, and where it comes from."""
    c = hit.chunk
    citation = Citation.of(rank, hit)
    score = hit.rerank_score if hit.rerank_score is not None else hit.score
    metadata: dict[str, Any] = {
        "id": c.id,
        "doc_id": c.doc_id,
        "title": c.meta.title,
        "source": c.meta.source,
        "page": c.page,
        "article": c.article,
        "location": citation.location,
        "section": c.section,
        "issuer": c.meta.issuer,
        "date": c.meta.date,
        "type": c.meta.type,
        "language": c.meta.language,
        "access": c.meta.access,
        "url": c.meta.url,
        "ocr": c.ocr,
        "rank": rank,
        # What the ranking used: the reranker's score when one ran, else the fused score.
        "score": round(float(score), 6),
        "citation": citation_text(citation),
    }
    return Document(page_content=c.text, metadata=metadata, id=c.id)


class BriefingRetriever(BaseRetriever):
    """The assistant's hybrid retrieval behind LangChain's retriever interface.

        retriever = BriefingRetriever.from_settings(get_settings(), role="internal", k=4)
        docs = retriever.invoke("What does the Economic Security Promotion Act cover?")

    `filters` and `k` may also be given per call, `retriever.invoke(q, filters={"type": ["law"]})`:
    a call's filters replace the retriever's own, and the role's access filter still applies.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever = Field(description="the search object; its role decides what may be read")
    filters: dict = Field(default_factory=Filters, description="metadata filters, as the CLI's options build them")
    k: int = Field(5, ge=1, le=100, description="passages per query")
    mode: str = Field("hybrid", description="hybrid, dense or lexical")

    @field_validator("filters", mode="before")
    @classmethod
    def _filters(cls, value: Any) -> Filters:
        return check_filters(value)

    @field_validator("mode")
    @classmethod
    def _mode(cls, value: str) -> str:
        if value not in MODES:
            raise ValueError(f"unknown retrieval mode '{value}' (known: {', '.join(MODES)})")
        return value

    @property
    def role(self) -> str:
        return self.retriever.role

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        role: str = "public",
        filters: dict | None = None,
        k: int = 5,
        mode: str = "hybrid",
        embedder=None,
    ) -> BriefingRetriever:
        """A retriever over the library `settings` names (the index folder, or the shared
        database and Chroma server), reading as `role` (public unless said otherwise, not
        settings.role: the least a caller may read is the default). `embedder` shares a loaded
        model with other retrievers of the process."""
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}' (known: {', '.join(ROLES)})")
        search = Retriever(settings, embedder=embedder, role=role)
        return cls(retriever=search, filters=check_filters(filters), k=k, mode=mode)

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        filters: dict | None = None,
        k: int | None = None,
    ) -> list[Document]:
        if k is not None and not 1 <= k <= 100:
            raise ValueError(f"k is from 1 to 100, not {k}")
        asked = self.filters if filters is None else check_filters(filters)
        hits = self.retriever.search(query, filters=asked, k=k or self.k, mode=self.mode)
        return [to_document(hit, rank) for rank, hit in enumerate(hits, start=1)]
