"""The text rules every layer agrees on, one definition each: which characters are Japanese,
which are invisible, the [n] citation marker, sentences, search terms and folded text."""

from __future__ import annotations

import re
import unicodedata

# Japanese script, as ranges for character classes. Letters: kana, CJK ideographs (and
# extension A, compatibility ideographs), half-width katakana. Punctuation: the CJK symbols
# block (。、「」 and the ideographic space). Full-width forms: what NFKC turns into ASCII, so
# they matter only before normalisation (ingest undoes PDF layout before NFKC).
HIRAGANA = "\u3040-\u309f"
KANA = "\u3040-\u30ff"
IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_LETTERS = KANA + IDEOGRAPHS + "\uf900-\ufaff\uff66-\uff9f"
CJK_PUNCTUATION = "\u3000-\u303f"
FULLWIDTH_FORMS = "\uff01-\uff9f"
CJK = CJK_LETTERS + CJK_PUNCTUATION
_CJK_CHAR = re.compile(f"[{CJK}]")


def is_cjk(ch: str) -> bool:
    """One character of Japanese script (letters or punctuation)."""
    return bool(ch) and bool(_CJK_CHAR.match(ch))


def cjk_share(text: str) -> float:
    """The share of Japanese among the letters and digits of a text (0 for none)."""
    letters = [ch for ch in text if ch.isalnum()]
    cjk = sum(1 for ch in letters if is_cjk(ch))
    return cjk / len(letters) if letters else 0.0


# A text is Japanese when more than this share of its letters and digits are Japanese script: a
# Japanese question that names "CoRe" or "2024" stays Japanese. The one threshold for questions,
# passages, quizzes and model answers alike.
JAPANESE_SHARE = 0.3


def mostly_japanese(text: str) -> bool:
    return cjk_share(text) > JAPANESE_SHARE


def language_of(text: str) -> str:
    """ "ja" or "en": the language a question or a text is read in."""
    return "ja" if mostly_japanese(text) else "en"


# Zero-width and bidirectional controls and the soft hyphen: invisible to a reader, and a way
# to hide words from search or to split a trigger word of an injection.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")


def visible(text: str) -> str:
    """The text as a reader sees it: NFKC, without invisible characters."""
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


# The citation marker of an answer: "[n]" refers to the n-th cited passage.
MARKER = re.compile(r"\[(\d+)\]")
# A web address: a document's links are references, never an answer (verify refuses them,
# sentence choice never quotes them, cleaning drops footnotes made of them).
URL = re.compile(r"https?://\S+|www\.\S+", re.I)

# The months in English, lower case; a month's number is its index + 1.
MONTHS = ("january february march april may june july august september october november december").split()

_CJK_RUN = re.compile(f"[{CJK_LETTERS}]+")
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_ABBREV = {
    "u.s",
    "u.k",
    "mr",
    "mrs",
    "ms",
    "dr",
    "no",
    "jr",
    "sr",
    "inc",
    "co",
    "corp",
    "st",
    "e.g",
    "i.e",
    "vol",
    "art",
    "para",
    "fig",
    "approx",
    "etc",
    "ltd",
    "gov",
    "dept",
}
_END = re.compile(
    rf"([.!?][\"'\u201d\u2019)]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u2022{CJK_LETTERS}])|([\u3002\uff01\uff1f])"
)

