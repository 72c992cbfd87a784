"""Quizzes for trainers: fill-the-blank questions cut from passages the user may read.

A question blanks one fact worth knowing (a year, an amount of money, a figure, or the whole
name of an institution, a programme or a law) of a sentence that is about the topic; the answer
key is the blanked text and the citation is the passage's document and page. Multiple-choice
distractors are facts of the same kind, from the topic's own passages first and then from other
visible passages, so a restricted document can never supply even a wrong option. No language
model: the key is the document's own words.

What makes a question fair, each rule written down once here (evals/quiz_quality.py checks the
output against the same rules, independently):
- about the topic: the passage carries the topic's focus terms (60% of them; the words that pin
  the topic down in this library, `features/topics.py`, as the timeline and the briefing note
  read a topic) and the stem the trainee reads at least half of them, so a passage retrieved for
  one sentence cannot lend an unrelated sentence to the quiz;
- not given away: the key is not repeated in the stem, its abbreviation or expansion is not in
  the stem, and it is not next to or inside a parenthesis;
- not a party: in a corpus of U.S.-Japan documents "the United States" or "Japan" is a blank
  anyone fills;
- whole: a name is blanked from its first capital to its last (no "Partnership for Resilient");
- same kind: a year for a year, an amount for an amount, an institution for an institution;
- language: a Japanese topic (or a Japanese document with no topic) gives Japanese questions."""

from __future__ import annotations

import csv
import io
import math
import random
import re
from dataclasses import asdict, dataclass, field

from assistant.core.guard import looks_like_injection, tainted
from assistant.core.text import CJK_LETTERS, IDEOGRAPHS, fold, language_of, split_sentences, terms
from assistant.core.types import location
from assistant.features.topics import TopicError, focus_of

BLANK = "_____"
KINDS = ("year", "amount", "figure", "institution", "programme", "law")
NAME_KINDS = ("institution", "programme", "law")

# The two parties of the bilateral corpus, folded: never a blank, never a distractor.
PARTIES = frozenset(
    {
        "united states",
        "united states of america",
        "u.s.",
        "u.s",
        "us",
        "usa",
        "america",
        "japan",
        "u.s.-japan",
        "japan-u.s.",
        "japan-u.s",
        "us-japan",
        "japan-us",
        "government of japan",
        "government of the united states",
        "governments of japan and the united states",
        "日本",
        "日本国",
        "米国",
        "アメリカ",
        "アメリカ合衆国",
        "合衆国",
        "我が国",
        "日米",
        "日本政府",
        "米国政府",
    }
)

# -- English facts --------------------------------------------------------------------------
_YEAR = re.compile(r"(?<![\w$.,/-])(19[5-9]\d|20[0-4]\d)(?![\w%/-]|[.,]\d)")
_SCALE = r"(?:trillion|billion|million|thousand)"
_AMOUNT = re.compile(
    rf"(?<![\w.,])(?:(?:US|U\.S\.)?\$|¥|JPY ?|USD ?)\d[\d,]*(?:\.\d+)?(?: ?{_SCALE})?(?![\w.,]\d)"
    rf"|(?<![\w.,$])\d[\d,]*(?:\.\d+)?(?: {_SCALE})? (?:yen|dollars)\b"
)
_COUNTED = (
    "countries|economies|nations|partners|members|items|sectors|areas|technologies|pillars|companies|firms|"
    "fields|projects|people|students|researchers|universities|institutions|minerals|initiatives|programs|"
    "programmes|states|cities|sites|facilities|workers|scholars|fellows|participants|ministers|agencies"
)
_FIGURE = re.compile(
    r"(?<![\w.,$])\d[\d,]*(?:\.\d+)? ?(?:%|percent\b|per cent\b)"
    rf"|(?<![\w.,$-])\d[\d,]*(?:\.\d+)?(?: {_SCALE})?(?= (?:new |more |additional |partner )?(?:{_COUNTED})\b)"
)
# A name is a run of capitalised words ("U.S.-Japan", "Indo-Pacific", "G7", "CoRe") joined by
# spaces or by up to two lower-case connectors ("Partnership for Global Infrastructure and
# Investment", "Act on the Promotion of Economic Security").
_W = r"(?:[A-Z]\.){2,}(?:-[A-Z][\w&-]*)?|[A-Z][\w&\u2019'-]*[\w]|[A-Z]"
_CONN = r"(?:of|for|and|on|the|in|to|de|&)"
_NAME = re.compile(rf"(?<![\w\u2019'.-])(?:{_W})(?: (?:{_CONN} ){{0,2}}(?:{_W}))*")
_DETERMINERS = {"The", "A", "An", "This", "These", "That", "Those", "Our", "Its", "Their", "Both", "Each", "All"}
# The head of a name says what it names. The head is the word before the first connector
# ("Ministry of ...", "Partnership for ...") or else the last word ("Minerals Security Partnership").
INSTITUTION_HEADS = frozenset(
    """Ministry Agency Council Committee Commission Organization Organisation Bank Institute Institution
    University Secretariat Corporation Office Department Cell Association Board Authority Bureau Centre
    Center Administration Division Group Taskforce Force Foundation Laboratory Laboratories Society Union
    Assembly Parliament Diet Court Cabinet Headquarters Service Fund Forum""".split()
)
PROGRAMME_HEADS = frozenset(
    """Partnership Partnerships Initiative Initiatives Programme Program Project Framework Dialogue Strategy
    Corridor Facility Mechanism Network Plan Agenda Deal Compact Vision Platform Principles Roadmap Mission
    Scheme Coalition Arrangement Accelerator Hub Consortium Campaign Policy Package Programs Programmes
    Exchange Fellowship Fellowships Challenge Alliance""".split()
)
LAW_HEADS = frozenset(
    "Act Law Bill Treaty Convention Agreement Accord Regulation Regulations Code Charter Protocol".split()
)

