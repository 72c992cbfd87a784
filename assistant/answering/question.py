"""What a question asks for: the kind of answer (a date, an amount, a count, a person or body,
a place, a duration), one per part of a two-part question, and the terms an answer must be
about. The pipeline checks both against the sentences it is about to quote (answerability.py)
and prefers sentences that carry them (evidence.py)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.core.text import MARKER, MONTHS, mostly_japanese, salient_terms, terms
from assistant.retrieval.glossary import latin_words, translations

# Answer kinds, with the words a user would read in a decline ("do not state a date ...").
KINDS = {
    "date": "a date",
    "amount": "an amount",
    "count": "a number",
    "person": "who it is",
    "place": "a place",
    "duration": "how long",
    "size": "a figure",
    "name": "its name",
    "reason": "a reason or purpose",
    "penalty": "a penalty",
}

# How a question asks for each kind, in English and Japanese. Order matters: the first match
# of a part wins ("how many years" is a duration, "how many" a count).
# "When" and "where" ask for a date or a place where they open a question or a part of one
# ("..., and when does it take effect?", "Since when ..."), not as a conjunction in the middle
# ("which products does the framework mention when picking projects?").
_ASKED = r"(?:^\W*|[,;:]\s*|\s[-\u2013\u2014]\s*|\b(?:and|but|since|until|from|so|then|me|know|state|say)\s+)"
_ASKS = [
    (
        "duration",
        r"\bhow long\b|\bhow many (?:years|months|weeks|days)\b|\bfor what period\b|期間|何年間|何か月|何カ月",
    ),
    (
        "date",
        rf"{_ASKED}when\b|\bwhat (?:year|date|month)\b|\bwhich (?:year|date|month)\b|\bsince what year\b|いつ|何年|何月|何日",
    ),
    (
        "amount",
        r"\bhow much\b|\bhow many (?:dollars|yen|euros|billion|million|trillion)\b|\bworth\b|\bwhat (?:is|was|will be) the "
        r"(?:budget|cost|value|amount|size)\b|\bcome to\b|\badd(?:ed)? up to\b|いくら|金額|何円|何億|予算",
    ),
    ("size", r"\bhow large\b|\bhow big\b|\bhow far\b|どれくらい|どの程度"),
    (
        "count",
        r"\bhow many\b|\bhow often\b|\bhow many times\b|\bnumber of\b|何人|何件|いくつ|何カ国|何か国|何社|何名|何機|何基",
    ),
    # "Name the countries whose leaders ..." asks for countries, not for who.
    ("place", r"\b(?:which|what|name the) (?:countries|country|nations|nation)\b"),
    ("person", r"\bwho\b|\bwhom\b|\bwhose\b|誰|だれ"),
    (
        "name",
        r"\bwhat is the name of\b|\bwhat (?:is|was|are|were) (?:it|they|the \w+(?: \w+)?) called\b|\bname the\b"
        r"|\bwhich (?:[\w-]+ ){0,4}(?:fund|funds|vendors?|compan(?:y|ies)|firms?|banks?|agenc(?:y|ies)|institutions?|universit(?:y|ies)"
        r"|programm?es?|supercomputers?|rovers?|laws?|projects?|directorates?|offices?|divisions?|ministr(?:y|ies)|initiatives?|laborator(?:y|ies)|labs?|missiles?|satellites?)\b|名称|何という|何と呼",
    ),
    (
        "place",
        rf"{_ASKED}where\b|\bin which (?:city|country|prefecture|town|region)\b|\bwhich (?:city|country|prefecture)\b|どこ|どの都市|どの国",
    ),
    # "What penalty does the Act set for disclosing a secret patent application?" (issue 11).
    (
        "penalty",
        r"\bwhat (?:penalt(?:y|ies)|punishments?|fines?)\b|\bhow (?:severe|heavy|large) (?:is|are) the (?:penalt|punishment|fine)|罰則|罰金|懲役",
    ),
    (
        "reason",
        r"\bwhy\b|\bfor what (?:reason|purpose)\b|\bwhat (?:prompted|drove|led to)\b|\bwhat (?:is|was|are|were) the "
        r"(?:purpose|aim|goal|objective|rationale|reason)s?\b|^\W*what (?:is|are|was|were) [^?]{3,80} for\s*\?|なぜ|どうして|理由|目的",
    ),
]
_ASK = [(kind, re.compile(p, re.I)) for kind, p in _ASKS]
# Where a two-part question splits: "..., and when ...", "...; how many ...".
_PARTS = re.compile(
    r"(?:,\s*and\s+|;\s*|\s+and\s+(?=(?:when|how|who|where|what|which|in what|since)\b)|、そして|。)", re.I
)

_MONTHS = "|".join(MONTHS) + "|jan\\.|feb\\.|mar\\.|apr\\.|jun\\.|jul\\.|aug\\.|sep\\.|sept\\.|oct\\.|nov\\.|dec\\."
_NUMBER_WORDS = (
    "a dozen|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    "hundred|hundreds|thousand|thousands|dozen|dozens|million|billion|trillion"
)
_CARRIES = {
    "date": re.compile(
        rf"\b(?:1[89]\d\d|20\d\d)\b|\b(?:{_MONTHS})\b|\bFY\s?\d{{2,4}}\b|\d+\s*年|\d+\s*月|令和|平成|昭和", re.I
    ),
    "amount": re.compile(
        r"[$¥€£]\s?\d|\d[\d,.]*\s*(?:%|percent|per cent)|\d[\d,.]*\s*(?:thousand|million|billion|trillion)\b"
        r"|\d[\d,.]*\s*(?:yen|dollars?|euros?|won)\b|\d[\d,.]*\s*(?:万|億|兆)?円|\d+\s*(?:億|兆)"
        # "How much more bioethanol?" is answered by "double demand for bioethanol".
        r"|\b(?:double|doubl(?:es|ed|ing)|triple|tripl(?:es|ed|ing)|halve|halv(?:es|ed|ing)|twofold|threefold|tenfold)\b|倍増|半減",
        re.I,
    ),
    "count": re.compile(
        rf"(?<![\w.])(?!(?:1[89]|20)\d\d\b)\d[\d,]*(?:\.\d+)?(?![\d%\w])|\b(?:{_NUMBER_WORDS}|once|twice|thrice)\b|\d+\s*(?:人|件|カ国|か国|社|名|機|基|つ)",
        re.I,
    ),
    # A penalty, named as one: a fine, prison, a penalty.
    "penalty": re.compile(
        r"\bpenalt(?:y|ies)\b|\bfine[sd]?\b(?![-\s]tun)|\bimprison\w*|\bprison\b|\bjail\b|\bpunish\w*|罰則|罰金|懲役|禁錮",
        re.I,
    ),
    # A reason or a purpose, said as one ("prompted by the need to ...", "to strengthen ...").
    "reason": re.compile(
        r"\b(?:because|due to|owing to|as a result of|in response to|prompted by|driven by|in order to|so as to|so that|"
        r"aims? (?:to|at)|aimed at|aiming to|purpose|objective|goal|reason|rationale|designed to|intended to|meant to|"
        r"seeks? to|seeking to|in light of|in the face of|amid|given|contribut(?:e|es|ing) to|to (?:address|counter|respond|strengthen|ensure|"
        r"protect|promote|prevent|reduce|enhance|support|secure|deter|build|advance|improve|deepen|bolster|expand|"
        r"foster|facilitate|accelerate|develop|safeguard|diversify|mitigate|tackle|combat|meet|achieve|create|help|"
        r"discuss|coordinate|explore|review|align|exchange|share|identify|reaffirm|deliver|counter|guard|protect))\b"
        r"|ため|目的|理由|背景",
        re.I,
    ),
    "duration": re.compile(
        rf"\b(?:\d+|{_NUMBER_WORDS}|a|an)[- ](?:years?|months?|weeks?|days?)\b|\buntil\b|\bthrough\b|\d+\s*(?:年間|か月|カ月|日間)",
        re.I,
    ),
}
# Who is answered by a person (a title and a name, or two capitalised words) or a body (a
# ministry, an agency ...); where by a place after "in"/"at". Either must be a name the question
# itself does not already contain.
_CAP = r"[A-Z][\w’'.-]*[A-Za-z](?![\w’'])"  # a whole word: backtracking must not cut "Consultativ"
_ORG = (
    "Ministry|Department|Agency|Office|Council|Committee|Commission|Secretariat|Bureau|Division|Institute|"
    "Center|Centre|Corporation|Cabinet|Partnership|Dialogue|Initiative|Program|Programme|Network|Fund|Act|"
    "Strategy|Statement|Summit|Forum|Group|Security|Economic|Framework|Arrangement|Agreement|Declaration"
)
_ORG_WORDS = frozenset(_ORG.split("|"))
_PERSON = re.compile(
    rf"\b(?:President|Prime Minister|Minister|Secretary|Ambassador|Chair(?:man|woman)?|Director|Governor|"
    rf"Advisor|Adviser|General|Admiral|Commander|Chief|Mr\.|Ms\.|Mrs\.|Dr\.|Professor)\s+(?P<name>{_CAP}(?:\s+{_CAP})*)"
    # A name after a long title ("Secretary to the President for Economic Security Yunjong Wang
    # of the ROK", "Senior Directors Tarun Chhabra and Nora Todd"): the two capitalised words the
    # title ends with, before a lower-case word or a stop.
    rf"|\b(?:Secretary|Secretaries|Directors?|Ministers?|Advis[eo]rs?|Councill?ors?|Ambassadors?|Chairs?)"
    rf"(?:\s+(?:to|for|of|the|and|on|{_CAP})){{0,8}}?\s+(?P<titled>{_CAP}\s+{_CAP})(?=\s+[a-z]|\s*[,.;:)]|$)"
    rf"|(?P<name2>(?<![\w’'-]){_CAP}\s+{_CAP})(?!\s+(?:{_ORG}))(?!\s+[A-Z])"
    rf"|(?P<body>(?:{_CAP}\s+)*(?:Ministry|Department|Agency|Office|Council|Committee|Commission|"
    rf"Secretariat|Bureau|Division|Institute|Center|Centre|Corporation|Cabinet)(?:\s+of(?:\s+the)?\s+{_CAP}(?:\s+{_CAP})*)?)"
    rf"|(?P<ja>[一-鿿ァ-ヿ]{{2,}}(?:大臣|長官|大統領|首相|省|庁|委員会|会議|機構))"
)
# A name of a thing: a run of capitalised words (Beyond 5G Promotion Fund), an acronym (LSTC),
# a quoted title, or a Japanese bracketed name.
_NAME = re.compile(
    rf"(?P<run>{_CAP}(?:\s+(?:of|for|and|on|the|de)?\s*(?:{_CAP}|\d\w*))+)|(?P<acronym>\b[A-Z][A-Z0-9&-]{{1,9}}\b)"
    r"|[“\"](?P<quoted>[^”\"]{3,80})[”\"]|「(?P<ja>[^」]{2,40})」"
)
_PLACE = re.compile(
    rf"\b(?:in|at|near|based in|located in|held in)\s+(?:the\s+)?(?P<name>{_CAP}(?:\s+{_CAP})*)|(?P<ja>[一-鿿ァ-ヿ]{{2,}}(?:都|道|府|県|市|町|国))"
)
_NOT_NAMES = frozenset(
    """The A An In On At By For From To Of And Or But This That These Those It Its They Their There Then When
    Where Which Who What Why How As With Without Under Over After Before During Since Also However We Our He She
    His Her Both Each Such Some Many Most All No Not If While Although Because Further Furthermore Today Leaders
    Government Governments January February March April May June July August September October November December""".split()
)


# Capitalised words that do not pin a question to a passage: months (a document's date answers
# them), and the countries nearly every document of this corpus names.
_NOT_KEY = frozenset(
    terms(
        " ".join(MONTHS) + " Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
        "Japan Japanese United States U.S. US USA America American Korea Korean ROK China Chinese "
        "Republic PRC Seven Group South North"
    )
)


# A capital standing for its government ("a softer approach to Beijing") is no key term either:
# the passage says "China". As a place it still answers "where".
_CAPITALS = frozenset(terms("Tokyo Washington Seoul Beijing"))

# The countries every document names are no key terms, but a question about one of them is not
# answered by passages that never mention it ("How much did South Korea invest ..." by a passage
# on Japanese investment). Each with the ways the documents write it, a capital standing for its
# government. Matched case-sensitively ("US", never "us").
COUNTRIES = {
    "Japan": re.compile(r"\bJapan|\bTokyo\b|日本|我が国"),
    "the United States": re.compile(
        r"\bU\.S\.|\bUS\b|\bUSA\b|\bUnited States\b|\bAmerica|\bWashington\b|米国|アメリカ"
    ),
    "Korea": re.compile(r"\bKorea|\bROK\b|\bDPRK\b|\bSeoul\b|韓国|北朝鮮"),
    "China": re.compile(r"\bChina\b|\bChinese\b|\bPRC\b|\bBeijing\b|中国"),
}


def countries_in(text: str) -> frozenset[str]:
    return frozenset(c for c, rx in COUNTRIES.items() if rx.search(text))


# The offices a question may ask the holder of: the word a title before a name writes it with,
# and how a question names it. One list for both checks that use it below.
_ROLES = {
    "minister": r"ministers?",
    "president": r"presidents?",
    "secretary": r"secretar(?:y|ies)",
    "ambassador": r"ambassadors?",
    "director": r"directors?",
    "governor": r"governors?",
    "commissioner": r"commissioners?",
    "advis": r"advis[eo]rs?",
    "chair": r"(?:co-)?chair(?:s|ing)?",
}


def _holds_asked_role(m: re.Match, question: str) -> bool:
    """A titled name ("President Biden") answers a question that asks for the holder of an office
    only if its title is that office: the question's "ministers" are not answered by a President."""
    asked = [r for r, rx in _ROLES.items() if re.search(rf"\b{rx}\b", question, re.I)]
    title = m.group(0)[: m.start(m.lastgroup) - m.start()].lower()
    return not asked or any(r in title for r in asked)


