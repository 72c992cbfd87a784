"""Fuzz the loaders (PDF, Markdown, HTML, text) and the clean -> chunk path behind them.

Property, for every input: `prepare` (load -> clean -> chunk) returns chunks or raises
`IngestError` with a reason; no other exception escapes, no example runs longer than
PER_EXAMPLE_S seconds (a SIGALRM timer turns a hang into a failure), and the process's peak
memory grows by less than MAX_RSS_GROWTH_MB over the whole module.

PDF inputs are small real PDFs made here with reportlab, then mutated (bit flips, inserted
PDF tokens, deleted / duplicated / spliced byte ranges, truncation, renumbered objects and
references, a corrupted xref table or startxref), plus random bytes after a `%PDF-` header.
Text inputs are arbitrary Unicode and bytes with front-matter variants (odd YAML types, bad
dates, aliases, unterminated blocks), invalid UTF-8, NULs, long lines, RTL / zero-width
characters and deep nesting.

Bounded and reproducible for CI: `derandomize=True`, no example database, a fixed number of
examples per test; the whole module runs in well under a minute on 2 cores. It prints
`fuzz: N examples, 0 unexpected errors` at the end (shown even without `-s`).
"""

from __future__ import annotations

import re
import resource
import signal
import tempfile
import threading
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
pytest.importorskip("reportlab")

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ingest.errors import IngestError  # noqa: E402
from ingest.manifest import Manifest  # noqa: E402
from ingest.pipeline import prepare  # noqa: E402
from tests.conftest import make_pdf  # noqa: E402

PER_EXAMPLE_S = 10  # generous on a shared 2-core machine; a typical example takes milliseconds
MAX_RSS_GROWTH_MB = 400
MAX_PDF_PAGES = 20
MAX_TOKENS = 48  # small, so that long paragraphs are split by sentence and by word

