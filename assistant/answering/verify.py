"""Citation verification, after generation and before the user sees an answer.

Every sentence must carry at least one [n] that points at a passage that exists, and every
number, date, percentage, money amount and proper name in it must appear in one of the
passages it cites. A URL the question did not contain is refused: text inside documents is
data, and a link in an answer is the usual payload of an injected instruction. A sentence that
states what its passage negates ("de-coupling" from "not de-coupling") or only a verdict
("Yes [1].") is removed too: its words are all in the passage, so the other checks pass it.
Sentences that fail are removed, with the reason recorded. `attribute`, run before it on a
model's text, cites a sentence the model left uncited, or cited with a passage that does not
support it, where another passage passes these same checks for it."""

from __future__ import annotations

import re

from assistant.answering.question import analyse, countries_in
from assistant.core.guard import looks_like_injection
from assistant.core.text import MARKER, MONTHS, URL, fold, mostly_japanese, split_sentences, terms
from assistant.core.types import Verification

_NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?(?:\s?%| percent)?")
_NAME = re.compile(r"(?<![\w\u2019'])[A-Z][a-zA-Z\u2019'.-]*[a-zA-Z]")
_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "twenty": "20",
    "thirty": "30",
    "fifty": "50",
    "hundred": "100",
}
# Capitalised words that are not names (sentence openers and the like).
_COMMON = set(
    """The A An In On At By For From To Of And Or But This That These Those It Its They Their
There Then When Where Which Who What Why How As With Without Under Over After Before During Since
Also However Moreover Finally First Second Third According Both Each Such Some Many Most All
No Not Yes If While Although Because Further Furthermore Meanwhile Thus Therefore We Our He She His Her""".split()
)


# One country under its several names: a sentence that says "the U.S." states what a passage
# saying "the United States" states. "US" only in capitals, before folding: folded, it is "us".
# Not "America(n)": "Latin America" would then state "the U.S.".
_US_CAPITALS = re.compile(r"\b(?:United States(?: of America)?|US|USA)\b")
_US_NAMES = re.compile(r"\b(?:united states(?: of america)?|u\.s\.a\.?)(?![\w.])")
# The two Koreas likewise: the statements write "North Korea" and "the DPRK" for one country.
_KOREAS = (
    (re.compile(r"\bDemocratic People[\u2019']s Republic of Korea\b|\bNorth Korea\b"), "DPRK"),
    (re.compile(r"\bRepublic of Korea\b|\bSouth Korea\b"), "ROK"),
)


def _one_name(text: str) -> str:
    """Each country of several names under one of them, as the checks below read both sides."""
    text = _US_CAPITALS.sub("U.S.", text)
    for rx, name in _KOREAS:
        text = rx.sub(name, text)
    return text


# The adjective names its country ("Japanese ministry", "Japan's ministry"); the other way
# round is found already, since "japan" is inside "japanese".
_DEMONYMS = {"japanese": "japan", "chinese": "china", "korean": "korea", "russian": "russia", "indian": "india"}


def canonical(text: str) -> str:
    t = fold(_one_name(text))
    t = _US_NAMES.sub("u.s.", t)
    t = t.replace(" percent", "%").replace(" per cent", "%")
    t = re.sub(r"(\d),(\d{3})", r"\1\2", t)
    t = re.sub(r"(\d)\s+%", r"\1%", t)
    for word, digit in _NUMBER_WORDS.items():
        t = re.sub(rf"\b{word}\b", digit, t)
    return t


def facts(sentence: str) -> list[str]:
    """Numbers (with % when given), and proper names (capitalised words that are not common
    sentence openers), as they must be found in a cited passage."""
    body = _one_name(MARKER.sub(" ", sentence))  # one name, as the passages are read
    # Numbers as digits, so that "one percent" is checked like "1%".
    out = [m.group(0).strip() for m in _NUMBER.finditer(canonical(body))]
    for m in _NAME.finditer(body):
        w = m.group(0).rstrip(".")
        opener = not body[: m.start()].strip(" \"'\u201c(")
        # A capitalised first word is usually just a sentence opener; an acronym is still a name.
        if w in _COMMON or len(w) < 2 or (opener and not w.isupper()):
            continue
        out.append(w)
    return out


