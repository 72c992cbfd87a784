#!/usr/bin/env python3
"""Check the evaluation datasets in this folder against the source texts in <repo>/corpus.

Standalone: needs only pypdf (+ cryptography for the AES-encrypted MEXT PDF) and
the harness's text folding (`textmatch.fold`, imported from the repo via sys.path).  The repository is found from this file's own
location (two folders up), so there is no path to configure.  From the repo root:

    .venv/bin/python evals/datasets/check_quotes.py

What it asserts (exit status 1 on any error):
  * ids are unique across all dataset files (gate.jsonl excepted: it holds copies) and
    follow each file's scheme (q-/u-, ja-, conv-, nm-, xja-/xen-, bf-, md-);
  * every evidence quote is covered (textmatch.fold substring) by the text of its doc,
    and by the text of the given page when a page is given;
  * every must_include group has at least one alternative that appears in the text of
    at least one of the item's (turn's) evidence pages/docs;
  * quote hygiene: English quotes 6-20 words; markdown quotes contain none of
    \\ * # [ ] ( ) _ ; seed quotes do not span a hyphenated line break; Japanese quotes
    are NFKC, space-free, 6-25 characters and lie inside ONE extracted PDF line;
  * answerable items have evidence, must_include and a reference answer; unanswerable
    items have empty must_include/evidence and none of their "absence probes" occur in
    any source text (every nm-* item must have probes);
  * per-file rules: nearmiss.jsonl is all unanswerable; buried/metadata/crosslingual are
    all answerable; xja-* questions are Japanese and cite English docs with Latin-script
    must_include keys; xen-* questions are English (no Japanese script) and cite the MEXT
    chapter; every md-* item cites exactly one doc;
  * gate.jsonl items are verbatim copies of items in dev.jsonl / japanese.jsonl.
It also warns (without failing) when an individual alternative of a must_include group
appears in none of the evidence texts, and prints the tune/test split (see split_of) per
file with the questions' answer types and cited docs per half.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ outside this folder

HERE = Path(__file__).resolve().parent
REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
sys.path.insert(0, str(REPO))


from assistant.core.text import CJK, CJK_LETTERS  # noqa: E402
from assistant.features.evaluation.dataset import split_of  # noqa: E402
from assistant.features.evaluation.textmatch import fold  # noqa: E402

SEED_ID = "igata-glosserman-2021"
SEED_PDF = CORPUS / f"{SEED_ID}.pdf"
MD_DIR = CORPUS / "statements"
MEXT_ID = "mext-2024-sti-whitepaper-ch2"
MEXT_PDF = CORPUS / f"{MEXT_ID}.pdf"

# Letters/punctuation that count as "Japanese" when joining PDF line breaks
# (kana, CJK ideographs, CJK punctuation, full-width forms).
_JA = CJK + "\uff00-\uffef"
_JA_BREAK = re.compile(rf"(?<=[{_JA}])[ \t]*\n[ \t]*(?=[{_JA}])")
_SEED_HYPHEN = re.compile(r"(\w)-[ \t]*\n[ \t]*(\w)")
_MD_FORBIDDEN = set("\\*#[]()_")
# The seed PDF (scripts/make_seed_pdf.py) adds a running header and a printed page number
# to each page of the paper's text; they are not the paper's words.
_SEED_HEADER = re.compile(r"^Igata & Glosserman\s+\S\s+Japan\Ss burgeoning economic security strategy\s*$")


# Terms that must NOT occur anywhere in the corpus for each unanswerable item
# (a cheap guard that the corpus really does not answer it; see README).
ABSENCE_PROBES = {
    "u-001": ["第7条", "第2条", "article 7 of", "article 2 of the economic security"],
    "u-002": ["第65条", "article 65", "non-disclosure of patent", "patent non-disclosure"],
    "u-003": ["2013 national security strategy", "national security strategy of 2013", "2013 nss"],
    "u-004": ["億円", "k program", "key technology development program"],
    "u-005": ["億円", "予算", "円"],
    "u-006": ["tariff", "duty rate", "15%", "15 percent"],
    "u-007": ["550", "$550"],
    "u-008": ["minister in charge of economic security", "minister for economic security", "kobayashi"],
    "u-009": ["rapidus", "2nm", "2-nanometer"],
    "u-010": ["tsmc", "kumamoto", "taiwan semiconductor"],
    "u-011": ["honebuto", "骨太", "basic policy on economic and fiscal"],
    "u-012": ["hydrogen fluoride", "photoresist", "polyimide", "white list", "whitelist"],
    "u-013": ["apulia", "g7 2024", "2024 g7", "borgo egnazia"],
    "u-014": ["penalt", "prior notification", "imprisonment"],
    "u-015": [
        "supply chain diversification support project\" budget",
        "billion yen for supply",
        "70 billion yen",
        "240 billion yen",
        "243.5",
    ],
    "u-016": ["aisi staff", "employees of the ai safety institute", "職員", "人員"],
    "u-017": ["gallium", "germanium"],
    "u-018": ["arrest"],
    "u-019": ["chips and science", "chips act", "$52 billion", "52.7"],
    "u-020": ["embargo", "rare earth imports", "2010 rare"],
}
ABSENCE_PROBES.update(
    {
        # nearmiss.jsonl: the answer-bearing strings a passage would need to answer the item
        # (a name, figure, date or "X was held in ..."); every item was also grepped by hand.
        "nm-001": [
            "dispute settlement division in 20",
            "dispute settlement division was established",
            "dispute settlement division was set up in",
            "dispute settlement division, established",
        ],
        "nm-002": ["amari", "headquarters, chaired by", "chairman of the strategic headquarters", "headed by"],
        "nm-003": [
            "lab in texas with",
            "million for the lab",
            "million to fund the lab",
            "lab in texas at a cost",
            "funded a $",
        ],
        "nm-004": ["400 tomahawk", "400 missiles", "four hundred", "tomahawk missiles, worth", "number of tomahawk"],
        "nm-005": [
            "relief hub in okinawa",
            "relief hub at",
            "hub would be located",
            "hub will be located",
            "relief hub in kyushu",
        ],
        "nm-006": ["reimei", "system model h", "quantinuum h1", "quantinuum h2", "h1-1", "h2-1"],
        "nm-007": [
            "first freedom edge",
            "freedom edge in",
            "freedom edge exercise was",
            "freedom edge 24",
            "freedom edge was held",
        ],
        "nm-008": ["onishi", "takuya", "yui", "furukawa", "noguchi", "wakata"],
        "nm-009": ["$1 trillion", "1 trillion", "one trillion", "trillion in investment", "trillion dollars"],
        "nm-010": [
            "sakai",
            "trade ministers' meeting in osaka",
            "trade ministers met in",
            "ministers' meeting in osaka",
        ],
        "nm-011": ["huawei", "zte", "hikvision", "dahua"],
        "nm-012": ["fellows each year", "fellows per year", "fellows annually", "fellows will be selected"],
        "nm-013": [
            "million in financing",
            "billion for critical minerals",
            "billion to critical minerals",
            "billion in critical minerals",
        ],
        "nm-014": [
            "investment ministerial in",
            "ministerial will be held in",
            "ministerial will take place in",
            "ministerial in washington",
            "ministerial in tokyo",
        ],
        "nm-015": [
            "economic security division at meti has",
            "economic security division at meti, with",
            "meti's economic security division has",
            "economic security division has a staff",
            "staff of the economic security division",
        ],
        "nm-016": [
            "working group will be led",
            "working group is led",
            "working group, led by",
            "working group is chaired",
            "working group will be chaired",
        ],
        "nm-017": [
            "secretariat will be based",
            "secretariat will be located",
            "secretariat in seoul",
            "secretariat in tokyo",
            "secretariat in washington",
            "secretariat, based in",
        ],
        "nm-018": ["office will open", "office opened in", "pmda opened", "office in november", "office by 20"],
        "nm-019": ["hayashi", "hagiuda", "yoshimasa", "koichi"],
        "nm-020": [
            "glide phase interceptor program, which costs",
            "billion for the glide phase",
            "gpi program cost",
            "cost of the glide phase",
            "billion gpi",
            "interceptor, worth",
        ],
        "nm-021": [
            "million for rise",
            "billion for rise",
            "rise partnership will provide",
            "contribute to rise",
            "funding for rise",
            "rise) with $",
        ],
        "nm-022": [
            "academy in the philippines",
            "academy in manila",
            "academy in vietnam",
            "academy in indonesia",
            "academy in thailand",
            "academy in singapore",
            "academy in malaysia",
        ],
        "nm-023": ["lunar cruiser", "rover named", "rover called", "rover, named", "rover, called"],
        "nm-024": [
            "task force comprises",
            "members of the task force",
            "task force members",
            "task force consists",
            "task force of ",
        ],
        "nm-025": [
            "dialogue in tokyo",
            "dialogue in washington",
            "dialogue was held in",
            "round in tokyo",
            "round in washington",
            "resilience in tokyo",
        ],
        "nm-026": [
            "first meeting of the coordination platform",
            "platform met",
            "platform convened",
            "platform first met",
            "platform held its first",
        ],
        "nm-027": [
            "commander of the joint operations command",
            "joint operations command will be led",
            "joint operations command, led",
            "joint operations command will be headed",
            "commanded by",
        ],
        "nm-028": [
            "strike force is led",
            "strike force, led",
            "strike force, co-led",
            "department of justice",
            "led by the department",
        ],
        "nm-029": [
            "held virtually",
            "virtual summit",
            "videoconference",
            "video conference",
            "quad summit in",
            "summit was held in",
        ],
        "nm-030": [
            "students each year",
            "students per year",
            "students annually",
            "students a year",
            "students every year",
        ],
        "nm-031": ["million chinese", "chinese visitors", "visitors from china", "chinese tourists", "9.59"],
        "nm-032": [
            "protection network was launched in",
            "protection network in 20",
            "launched the disruptive technology protection network in",
            "protection network, launched in",
        ],
        "nm-033": [
            "joined the minerals security partnership",
            "joined the msp",
            "msp in 2022",
            "msp in june",
            "founding member of the msp",
            "founding partner of the msp",
        ],
        "nm-034": [
            "million for the tidal basin",
            "million to the national park service",
            "tidal basin with $",
            "contribute $",
            "yen for the tidal",
        ],
        "nm-035": [
            "platform is chaired",
            "chair of the coordination platform",
            "platform will be chaired",
            "chaired by the presidency",
            "platform, chaired",
        ],
        "nm-036": ["23 items", "23 types", "lithography", "etching equipment", "deposition equipment", "23 kinds"],
        "nm-037": [
            "projects certified",
            "certified projects",
            "first certification",
            "projects have been certified",
            "projects were certified",
        ],
        "nm-038": [
            "counterstrike capabilities, costing",
            "billion for counterstrike",
            "yen for counterstrike",
            "counterstrike budget",
            "cost of counterstrike",
        ],
        "nm-039": [
            "startup campus will open",
            "campus in 2026",
            "campus in 2027",
            "campus will be completed",
            "campus will open",
            "campus opens",
        ],
        "nm-040": ["naka", "ibaraki", "jt-60sa in", "jt-60sa, located"],
        "nm-041": ["lstc in tokyo", "lstc is based", "lstc, located", "lstc, based", "lstc in tsukuba"],
        "nm-042": ["gecamines for", "million to gecamines", "billion under the mou", "mou worth", "valued at"],
        "nm-043": [
            "missiles in 2022",
            "launches in 2022",
            "70 ballistic",
            "more than 90 ballistic",
            "missile launches in 2022",
            "ballistic missiles last year",
        ],
        "nm-044": [
            "bill was submitted",
            "submitted to the diet",
            "magnitsky act was submitted",
            "magnitsky bill",
            "bill in the diet",
        ],
        "nm-045": ["moriyama", "signed by", "signed on behalf", "signed for japan", "nagaoka"],
        "nm-046": [
            "first trilateral global leadership youth summit in",
            "youth summit was held",
            "youth summit took place",
            "youth summit in seoul",
            "youth summit in washington",
        ],
        "nm-047": [
            "beyond 5g fund",
            "fund for beyond 5g",
            "beyond 5g research fund",
            "information and communications technology fund",
            "nict fund",
        ],
    }
)

# nm-048...nm-087 (second batch): written without running the assistant; besides the facts the
# first batch asks for, they ask 'why'/'how' questions the documents leave open, yes/no questions
# whose answer is not stated, and a real fact moved to a context the documents do not cover
# (another country, year, meeting or body).
ABSENCE_PROBES.update(
    {
        "nm-048": [
            "made in china 2025",
            "dual circulation",
            "directives such as",
            "directives, including",
            "directives like",
        ],
        "nm-049": [
            "think tank, named",
            "think tank called",
            "think tank will be named",
            "think tank, called",
            "think tank, the",
        ],
        "nm-050": ["between 2018 and 2020", "from 2018 to 2020", "2018-2020", "died in 2020", "died between 2018"],
        "nm-051": [
            "2+2 in tokyo",
            "committee met in tokyo",
            "march 2021 in tokyo",
            "consultative committee in tokyo",
            "march 16, 2021",
        ],
        "nm-052": ["2002 because", "purchaser because", "owing to china's", "due to china's", "because of china's"],
        "nm-053": [
            "korea's direct investment",
            "korean direct investment",
            "south korea invested",
            "korea's investment in asean",
            "korean investment in asean",
        ],
        "nm-054": [
            "centre in bangkok",
            "centre, located in",
            "capacity building centre in",
            "centre in thailand",
            "centre, based in",
        ],
        "nm-055": [
            "pilot cases because",
            "were chosen because",
            "were selected because",
            "chosen for their",
            "kobe because",
        ],
        "nm-056": [
            "reached 30 trillion",
            "achieved its target",
            "target was achieved",
            "fell short of",
            "orders in fiscal 2020",
        ],
        "nm-057": [
            "greatest strategic challenge",
            "biggest strategic challenge",
            "unprecedented and greatest",
            "strategic challenge posed by china",
            "greatest strategic",
        ],
        "nm-058": [
            "13 countries",
            "14 partners",
            "thirteen countries",
            "fourteen partners",
            "ipef partners, including",
        ],
        "nm-059": [
            "korea has committed $",
            "korea committed $",
            "rok has committed",
            "korea will invest $",
            "korea has committed",
        ],
        "nm-060": [
            "connectivity partnership with $",
            "million for the global digital connectivity",
            "billion for the global digital connectivity",
            "gdcp",
            "digital connectivity partnership, worth",
        ],
        "nm-061": ["yayoi in 20", "removed in 2022", "removal was completed", "yayoi was completed", "from yayoi in"],
        "nm-062": [
            "honolulu because",
            "chose honolulu",
            "honolulu was chosen",
            "honolulu was selected",
            "honolulu, home to",
        ],
        "nm-063": [
            "kratsios",
            "signed by",
            "director of the office of science and technology policy",
            "for the office of science and technology policy:",
            "ostp director",
        ],
        "nm-064": ["kilometers", "kilometres", "km of cable", "km-long", "miles of cable"],
        "nm-065": [
            "white house",
            "oval office",
            "met in washington on",
            "january 13, 2023, in",
            "meet today in washington",
        ],
        "nm-066": [
            "iap",
            "arrangement for partnership, hosted",
            "arrangement for partnership at the oecd",
            "housed at the oecd",
            "hosted by the oecd",
        ],
        "nm-067": [
            "virtual academy will be launched in",
            "virtual academy in 2023",
            "virtual academy was launched",
            "academy launched",
            "virtual academy in 2024",
        ],
        "nm-068": [
            "countries participate in the voluntary",
            "participating countries",
            "members of the voluntary",
            "program comprises",
            "countries have joined the voluntary",
        ],
        "nm-069": [
            "metrics",
            "progress will be measured",
            "measured by",
            "key performance",
            "progress report on economic resilience",
        ],
        "nm-070": [
            "common control list",
            "common export control list",
            "joint control list",
            "shared control list",
            "agreed control list",
        ],
        "nm-071": [
            "investor forum in",
            "investor forum will be held",
            "forum will take place",
            "investor forum, held",
            "first investor forum",
        ],
        "nm-072": [
            "land bill was passed",
            "land-use bill",
            "land use act",
            "passed in june 2021",
            "law was enacted in",
        ],
        "nm-073": [
            "japan will contribute $",
            "japan's contribution to the pandemic fund",
            "japan plans to provide $",
            "japan pledged $",
            "pandemic fund from japan",
        ],
        "nm-074": [
            "ministerial meeting was held on",
            "ministerial meeting in 2024",
            "ministerial meeting on",
            "ministerial meeting in june",
            "commerce and industry ministers met in",
        ],
        "nm-075": [
            "camp david because",
            "chose camp david",
            "camp david was chosen",
            "presidential retreat",
            "camp david was selected",
        ],
        "nm-076": [
            "japan has contributed $",
            "japan's commitment to jumpp",
            "million to jumpp",
            "jumpp funding from japan",
            "japan's funding for the japan-u.s.-mekong",
        ],
        "nm-077": [
            "consortium of japanese companies, including",
            "consortium including",
            "consortium comprising",
            "consortium led by",
            "consortium of japanese companies such as",
        ],
        "nm-078": [
            "entered into force on",
            "entry into force on february",
            "february 24, 2024",
            "into force in february",
            "came into force on",
        ],
        "nm-079": [
            "okano",
            "masataka",
            "vice minister for foreign affairs,",
            "led by vice minister",
            "vice minister for foreign affairs mr",
        ],
        "nm-080": [
            "bio-5 coalition comprises",
            "bio-5 coalition includes",
            "bio-5 members",
            "members of the bio-5",
            "india, and the european union",
        ],
        "nm-081": ["met three times", "met four times", "met five times", "third meeting", "fourth meeting"],
        "nm-082": [
            "supply chain council",
            "council is chaired",
            "chair of the council",
            "council, chaired",
            "council chair",
        ],
        "nm-083": ["3 percent of gdp", "three percent of gdp", "3% of gdp", "3.5 percent", "3.5%"],
        "nm-084": [
            "investment committee",
            "projects will be selected by",
            "selected by the president",
            "investment decisions",
            "consultation committee",
        ],
        "nm-085": [
            "priority minerals include",
            "priority minerals are",
            "gallium",
            "germanium",
            "dysprosium",
        ],
        "nm-086": [
            "second meeting of the",
            "second trilateral economic security dialogue",
            "second round of the trilateral",
            "second session of the",
            "at the second meeting",
        ],
        "nm-087": [
            "jpac has about",
            "jpac comprises",
            "members of jpac",
            "jpac, with",
            "lawmakers in jpac",
        ],
    }
)

# nm-088…nm-127 (third batch, 2026-12-01): phrases that would state the asked fact.
ABSENCE_PROBES.update(
    {
        'nm-088': [
            "1992",
            "1993",
            "プロジェクトは終了",
            "終了しました",
            "fifth generation computer project ended",
            "第5世代コンピュータプロジェクトは",
        ],
        'nm-089': [
            "supply chain resilience initiative in",
            "initiative was launched",
            "launched the supply chain resilience",
            "scri was launched",
            "resilience initiative, launched",
            "initiative in april 2021",
        ],
        'nm-090': [
            "u.s. direct investment in japan",
            "american investment in japan",
            "u.s. fdi in japan",
            "direct investment in japan of",
            "investor in japan with",
            "united states has invested $",
        ],
        'nm-091': [
            "japan has mobilized",
            "japan mobilized",
            "japan's contribution to pgii",
            "japan will mobilize",
            "japan has provided $",
            "billion from japan",
            "japan's pgii",
        ],
        'nm-092': [
            "preparatory office had",
            "preparatory office of",
            "office with a staff of",
            "staff of five",
            "staff of ten",
            "personnel of about",
            "with about 10",
            "with about five",
        ],
        'nm-093': [
            "人の博士後期課程",
            "名の博士",
            "採択者数",
            "boostでは",
            "students supported under boost",
            "人を支援しています。未踏",
        ],
        'nm-094': [
            "所長",
            "murakami",
            "村上",
            "director of the ai safety institute",
            "head of the ai safety institute",
            "aisi director",
            "ai safety institute, led by",
            "ai safety institute is led",
        ],
        'nm-095': [
            "director of the economic security policy division",
            "head of the economic security policy division",
            "policy division, headed",
            "policy division is headed",
            "economic security policy division director",
            "policy division, led by",
        ],
        'nm-096': [
            "second asean-japan smart cities",
            "second high level meeting",
            "second asean",
            "smart cities network high level meeting in 2020",
            "high level meeting in 2020",
            "the second meeting was held",
        ],
        'nm-097': [
            "jwlc meeting in tokyo",
            "jwlc meeting in washington",
            "jwlc) meeting in",
            "held virtually",
            "science and technology cooperation in tokyo",
            "science and technology cooperation in washington",
            "meeting on science and technology cooperation, held",
        ],
        'nm-098': [
            "lawrence livermore",
            "oak ridge",
            "brookhaven",
            "los alamos",
            "national labs cooperation between",
            "national labs cooperation, including",
            "kaeri",
        ],
        'nm-099': [
            "fugakunext",
            "富岳next",
            "ポスト富岳",
            "後継機",
            "successor to fugaku",
            "富岳の後継",
            "次世代計算基盤",
            "next-generation flagship",
        ],
        'nm-100': [
            "pytorch because",
            "pytorchに移行した理由",
            "移行する理由",
            "chainerの開発を終了",
            "chainer development ended",
            "chainerはメンテナンス",
            "switched to pytorch to",
            "moved to pytorch because",
        ],
        'nm-101': [
            "no progress because",
            "progress because",
            "stalled because",
            "because of opposition",
            "opposition from komeito",
            "due to opposition",
            "land law has stalled",
        ],
        'nm-102': [
            "rapid response group met",
            "first meeting of the rapid response",
            "rapid response group convened",
            "rapid response group held",
            "group held its first meeting",
            "rapid response group has met",
        ],
        'nm-103': [
            "korea joined the floating",
            "korea also joined",
            "second international collaborator",
            "korea's participation in the",
            "rok joined the",
            "korea joins as",
            "korea has joined the",
        ],
        'nm-104': [
            "special measures agreement",
            "five-year host nation",
            "host nation support for five",
            "host nation support agreement covering",
            "fiscal years 2022",
            "host nation support agreement for",
        ],
        'nm-105': [
            "moc within",
            "meet at the request",
            "request of either participant",
            "consultations within",
            "consult within",
            "the participants plan to meet, virtually or in-person, at the written request of the other participant within 30",
        ],
        'nm-106': [
            "$50 million each",
            "$55 million",
            "split equally",
            "evenly between",
            "each partnership receives",
            "million for each partnership",
            "$60 million",
            "million to the university of washington",
        ],
        'nm-107': [
            "join the coordination platform",
            "membership of the platform",
            "platform is open to",
            "invite partners to join",
            "new members of the platform",
            "partners may join",
            "apply to join",
        ],
        'nm-108': [
            "solomon islands security agreement, signed",
            "solomon islands security agreement signed",
            "solomon islands in april",
            "agreement signed in april",
            "signed in march 2022",
            "solomon islands security agreement of",
        ],
        'nm-109': [
            "cryptography by 20",
            "quantum resistant cryptography by",
            "quantum-resistant cryptography by",
            "migration to quantum",
            "cryptography no later than",
            "post-quantum",
        ],
        'nm-110': [
            "u.s. strategic dependence",
            "united states has \"strategic dependence\"",
            "united states has strategic dependence",
            "american dependence on china",
            "the us is strategically dependent",
            "united states is strategically dependent",
            "us has \"strategic dependence\"",
        ],
        'nm-111': [
            "11 countries",
            "eleven countries",
            "11 member",
            "eleven member",
            "sanctions monitoring team comprises",
            "sanctions monitoring team, made up",
            "members of the multilateral sanctions monitoring team",
        ],
        'nm-112': [
            "secretariat will be headed",
            "secretariat, headed",
            "secretariat is led",
            "head of the trilateral secretariat",
            "secretariat will be led",
            "secretariat, led by",
            "director of the trilateral secretariat",
        ],
        'nm-113': ["hayashi", "hamada", "yoshimasa", "yasukazu", "foreign minister hayashi", "defense minister hamada"],
        'nm-114': [
            "warning test in",
            "test was conducted in",
            "test off the coast",
            "warning test near",
            "test in the sea of japan",
            "test in waters",
        ],
        'nm-115': [
            "agreement reached in",
            "agreement in washington",
            "july 22, 2025, in",
            "concluded in washington",
            "signed in washington",
            "agreement, concluded in",
        ],
        'nm-116': [
            "new projects include",
            "projects announced in hiroshima",
            "announced new projects, including",
            "announced new projects such as",
            "new pgii projects include",
            "projects announced at the hiroshima",
        ],
        'nm-117': [
            "selected projects include",
            "projects selected for financing",
            "projects selected under the framework",
            "first projects under",
            "projects have been selected",
            "project in alaska",
            "the selected projects are",
        ],
        'nm-118': [
            "million tonnes",
            "million tons",
            "mtpa",
            "bcm",
            "lng purchases of",
            "billion worth of lng",
            "lng worth",
        ],
        'nm-119': [
            "million for the u.s. pavilion",
            "pavilion with $",
            "million to support the design",
            "funding of $",
            "pavilion, costing",
            "million for the pavilion",
        ],
        'nm-120': [
            "presidency in march 2024",
            "presidency for the month of march",
            "march 2024",
            "presidency again in",
            "next presidency",
            "presidency in 2024",
        ],
        'nm-121': [
            "2+2\") meeting was held",
            "2+2 meeting was held",
            "scc meeting on",
            "2+2 meeting in 2025",
            "2+2\" meeting on",
            "security consultative committee met in 2025",
            "convened on",
        ],
        'nm-122': [
            "twelfth term",
            "12th time",
            "13th time",
            "twelfth time",
            "times on the security council",
            "12 times",
            "twelve times",
            "12th term",
        ],
        'nm-123': ["億円", "万円", "million to the seven", "geniac provided", "geniacでは", "補助額", "円を補助"],
        'nm-124': ["abu dhabi", "mc13 in", "mc13 will be held", "yaounde", "yaoundé", "cameroon", "mc13, to be held"],
        'nm-125': [
            "atla commissioner",
            "commissioner fukazawa",
            "commissioner ishikawa",
            "commissioner of atla,",
            "commissioner for the acquisition, technology and logistics agency,",
            "masaki",
            "ishikawa takeshi",
        ],
        'nm-126': [
            "fellowship program was suspended",
            "fellowship was suspended",
            "suspended in",
            "paused in",
            "lack of funding",
            "funding lapsed",
            "program was halted",
        ],
        'nm-127': [
            "senior director for",
            "todd, senior director",
            "director for international economics",
            "director for technology",
            "todd leads",
            "todd, who leads",
            "directorate of",
        ],
    }
)

# nm-128…nm-167 (fourth batch, 2026-12-01, written blind as a diplomat or ministry staffer types):
# phrases that would state the asked fact (a name, figure, date, venue, reason or rule).
ABSENCE_PROBES.update(
    {
        'nm-128': [
            "fugaku began",
            "fugaku entered",
            "fugaku went into",
            "full operation in",
            "富岳は令和",
            "本格運用",
            "共用開始",
            "fugaku has been operating since",
        ],
        'nm-129': [
            "renamed in 20",
            "renamed in april",
            "challenges division was renamed",
            "renamed as the economic security policy division",
            "economic security policy division in 20",
            "division was renamed in",
            "renamed the economic security policy division in",
        ],
        'nm-130': [
            "億円",
            "万円",
            "補助額",
            "円を補助",
            "助成額",
            "softbank received",
            "ソフトバンクに対し",
        ],
        'nm-131': [
            "trillion yen for economic security",
            "billion yen for economic security",
            "yen fund for economic security",
            "calls for a budget of",
            "recommendations call for",
            "economic security fund of",
            "budget of ¥",
        ],
        'nm-132': [
            "officials from meti",
            "seconded from",
            "meti officials",
            "on loan from",
            "drawn from meti",
            "staff from meti",
            "personnel from the ministry of economy",
        ],
        'nm-133': [
            "h100",
            "gpu数",
            "基のgpu",
            "枚のgpu",
            "960基",
            "tsubame4.0 has",
            "gpus on tsubame",
            "240ノード",
        ],
        'nm-134': [
            "センター長",
            "杉山",
            "sugiyama",
            "director of riken aip",
            "aip center director",
            "aip centre director",
            "headed by professor",
        ],
        'nm-135': [
            "chairs jpac",
            "jpac chair",
            "chair of jpac",
            "jpac is chaired",
            "jpac, chaired",
            "nakatani",
            "yamao",
            "jpac co-chair",
            "jpac is led",
        ],
        'nm-136': [
            "internet economy in tokyo",
            "internet economy in washington",
            "internet economy, held",
            "internet economy held in",
            "internet economy (held",
            "internet economy in san",
            "dialogue on the internet economy took place",
        ],
        'nm-137': [
            "柏",
            "kashiwa",
            "千葉",
            "chiba",
            "abci is located",
            "abciは",
            "abci in tokyo",
            "お台場",
        ],
        'nm-138': [
            "kyber",
            "dilithium",
            "ml-kem",
            "nist post-quantum",
            "cryptography standard",
            "pqc standard",
            "post-quantum",
            "sphincs",
        ],
        'nm-139': [
            "lithium",
            "cobalt",
            "nickel",
            "graphite",
            "manganese",
            "critical minerals such as",
            "minerals, including lithium",
        ],
        'nm-140': [
            "rok chairs the msp because",
            "chairmanship of the msp because",
            "rotating chair",
            "chair rotates",
            "chairmanship rotates",
            "elected chair",
            "took over the chair",
            "msp chair because",
        ],
        'nm-141': [
            "visit was postponed",
            "postponed because",
            "postponed due to",
            "postponed the visit",
            "visit was put off",
            "postponement of",
            "state visit was delayed",
        ],
        'nm-142': [
            "exempt from",
            "exemption for",
            "exempted",
            "portfolio investors",
            "fund managers",
            "asset managers",
            "blanket exemption",
            "financial institutions are",
        ],
        'nm-143': [
            "littoral",
            "marine littoral regiment",
            "12th marine",
            "regiment",
            "reorganize the 12th",
            "marine regiment",
        ],
        'nm-144': [
            "30 days",
            "thirty days",
            "review period",
            "waiting period",
            "five business days",
            "screening period",
            "review within",
            "days to review",
        ],
        'nm-145': [
            "mou for five years",
            "five-year mou",
            "mou, valid",
            "mou through 20",
            "valid until",
            "mou until",
            "renewed for",
            "mou for a further",
        ],
        'nm-146': [
            "join the msp",
            "membership in the msp",
            "msp membership",
            "msp members must",
            "criteria for joining",
            "msp is open to",
            "to become an msp",
        ],
        'nm-147': [
            "penalt",
            "imprison",
            "fine of",
            "years in prison",
            "punishable",
            "懲役",
            "罰金",
            "criminal sanction",
        ],
        'nm-148': [
            "revised in december",
            "revision in december",
            "three principles in december",
            "revised the three principles in",
            "december 2023 revision",
            "three principles, revised",
            "revision of december",
            "three principles in 20",
        ],
        'nm-149': [
            "digital technical standards, adopted",
            "digital technical standards adopted",
            "carbis bay",
            "digital technical standards in 20",
            "standards agreed in 20",
            "framework agreed in",
            "digital technical standards, agreed",
        ],
        'nm-150': [
            "chips act",
            "chips and science",
            "chips funding",
            "chips for america",
            "nstc funding",
            "million for the nstc",
            "nstc will receive",
            "$11 billion",
        ],
        'nm-151': [
            "japan contributed $",
            "japan mobilized",
            "japan's contribution to food security",
            "of which japan",
            "japan's share",
            "japan provided $",
            "japan has provided over $",
            "billion from japan for food",
        ],
        'nm-152': [
            "4,000 marines",
            "9,000 marines",
            "4,000 u.s. marines",
            "approximately 4,000",
            "marines to guam",
            "thousand marines",
            "personnel to guam",
            "some 4,000",
        ],
        'nm-153': [
            "seven-satellite",
            "7-satellite",
            "seven satellites",
            "11 satellites",
            "eleven satellites",
            "qzss constellation of",
            "qzss will consist",
            "qzss satellites in total",
        ],
        'nm-154': [
            "working group is chaired",
            "working group, chaired",
            "working group chair",
            "chair of the working group",
            "chaired by japan",
            "matsumoto",
            "ai process is led",
            "hiroshima ai process, led",
        ],
        'nm-155': [
            "akiba",
            "takeo",
            "secretary general of the national security secretariat",
            "national security advisor to the prime minister",
            "sullivan's counterpart",
            "japan's national security adviser",
            "kitamura",
            "head of the national security secretariat",
        ],
        'nm-156': [
            "yonaguni",
            "ishigaki",
            "miyako",
            "amami",
            "nansei",
            "southwest islands such as",
            "southwest islands, including",
            "southwestern islands such as",
        ],
        'nm-157': [
            "development policy dialogue in",
            "development policy dialogue was held",
            "development policy dialogue, held",
            "policy dialogue in seoul",
            "policy dialogue in tokyo",
            "policy dialogue in washington",
            "biennial policy dialogue in",
        ],
        'nm-158': [
            "entity list",
            "companies cut off include",
            "cut off over 70 companies, including",
            "70 companies, including",
            "companies including huawei",
            "70 companies such as",
            "the companies are",
        ],
        'nm-159': [
            "amraam",
            "pac-3",
            "patriot",
            "sm-3",
            "aim-120",
            "sea sparrow",
            "co-produce the",
            "co-production of the",
        ],
        'nm-160': [
            "countries have ratified",
            "partners have ratified",
            "ratified by",
            "ratification by",
            "instruments of ratification",
            "deposited",
            "five ipef partners",
            "ratified the ipef",
        ],
        'nm-161': [
            "シリコンバレーを選",
            "シリコンバレーに設立した理由",
            "because silicon valley",
            "silicon valley because",
            "シリコンバレーの人材",
            "拠点とした理由",
            "シリコンバレーは",
            "設立した理由",
        ],
        'nm-162': [
            "tsuzumiはオープン",
            "tsuzumiを公開",
            "tsuzumi is open",
            "オープンソースのtsuzumi",
            "tsuzumiのソースコード",
            "open-source tsuzumi",
            "tsuzumiは商用利用も可能",
            "tsuzumiのモデルを公開",
        ],
        'nm-163': [
            "akazawa",
            "ryosei",
            "赤沢",
            "lutnick",
            "signed for japan",
            "signed on behalf of japan",
            "mou was signed by",
            "signed by minister",
        ],
        'nm-164': [
            "center for ai standards and innovation was",
            "caisi was",
            "caisi, established",
            "renamed the ai safety institute",
            "formerly the ai safety institute",
            "caisi in 2025",
            "center for ai standards and innovation, established",
            "established in june 2025",
        ],
        'nm-165': [
            "finance ministers met in",
            "finance ministers' meeting in",
            "first trilateral finance ministers' meeting",
            "finance ministries met",
            "finance ministerial in",
            "on the sidelines of the imf",
            "finance ministers first met",
            "meeting between our finance ministries in",
        ],
        'nm-166': [
            "jbic will",
            "jogmec will",
            "jbic and jogmec",
            "through jbic",
            "through jogmec",
            "nexi",
            "japan bank for international cooperation will",
            "japan organization for metals and energy security will",
        ],
        'nm-167': [
            "secretariat's budget",
            "budget of the trilateral secretariat",
            "secretariat will be funded",
            "funding for the secretariat",
            "secretariat, with a budget",
            "million for the secretariat",
            "secretariat's annual",
            "funded by the three",
        ],
    }
)


# ----------------------------------------------------------------------------------
# Source loading
# ----------------------------------------------------------------------------------
def _pdf_reader(path):
    import pypdf

    r = pypdf.PdfReader(str(path))
    if r.is_encrypted:
        r.decrypt("")
    return r


def load_seed():
    """Pages of the seed paper as the PDF counts them, header and page number removed."""
    pages = []
    for n, p in enumerate(_pdf_reader(SEED_PDF).pages, 1):
        lines = (p.extract_text() or "").split("\n")
        if lines and _SEED_HEADER.match(lines[0].strip()):
            lines = lines[1:]
        while lines and not lines[-1].strip():
            lines.pop()
        if lines and lines[-1].strip() == str(n):
            lines = lines[:-1]
        pages.append("\n".join(lines))
    joined = [_SEED_HYPHEN.sub(r"\1\2", p) for p in pages]
    # "strict" text: a hyphenated break becomes an unmatchable marker, so a quote that
    # spans one fails the hygiene check
    strict = [_SEED_HYPHEN.sub(lambda m: m.group(1) + "-\u2063" + m.group(2), p) for p in pages]
    return joined, strict


def md_body(path):
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        lines = lines[end + 1 :]
    return "\n".join(lines).replace("\\", "")


def load_mext():
    pages, line_sets = [], []
    for p in _pdf_reader(MEXT_PDF).pages:
        t = p.extract_text() or ""
        pages.append(unicodedata.normalize("NFKC", _JA_BREAK.sub("", t)))
        line_sets.append([re.sub(r"\s+", "", unicodedata.normalize("NFKC", ln)) for ln in t.split("\n")])
    return pages, line_sets


def load_sources():
    src = {}
    seed_pages, seed_strict = load_seed()
    src[SEED_ID] = {"pages": seed_pages, "strict": seed_strict, "kind": "seed", "doc": "\n".join(seed_pages)}
    for path in sorted(MD_DIR.glob("*.md")):
        src[path.stem] = {"pages": None, "kind": "md", "doc": md_body(path)}
    mext_pages, mext_lines = load_mext()
    src[MEXT_ID] = {"pages": mext_pages, "lines": mext_lines, "kind": "mext", "doc": "\n".join(mext_pages)}
    for s in src.values():
        s["folded"] = fold(s["doc"])
    return src


# ----------------------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------------------
class Report:
    def __init__(self):
        self.errors, self.warnings = [], []

    def err(self, where, msg):
        self.errors.append(f"ERROR {where}: {msg}")

    def warn(self, where, msg):
        self.warnings.append(f"warn  {where}: {msg}")


_HAS_JA = re.compile(f"[{CJK_LETTERS}]")
_HAS_LATIN = re.compile(r"[A-Za-z]")


def evidence_text(src, ev):
    s = src[ev["doc"]]
    if ev.get("page") is not None and s["pages"] is not None:
        return s["pages"][ev["page"] - 1]
    return s["doc"]


def check_evidence(src, ev, where, rep):
    doc = ev.get("doc")
    quote = ev.get("quote", "")
    if doc not in src:
        rep.err(where, f"unknown doc {doc!r}")
        return False
    s = src[doc]
    page = ev.get("page")
    if s["kind"] == "md" and page is not None:
        rep.err(where, f"markdown doc {doc} must not have a page")
    if s["kind"] in ("seed", "mext") and page is None:
        rep.err(where, f"{doc} evidence needs a page")
    if page is not None and s["pages"] is not None and not (1 <= page <= len(s["pages"])):
        rep.err(where, f"page {page} out of range for {doc}")
        return False
    fq = fold(quote)
    if not fq:
        rep.err(where, "empty quote")
        return False
    if fq not in s["folded"]:
        rep.err(where, f"quote not in doc {doc}: {quote!r}")
        return False
    if page is not None and s["pages"] is not None and fq not in fold(s["pages"][page - 1]):
        found = [i + 1 for i, p in enumerate(s["pages"]) if fq in fold(p)]
        rep.err(where, f"quote not on page {page} of {doc} (found on {found}): {quote!r}")
        return False
    # hygiene
    if _HAS_JA.search(quote):
        if quote != unicodedata.normalize("NFKC", quote):
            rep.err(where, f"Japanese quote is not NFKC: {quote!r}")
        if re.search(r"\s", quote):
            rep.err(where, f"Japanese quote contains spaces: {quote!r}")
        if not 6 <= len(quote) <= 25:
            rep.err(where, f"Japanese quote length {len(quote)} not in 6..25: {quote!r}")
        if s["kind"] == "mext" and page is not None:
            if not any(quote in ln for ln in s["lines"][page - 1]):
                rep.err(where, f"Japanese quote not inside one extracted line: {quote!r}")
    else:
        n = len(quote.split())
        if not 6 <= n <= 20:
            rep.err(where, f"English quote has {n} words (want 6..20): {quote!r}")
    if s["kind"] == "md" and set(quote) & _MD_FORBIDDEN:
        rep.err(where, f"markdown quote has forbidden characters: {quote!r}")
    if s["kind"] == "seed" and fq not in fold(s["strict"][page - 1]):
        rep.err(where, f"seed quote spans a hyphenated line break: {quote!r}")
    return True


def check_unit(src, unit, where, rep, answerable=True):
    """unit = a single item or a conversation turn."""
    if not str(unit.get("question", "")).strip():
        rep.err(where, "empty question")
    mi, evs = unit.get("must_include"), unit.get("evidence")
    if not isinstance(mi, list) or not isinstance(evs, list):
        rep.err(where, "must_include and evidence must be lists")
        return
    if not answerable:
        if mi or evs:
            rep.err(where, "unanswerable item must have empty must_include and evidence")
        return
    if not evs:
        rep.err(where, "no evidence")
    if not 1 <= len(mi) <= 2:
        rep.err(where, f"{len(mi)} must_include groups (want 1-2)")
    ok_texts = []
    for j, ev in enumerate(evs):
        if check_evidence(src, ev, f"{where} evidence[{j}]", rep):
            ok_texts.append(fold(evidence_text(src, ev)))
    for g, group in enumerate(mi):
        if not isinstance(group, list) or not group or not all(isinstance(a, str) and a.strip() for a in group):
            rep.err(where, f"must_include[{g}] must be a non-empty list of strings")
            continue
        hits = [a for a in group if any(fold(a) in t for t in ok_texts)]
        if not hits:
            rep.err(where, f"must_include[{g}] {group} not found in any evidence text")
        for a in group:
            if a not in hits:
                rep.warn(where, f"alternative {a!r} of must_include[{g}] not in evidence texts")


def load_jsonl(path, rep):
    items = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as e:
                rep.err(f"{path.name}:{n}", f"bad JSON: {e}")
    return items


def check_ids(items, fname, rep, pattern):
    seen = set()
    for it in items:
        i = it.get("id")
        if i in seen:
            rep.err(fname, f"duplicate id {i}")
        seen.add(i)
        if not re.fullmatch(pattern, str(i)):
            rep.err(fname, f"id {i!r} does not match {pattern}")


def check_single_file(src, fname, rep, pattern):
    if not (HERE / fname).exists():
        rep.err(fname, "file missing")
        return []
    items = load_jsonl(HERE / fname, rep)
    check_ids(items, fname, rep, pattern)
    for it in items:
        where = f"{fname}:{it.get('id')}"
        ans = it.get("answerable")
        if ans not in (True, False):
            rep.err(where, "answerable must be true/false")
            continue
        if ans and not str(it.get("reference_answer", "")).strip():
            rep.err(where, "answerable item needs a reference_answer")
        if ans is False:
            probes = ABSENCE_PROBES.get(it["id"])
            if not probes:
                if str(it["id"]).startswith("nm-"):
                    rep.err(where, "nearmiss item has no absence probes")
                else:
                    rep.warn(where, "no absence probes defined")
            else:
                for p in probes:
                    for did, s in src.items():
                        if fold(p) in s["folded"]:
                            rep.err(where, f"absence probe {p!r} occurs in {did}")
        check_unit(src, it, where, rep, answerable=bool(ans))
    return items


# ----------------------------------------------------------------------------------
# Per-file rules of the newer sets
# ----------------------------------------------------------------------------------
def check_all_answerable(items, fname, rep, want):
    for it in items:
        if it.get("answerable") is not want:
            rep.err(f"{fname}:{it.get('id')}", f"answerable must be {str(want).lower()} in this file")


def check_crosslingual(src, items, rep):
    for it in items:
        where = f"crosslingual.jsonl:{it.get('id')}"
        q = it.get("question", "")
        docs = {ev.get("doc") for ev in it.get("evidence", [])}
        keys = [a for g in it.get("must_include", []) for a in g]
        if str(it.get("id")).startswith("xja-"):
            if not _HAS_JA.search(q):
                rep.err(where, "xja question must be in Japanese")
            if MEXT_ID in docs:
                rep.err(where, "xja items ask about the English documents, not the MEXT chapter")
            for a in keys:
                if _HAS_JA.search(a):
                    rep.err(where, f"xja key {a!r} must be in the English source's language")
        else:
            if _HAS_JA.search(q) or not _HAS_LATIN.search(q):
                rep.err(where, "xen question must be in English (no Japanese script)")
            if docs != {MEXT_ID}:
                rep.err(where, f"xen items must cite the MEXT chapter only, got {sorted(docs)}")
            for a in keys:
                if a != unicodedata.normalize("NFKC", a):
                    rep.err(where, f"xen key {a!r} is not NFKC")


def check_metadata(items, rep):
    for it in items:
        docs = {ev.get("doc") for ev in it.get("evidence", [])}
        if len(docs) != 1:
            rep.err(f"metadata.jsonl:{it.get('id')}", f"cites {len(docs)} docs; want the one named doc")


_WH = [
    ("how much", "how much"),
    ("how many", "how many"),
    ("how long", "how long"),
    ("how", "how"),
    ("why", "why"),
    ("when", "when"),
    ("what year", "when"),
    ("in what year", "when"),
    ("by when", "when"),
    ("on what date", "when"),
    ("by what", "when"),
    ("since when", "when"),
    ("who", "who"),
    ("whose", "who"),
    ("where", "where"),
    ("in which city", "where"),
    ("in which country", "where"),
    ("which", "which"),
    ("what", "what"),
]


# A question opening with an auxiliary verb ("Did the G7 agree ...?") asks for yes or no.
_YES_NO = re.compile(r"(did|does|do|is|are|was|were|has|have|had|will|would|can|could)\b")


def answer_type(question: str) -> str:
    """Rough answer type from the question's wh-phrase (for the split table only)."""
    q = question.lower()
    if _YES_NO.match(q):
        return "yes/no"
    best = None
    for phrase, kind in _WH:
        m = re.search(rf"\b{re.escape(phrase)}\b", q)
        if m and (best is None or m.start() < best[0] or (m.start() == best[0] and len(phrase) > best[2])):
            best = (m.start(), kind, len(phrase))
    if best is None:
        return "other"
    return best[1]