FUZZ = settings(
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,  # nothing remembered between runs either
    deadline=None,  # timing on a shared machine is noisy; the SIGALRM timer bounds each example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)

STATS = {"examples": 0, "loaded": 0, "refused": 0, "unexpected": 0}


# --- harness ---------------------------------------------------------------------------------


class ExampleTimeout(BaseException):
    """BaseException, so that no `except Exception` in a parser can swallow it."""


@contextmanager
def time_limit(seconds: float):
    if threading.current_thread() is not threading.main_thread():
        yield  # signals only reach the main thread; pytest runs tests there
        return

    def on_alarm(signum, frame):
        raise ExampleTimeout(f"example ran longer than {seconds} s (a hang?)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _count_tokens(text: str) -> int:
    return len(text.split())


@lru_cache(maxsize=1)
def _env():
    from assistant.core.settings import Settings

    root = Path(tempfile.mkdtemp(prefix="ingest-fuzz-"))
    (root / "corpus").mkdir()
    return (
        root / "corpus",
        Manifest(root / "corpus"),
        Settings(corpus_dir=root / "corpus", index_dir=root / "index", max_pdf_pages=MAX_PDF_PAGES, max_file_mb=4.0),
    )


def check(data: bytes, suffix: str) -> None:
    """Write `data` as a file with `suffix` and run the property on it."""
    corpus, manifest, cfg = _env()
    path = corpus / f"fuzz{suffix}"
    path.write_bytes(data)
    STATS["examples"] += 1
    try:
        with time_limit(PER_EXAMPLE_S):
            try:
                meta, chunks, n_pages = prepare(path, path.name, manifest, cfg, _count_tokens, MAX_TOKENS)
            except IngestError as exc:
                STATS["refused"] += 1
                assert exc.reason.strip(), "an IngestError must say what is wrong"
                return
        STATS["loaded"] += 1
        assert chunks and all(c.text.strip() for c in chunks)
        assert 1 <= n_pages <= MAX_PDF_PAGES or suffix != ".pdf"
        for c in chunks:
            assert c.page is None if suffix != ".pdf" else 1 <= c.page <= n_pages
    except KeyboardInterrupt:
        raise
    except BaseException:  # another exception type, a timeout, or a broken property: all count
        STATS["unexpected"] += 1
        raise


@pytest.fixture(scope="module", autouse=True)
def report(request):
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    yield
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before
    line = (
        f"fuzz: {STATS['examples']} examples, {STATS['unexpected']} unexpected errors "
        f"({STATS['loaded']} ingested, {STATS['refused']} refused with IngestError; "
        f"peak memory +{grown:.0f} MB)"
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else nullcontext():
        print(f"\n{line}")  # in CI's log even without -s, like the bad-input count
    assert grown < MAX_RSS_GROWTH_MB, line


# --- PDF -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _seed_pdfs() -> tuple[bytes, ...]:
    """Small real PDFs: plain, multi-page with a running header, owner-password encrypted,
    and one rewritten by pypdf (object streams / different xref layout)."""
    from pypdf import PdfReader, PdfWriter

    tmp = Path(tempfile.mkdtemp(prefix="ingest-fuzz-seeds-"))
    plain = make_pdf(tmp / "a.pdf", [["The Economic 2+2 first met in July 2022.", "Second line of text."]])
    multi = make_pdf(
        tmp / "b.pdf",
        [
            ["Article 1 Purpose", "Supply chains matter-", "a lot."],
            ["1  A footnote", "Page two text."],
            ["Third page."],
        ],
        header="Running header",
    )
    enc = make_pdf(tmp / "c.pdf", [["Encrypted but readable."]], password="owner")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.compress_identical_objects()
    for page in writer.pages:
        page.compress_content_streams()
    with open(tmp / "d.pdf", "wb") as fh:
        writer.write(fh)
    return tuple(p.read_bytes() for p in (plain, multi, enc, tmp / "d.pdf"))


PDF_TOKENS = [
    b"obj",
    b"endobj",
    b"<<",
    b">>",
    b"[",
    b"]",
    b" R",
    b" 0 R",
    b"999999 0 R",
    b"-1",
    b"0",
    b"1e308",
    b"/Length 99999999",
    b"/Length -5",
    b"stream\n",
    b"\nendstream",
    b"xref\n0 1\n0000000000 65535 f \n",
    b"trailer",
    b"startxref\n",
    b"%%EOF",
    b"/Filter /FlateDecode",
    b"/Filter /LZWDecode",
    b"/Filter [/ASCIIHexDecode /FlateDecode /RunLengthDecode]",
    b"/DecodeParms << /Predictor 12 /Columns 99999 >>",
    b"/Type /Pages /Kids [2 0 R 2 0 R] /Count 999999999",
    b"/Parent 1 0 R",
    b"/Kids [1 0 R]",
    b"/Contents 3 0 R",
    b"/Font << /F1 2 0 R >>",
    b"/Resources 1 0 R",
    b"(\\",
    b"(",
    b")",
    b"<FEFF",
    b"<",
    b">",
    b"/",
    b"BT /F1 1e30 Tf 1e30 0 0 1e30 0 0 Tm (x) Tj ET",
    b"[(a) -1e30 (b)] TJ",
    b"q",
    b"Q",
    b"cm",
    b"3 Tr",
    b"/Encrypt 1 0 R",
    b"/ObjStm",
    b"/XRefStm 0",
    b"/Type /XRef /W [1 2 1] /Index [0 99999]",
    b"\x00",
    b"\xff",
    b"\r",
    b"\n",
    b"%",
    b"/ToUnicode 2 0 R",
    b"beginbfchar <01> <D800> endbfchar",
]


@st.composite
def mutated_pdf(draw) -> bytes:
    seeds = _seed_pdfs()
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(
            st.sampled_from(
                [
                    "flip",
                    "insert",
                    "token",
                    "delete",
                    "truncate",
                    "splice",
                    "duplicate",
                    "renumber",
                    "xref",
                    "startxref",
                ]
            )
        )
        n = len(data)
        pos = draw(st.integers(0, max(0, n - 1)))
        if op == "flip" and n:
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif op == "token":
            data[pos:pos] = draw(st.sampled_from(PDF_TOKENS)) * draw(st.sampled_from([1, 1, 2, 50]))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 256))]
        elif op == "truncate":
            del data[pos:]
        elif op == "splice":
            other = draw(st.sampled_from(seeds))
            start = draw(st.integers(0, len(other) - 1))
            data[pos : pos + draw(st.integers(0, 128))] = other[start : start + draw(st.integers(1, 512))]
        elif op == "duplicate":
            end = pos + draw(st.integers(1, 512))
            data[end:end] = data[pos:end]
        elif op == "renumber":
            refs = list(re.finditer(rb"\d+(?= \d+ (?:R|obj))", bytes(data)))
            if refs:
                m = draw(st.sampled_from(refs))
                new = draw(st.one_of(st.integers(0, 12), st.integers(0, 2**63)))
                data[m.start() : m.end()] = str(new).encode()
        elif op in ("xref", "startxref"):
            key = b"xref" if op == "xref" else b"startxref"
            at = bytes(data).rfind(key)
            if at >= 0:
                at += len(key) + 1
                span = draw(st.integers(1, 40))
                data[at : at + span] = (
                    draw(st.binary(min_size=0, max_size=span))
                    if op == "xref"
                    else str(draw(st.integers(-10, 2**40))).encode()
                )
    return bytes(data)