# "Who": a question that asks for the holder of an office, or for whoever heads, leads or signed.
_ASKS_PERSON = re.compile(
    r"\b(?:" + "|".join(_ROLES.values()) + r"|heads?|leaders?|commands?|signed)\b",
    re.I,
)


@dataclass(frozen=True)
class Name:
    """A name of several words the question is about ("Global Startup Campus"), as terms, with
    the acronym the question gives for it ("... Center (LSTC)")."""

    terms: frozenset[str]
    acronyms: frozenset[str] = frozenset()  # the one in brackets, and its initials ("nss")

    def named_in(self, words: set[str]) -> bool:
        """Most of its words (two of three, three of four) or its acronym: a sentence that shares
        one word of it ("global", "division") is about something else."""
        if self.acronyms & words:
            return True
        return 3 * len(self.terms & words) >= 2 * len(self.terms)


@dataclass(frozen=True)
class Question:
    text: str
    wants: tuple[str, ...]  # kinds of answer asked for, one per part (may be empty)
    key_terms: tuple[str, ...]  # terms of its names, acronyms and figures
    terms: frozenset[str]  # every search term of the question
    names: tuple[Name, ...] = ()  # its names of two words or more
    named: str = ""  # what kind of thing a "which fund" / "the name of the rover" question names
    counted: str = ""  # what "how many" counts ("people"): a count of something else does not answer
    countries: frozenset[str] = frozenset()  # of COUNTRIES, the ones it names
    # An acronym the question spells out itself ("promotion legislation (ESPA)") with the terms
    # of the words before it: a passage that has those words has what the acronym names.
    spelled: tuple[tuple[str, frozenset[str]], ...] = ()
    # Of a Japanese question, the terms an English sentence would write for it: the glossary's
    # English for its terms and its Latin-script words (G7, JPAC). Empty for an English question.
    translated: frozenset[str] = frozenset()

    @property
    def spelled_acronyms(self) -> frozenset[str]:
        return frozenset(a for a, _ in self.spelled)

    def acronyms_meant(self, context: set[str]) -> set[str]:
        """The acronyms the question spells out itself ("promotion legislation (ESPA)") whose
        words are mostly (two in three) in the context's terms: a text that has the words
        ("Economic Security Promotion Bill") has what the acronym names."""
        return {a for a, words in self.spelled if 3 * len(words & context) >= 2 * len(words)}

    @property
    def yes_no(self) -> bool:
        """Asked to be answered yes or no ("Did the statement put conditions on talks?"): its
        answer is the fact that settles it, which a bare "Yes [1]" does not state."""
        return not self.wants and bool(_YES_NO.search(self.text))