MIN_WORD_SUPPORT = 0.6
_LEADING_CLOSE = re.compile(r"^[\u201d\u2019\u300d\u300f\"')\uff09]+")
_LEADING_MARKERS = re.compile(rf"^(?P<markers>(?:{MARKER.pattern}\s*)+)(?P<rest>.*)$", re.S)


def _sentences(answer: str) -> list[str]:
    """Sentences, each with the markers that follow its full stop ("... in 2019. [1]" and
    "\u201c...\u201d [1]") kept with it rather than opening the next sentence."""
    out: list[str] = []
    for piece in split_sentences(" ".join(answer.split())):
        # A Japanese sentence ends at its 。, before the closing quote ("…です。” [1]"): the quote
        # and its markers belong to it, not to the next sentence.
        close = _LEADING_CLOSE.match(piece)
        if close and out:
            out[-1] += close.group(0).strip()
            piece = piece[close.end() :].lstrip()
        m = _LEADING_MARKERS.match(piece)
        if m and out:
            out[-1] = f"{out[-1]} {m['markers'].strip()}"
            piece = m["rest"].strip()
        if piece:
            out.append(piece)
    return out


def _evidence(text: str) -> str:
    # A document's instructions are not evidence: facts must stand in the passage's other sentences.
    return canonical(" ".join(x for x in split_sentences(" ".join(text.split())) if not looks_like_injection(x)))


def _found(fact: str, cited: str) -> bool:
    f = re.sub(r"'s$", "", canonical(fact).rstrip("."))  # "the LDP's proposal" states "LDP"
    if f in cited or _DEMONYMS.get(f, f) in cited:
        return True
    # A hyphenated name is checked word by word, as a name of several words always is
    # ("Asia-Pacific" in "Asia and the Pacific", "U.S.-Japan"); its lower-case parts
    # ("Hiroshima-summit") are no names, as they are nowhere else.
    pieces = fact.split("-")
    parts = [x for x in pieces if x[:1].isupper()]
    return len(pieces) > 1 and bool(parts) and all(_found(x, cited) for x in parts)


# A word the cited sentences negate ("de-risking, not de-coupling") stated by a sentence with no
# negation at all ("it means de-coupling") is the opposite of what was quoted; every word of it
# is in the passage, so the checks above cannot see it.
_NEGATED = re.compile(r"\b(?:not|never|nor|without|no)\s+([a-z][\w-]*)")
_NOT_NEGATED = {"only", "just", "yet", "least", "less", "more", "longer", "later", "a", "an", "the", "to", "be", "been"}
_NEGATION = re.compile(r"\b(?:not|never|nor|without|no|none|neither|rather than|instead of)\b|n't\b")


def _dropped_negation(sentence: str, cited: str) -> str | None:
    """The first word the cited text negates that the sentence states without any negation."""
    if _NEGATION.search(sentence):
        return None
    words = set(re.findall(r"[a-z][\w-]*", sentence))
    return next((w for w in _NEGATED.findall(cited) if w not in _NOT_NEGATED and w in words), None)


def _country_of(fact: str, question: str, cited: str) -> bool:
    """A capital the question itself uses for its country ("What tech will Washington and Tokyo
    use ...?") is stated by a cited passage that names the country ("the United States and
    Japan"). Only the question's own: "It met in Tokyo" is no restatement of "Japan"."""
    country = countries_in(fact)
    return bool(country) and fact in question and country <= countries_in(cited)


def _echoes(own: set[str], asked: str, question: str) -> bool:
    """Every word of the sentence is the question's own: as written, in another form of the word
    ("discussed" for "discuss"), or as the country its capital stands for ("Japan" for "Tokyo",
    in "Yes: Japan is backing a homegrown 5G alliance [2]." for "Is Tokyo backing ...?")."""
    words = set(terms(asked)) | set(terms(" ".join(countries_in(question))))

    def same(w: str, q: str) -> bool:
        return w == q or (
            min(len(w), len(q)) >= 4 and abs(len(w) - len(q)) <= 3 and (w.startswith(q) or q.startswith(w))
        )

    return all(any(same(w, q) for q in words) for w in own)