# -- Japanese facts -------------------------------------------------------------------------
_JA_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20[0-4]\d)(?=年)|(?:令和|平成)(?:\d{1,2}|元)年")
_JA_AMOUNT = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?(?:兆|億|万)?(?:\d[\d,]*(?:億|万))?円")
_JA_FIGURE = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?(?:%|％|件|人|社|か国|カ国|ヶ国|機関|名|拠点|校)")
# Katakana, ideographs, Latin letters and digits: hiragana is where a Japanese name ends.
_JA_NAME_CHARS = f"[\u30a0-\u30ff{IDEOGRAPHS}\uf900-\ufaffA-Za-z0-9・]"
_JA_HEADS = {
    "institution": "研究所|研究機構|機構|大学|省|庁|本部|会議|センター|委員会|協議会|法人|研究機関|研究院",
    "programme": "事業|プログラム|制度|プロジェクト|戦略|計画|イニシアティブ|構想|基金|イニシアチブ",
    "law": "基本法|推進法|法律|法",
}
_JA_NAME = {
    kind: re.compile(rf"{_JA_NAME_CHARS}{{2,30}}?(?:{heads})(?!{_JA_NAME_CHARS})") for kind, heads in _JA_HEADS.items()
}
# Prefixes that refer back ("the same centre", "this programme") or name a category ("public
# research institutions", "the ministries concerned"): not a name.
_JA_DEICTIC = (
    "同",
    "本",
    "各",
    "当",
    "該",
    "前記",
    "上記",
    "次期",
    "全",
    "公的",
    "関係",
    "民間",
    "国内",
    "海外",
    "主要",
    "諸",
)
_JA_CATEGORIES = frozenset({"国立研究開発法人", "独立行政法人", "研究機関", "研究開発法人", "大学等"})
# A head after nothing but a common word ("研究センター", a research centre; "研究開発事業") is a
# category too.
_JA_COMMON = frozenset({"研究", "研究開発", "技術", "開発", "支援", "推進", "新", "事業", "国際", "共同研究", "拠点"})

# Characters that mark a sentence as markup or layout rather than prose.
_MARKUP = re.compile(r"[*#<>|\[\]_●■◆▲○◎※]|http|www\.")
_PARTICLE_START = tuple("のをにがはとでやもへ、。")


@dataclass
class QuizQuestion:
    id: int
    kind: str  # "mc" (multiple choice) or "short" (short answer)
    prompt: str  # the sentence with the fact blanked
    answer: str  # the key: the blanked text, as the document says it
    options: list[str] = field(default_factory=list)
    doc_id: str = ""
    title: str = ""
    page: int | None = None
    passage: str = ""  # the passage the sentence comes from, shown after answering
    fact: str = ""  # one of KINDS
    article: str = ""  # a law's article, cited beside the page
    language: str = "en"
    topic: str = ""

    @property
    def location(self) -> str:
        return location(self.page, self.article)

    @property
    def source(self) -> str:
        """How every front end names where the question comes from: "Title, p. 3"."""
        return ", ".join(p for p in (self.title, self.location) if p)

    def to_dict(self) -> dict:
        return {**asdict(self), "location": self.location}