# A question that opens with an auxiliary verb, or a Japanese one ending in か with no question word.
_YES_NO = re.compile(
    r"^\W*(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could|should|shall|may|might|must)\b"
    r"|^(?!.*(?:何|いつ|どこ|誰|だれ|どの|どれ|どう|なぜ|いくら|いくつ|どんな)).*か[?？]?\s*$",
    re.I,
)


def analyse(text: str) -> Question:
    wants = []
    # "What's the budget?" asks as "What is the budget?" does.
    plain = _CONTRACTED.sub(lambda m: f"{m.group(1)} is", unicodedata.normalize("NFKC", text))
    for part in _PARTS.split(plain):
        kind = next((k for k, rx in _ASK if rx.search(part)), None)
        if kind and kind not in wants:
            wants.append(kind)
    # A single letter is a fragment ("5G" gives "5" and "g").
    keys = [t for t in dict.fromkeys(salient_terms(text)) if t not in _NOT_KEY | _CAPITALS and len(t) > 1]
    counted = _COUNTED.search(plain)
    named = _NAMED.search(plain)
    return Question(
        text,
        tuple(wants),
        tuple(keys),
        frozenset(terms(text)),
        names=_names(text),
        counted=counted.group(1) if counted else "",
        named=next((g for g in named.groups() if g), "") if named else "",
        countries=countries_in(_asking(text)),
        spelled=tuple(
            (a, frozenset(terms(" ".join(words.split()[-len(a) :]))))
            for words, a in ((m.group(1), "".join(terms(m.group(2)))) for m in _SPELLED.finditer(text))
            if a
        ),
        translated=frozenset(terms(" ".join([*translations(text), *latin_words(text)])))
        if mostly_japanese(text)
        else frozenset(),
    )