def print_split(fname, items, typed=True):
    halves = {"tune": [], "test": []}
    for it in items:
        halves[split_of(it["id"])].append(it)
    print(f"{fname}: tune {len(halves['tune'])}, test {len(halves['test'])}")
    for h in ("tune", "test"):
        parts = []
        if typed:
            kinds = Counter(answer_type(it.get("question", "")) for it in halves[h])
            parts.append("types " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        docs = Counter(d for it in halves[h] for d in {ev["doc"] for ev in it.get("evidence", [])})
        if docs:
            parts.append(f"{len(docs)} docs (max {max(docs.values())} items per doc)")
        print(f"  {h:4s}: " + "; ".join(parts))


def main():
    rep = Report()
    src = load_sources()
    print(
        f"sources: {len(src)} docs from {CORPUS.relative_to(REPO)}/; "
        f"seed pages={len(src[SEED_ID]['pages'])}, MEXT pages={len(src[MEXT_ID]['pages'])}"
    )

    dev = check_single_file(src, "dev.jsonl", rep, r"(q|u)-\d{3}")
    ja = check_single_file(src, "japanese.jsonl", rep, r"ja-\d{3}")
    gate = check_single_file(src, "gate.jsonl", rep, r"(q|u|ja)-\d{3}")
    nearmiss = check_single_file(src, "nearmiss.jsonl", rep, r"nm-\d{3}")
    cross = check_single_file(src, "crosslingual.jsonl", rep, r"x(ja|en)-\d{3}")
    buried = check_single_file(src, "buried.jsonl", rep, r"bf-\d{3}")
    meta = check_single_file(src, "metadata.jsonl", rep, r"md-\d{3}")
    plain = check_single_file(src, "plain.jsonl", rep, r"pq-\d{3}")

    convs = load_jsonl(HERE / "conversations.jsonl", rep)
    check_ids(convs, "conversations.jsonl", rep, r"conv-\d{3}")
    for c in convs:
        turns = c.get("turns") or []
        if len(turns) < 2:
            rep.err(f"conversations.jsonl:{c.get('id')}", "needs at least 2 turns")
        for t, turn in enumerate(turns):
            check_unit(src, turn, f"conversations.jsonl:{c.get('id')} turn {t + 1}", rep)

    # ids unique across files (gate.jsonl holds copies of dev/japanese items by design)
    owner = {}
    for fname, items in [
        ("dev.jsonl", dev),
        ("japanese.jsonl", ja),
        ("conversations.jsonl", convs),
        ("nearmiss.jsonl", nearmiss),
        ("crosslingual.jsonl", cross),
        ("buried.jsonl", buried),
        ("metadata.jsonl", meta),
        ("plain.jsonl", plain),
    ]:
        for it in items:
            i = it.get("id")
            if i in owner and owner[i] != fname:
                rep.err(fname, f"id {i} also used in {owner[i]}")
            owner.setdefault(i, fname)
    for i in ABSENCE_PROBES:
        if i not in owner:
            rep.err("check_quotes.py", f"absence probes for unknown id {i}")

    # per-file rules
    for it in ja:
        if not _HAS_JA.search(it.get("question", "")):
            rep.err(f"japanese.jsonl:{it.get('id')}", "question is not in Japanese")
    check_all_answerable(nearmiss, "nearmiss.jsonl", rep, False)
    for fname, items in [
        ("crosslingual.jsonl", cross),
        ("buried.jsonl", buried),
        ("metadata.jsonl", meta),
        ("plain.jsonl", plain),
    ]:
        check_all_answerable(items, fname, rep, True)
    check_crosslingual(src, cross, rep)
    check_metadata(meta, rep)

    # gate = verbatim copies
    pool = {it["id"]: it for it in dev + ja}
    for it in gate:
        if pool.get(it.get("id")) != it:
            rep.err(f"gate.jsonl:{it.get('id')}", "not a verbatim copy of a dev/japanese item")
    g_ans = [it for it in gate if it.get("answerable")]
    g_un = [it for it in gate if it.get("answerable") is False]
    g_ja = [it for it in g_ans if str(it.get("id")).startswith("ja-")]
    if (len(g_ans), len(g_un), len(g_ja)) != (30, 5, 3):
        rep.err(
            "gate.jsonl", f"want 30 answerable (3 ja) + 5 unanswerable, got {len(g_ans)} ({len(g_ja)} ja) + {len(g_un)}"
        )

    # summary
    def per_doc(items):
        counts = {}
        for it in items:
            units = it.get("turns") or [it]
            docs = {ev["doc"] for u in units for ev in u.get("evidence", [])}
            for d in docs:
                counts[d] = counts.get(d, 0) + 1
        return counts

    dev_ans = [it for it in dev if it.get("answerable")]
    multi = [it for it in dev_ans if len({e["doc"] for e in it["evidence"]}) >= 2]
    print(f"dev.jsonl: {len(dev_ans)} answerable ({len(multi)} two-doc), {len(dev) - len(dev_ans)} unanswerable")
    print(
        f"conversations.jsonl: {len(convs)}; japanese.jsonl: {len(ja)}; "
        f"gate.jsonl: {len(g_ans)} answerable ({len(g_ja)} ja) + {len(g_un)} unanswerable"
    )
    counts = per_doc(dev_ans)
    print("dev questions per doc:")
    for d in sorted(src):
        print(f"  {counts.get(d, 0):3d}  {d}")
        if counts.get(d, 0) < 2:
            rep.err("dev.jsonl", f"doc {d} has fewer than 2 questions")
    if len(dev_ans) != 70 or len(dev) - len(dev_ans) != 20 or len(multi) < 6:
        rep.err("dev.jsonl", "want 70 answerable (>=6 two-doc) + 20 unanswerable")

    # the newer sets: sizes, and the tune/test split
    xja = [it for it in cross if str(it.get("id")).startswith("xja-")]
    xen = [it for it in cross if str(it.get("id")).startswith("xen-")]
    two_part = [it for it in buried if len(it.get("must_include", [])) == 2]
    print(
        f"nearmiss.jsonl: {len(nearmiss)}; crosslingual.jsonl: {len(xja)} xja + {len(xen)} xen; "
        f"buried.jsonl: {len(buried)} ({len(two_part)} with two must_include groups); "
        f"metadata.jsonl: {len(meta)}; plain.jsonl: {len(plain)}"
    )
    for fname, items, want in [
        ("nearmiss.jsonl", nearmiss, 44),
        ("crosslingual.jsonl xja", xja, 22),
        ("crosslingual.jsonl xen", xen, 12),
        ("buried.jsonl", buried, 44),
        ("metadata.jsonl", meta, 18),
        ("plain.jsonl", plain, 120),
    ]:
        if len(items) < want:
            rep.err(fname, f"{len(items)} items, want at least {want}")
    print("tune/test split (even id number = test):")
    print_split("nearmiss.jsonl", nearmiss)
    print_split("crosslingual.jsonl xja", xja, typed=False)
    print_split("crosslingual.jsonl xen", xen)
    print_split("buried.jsonl", buried)
    print_split("metadata.jsonl", meta)
    print_split("plain.jsonl", plain)
    for fname, items in [
        ("nearmiss.jsonl", nearmiss),
        ("crosslingual.jsonl xja", xja),
        ("crosslingual.jsonl xen", xen),
        ("buried.jsonl", buried),
        ("metadata.jsonl", meta),
        ("plain.jsonl", plain),
    ]:
        n_test = sum(split_of(it["id"]) == "test" for it in items)
        if abs(2 * n_test - len(items)) > 1:
            rep.err(fname, f"unbalanced split: {n_test} test of {len(items)}")

    for w in rep.warnings:
        print(w)
    for e in rep.errors:
        print(e)
    print(f"{len(rep.errors)} errors, {len(rep.warnings)} warnings")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