@dataclass
class Grade:
    correct: bool
    feedback: str


# -- what a fact is ---------------------------------------------------------------------------
def name_kind(name: str) -> str:
    """institution | programme | law | "" for a name whose head names none of them."""
    words = name.split()
    if len(words) < 2:
        return ""
    head = words[-1]
    for i, w in enumerate(words):
        if w in ("of", "for", "on") and i > 0:
            head = words[i - 1]
            break
    head = head.rstrip(".,")
    for kind, heads in (("institution", INSTITUTION_HEADS), ("programme", PROGRAMME_HEADS), ("law", LAW_HEADS)):
        if head in heads:
            return kind
    return ""


def _is_head(word: str) -> bool:
    return word in INSTITUTION_HEADS or word in PROGRAMME_HEADS or word in LAW_HEADS


def is_party(text: str) -> bool:
    """The United States, Japan, 日本, 米国 ... in any spelling the corpus uses."""
    t = fold(text).replace("\u2019", "'").strip(" .,")
    t = re.sub(r"^the ", "", t)
    t = re.sub(r"'s$", "", t)
    return t in PARTIES or t.rstrip(".") in PARTIES


def _english_names(sentence: str) -> list[tuple[str, int]]:
    """Whole names in a sentence, with their offsets: the maximal capitalised run, split where two
    names meet ("Japan and the United States"), without a leading determiner or possessive."""
    out = []
    for m in _NAME.finditer(sentence):
        pieces = [(m.group(0), m.start())]
        # Two names joined by "and the" are two names, and so are a name and a party joined by
        # "and" ("Japan and the United States", "the Quad and Japan"); "Partnership for Resilient
        # and Inclusive Supply-chain Enhancement" is one.
        split: list[tuple[str, int]] = []
        for text, start in pieces:
            offset = start
            for piece in text.split(" and the "):
                parts = piece.split(" and ")
                group, gstart, pos = parts[0], offset, offset + len(parts[0])
                for part in parts[1:]:
                    if is_party(group) or is_party(part):
                        split.append((group, gstart))
                        group, gstart = part, pos + len(" and ")
                    else:
                        group += " and " + part
                    pos += len(" and ") + len(part)
                split.append((group, gstart))
                offset += len(piece) + len(" and the ")
        for text, start in split:
            words = text.split(" ")
            # A possessive ends a name: "Japan's Economic Security Promotion Act" names the Act.
            for i in range(len(words) - 1, -1, -1):
                if words[i].endswith(("\u2019s", "'s")):
                    cut = len(" ".join(words[: i + 1])) + 1
                    text, start, words = text[cut:], start + cut, words[i + 1 :]
                    break
            while words and words[0] in _DETERMINERS:
                cut = len(words[0]) + 1
                text, start, words = text[cut:], start + cut, words[1:]
            while words and re.fullmatch(_CONN, words[-1]):
                words = words[:-1]
                text = " ".join(words)
            if len(words) < 2:
                continue
            # Two names joined by "and" ("the University of Washington and University of Tsukuba",
            # "the ... Agency and Japan Bank for ...") are two names when each side names something
            # and the left one ends with its head or the right one starts with a head; "Partnership
            # for Global Infrastructure and Investment Lobito Corridor" is one.
            parts = text.split(" and ")
            cut = next(
                (
                    i
                    for i in range(1, len(parts))
                    if name_kind(" and ".join(parts[:i]))
                    and name_kind(" and ".join(parts[i:]))
                    and (_is_head(parts[i - 1].split()[-1]) or _is_head(parts[i].split()[0]))
                ),
                0,
            )
            if cut:
                left = " and ".join(parts[:cut])
                out += [(left, start), (" and ".join(parts[cut:]), start + len(left) + len(" and "))]
            else:
                out.append((text, start))
    return out


# Words a name does not end with: it goes on past the blank ("Vienna Convention on Consular
# [Relations]", "Bank for International [Settlements]").
_ADJECTIVE_END = re.compile(r"(?:al|ar|(?<!m)ent|ive|ic|ous|ful|ary)$")
_NOUNS_ENDING_SO = frozenset(
    "Capital Tribunal Journal Hospital Portal Proposal Arsenal Festival Seminar Republic Pacific Atlantic Arctic".split()
)


def _whole(name: str, after: str) -> bool:
    """A name that stops where the document's name stops: not cut before a list of its own
    words ("Ministry of Economy[, Trade and Industry]") nor after an adjective."""
    if re.match(r", [A-Z][\w-]*(?:, [A-Z][\w-]*)*,? and [A-Z]", after):
        return False
    last = name.split()[-1]
    return not (_ADJECTIVE_END.search(last) and last not in _NOUNS_ENDING_SO and not name_kind(last + " " + last))


