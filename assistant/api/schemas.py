"""Request bodies of the API, with the bounds a request is refused beyond (422 with the field).

The access filter is not among the filters: what a caller may read is decided by their role
inside retrieval, never by a request."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.core.types import MAX_TURNS, Filters

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
QuizKind = Literal["mc", "short"]
QUIZ_KINDS: tuple[QuizKind, ...] = ("mc", "short")


class FilterSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: list[str] | None = Field(None, max_length=20, description="document types: strategy, law, statement, ...")
    issuer: list[str] | None = Field(None, max_length=20, description="issuing bodies, as in the manifest")
    language: list[str] | None = Field(None, max_length=10, description="language codes, e.g. en, ja")
    doc_id: list[str] | None = Field(None, max_length=50, description="only these documents")
    date_from: str | None = Field(None, pattern=DATE, description="earliest document date, YYYY[-MM[-DD]]")
    date_to: str | None = Field(None, pattern=DATE, description="latest document date, YYYY[-MM[-DD]]")

    def make(self) -> Filters:
        f = Filters.make(
            type=self.type,
            issuer=self.issuer,
            language=self.language,
            date_from=self.date_from,
            date_to=self.date_to,
        )
        if self.doc_id:
            f["doc_id"] = list(self.doc_id)
        return f


def filters_of(spec: FilterSpec | None) -> Filters:
    return spec.make() if spec is not None else Filters()


class HistoryTurn(BaseModel):
    question: str = Field(..., max_length=4000)
    answer: str = Field("", max_length=20000)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        ..., min_length=1, max_length=4000, examples=["What does the Economic Security Promotion Act cover?"]
    )
    history: list[HistoryTurn] = Field(
        default_factory=list, max_length=50, description=f"earlier turns, oldest first (the last {MAX_TURNS} are read)"
    )
    filters: FilterSpec | None = None
    backend: str | None = Field(None, description="answer generator (GET /v1/models); default from the settings")
    k: int | None = Field(None, ge=1, le=50, description="passages to retrieve")
    mode: Literal["hybrid", "dense", "lexical"] = "hybrid"
    stream: bool = Field(False, description="server-sent events: provisional tokens, then the verified answer")


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    # A string, or OpenAI's list of content parts ({"type": "text", "text": ...}); None for a
    # tool-call message, which is skipped.
    content: str | list[dict] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    # OpenAI clients send fields this API does not use (temperature, max_tokens, user, ...):
    # accepted and ignored, as other OpenAI-compatible servers do.
    model_config = ConfigDict(extra="allow")

    model: str = "briefing"
    messages: list[ChatMessage] = Field(..., min_length=1, max_length=200)
    stream: bool = False
    filters: FilterSpec | None = Field(None, description="an extension: metadata filters (pass with extra_body)")


class NoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(..., min_length=1, max_length=1000)
    filters: FilterSpec | None = None
    format: Literal["json", "markdown", "docx"] = "json"
    backend: str | None = None


class QuizRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str | None = Field(None, max_length=1000, description="questions from passages on this topic; else a sample")
    n: int = Field(3, ge=1, le=20)
    kinds: list[QuizKind] = Field(default_factory=lambda: list(QUIZ_KINDS), min_length=1, max_length=2)
    filters: FilterSpec | None = None
    seed: int | None = Field(None, description="the same seed over the same index gives the same quiz")


class QuizQuestionIn(BaseModel):
    """A question as POST /v1/quizzes returned it (the grading rules read the key from it);
    fields beyond these are passed on to the quiz feature as they came."""

    model_config = ConfigDict(extra="allow")

    id: int
    kind: QuizKind
    prompt: str = Field(..., max_length=4000)
    answer: str = Field(..., max_length=1000)
    options: list[str] = Field(default_factory=list, max_length=10)
    doc_id: str = ""
    title: str = ""
    page: int | None = None
    passage: str = Field("", max_length=20000)
    fact: str = ""


class GradeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questions: list[QuizQuestionIn] = Field(..., min_length=1, max_length=50)
    responses: dict[int, str] = Field(default_factory=dict, description="question id -> the trainee's answer")