random_pdf = st.one_of(
    st.binary(max_size=4096).map(lambda b: b"%PDF-1.7\n" + b),
    st.lists(
        st.one_of(
            st.sampled_from(PDF_TOKENS), st.binary(max_size=16), st.integers(0, 20).map(lambda i: f" {i} ".encode())
        ),
        max_size=200,
    ).map(lambda parts: b"%PDF-1.4\n" + b" ".join(parts)),
)


@settings(FUZZ, max_examples=1000)
@given(data=mutated_pdf())
# Found by this test, now refused by name: a stream filter pypdf does not know (NotImplementedError) ...
@example(data=_seed_pdfs()[0].replace(b"/ASCII85Decode", b"/@SCII85Decode"))
# ... and a security handler other than /Standard (e.g. certificate encryption).
@example(data=_seed_pdfs()[2].replace(b"/Filter /Standard", b"/Filter /Adobe.PubSec"))
def test_mutated_pdfs_load_or_fail_by_name(data):
    check(data, ".pdf")


@settings(FUZZ, max_examples=400)
@given(data=random_pdf)
def test_random_pdf_bytes_load_or_fail_by_name(data):
    check(data, ".pdf")


def test_unmutated_seed_pdfs_ingest():
    """The seeds themselves are good files, so the mutations start from real structure."""
    for data in _seed_pdfs():
        corpus, manifest, cfg = _env()
        path = corpus / "seed.pdf"
        path.write_bytes(data)
        _, chunks, _ = prepare(path, path.name, manifest, cfg, _count_tokens, MAX_TOKENS)
        assert chunks