def facts(sentence: str, language: str = "en") -> list[tuple[str, str, int]]:
    """(kind, text, offset) of every fact worth a blank in a sentence, whole and unrepeated."""
    found: list[tuple[str, str, int]] = []
    if language == "ja":
        found += [("year", m.group(1) or m.group(0), m.start()) for m in _JA_YEAR.finditer(sentence)]
        found += [("amount", m.group(0), m.start()) for m in _JA_AMOUNT.finditer(sentence)]
        found += [("figure", m.group(0), m.start()) for m in _JA_FIGURE.finditer(sentence)]
        for kind, pattern in _JA_NAME.items():
            heads = _JA_HEADS[kind].split("|")
            for m in pattern.finditer(sentence):
                name = m.group(0)
                head = next(h for h in heads if name.endswith(h))
                if name[: -len(head)] in _JA_COMMON:
                    continue
                # The name starts where the run of name characters starts (the lazy match may
                # begin inside it): a fragment otherwise.
                if m.start() > 0 and re.match(_JA_NAME_CHARS, sentence[m.start() - 1]):
                    continue
                if (
                    name.startswith(_JA_DEICTIC)
                    or name in _JA_CATEGORIES
                    or len(name) < 4
                    or re.fullmatch(r"[\d・ー]+.*", name)
                ):
                    continue
                found.append((kind, name, m.start()))
    else:
        found += [("amount", m.group(0).strip(), m.start()) for m in _AMOUNT.finditer(sentence)]
        found += [("figure", m.group(0).strip(), m.start()) for m in _FIGURE.finditer(sentence)]
        found += [("year", m.group(1), m.start()) for m in _YEAR.finditer(sentence)]
        for name, start in _english_names(sentence):
            before = sentence[:start].split()
            prev = before[-1].lstrip("\u201c\u2018\"'(") if before else ""
            # After a lower-case word (or a possessive): a name that starts a sentence may carry
            # the sentence's first word ("Through the ...").
            if not prev or not (prev[0].islower() or prev.endswith(("\u2019s", "'s"))):
                continue
            # "this Coordination Platform" refers back to a name given in full elsewhere.
            if prev.lower() in ("this", "that", "these", "those", "such"):
                continue
            kind = name_kind(name)
            if kind and len(name) <= 90 and _whole(name, sentence[start + len(name) :]):
                found.append((kind, name, start))
    # A number inside an amount is the amount's, not a figure or a year of its own.
    spans = [(s, s + len(t)) for k, t, s in found if k == "amount"]
    found = [f for f in found if f[0] == "amount" or not any(a <= f[2] < b for a, b in spans)]
    return [f for f in found if sentence.count(f[1]) == 1 and not is_party(f[1])]


_MINOR = frozenset({"of", "for", "and", "on", "the", "in", "to", "de", "a", "an"})


# -- fairness of one blank --------------------------------------------------------------------
def abbreviates(abbr: str, name: str) -> bool:
    """Whether `abbr` is an abbreviation of `name`: every word of the name but its connectors
    gives its first letter and maybe more of its letters, in order ("ASEAN" for "Association of
    Southeast Asian Nations", "MSP", "PGII", "CoRe" for "Competitiveness and Resilience")."""
    letters = re.sub(r"[^A-Za-z0-9]", "", abbr).upper()
    words = re.findall(r"[A-Za-z0-9]+", name)
    if len(letters) < 2 or len(words) < 2:
        return False

    def go(i: int, j: int) -> bool:
        if i == len(letters):
            return all(w.lower() in _MINOR for w in words[j:])
        if j == len(words):
            return False
        w = words[j]
        if w.lower() in _MINOR and go(i, j + 1):
            return True
        if w[0].upper() != letters[i]:
            return False
        k, pos, rest = i + 1, 0, w[1:].upper()
        if go(k, j + 1):
            return True
        while k < len(letters):
            found = rest.find(letters[k], pos)
            if found < 0:
                return False
            pos, k = found + 1, k + 1
            if go(k, j + 1):
                return True
        return False

    return go(0, 0)