# A clause that sets the scene before the question proper ("The fact sheet says the U.S. has
# mobilized $30 billion; how much has Japan mobilized?"): it ends at a semicolon or a dash.
_LEAD_IN = re.compile(r"^(?P<lead>[^?;]*?)(?:;|\s[\u2013\u2014-]\s)(?P<asking>[^;]*\?)\s*$")


def _asking(text: str) -> str:
    """The part of the question that asks: without a lead-in that states a fact, whose
    country is context ("the U.S. has mobilized ...") and not what is asked about."""
    m = _LEAD_IN.match(text.strip())
    if m and not any(rx.search(m.group("lead")) for _, rx in _ASK):
        return m.group("asking")
    return text


_CONTRACTED = re.compile(r"\b(what|who|where|when|how|which)['\u2019]s\b", re.I)

# "(ESPA)" after the words it stands for.
_SPELLED = re.compile(r"((?:[\w’'-]+\s+){1,8})\(([A-Z][A-Za-z0-9&-]{1,9})\)")


# "Economic Dispute Settlement Division", "Self-Defense Forces Joint Operations Command", with an
# acronym in brackets after it. The run's own capitalised words only: "In", "What" and the
# countries nearly every document names do not make a name.
_NAME_RUN = re.compile(
    rf"(?P<run>{_CAP}(?:\s+(?:of|for|and|on|the|de)?\s*{_CAP})+)(?:\s*\((?P<acronym>[A-Z][A-Za-z0-9&-]{{1,9}})\))?"
)