def verify(
    answer: str, passages: dict[int, str], question: str = "", context: dict[int, str] | None = None
) -> Verification:
    """`passages`: marker -> the text a sentence citing it is checked against (the full passage,
    or the sentences quoted from it). `context`: marker -> the full passage, when `passages`
    holds only its quoted sentences: a name or number the question itself contains may then
    come from anywhere in the cited passage (a direct answer restates its subject, which the
    quoted sentence may leave to "it"); still never from another passage."""
    kept, removed = [], []
    canon = {n: _evidence(t) for n, t in passages.items()}
    around = {n: _evidence(t) for n, t in (context or {}).items()}
    asked = canonical(question)
    question_urls = set(URL.findall(question))
    # Across the language line a name the question gives ("Tokyo Institute of Technology") cannot
    # be looked up in the passage (東京工業大学): the question's own names and numbers pass there.
    other_language = {n for n, t in passages.items() if mostly_japanese(t) != mostly_japanese(question)}
    # An acronym the question spells out itself ("promotion legislation (ESPA)") may be restated
    # from a cited passage that has most of its words ("Economic Security Promotion Bill"), as
    # answerability counts it there.
    asked_for = analyse(question) if question else None
    for sentence in _sentences(answer):
        markers = [int(m) for m in MARKER.findall(sentence)]
        reason = None
        if not MARKER.sub("", sentence).strip(" .\u201c\u201d\"'"):
            continue  # a bare marker left over between sentences
        if not markers:
            reason = "no citation"
        elif any(m not in passages for m in markers):
            reason = f"cites [{next(m for m in markers if m not in passages)}], which is not a retrieved passage"
        elif any(u not in question_urls for u in URL.findall(sentence)):
            reason = "contains a link the question did not ask for"
        elif looks_like_injection(sentence):
            reason = "repeats an instruction found in a document"
        else:
            cited = " ".join(canon[m] for m in markers)
            wider = " ".join(around.get(m, "") for m in markers)
            found = facts(sentence)
            across = any(m in other_language for m in markers)
            # The full cited passage where it is given (it holds the quoted sentences), else the quote.
            raw = " ".join((context or {}).get(m, passages[m]) for m in markers)
            meant = asked_for.acronyms_meant(set(terms(raw))) if asked_for and asked_for.spelled else set()
            missing = [
                f
                for f in found
                if not _found(f, cited)
                and not (_found(f, asked) and (across or _found(f, wider) or _country_of(f, question, raw)))
                and not (f.isupper() and f.lower() in meant)
            ]
            own = set(terms(canonical(MARKER.sub(" ", sentence))))
            support = len(own & set(terms(cited))) / len(own) if own else 1.0
            plain = canonical(MARKER.sub(" ", sentence))
            # A sentence the cited text holds word for word says what it says ("... expressed
            # concern about China's opaque build-up of its nuclear arsenal", from a passage that
            # elsewhere hopes for "a world without nuclear weapons").
            verbatim = len(plain) > 20 and plain.strip(" .\"'") in cited
            negated = None if verbatim else _dropped_negation(plain, cited)
            if missing:
                reason = "not in the cited passages: " + ", ".join(dict.fromkeys(missing))
            elif negated:
                reason = f"the cited passage says 'not {negated}', the sentence does not"
            elif not found and not own:
                # "Yes [1]." or "No, they did not [1].": a verdict with nothing of the quote in
                # it, which no lexical check can confirm (Qwen 1.5B answered a yes/no question so).
                reason = "states nothing the cited passage could confirm"
            elif question and _echoes(own, asked, question):
                # "The U.S. and Japan hope a Japanese astronaut will achieve the first-ever lunar
                # milestone [1]." for "What first-ever lunar milestone do ... hope ...?": the
                # question's own words, with or without a "not", answer nothing; the quotations do.
                reason = "repeats the question and adds nothing from the cited passage"
            elif not found and support < MIN_WORD_SUPPORT:
                # No number or name to check: then most of its words must come from the passages.
                reason = f"its words are mostly not in the cited passages ({support:.0%})"
        if reason:
            removed.append({"sentence": sentence, "reason": reason})
        else:
            kept.append(sentence)
    return Verification(" ".join(kept), tuple(kept), tuple(removed))