def gives_away(stem: str, key: str) -> str:
    """Why the stem reveals its own key, or "" if it does not."""
    i = stem.find(BLANK)
    before, after = stem[:i].rstrip(), stem[i + len(BLANK) :].lstrip()
    if before.endswith(("(", "（")) or after.startswith(("(", "（", ")", "）")):
        return "next to a parenthesis"
    if before.count("(") > before.count(")") or before.count("（") > before.count("）"):
        return "inside a parenthesis"
    rest = fold(stem.replace(BLANK, " "))
    if fold(key) in rest:
        return "repeated in the stem"
    if _same_year_in_other_calendar(key, rest):
        return "the same year stands in the stem in the other calendar"
    if re.search(r"[A-Za-z]", key):
        tokens = set(re.findall(r"\b[A-Z][A-Za-z0-9&-]*[A-Z]\b", stem))
        if any(abbreviates(t, key) for t in tokens):
            return "its abbreviation is in the stem"
        if key.isupper() and any(abbreviates(key, n) for n, _ in _english_names(stem)):
            return "its expansion is in the stem"
        words = {w for w in re.findall(r"[a-z][\w-]+", fold(key)) if w not in ("of", "for", "and", "on", "the")}
        if len(words) >= 2 and words <= set(re.findall(r"[a-z][\w-]+", rest)):
            return "its words are in the stem"
    return ""


def _expand(a: str, b: str) -> str:
    """`a` with each abbreviation that stands for a run of words of `b` written out
    ("PGI Lobito Corridor" against "Partnership for Global Infrastructure and Investment ...")."""
    words = b.split()
    out = []
    for token in a.split():
        bare = token.replace(".", "")
        if len(bare) >= 2 and bare.isupper() and bare.isalpha():
            for i in range(len(words)):
                for j in range(i + 2, min(len(words), i + 9) + 1):
                    if words[i] in _MINOR or words[j - 1] in _MINOR:
                        continue
                    if abbreviates(bare, " ".join(words[i:j])):
                        token = " ".join(words[i:j])
                        break
                else:
                    continue
                break
        out.append(token)
    return " ".join(out)


def _western_year(text: str) -> int | None:
    m = re.fullmatch(r"(令和|平成)(\d{1,2}|元)年?", text.strip())
    if m:
        n = 1 if m.group(2) == "元" else int(m.group(2))
        return (2018 if m.group(1) == "令和" else 1988) + n
    return int(text) if re.fullmatch(r"(19|20)\d\d", text.strip()) else None


def _same_year_in_other_calendar(key: str, stem: str) -> bool:
    """令和6年 with "(2024年度)" beside it, or 2024 with 令和6年 in the stem."""
    year = _western_year(key)
    if year is None:
        return False
    if not key.strip().isdigit():
        return str(year) in stem
    return any(_western_year(m.group(0)) == year for m in re.finditer(r"(令和|平成)(\d{1,2}|元)年", stem))


def same_fact(a: str, b: str) -> bool:
    """Two spellings of one fact: case, punctuation, "per cent"/"%", an abbreviation and its
    expansion, or the words of one all inside the other ("Partnership for Global Infrastructure
    Investment" / "... and Investment Lobito Corridor")."""
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return fold(a) == fold(b)
    if na == nb or (len(na) > 3 and na in nb) or (len(nb) > 3 and nb in na):
        return True
    if re.search(r"[A-Za-z]", a + b):
        wa = set(_norm(_expand(a, b)).split()) - _MINOR
        wb = set(_norm(_expand(b, a)).split()) - _MINOR
        if wa and wb and not re.search(r"\d", a + b) and (wa <= wb or wb <= wa):
            return True
    return False


def about(text: str, topic_terms: list[str], share: float = 0.6) -> bool:
    """Whether a text carries enough of the topic's terms (60%: both of two, 2 of 3)."""
    if not topic_terms:
        return True
    have = set(terms(text))
    hits = sum(t in have for t in topic_terms)
    return hits >= max(1, math.ceil(share * len(topic_terms) - 1e-9))


# Layout left in the text of record (list bullets, HTML comments of converted pages, bold): a
# sentence is cut at them, and only the prose between them is used, still verbatim.
_LAYOUT = re.compile(r"\s*(?:<!--.*?-->|[\u2022\u25cf\u25a0\u25c6\u25b2\u25cb\u25ce\u203b]|\*\*|^#+ )\s*")


# A run-in heading of a fact sheet ("Enhancing Cooperation on Semiconductors: Building on ..."):
# the sentence starts after it.
_HEADING = re.compile(
    r"^(?:[A-Z][\w\u2019'-]*,? (?:(?:of|for|and|on|the|in|to|with|&) ){0,2}){0,8}[A-Z][\w\u2019'-]*: (?=[A-Z])"
)
ELLIPSIS = "\u2026"
LONG = 60  # words: a longer sentence is quizzed by its clauses (fact sheets run to 75)