def _names(text: str) -> tuple[Name, ...]:
    out = []
    for m in _NAME_RUN.finditer(unicodedata.normalize("NFKC", text)):
        words = [w for w in m.group("run").split() if w not in _NOT_NAMES]
        own = frozenset(terms(" ".join(words))) - _NOT_KEY
        if len(own) >= 2:
            acronyms = {"".join(w[0] for w in words if w[0].isupper()).lower()}
            if m.group("acronym"):
                acronyms.add("".join(terms(m.group("acronym"))))
            out.append(Name(own, frozenset(a for a in acronyms if len(a) >= 2)))
    return tuple(out)


# "Which Japanese fund ...", "the name of the pressurized lunar rover that ...": the kind of
# thing whose name is asked for. A name answers only where the sentence says it is one.
_NAMED = re.compile(
    r"\bwhich (?:[\w-]+ ){0,4}?([a-z][\w-]+)(?= (?:did|does|do|is|are|was|were|has|have|had|will|would|can|could)\b)"
    r"|\bname of the (?:[\w-]+ ){0,5}?([a-z][\w-]+)(?= (?:that|which|who|to|for|in|on|at)\b|\s*\?|$)",
    re.I,
)
# Words a name of the same kind of thing is written with: a law's name ends in "Act".
_NAME_NOUNS = [
    frozenset(terms(group))
    for group in (
        "law act bill code",
        "programme program scheme initiative project",
        "company companies firm vendor corporation business",
        "fund facility",
        "network partnership",
        "division directorate office bureau ministry department",
        "laboratory laboratories lab labs institute",
        "missile missiles interceptor interceptors",
        "satellite satellites spacecraft",
    )
]