STOPWORDS = frozenset(
    """a an and are as at be by did do does for from has have how in is it its of on or
that the their there this to was were what when where which who whom why will with would
can could should about after before between into than then them they these those also such
not no yes any all each other per via over under up out been being being he she his her
you your we our us i me my""".split()
)


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; Japanese ends at 。！？, English at . ! ? before a capital,
    except after abbreviations such as "U.S." or a single initial."""
    out, start = [], 0
    for m in _END.finditer(text):
        if m.group(1):
            # Only the last word matters; looking at a short window keeps long runs of
            # abbreviations or initials ("A. A. A. ...") linear instead of quadratic.
            before = text[max(start, m.start() - 40) : m.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREV or (len(last) == 1 and last.isalpha()):
                continue
            end = m.end(1)
        else:
            end = m.end(2)
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


# A footnote number glued to the full stop before the next sentence ("… exports in 2002.2 Moreover,",
# "… Index.3 While"): PDF text keeps the superscript as a plain digit, so `split_sentences` sees
# one sentence (and "2002.2" as a decimal). After a word, a closing quote or a year only: "$1.5
# Trillion" has one digit before its point.
_FOOTNOTE_MARK = re.compile(r"(?:(?<=[a-z\u201d\u2019\")])|(?<=\b(?:19|20)\d\d))\.\d{1,3}\s+(?=[A-Z][a-z])")


def quotable_sentences(text: str) -> list[str]:
    """The sentences of a passage as they may be quoted: cut at footnote numbers too, the number
    dropped, and never with a web address. A footnote's link glued to a sentence of the text
    ("… largest export destination in 2019, … Vol. 44, Issue 3, 2021: 25-42. https://…") is cut
    off; what stands before a link is kept only if it opens as a sentence does ("com/2020/04/10/…"
    is the tail of another link)."""
    out = []
    for sentence in split_sentences(text):
        for piece in _FOOTNOTE_MARK.sub(".\n", sentence).split("\n"):
            link = URL.search(piece)
            if link:
                piece = piece[: link.start()]
                if not _OPENS_SENTENCE.match(piece):
                    continue
            if piece.strip():
                out.append(piece.strip())
    return out


_OPENS_SENTENCE = re.compile(r"\s*[\"\u201c\u2018(]?[A-Z0-9]")


_FISCAL_YEAR = re.compile(r"\b(j?fy)(\d{2,4})\b")


def terms(text: str, keep_stopwords: bool = False) -> list[str]:
    """Search terms: lowercase words for Latin script, character bigrams for Japanese
    (no spaces to split on, and bigrams match inside compounds such as 経済安全保障)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)  # possessive: "LDP's" is "ldp"
    text = _FISCAL_YEAR.sub(r"\1 \2", text)  # "FY2022" is "FY 2022", as "Fiscal Year (FY) 2022" writes it
    out: list[str] = []
    for piece in _CJK_RUN.split(text):
        out.extend(_stem(w) for w in _WORD.findall(piece) if keep_stopwords or w not in STOPWORDS)
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def _stem(word: str) -> str:
    """Plural and third-person -s only: enough for "investments" to find "investment" without
    the surprises of a full stemmer on names and acronyms."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) and word.isalpha():
        return word[:-1]
    return word


_NAME_OR_NUMBER = re.compile(r"[A-Za-z][A-Za-z0-9'\u2019.-]*|\d[\d,.]*")


def salient_terms(question: str) -> list[str]:
    """Terms of the names, acronyms and numbers in a question (capitalised words after the
    first, tokens with digits): what an answer would have to be about."""
    words = _NAME_OR_NUMBER.findall(unicodedata.normalize("NFKC", question))
    out: list[str] = []
    for i, w in enumerate(words):
        if (i > 0 and w[0].isupper()) or any(ch.isdigit() for ch in w):
            out.extend(terms(w))
    return out


# Folding (EVAL_FORMAT.md): forgive what extraction does to text (quotes, dashes, hyphenated
# line breaks, whitespace, full-width forms, spaces between Japanese characters), nothing else.
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u30fc": "\u30fc",
    }
)
_HYPHEN_BREAK = re.compile(r"(\w)-\s*\n\s*(\w)")
_WS = re.compile(r"\s+")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(_QUOTES)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = _WS.sub(" ", text).strip().lower()
    return _SPACE_NEAR_CJK.sub("", text)


# Markup that extraction leaves in a document's text and that a reader must never see inside a
# quote or an export: HTML comments ("<!-- -->" separates lists in the press-release Markdown),
# HTML tags (<span style=…>, <u>), Markdown emphasis (**bold**, *italic*, footnote asterisks)
# and bullet characters (•, ●, the PDF private-use bullet ). The words are kept; the line
# breaks a bullet stood for are kept as line breaks. "■" (a figure label in Japanese white
# papers) and "・" (a Japanese word separator) are text, not markup.
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_EMPHASIS = re.compile(r"(\*{1,3})(?=\S)([^*\n]*?\S)\1")  # not "_": names_with_underscores
_BULLET_CHARS = "\u2022\u25cf\u25aa\u25e6\u2023\u2043\uf0b7"
_BULLET_AT_LINE_START = re.compile(rf"^[ \t]*[{_BULLET_CHARS}][ \t]*", re.M)
# "(?<![ \t])": a run of spaces is tried from its start only, so a long run costs linear time.
_BULLET_INLINE = re.compile(rf"(?<![ \t])[ \t]*[{_BULLET_CHARS}][ \t]*")
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_AT_LINE_EDGE = re.compile(r"(?<![ \t])[ \t]+(?=\n)|(?<=\n)[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def strip_markup(text: str) -> str:
    """The text without markup characters (see above), words and paragraphs unchanged.
    Idempotent; applied at ingest (`ingest/clean.py`) and again wherever stored text is shown
    or exported, so an index built before the rule existed still reads clean."""
    if not text:
        return text or ""
    text = _HTML_COMMENT.sub("", text)
    text = _HTML_TAG.sub("", text)
    # Pairs first, so "**The Alliance**" loses both ends; then any asterisk left over (a
    # footnote mark such as "competition*", an unpaired emphasis end).
    previous = None
    while previous != text:  # nested or adjacent emphasis ("***x***", "**<u>x</u>**")
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    text = text.replace("*", "")
    text = _BULLET_AT_LINE_START.sub("", text)
    text = _BULLET_INLINE.sub("\n", text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_AT_LINE_EDGE.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


# Languages as a reader names them (filters, source panels); the code stays the stored value.
LANGUAGE_NAMES = {"en": "English", "ja": "日本語 (Japanese)"}


def language_name(code: str) -> str:
    """ "English" for "en"; an unknown code as it is (better than nothing)."""
    return LANGUAGE_NAMES.get((code or "").lower(), code or "")