def _sentences(text: str, language: str) -> list[str]:
    """The prose of a passage, sentence by sentence, verbatim; a long English sentence also
    clause by clause (split at semicolons, the cut marked with an ellipsis)."""
    out: list[str] = []
    merged: list[str] = []
    for sentence in split_sentences(text.replace("\n", " " if language == "en" else "")):
        # "Japan-U.S." does not end a sentence (the splitter knows "U.S." only as a word).
        if merged and re.search(r"(?:[A-Z]\.){2,}$", merged[-1]):
            merged[-1] += " " + sentence
        else:
            merged.append(sentence)
    for sentence in merged:
        pieces = [p.strip() for p in _LAYOUT.split(sentence) if p and p.strip()]
        if language != "en":
            out.extend(pieces)
            continue
        for piece in pieces:
            # One space between words, as the passage reads once its line breaks are undone.
            piece = " ".join(piece.split())
            m = _HEADING.match(piece)
            piece = piece[m.end() :] if m else piece
            out.append(piece)
            clauses = piece.split("; ")
            if len(piece.split()) > LONG and len(clauses) > 1:
                last = len(clauses) - 1
                out.extend(
                    (f"{ELLIPSIS} " if i else "") + c + ("" if i == last else f" {ELLIPSIS}")
                    for i, c in enumerate(clauses)
                )
    return out


def focus_terms(retriever, topic: str, filters: dict | None, pool) -> list[str]:
    """The topic's focus terms (`features/topics.py`), by their share of the whole readable
    library: a filter to one document would make every word of it look common."""
    try:
        return list(focus_of(topic, retriever.passages() if filters else pool).terms)
    except TopicError:
        return []


def _usable(sentence: str, language: str) -> bool:
    s = sentence.strip()
    if not s or looks_like_injection(s) or _MARKUP.search(s):
        return False
    if language == "ja":
        return 15 <= len(s) <= 150 and s.endswith("。") and not s.startswith(_PARTICLE_START)
    words = len(s.split())
    starts = s[0].isupper() or s.startswith(ELLIPSIS)
    return 8 <= words <= LONG and starts and s.endswith((".", "!", "?", ELLIPSIS))


# -- making a quiz ----------------------------------------------------------------------------
@dataclass
class _Candidate:
    sentence: str
    chunk: object
    rank: int
    options: list[tuple[str, str, int]]  # (kind, key, offset) that are fair blanks


def _language(topic: str | None, filters: dict | None, chunks) -> str | None:
    if topic:
        return language_of(topic)
    langs = (filters or {}).get("language")
    if langs and len(langs) == 1:
        return "ja" if str(langs[0]).startswith("ja") else "en"
    return None  # no topic: each passage in its own language


def _lang(chunk) -> str:
    return "ja" if chunk.meta.language.startswith("ja") else "en"