# "How many people ...": the counted noun, for the count that answers it ("two governments"
# does not). The words after "how many" up to the verb ("more full-time staff").
_COUNTED = re.compile(
    r"\bhow many (?:(?:kinds|types|sorts|categories|classes) of )?((?:[\w-]+\s+){0,2}?[\w-]+?)(?=\s+(?:are|is|was|were|did|do|does|has|have|had|will|would|can|could|came|work|of|in|at)\b|\?|$)",
    re.I,
)
# Words a count of the same things is written with: a count of staff is also a count of officials.
_COUNT_NOUNS = [
    frozenset(terms(group))
    for group in (
        "people persons staff officials employees workers personnel members individuals learners students trainees",
        "firms companies businesses enterprises entities corporations",
        "countries nations economies states partners",
        "times occasions meetings rounds once twice thrice",
        "goods items products imports exports commodities materials",
    )
]


def carries(sentence: str, kind: str, question: Question) -> bool:
    """Does the sentence state something of this kind (beyond what the question already says)?"""
    text = unicodedata.normalize("NFKC", sentence)
    if kind in ("person", "place", "name"):
        rx = {"person": _PERSON, "place": _PLACE, "name": _NAME}[kind]
        if kind == "place" and _WHICH_COUNTRY.search(question.text):
            # "Which country ...?" is answered by a country's name wherever it stands ("vying
            # with South Korea"), one the question does not already name, and by nothing else
            # ("at MOFA" is a place, not a country).
            return any(not set(terms(m.group(0))) <= question.terms for m in _COUNTRY_NAMES.finditer(text))
        for m in rx.finditer(text):
            name = next(g for g in m.groups() if g)
            words = name.split()
            if m.lastgroup == "body" and words[0] in _NOT_NAMES and len(words) > 2:
                # "The National Cancer Institute" opening a sentence is the Institute's name.
                while words[0] in _NOT_NAMES and len(words) > 1:
                    words = words[1:]
                name = " ".join(words)
            if words[0] in _NOT_NAMES or (m.lastgroup == "name2" and set(words) & _ORG_WORDS):
                continue
            if m.lastgroup == "name2" and (
                set(words) & (_TITLE_WORDS | _INSTITUTION_WORDS) or set(terms(name)) & _NOT_KEY
            ):
                continue  # "Deputy Secretary" is a rank, "Technology Policy" a field, "U.S.-Japan Alliance" a pact
            if m.lastgroup == "name2" and (
                any(len(w) > 1 and w.isupper() for w in words)
                or re.search(r"\b(?:the|a|an|its|their|our)\s+(?:\w+\s+)?$", text[: m.start()], re.I)
            ):
                continue  # "Open RAN", "the next Golden Age": a person's name has no acronym or article
            if any(n.named_in(set(terms(name))) for n in question.names) or any(
                spelled_in(a, name) for a in ACRONYM.findall(question.text)
            ):
                continue  # the question's own subject ("... Rapid Response Group", "OSTP"), not its answer
            if m.lastgroup == "name2" and re.search(r"[A-Z][\w’'.-]*\s+$", text[: m.start()]):
                continue  # the tail of a longer capitalised title ("Historic Lunar Surface ..."), not a person
            if m.lastgroup == "body" and kind == "person" and _ASKS_PERSON.search(question.text):
                continue  # "who was the minister" is not answered by a ministry
            if m.lastgroup == "titled" and set(words) & (_TITLE_WORDS | _INSTITUTION_WORDS | _ORG_WORDS):
                continue  # "Minister for Foreign Affairs": the title's own end, no name
            if m.lastgroup in ("name", "titled") and kind == "person" and not _holds_asked_role(m, question.text):
                continue  # "who were the foreign and defense ministers" is not answered by "President Biden"
            if set(terms(name)) <= question.terms | _NOT_KEY:
                continue
            # Across the language line the words cannot be compared (スーパーコンピュータ「TSUBAME4.0」).
            across = mostly_japanese(text) and not mostly_japanese(question.text)
            if kind == "name" and question.named and not across and not _names_the_thing(text, m, question.named):
                continue
            return True
        return False
    if kind == "size":
        return carries(sentence, "amount", question) or carries(sentence, "count", question)
    rx = _CARRIES[kind]
    if kind == "count" and question.counted:
        return _counts(text, question)
    found = [m.group(0) for m in rx.finditer(text)]
    # A figure the question already gives ("between 2014 and 2017") is not an answer.
    return any(not _given(f, question) for f in found)