def document_words(title: str, issuer: str = "", date: str = "") -> str:
    """What a citation shows of its document beside the passage: title, issuer and date written
    out ("February 2025", "February 7, 2025"). A name or date the question gives may come from
    here (`context` of `verify`): "the February 2025 statement" says which document was asked of."""
    words = [title, issuer]
    parts = (date or "").split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = MONTHS[int(parts[1]) - 1].capitalize()
        words.append(f"{month} {parts[0]}")
        if len(parts) == 3 and parts[2].isdigit():
            words.append(f"{month} {int(parts[2])}, {parts[0]}")
    elif parts[0]:
        words.append(parts[0])
    return ". ".join(w for w in words if w)


def with_document(text: str, title: str = "", issuer: str = "", date: str = "") -> str:
    """A cited passage with what its citation shows of the document: what a sentence citing it
    may restate of the question's names and dates (`context` of `verify`)."""
    return f"{text}\n{document_words(title, issuer, date)}"


_NUMBER_TOKEN = re.compile(r"(?<!\[)\b(?:\d+|" + "|".join(_NUMBER_WORDS) + r")\b(?!\])", re.I)
_HYPHENATED = re.compile(r"\b([A-Za-z]+)-([A-Za-z]+)\b")


def in_quoted_words(text: str, quoted: str) -> str:
    """The text with its numbers and hyphenated words written as the quotation writes them: "2
    percent" where the quote says "two percent" is "two percent", "quantum-resistant" where it
    says "quantum resistant" is "quantum resistant". Only the spelling changes, never the value,
    so what was verified still holds; a reader (and a check for the quoted words) finds the
    quotation's own words in the answer."""

    def value(token: str) -> str:
        return _NUMBER_WORDS.get(token.lower(), token)

    spellings: dict[str, set[str]] = {}
    for m in _NUMBER_TOKEN.finditer(quoted):
        spellings.setdefault(value(m.group(0)), set()).add(m.group(0))

    def number(m: re.Match) -> str:
        found = spellings.get(value(m.group(0)), set())
        if m.group(0) in found or len(found) != 1:
            return m.group(0)
        return next(iter(found))

    out = text
    # "2%" where the quotation says "two percent" is "two percent" (not "two%"), and the reverse.
    if re.search(r"\bper ?cent\b", quoted, re.I) and "%" not in quoted:
        out = re.sub(r"(\d)\s?%", r"\1 percent", out)
    elif "%" in quoted and not re.search(r"\bper ?cent\b", quoted, re.I):
        out = re.sub(r"(\d)\s?per ?cent\b", r"\1%", out, flags=re.I)
    out = _NUMBER_TOKEN.sub(number, out)
    for m in _HYPHENATED.finditer(quoted):  # "two-year" quoted, "two year" written
        out = re.sub(rf"\b{m.group(1)} {m.group(2)}\b", m.group(0), out, flags=re.I)
    for a, b in re.findall(r"(?=\b([A-Za-z]+) ([A-Za-z]+)\b)", quoted):  # "quantum resistant" quoted
        out = re.sub(rf"\b{a}-{b}\b", f"{a} {b}", out, flags=re.I)
    return out


def attribute(answer: str, passages: dict[int, str], question: str = "", context: dict[int, str] | None = None) -> str:
    """The answer with each sentence cited where a passage supports it by the checks of `verify`:
    a sentence with no marker gets the first such passage's (in number order), and so does a
    sentence whose own markers do not support it (small models often cite only their last
    sentence, or the quote next to the one they used). Other sentences are unchanged; what is
    added still has to pass `verify`, against the passage it now cites."""
    out = []
    for sentence in _sentences(answer):
        body = re.sub(r"\s+(?=[.,!?\u3002])", "", " ".join(MARKER.sub("", sentence).split()))
        cited = MARKER.search(sentence) is not None
        if body.strip(" .\u201c\u201d\"'") and not (cited and verify(sentence, passages, question, context).ok):
            n = next(
                (n for n in sorted(passages) if verify(f"{body} [{n}]", {n: passages[n]}, question, context).ok),
                None,
            )
            if n is not None:
                sentence = f"{body} [{n}]"
        out.append(sentence)
    return " ".join(out)