def make_quiz(
    retriever,
    n: int = 3,
    topic: str | None = None,
    filters: dict | None = None,
    kinds: tuple[str, ...] = ("mc", "short"),
    seed: int = 0,
) -> list[QuizQuestion]:
    """Questions from the sentences about `topic` (in the topic's language), or from a sample of
    the visible passages (narrowed by `filters`, e.g. doc_id) when there is no topic. Fewer than
    n when the documents hold fewer fair questions."""
    if n < 1:
        raise ValueError("a quiz has at least one question")
    rng = random.Random(seed)
    pool = retriever.passages(filters)
    language = _language(topic, filters, pool)
    topic = (topic or "").strip()
    wanted = focus_terms(retriever, topic, filters, pool) if topic else []
    if topic and not wanted:
        return []  # no readable document names the topic (in its language)
    if topic:
        ranked = [h.chunk for h in retriever.search(topic, filters=filters, k=max(40, 8 * n))]
        seen = {c.id for c in ranked}
        # Relevance is checked on every sentence, so passages the search ranked lower (or not at
        # all) may give questions too; the search order decides which come first.
        chunks = ranked + [c for c in pool if c.id not in seen and about(c.text, wanted)]
        chunks = [c for c in chunks if _lang(c) == language]
    else:
        chunks = pool[:]
        rng.shuffle(chunks)
    # A chunk may begin mid-sentence (the chunker cuts long paragraphs): its first sentence is
    # whole only if the chunk before it ended one.
    ended = {
        (c.doc_id, c.position): c.text.rstrip().endswith((".", "!", "?", "\u3002", ":"))
        and not re.search(r"(?:[A-Z]\.){2,}$", c.text.rstrip())
        for c in pool
    }
    candidates: list[_Candidate] = []
    for rank, chunk in enumerate(chunks):
        if wanted and not about(chunk.text, wanted):
            continue
        lang = _lang(chunk)
        head = " ".join(chunk.text.split())[:30] if lang == "en" else chunk.text[:20]
        for sentence in _sentences(chunk.text, lang):
            if sentence.startswith(head) and chunk.position > 0 and not ended.get((chunk.doc_id, chunk.position - 1)):
                continue
            if not _usable(sentence, lang) or (wanted and not about(sentence, wanted, 0.5)):
                continue
            fair = []
            for kind, key, start in facts(sentence, lang):
                stem = sentence[:start] + BLANK + sentence[start + len(key) :]
                if gives_away(stem, key) or (wanted and not about(stem, wanted, 0.5)):
                    continue
                fair.append((kind, key, start))
            if fair:
                candidates.append(_Candidate(sentence, chunk, rank, fair))
    # Distractors from the topic's own passages first, then from any visible passage.
    facts_by = (_fact_pool([c.chunk for c in candidates] + chunks[:40]), _fact_pool(pool))
    # Weighted sampling without replacement: the most relevant passages are the likeliest, and
    # two quizzes on one topic with different seeds still differ.
    order = sorted(candidates, key=lambda c: rng.random() ** (1.0 / (1.0 + 8.0 / (1 + c.rank))), reverse=True)
    if not topic:
        order = candidates
    questions: list[QuizQuestion] = []
    used_sentences: list[str] = []
    used_keys: list[str] = []
    per_chunk: dict[str, int] = {}
    per_doc: dict[str, int] = {}
    kind_count: dict[str, int] = {}
    # Spread over passages and documents first (one question a passage, a third of the quiz a
    # document); then, if the topic lives in few passages, up to two a passage and any document.
    for chunk_cap, doc_cap in ((1, max(2, math.ceil(n / 3))), (2, n)):
        for cand in order:
            if len(questions) >= n:
                break
            chunk = cand.chunk
            if per_chunk.get(chunk.id, 0) >= chunk_cap or per_doc.get(chunk.doc_id, 0) >= doc_cap:
                continue
            core = cand.sentence.strip(ELLIPSIS + " ")
            if any(core in u or u in core for u in used_sentences):
                continue
            question = _question(cand, kinds[len(questions) % len(kinds)], used_keys, kind_count, facts_by, rng)
            if question is None:
                continue
            question.id, question.topic = len(questions) + 1, topic
            questions.append(question)
            used_sentences.append(core)
            used_keys.append(question.answer)
            per_chunk[chunk.id] = per_chunk.get(chunk.id, 0) + 1
            per_doc[chunk.doc_id] = per_doc.get(chunk.doc_id, 0) + 1
            kind_count[question.fact] = kind_count.get(question.fact, 0) + 1
    return questions


def _question(cand: _Candidate, qkind: str, used_keys, kind_count, facts_by, rng) -> QuizQuestion | None:
    """The question a candidate sentence gives: its least used kind of fact first, so that a
    quiz is not five years; None when no fact of it has a fair question."""
    chunk = cand.chunk
    for fkind, key, start in sorted(cand.options, key=lambda f: (kind_count.get(f[0], 0), rng.random())):
        if any(same_fact(key, k) for k in used_keys):
            continue
        stem = cand.sentence[:start] + BLANK + cand.sentence[start + len(key) :]
        options: list[str] = []
        if qkind == "mc":
            distractors = _distractors(fkind, key, stem, *facts_by, rng)
            if len(distractors) < 3:
                continue
            options = distractors + [key]
            rng.shuffle(options)
        return QuizQuestion(
            id=0,
            kind=qkind,
            prompt=stem,
            answer=key,
            options=options,
            doc_id=chunk.doc_id,
            title=chunk.meta.title,
            page=chunk.page,
            passage=chunk.text,
            fact=fkind,
            article=getattr(chunk, "article", ""),
            language=_lang(chunk),
        )
    return None