_WHICH_COUNTRY = re.compile(r"\b(?:which|what|name the) (?:country|countries|nation|nations)\b", re.I)
# The countries (and unions of them) an answer to "which country" may name.
_COUNTRY_NAMES = re.compile(
    r"\b(?:(?:South |North )?Korea|Republic of Korea|ROK|DPRK|China|PRC|Taiwan|India|Australia|New Zealand|"
    r"United Kingdom|UK|France|Germany|Italy|Canada|Russia|Ukraine|Vietnam|Viet Nam|Indonesia|Philippines|"
    r"Thailand|Malaysia|Singapore|Brunei|Cambodia|Laos|Myanmar|Mongolia|Bangladesh|Sri Lanka|Pakistan|Brazil|"
    r"Argentina|Chile|Peru|Mexico|Colombia|Senegal|Kenya|Nigeria|Egypt|South Africa|Saudi Arabia|United Arab Emirates|"
    r"UAE|Israel|Iran|Turkey|T\u00fcrkiye|Netherlands|Spain|Poland|Sweden|Finland|Norway|Switzerland|European Union|EU|"
    r"Japan|United States|U\.S\.|America)\b"
)
# Words of the names of institutions, fields and pacts, never of a person's two-word name.
_INSTITUTION_WORDS = frozenset(
    "Policy Science Sciences Technology Technologies Foundation Network Networks Administration Information "
    "Communications Research Development Innovation Energy Industry Industries Economy Affairs Health Space "
    "Laboratory Laboratories University School College Bank Alliance Cooperation Coalition Association Society "
    "Union Systems Company Inc Ltd Corporation Exchange Fellowship Program Programme Museum Center Centre Vision "
    "Plan Action Access Connectivity Resilience Supply Chain Chains Infrastructure Investment Minerals".split()
)
_TITLE_WORDS = frozenset(
    "President Vice Prime Minister Ministers Secretary Deputy Under Assistant Senior Ambassador Chair Chairman "
    "Director General Governor Advisor Adviser Foreign Affairs State Defense National Security Trade Commerce".split()
)


def _with_kin(words: str, groups: list[frozenset[str]]) -> set[str]:
    """The terms of `words` and of every group of like words they belong to."""
    out = set(terms(words))
    for group in groups:
        if out & group:
            out |= group
    return out


def _names_the_thing(text: str, m: re.Match, thing: str) -> bool:
    """The name is of the asked-for kind: it contains the word ("Beyond 5G Promotion Fund") or
    the word stands within three words of it ("a rover called ...", "... , a supercomputer")."""
    want = _with_kin(thing, _NAME_NOUNS)
    if want & set(terms(m.group(0))):
        return True
    near = terms(text[max(0, m.start() - 40) : m.start()])[-3:] + terms(text[m.end() : m.end() + 40])[:3]
    return bool(want & set(near))


_MONEY = re.compile(
    r"[$¥€£]\s?\d[\d,.]*(?:\s*(?:thousand|million|billion|trillion)\b)?"
    r"|\d[\d,.]*\s*(?:thousand|million|billion|trillion)?\s*(?:yen|dollars?|euros?|won)\b|\d[\d,.]*\s*(?:万|億|兆)?円",
    re.I,
)


