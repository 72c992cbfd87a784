"""Katakana loanwords read back into the English words of the corpus: ペイロード is "payload",
カーボンニュートラルポート "carbon neutral port". A Japanese question about an English document
names most specific things in katakana, and neither BM25 nor the glossary can reach those words
otherwise. Both spellings are reduced to the consonants Japanese keeps (p-r-d for ペイロード and
for "payload": l and r are one sound, an r after a vowel is silent), and of the words of the
corpus with the same consonants, the one whose letters are nearest the reading is taken."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher

_ROWS = {
    "": "アイウエオ",
    "k": "カキクケコ",
    "g": "ガギグゲゴ",
    "s": "サシスセソ",
    "z": "ザジズゼゾ",
    "t": "タチツテト",
    "d": "ダヂヅデド",
    "n": "ナニヌネノ",
    "h": "ハヒフヘホ",
    "b": "バビブベボ",
    "p": "パピプペポ",
    "m": "マミムメモ",
    "r": "ラリルレロ",
    "y": "ヤ_ユ_ヨ",
    "w": "ワ___ヲ",
}
_KANA = {k: c + v for c, row in _ROWS.items() for v, k in zip("aiueo", row) if k != "_"}
_KANA.update(
    {"シ": "shi", "チ": "chi", "ツ": "tsu", "フ": "fu", "ジ": "ji", "ヂ": "ji", "ヅ": "zu", "ン": "n", "ヴ": "vu"}
)
_KANA.update({"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ャ": "ya", "ュ": "yu", "ョ": "yo"})
_SMALL = frozenset("ァィゥェォャュョ")
_RUN = re.compile(r"[ァ-ヴー]{2,}")
# A run this short reads as too many English words (ポート: pat, pit, port, put).
_MIN_CONSONANTS = 2
_MIN_SIMILARITY = 0.5
# A compound is read as words only when long and when every part reads as a word of its own.
_MIN_COMPOUND = 6
_MIN_PART_SIMILARITY = 0.65


def romaji(katakana: str) -> str:
    """A Hepburn-like reading: ティ is "ti", ニュ "nyu"; the long-vowel mark and the doubling ッ add nothing."""
    out, i = [], 0
    while i < len(katakana):
        ch = katakana[i]
        reading = _KANA.get(ch, "")
        if i + 1 < len(katakana) and katakana[i + 1] in _SMALL and reading:
            # The consonant of the first, the vowel of the small one: ファ fa, シェ she, キャ kya.
            reading = reading[:-1].removesuffix("i") if len(reading) > 1 else reading
            reading += _KANA[katakana[i + 1]]
            i += 1
        out.append(reading)
        i += 1
    return "".join(out)


def _consonants(text: str) -> str:
    text = re.sub(r"[aiueoyw]", "", text)
    return re.sub(r"(.)\1+", r"\1", text)


def skeleton_of_reading(reading: str) -> str:
    r = reading.replace("shi", "s").replace("chi", "c").replace("tsu", "t").replace("ji", "j").replace("fu", "f")
    r = re.sub(r"(?<=[kgsztdnhbpmrjcf])y", "", r)  # nyu, kya: the glide is not written in English
    r = r.replace("v", "b").replace("sh", "s").replace("ch", "c")
    return _consonants(re.sub(r"n(?=[bpm])", "m", r))


def skeleton_of_word(word: str) -> str:
    w = re.sub(r"[^a-z]", "", word.lower())
    w = w.replace("ph", "f").replace("ck", "k").replace("gh", "").replace("qu", "k").replace("q", "k")
    w = re.sub(r"(?<=[aeiou])sion", "jon", w)  # vision ビジョン
    w = re.sub(r"[st]ion", "shon", w)  # station ステーション
    w = re.sub(r"ti(?=[aeiou])", "shi", w)  # initiative イニシアティブ
    w = re.sub(r"c(?=[eiy])", "s", w).replace("ch", "C").replace("c", "k").replace("C", "c")
    w = w.replace("x", "ks").replace("th", "s").replace("sh", "s").replace("dg", "j").replace("ts", "t")
    w = w.replace("v", "b")
    w = re.sub(r"(?<=[aeiouy])r(?![aeiouy])", "", w)  # non-rhotic: port ポート, center センター
    w = w.replace("l", "r")
    w = re.sub(r"(?<=[aeiouy])w(?![aeiouy])", "", w)  # new, low
    w = re.sub(r"(?<=[aeiou])h", "", w)
    return _consonants(re.sub(r"e$", "", w))


def _spelling(word: str) -> str:
    """The word as a reading would spell it, for choosing among words of one skeleton."""
    w = word.lower()
    for english, japanese in (("wh", "howa"), ("ay", "ei"), ("ea", "ii"), ("ee", "ii"), ("oa", "o"), ("l", "r")):
        w = w.replace(english, japanese)
    return w.replace("c", "k").replace("v", "b")


def _unvoweled(reading: str) -> str:
    """A reading without the vowels Japanese adds after a consonant ("fakuto" is "fakt")."""
    return re.sub(r"(?<=[kgsztdbpmfr])[uo](?![aiueo])$|(?<=[kgsbpf])u(?=[kgsztdbpmrf])|(?<=[td])o$", "", reading)


def _likeness(reading: str, word: str) -> float:
    return SequenceMatcher(None, _unvoweled(reading), _spelling(word)).ratio()


class Loanwords:
    """The English words of a set of texts, by skeleton."""

    def __init__(self, texts) -> None:
        counts: dict[str, int] = defaultdict(int)
        for t in texts:
            for w in re.findall(r"[A-Za-z]{3,}", t):
                counts[w.lower()] += 1
        self.by_skeleton: dict[str, list[str]] = defaultdict(list)
        for w in sorted(counts, key=lambda w: (-counts[w], w)):
            # "payloads" is read as ペイロード too: Japanese has no plural.
            forms = {w, w[:-1] if w.endswith("s") and not w.endswith("ss") else w}
            # An English "ti" is written チ as often as ティ: Palestinian パレスチナ, team チーム.
            forms |= {re.sub(r"t(?=i)", "ch", f) for f in forms if "ti" in f}
            for form in forms:
                s = skeleton_of_word(form)
                if len(s) >= _MIN_CONSONANTS and w not in self.by_skeleton[s]:
                    self.by_skeleton[s].append(w)

    def _match(self, katakana: str, minimum: float) -> tuple[str, float] | None:
        reading = romaji(katakana)
        found = self.by_skeleton.get(skeleton_of_reading(reading), [])
        scored = max(((_likeness(reading, w), w) for w in found), default=None, key=lambda p: p[0])
        return (scored[1], scored[0]) if scored and scored[0] >= minimum else None

    def words(self, katakana: str) -> list[str]:
        """One run of katakana as English words: whole ("ペイロード" payload), else as the fewest
        words that read it end to end, the likeliest of those ("カーボンニュートラルポート" carbon
        neutral port)."""
        whole = self._match(katakana, _MIN_SIMILARITY)
        if whole:
            return [whole[0]]
        n = len(katakana)
        if n < _MIN_COMPOUND:
            return []
        # best[i]: (words, -likeness, the words) of the best reading of katakana[:i]
        best: list[tuple[int, float, list[str]] | None] = [None] * (n + 1)
        best[0] = (0, 0.0, [])
        for end in range(3, n + 1):
            for start in range(0, end - 2):
                prefix = best[start]
                if prefix is None or prefix[0] >= 3 or katakana[start] in "ーッン" or katakana[start] in _SMALL:
                    continue
                found = self._match(katakana[start:end], _MIN_PART_SIMILARITY)
                if found:
                    candidate = (prefix[0] + 1, prefix[1] - found[1], [*prefix[2], found[0]])
                    held = best[end]
                    if held is None or candidate[:2] < held[:2]:
                        best[end] = candidate
        whole_run = best[n]
        return whole_run[2] if whole_run else []

    def of(self, question: str) -> list[str]:
        """The English words of the corpus that the question's katakana stand for."""
        text = unicodedata.normalize("NFKC", question)
        out: list[str] = []
        for run in _RUN.findall(text):
            out.extend(self.words(run))
        return list(dict.fromkeys(out))