def _fact_pool(chunks) -> dict[tuple[str, str], list[str]]:
    """(language, kind) -> facts, in the order the chunks come, each once."""
    out: dict[tuple[str, str], list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for chunk in chunks:
        if tainted(chunk.text):
            continue
        lang = _lang(chunk)
        for sentence in _sentences(chunk.text, lang):
            if looks_like_injection(sentence) or _MARKUP.search(sentence):
                continue
            for kind, value, _ in facts(sentence, lang):
                if (lang, value) not in seen:
                    seen.add((lang, value))
                    out.setdefault((lang, kind), []).append(value)
    return out


def _unit(kind: str, value: str) -> str:
    """What a number counts, so that a percentage is offered against percentages."""
    if kind == "amount":
        if re.search(r"¥|yen|JPY|円", value):
            return "yen"
        return "dollar" if re.search(r"\$|dollar|USD", value) else ""
    if kind == "year":
        return "era" if re.search(r"令和|平成", value) else ""
    if kind == "figure":
        return (
            re.sub(r"[\d,.\s]", "", value)
            .replace("per cent", "percent")
            .replace("%", "percent")
            .replace("％", "percent")
        )
    return ""


def _distractors(kind, key, stem, topic_facts, corpus_facts, rng: random.Random) -> list[str]:
    lang = language_of(stem)
    unit = _unit(kind, key)

    def fits(v: str, picked: list[str]) -> bool:
        return (
            not same_fact(v, key)
            and not is_party(v)
            and fold(v) not in fold(stem)
            and _unit(kind, v) == unit
            and all(not same_fact(v, p) for p in picked)
        )

    picked: list[str] = []
    for source in (topic_facts, corpus_facts):
        others = list(source.get((lang, kind), []))
        rng.shuffle(others)
        for v in others:
            if len(picked) == 3:
                break
            if fits(v, picked):
                picked.append(v)
    if len(picked) < 3 and kind in ("year", "amount", "figure"):
        for v in _nearby_numbers(kind, key, rng):
            if len(picked) == 3:
                break
            if fits(v, picked):
                picked.append(v)
    return picked[:3]


def _nearby_numbers(kind: str, key: str, rng: random.Random) -> list[str]:
    """Plausible wrong numbers of the same form when the documents offer too few."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", key)
    if not m:
        return []
    raw = m.group(0)
    value = float(raw.replace(",", ""))
    if kind == "year":
        steps = [-3, -2, -1, 1, 2, 3]
        rng.shuffle(steps)
        return [str(int(value) + s) for s in steps]
    factors = [0.5, 2, 3, 1.5, 0.25, 4]
    rng.shuffle(factors)
    out = []
    for f in factors:
        v = value * f
        text = f"{v:,.1f}".rstrip("0").rstrip(".") if "." in raw or v != int(v) else f"{int(v):,}"
        if "," not in raw:
            text = text.replace(",", "")
        out.append(key[: m.start()] + text + key[m.end() :])
    return out


_WORD = re.compile(rf"[a-z0-9]+|[{CJK_LETTERS}]+")


def _norm(text: str) -> str:
    words = _WORD.findall(fold(text).lower().replace("per cent", "percent").replace("%", " percent"))
    return " ".join(w for w in words if w not in ("the", "a", "an"))


def grade(question: QuizQuestion, response: str | None) -> Grade:
    """Multiple choice: the option chosen. Short answer: judged against the key; every word
    (and every digit) of the key must be there, in any order, ignoring case, articles and
    punctuation; a figure must match exactly. A Japanese key must appear in the response."""
    where = question.source
    if not response or not response.strip():
        return Grade(False, f"No answer. The document says: {question.answer} ({where}).")
    key, got = _norm(question.answer), _norm(response)
    if question.kind == "mc":
        ok = key == got if key else fold(question.answer) == fold(response)
    elif language_of(question.answer) == "ja":
        ok = bool(key) and key.replace(" ", "") in got.replace(" ", "")
    else:
        key_words, got_words = set(key.split()), set(got.split())
        ok = bool(key_words) and key_words <= got_words
        if not ok and not re.search(r"\d", key) and len(key_words) >= 3:
            # A long name may be given without a minor word ("Economic Security Promotion Act").
            ok = len(key_words & got_words) / len(key_words) >= 0.75
    verdict = "Correct." if ok else f"Not quite: the document says \u201c{question.answer}\u201d."
    return Grade(ok, f"{verdict} Source: {where}.")


def results_csv(questions: list[QuizQuestion], responses: dict[int, str], trainee: str = "") -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        ["trainee", "question", "kind", "prompt", "options", "answer_key", "response", "correct", "document", "page"]
    )
    for q in questions:
        g = grade(q, responses.get(q.id))
        w.writerow(
            [
                trainee,
                q.id,
                q.kind,
                q.prompt,
                " | ".join(q.options),
                q.answer,
                responses.get(q.id, ""),
                int(g.correct),
                q.title,
                q.page or "",
            ]
        )
    return out.getvalue()