def _given(figure: str, question: Question) -> bool:
    """The question already gives this figure: all its terms, or all its numbers ("187人" where
    the question says "187 young researchers": the counter is Japanese, the number the same)."""
    words = terms(figure)
    numbers = [t for t in words if t[:1].isdigit()]
    return bool(words) and (set(words) <= question.terms or bool(numbers) and set(numbers) <= question.terms)


def _counts(text: str, question: Question) -> bool:
    """A count of what the question counts: a number followed, within three words, by the
    counted noun ("seven countries", "1,200 staff")."""
    want = _with_kin(question.counted, _COUNT_NOUNS)
    # Money counts nothing: "$1 million to an International Visitors programme" is no count of visitors.
    text = _MONEY.sub(" ", text)
    for m in _CARRIES["count"].finditer(text):
        if _given(m.group(0), question):
            continue  # a figure the question already gives
        if re.search(r"[^\x00-\x7f]", m.group(0)) or set(terms(m.group(0))) & want:
            return True  # a Japanese counter (382件) says what it counts; "twice" counts times
        if want & set(terms(text[m.end() : m.end() + 60])[:3]):
            return True
    return False


# An acronym as a question writes it ("MOFA", "G7", "R&D").
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,7}\b")
_SMALL_WORDS = frozenset({"of", "for", "and", "on", "the", "in", "to"})
_CAPITALISED_RUN = re.compile(r"[A-Z][\w’'-]*(?:,?\s+(?:(?:of|for|and|on|the|in|to)\s+)*[A-Z][\w’'-]*)+")


def spelled_in(acronym: str, text: str) -> bool:
    """Does the text write the acronym out ("MOFA": Ministry of Foreign Affairs; "JBIC": Japan
    Bank for International Cooperation; "METI": Ministry of Economy, Trade and Industry)? The
    initials of some capitalised words in a row, with or without the small words between them."""
    want = acronym.upper()
    for m in _CAPITALISED_RUN.finditer(text):
        words = re.findall(r"[\w’'-]+", m.group(0))
        for i, first in enumerate(words):
            for j in range(i + 1, len(words) + 1):
                run = words[i:j]
                if not (first[0].isupper() and run[-1][0].isupper()):
                    continue
                big = "".join(w[0] for w in run if w.lower() not in _SMALL_WORDS).upper()
                if want in (big, "".join(w[0] for w in run).upper()):
                    return True
    return False


def kinds_in(sentence: str, question: Question) -> frozenset[str]:
    return frozenset(k for k in question.wants if carries(sentence, k, question))


_NAME_WORD = r"(?:[A-Z][\w’'.-]*|of|the|and|de)"  # "TSUBAME4.0", "D.C."
_BARE_NAME = re.compile(rf"\s*{_NAME_WORD}(?:[\s,]+{_NAME_WORD})*[\s.]*")


def answer_kinds(answer: str, question: Question) -> frozenset[str]:
    """The kinds asked for that a direct answer gives. An answer that is a name and nothing else
    ("Washington, D.C. [1]", "Yunjong Wang [2]") gives the person, place or name asked for: it
    stands as the answer, with no "in" or title around it to mark its kind. Not the question's
    own subject restated ("The Camp David statement.")."""
    found = kinds_in(answer, question)
    bare = MARKER.sub(" ", answer)
    if re.fullmatch(r"\s*\d[\d,]*(?:\.\d+)?[\s.]*", bare):
        found |= {"count", "size"} & set(question.wants)  # "700 [1]" for "How many kinds ...?"
    if _BARE_NAME.fullmatch(bare) and not set(terms(bare)) <= question.terms:
        # A committee or an agreement is no place, though it may be the person or name asked for.
        institution = set(bare.split()) & _ORG_WORDS
        found |= ({"person", "name"} if institution else {"person", "place", "name"}) & set(question.wants)
    return frozenset(found)


def coverage(query_terms: set[str], text: str) -> float:
    """The share of the query's terms that the text contains."""
    if not query_terms:
        return 0.0
    return len(query_terms & set(terms(text))) / len(query_terms)