def test_cleaning_stays_linear_on_long_runs():
    """Each of these took quadratic time in a regex of the cleaner (about 10 s at 40 KB)."""
    from ingest.clean import clean_markup, clean_pdf_pages

    n = 1_000_000
    with time_limit(PER_EXAMPLE_S):
        for text in (
            "[" * n,
            "[a](" * (n // 4),
            "a" + " " * n + "b",
            "a" + "\t" * n + "b",
            "a" + "\n \n" * (n // 3) + "b",
            "a" + "\n" * n + "b",
        ):
            clean_markup(text)
            clean_pdf_pages([text])
        clean_pdf_pages(["\n".join(["word"] * (n // 5))])  # a page of 200,000 short lines


# --- Markdown, HTML, text ---------------------------------------------------------------------

ODD_CHARS = [
    "\u200b",
    "\u200f",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u00a0",
    "\u3000",
    "\u0000",
    "\r",
    "\r\n",
    "\t",
    "\u0301",
    "\U0001f600",
    "\ufffd",
    "ﾃｽﾄ",
    "ＡＩ",
    "第一条",
    "。",
    "\u0627\u0644",
    "\\",
    "\\_",
]

FRONT_MATTER = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "---\n",
            "---",
            "---\ntitle: unterminated\n",
            "---\n---\n",
            "---\n---",
            "------\n",
            "---\ntitle: 123\naccess: [restricted, public]\ndate: 2024-01-01\n---\n",
            "---\ndate: 2024-02-30\n---\n",  # a date YAML reads as a timestamp, but no such day
            "---\ndate: 2024-01-01 25:61:00\n---\n",
            "---\ndate: !!timestamp nope\nflag: !!bool maybe\nn: !!int x\n---\n",
            "---\ntitle: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n---\n",
            "---\ntitle: {a: 1, b: [1, 2]}\nauthor: null\nid: ~\n---\n",
            "---\ntitle: !!binary aGVsbG8=\nissuer: !!float .inf\n---\n",
            "---\ntitle: !!python/object/apply:os.system [echo]\n---\n",
            "---\n- a list\n- not a mapping\n---\n",
            "---\njust a string\n---\n",
            "---\n? [a, b]\n: unhashable key\n---\n",
            "---\n1: int key\ntrue: bool key\nnull: null key\n---\n",
            "---\ntitle: &a x\nauthor: *a\nid: *undefined\n---\n",
            "---\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
            "title: &e [*d, *d, *d, *d, *d, *d, *d, *d]\n---\n",  # alias bomb (billion laughs)
            "---\n"
            + "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'x'}]\n" for i in range(10))
            + "title: *l9\n---\n",  # 9**9 strings once a title is made of it
            "---\ntitle:\t tab\n  bad: indent\n---\n",
            "---\ntitle: \"unterminated\n---\n",
            "---\naccess: restricted\n--- \n",
            "---\r\ntitle: crlf\r\n---\r\n",
            "\ufeff---\ntitle: bom\n---\n",
            "---\ntitle: " + "x" * 5000 + "\n---\n",
            "---\nid: ../../etc/passwd\ntitle: \"\\u202eevil\"\n---\n",
        ]
    ),
    st.text(max_size=200).map(lambda t: f"---\n{t}\n---\n"),
    st.dictionaries(
        st.sampled_from(["title", "author", "issuer", "date", "id", "access", "language", "url", "type", "x"]),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.dates(),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
            max_leaves=8,
        ),
        max_size=5,
    ).map(lambda d: "---\n" + __import__("yaml").safe_dump(d, allow_unicode=True) + "---\n"),
)

LINE = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(ODD_CHARS + list("ab .!?#*-_[]()<>&;`|\n")), max_size=60).map("".join),
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 12), st.text(max_size=40)),  # headings, too deep too
    st.builds(lambda n, t: "  " * n + "- " + t, st.integers(0, 200), st.text(max_size=20)),  # nested lists
    st.builds(lambda n, t: ">" * n + " " + t, st.integers(1, 200), st.text(max_size=20)),  # nested quotes
    st.builds(
        lambda c, n: c * n,
        st.sampled_from(["x", "word ", " ", "[", "](", "**", "\\", "第", "a.", "- ", "\u200b", "\t", "("]),
        st.integers(1000, 20_000),
    ),  # long lines within the limits
    st.sampled_from(
        [
            "```",
            "~~~",
            "---",
            "***",
            "###",
            "\\###",
            "| a | b |",
            "|---|---|",
            "[x](y)",
            "![i](u)",
            "[unclosed](",
            "Article 12 Scope",
            "第十二条",
            "<!-- c",
            "-->",
            "$$",
            "[^1]: note",
        ]
    ),
)

HTML_BITS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<h1>",
            "</h1>",
            "<h7>",
            "<script>",
            "</script>",
            "<style>",
            "<title>",
            "</title>",
            "<meta name='author' content='x'>",
            "<meta name=date>",
            "<div hidden>",
            "<span style='display: none'>",
            "<svg>",
            "</svg>",
            "<br/>",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "&#0;",
            "&#x110000;",
            "&#99999999999999999999;",
            "&amp",
            "&nosuch;",
            "<!DOCTYPE html>",
            "<?xml?>",
            "</",
            "<",
            ">",
            "<a href='javascript:x'>",
            "<template>",
            "<noscript>",
            "<textarea>",
            "<plaintext>",
            "<head>",
            "</head>",
            "<li>",
            "<table><tr>",
        ]
    ),
    st.builds(
        lambda tag, n: f"<{tag}>" * n, st.sampled_from(["div", "ul", "li", "h1", "script", "b"]), st.integers(100, 3000)
    ),  # deep nesting
)


def _encode(text: str, mode: str, junk: bytes) -> bytes:
    raw = text.encode("utf-8", "surrogatepass")
    if mode == "bom":
        return b"\xef\xbb\xbf" + raw
    if mode == "junk":  # invalid UTF-8 (or a NUL) somewhere
        cut = len(raw) // 2
        return raw[:cut] + junk + raw[cut:]
    if mode == "late-nul":  # a NUL after the first 4 KiB, where the binary sniff does not look
        return raw + b"a" * 4100 + b"\x00" + b"tail"
    return raw


text_docs = st.builds(
    lambda fm, lines, mode, junk: _encode(fm + "\n".join(lines), mode, junk),
    FRONT_MATTER,
    st.lists(LINE, max_size=25),
    st.sampled_from(["utf8", "utf8", "utf8", "bom", "junk", "late-nul"]),
    st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x00", b"\xc0\xaf"]),
)


@settings(FUZZ, max_examples=800)
@given(data=text_docs, suffix=st.sampled_from([".md", ".markdown", ".txt"]))
# Found by this test: YAML values that cannot be built escaped as ValueError / KeyError / AttributeError.
@example(data=b"---\ndate: 2024-02-30\n---\nBody.\n", suffix=".md")
@example(data=b"---\nflag: !!bool maybe\n---\nBody.\n", suffix=".txt")
@example(data=b"---\ndate: !!timestamp nope\n---\nBody.\n", suffix=".md")
# Found on review: nested YAML aliases expand to 9**9 strings once the title is made text.
@example(
    data=(
        "---\n"
        + "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'x'}]\n" for i in range(10))
        + "title: *l9\n---\nBody.\n"
    ).encode(),
    suffix=".md",
)
# Found by timing long lines: quadratic regexes in the cleaner (minutes for a few hundred KB).
@example(data=b"[" * 1_000_000, suffix=".md")
@example(data=b"[a](" * 250_000, suffix=".md")
@example(data=b"a" + b" " * 1_000_000 + b"b", suffix=".txt")
@example(data=b"a" + b"\n \n" * 300_000 + b"b", suffix=".md")
def test_markdown_and_text_load_or_fail_by_name(data, suffix):
    check(data, suffix)


@settings(FUZZ, max_examples=200)
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".md", ".txt", ".html"]))
def test_random_bytes_as_text_load_or_fail_by_name(data, suffix):
    check(data, suffix)


@settings(FUZZ, max_examples=400)
@given(bits=st.lists(st.one_of(HTML_BITS, LINE), max_size=40), suffix=st.sampled_from([".html", ".htm"]))
def test_html_loads_or_fails_by_name(bits, suffix):
    check("".join(bits).encode("utf-8", "surrogatepass"), suffix)
