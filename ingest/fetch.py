"""Downloading a document from its address, checked before it touches the corpus.

http and https only; every hop of a redirect is checked again (scheme, address) and there are
at most `fetch_max_redirects` of them; the body is limited in size (`fetch_max_mb`, refused from
Content-Length before reading when the server announces it) and in time (`fetch_timeout_s` for
the whole download, not per read, so a server that drips bytes is cut off). The kind is decided
by the content (the upload rule, `ingest.uploads.sniff`), never by the server's Content-Type.

Addresses on loopback, private, link-local, shared or reserved ranges are refused unless
`allow_private_addresses` is set: checked on the resolved addresses before connecting and on
the peer actually connected to (a name that resolves differently the second time gains nothing).

The document's own metadata (PDF info, HTML <title>/<meta>, the first headings, the language)
is read here, so that the caller can write a sidecar; the text itself is read by the loaders at
ingest time, like every other file."""

from __future__ import annotations

import hashlib
import io
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import client as http_client
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from assistant.core.settings import Settings
from assistant.core.text import cjk_share, language_of
from ingest.loaders import FORMATS
from ingest.uploads import UploadError, sniff

USER_AGENT = "briefing-assistant/1 (+document download requested by a user)"
_REDIRECTS = {301, 302, 303, 307, 308}
_READ = 64 * 1024


class FetchError(UploadError):
    """A download refused or failed; `name` is the address, `reason` says why."""


@dataclass(frozen=True)
class Fetched:
    url: str  # as requested
    final_url: str  # after redirects
    not_modified: bool = False  # the server answered 304 to the ETag / Last-Modified we sent
    data: bytes = b""  # as stored: HTML re-encoded as UTF-8, anything else byte for byte
    sha256: str = ""  # of the bytes as downloaded: what the next download is compared with
    kind: str = ""  # "pdf" | "html" | "markdown" | "text"
    name: str = ""  # a safe file name for it, derived from the address
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""  # what the server said (recorded, never trusted)
    info: dict = field(default_factory=dict)  # title, issuer, date, language, type, pages


# --- addresses ---------------------------------------------------------------------------------


def _address_kind(ip: str) -> str:
    """'' for a public address, else what it is (for the message)."""
    a = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped:
        a = a.ipv4_mapped
    for label, flag in (
        ("loopback", a.is_loopback),
        ("unspecified", a.is_unspecified),
        ("link-local", a.is_link_local),
        ("private", a.is_private),
        ("multicast", a.is_multicast),
        ("reserved", a.is_reserved),
    ):
        if flag:
            return label
    return "" if a.is_global else "non-public"


def _refuse(url: str, host: str, ip: str, kind: str) -> FetchError:
    return FetchError(
        url,
        f"{host} is a {kind} address ({ip}); such addresses are refused unless allow_private_addresses is set",
    )


def check_address(url: str, host: str, port: int, allow_private: bool) -> None:
    """Every address the host resolves to must be public (unless allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(url, f"cannot resolve {host} ({exc})") from None
    if allow_private:
        return
    for info in infos:
        ip = str(info[4][0])
        kind = _address_kind(ip)
        if kind:
            raise _refuse(url, host, ip, kind)


def _checked(base: type, url: str, allow_private: bool) -> type:
    class Connection(base):  # type: ignore[misc,valid-type]
        def connect(self) -> None:
            super().connect()
            # The address actually connected to, not the one resolved a moment ago.
            ip = self.sock.getpeername()[0]
            kind = "" if allow_private else _address_kind(ip)
            if kind:
                self.close()
                raise _refuse(url, self.host, ip, kind)

    return Connection


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) address, or FetchError."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(url, f"only http and https addresses can be added (not '{scheme or 'no scheme'}')")
    if not parts.hostname:
        raise FetchError(url, "the address has no host name")
    if parts.username or parts.password:
        raise FetchError(url, "addresses with a user name or password are not accepted")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchError(url, "the address has an invalid port") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    # An address pasted from a browser may carry Japanese or spaces in its path: sent %-encoded
    # (what is already encoded stays as it is).
    return scheme, parts.hostname, port, quote(path, safe="/%?=&:;@!$'()*+,~-._")


# --- downloading -------------------------------------------------------------------------------


def fetch(
    settings: Settings, url: str, etag: str = "", last_modified: str = "", allow_private: bool | None = None
) -> Fetched:
    """Downloads `url` within the limits. With `etag` / `last_modified` of an earlier download the
    request is conditional, and a 304 answer comes back as `not_modified` without a body."""
    allow = settings.allow_private_addresses if allow_private is None else allow_private
    limit = int(settings.fetch_max_mb * 2**20)
    deadline = time.monotonic() + settings.fetch_timeout_s
    current = url.strip()
    for _ in range(max(0, settings.fetch_max_redirects) + 1):
        scheme, host, port, path = check_url(current)
        check_address(url, host, port, allow)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(url, f"no answer within {settings.fetch_timeout_s:g} s (fetch_timeout_s)")
        if scheme == "https":
            conn = _checked(http_client.HTTPSConnection, url, allow)(
                host, port, timeout=remaining, context=ssl.create_default_context()
            )
        else:
            conn = _checked(http_client.HTTPConnection, url, allow)(host, port, timeout=remaining)
        headers = {"User-Agent": USER_AGENT, "Accept": "application/pdf, text/html;q=0.9, */*;q=0.5"}
        headers["Accept-Encoding"] = "identity"
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            if resp.status in _REDIRECTS:
                location = resp.getheader("Location")
                if not location:
                    raise FetchError(url, f"the server answered {resp.status} without a Location")
                current = urljoin(current, location.strip())
                continue
            if resp.status == 304 and (etag or last_modified):
                return Fetched(url, current, not_modified=True, etag=etag, last_modified=last_modified)
            if resp.status != 200:
                raise FetchError(url, f"the server answered {resp.status} {resp.reason}".rstrip())
            raw = _read(url, conn, resp, limit, deadline, settings)
            content_type = resp.getheader("Content-Type") or ""
            new_etag, new_modified = resp.getheader("ETag") or "", resp.getheader("Last-Modified") or ""
        except TimeoutError:
            raise FetchError(
                url, f"no complete answer within {settings.fetch_timeout_s:g} s (fetch_timeout_s)"
            ) from None
        except ssl.SSLError as exc:
            raise FetchError(url, f"TLS failed ({exc.reason or exc})") from None
        except (OSError, http_client.HTTPException) as exc:
            if isinstance(exc, FetchError):
                raise
            raise FetchError(url, f"the download failed ({type(exc).__name__}: {exc})") from None
        finally:
            conn.close()
        kind, data = decide_kind(url, current, raw, content_type)
        name = name_for(url, kind)
        return Fetched(
            url=url,
            final_url=current,
            data=data,
            sha256=hashlib.sha256(raw).hexdigest(),
            kind=kind,
            name=name,
            etag=new_etag,
            last_modified=new_modified,
            content_type=content_type,
            info=document_info(kind, data, current),
        )
    raise FetchError(url, f"more than {settings.fetch_max_redirects} redirects (fetch_max_redirects)")


def _read(url: str, conn, resp, limit: int, deadline: float, settings: Settings) -> bytes:
    too_big = f"more than the limit of {settings.fetch_max_mb:g} MB (fetch_max_mb)"
    length = resp.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > limit:
        raise FetchError(url, f"the file is {int(length) / 2**20:.1f} MB, {too_big}")
    out = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        if conn.sock is not None:
            conn.sock.settimeout(remaining)
        # read1: what has arrived, so that the deadline is checked between reads.
        block = resp.read1(_READ)
        if not block:
            return bytes(out)
        out += block
        if len(out) > limit:
            raise FetchError(url, f"the file is larger than {settings.fetch_max_mb:g} MB, {too_big}")


# --- what it is --------------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def _charset(content_type: str, raw: bytes) -> str:
    m = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", content_type, re.I)
    if m:
        return m.group(1)
    declared = _CHARSET.search(raw[:4096])
    return declared.group(1).decode("ascii") if declared else ""


def decide_kind(url: str, final_url: str, raw: bytes, content_type: str) -> tuple[str, bytes]:
    """The kind by content and the bytes to store. A PDF is kept byte for byte; a page is
    decoded with its declared charset (Shift_JIS is common on Japanese sites) and stored as
    UTF-8, which the loaders read."""
    said = f" (the server said {content_type.split(';')[0].strip()})" if content_type else ""
    if not raw:
        raise FetchError(url, "the server sent an empty file")
    if b"%PDF-" in raw[:1024]:
        sniff("document.pdf", raw)
        return "pdf", raw
    charset = _charset(content_type, raw)
    text = None
    for encoding in dict.fromkeys([c for c in ("utf-8-sig", charset) if c]):
        try:
            text = raw.decode(encoding)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    ext = _extension(final_url) or _extension(url)
    if text is None or "\x00" in text[:1024]:
        raise FetchError(url, f"the content is neither a PDF nor an HTML page nor text{said}")
    data = text.encode("utf-8")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        # The stored page is UTF-8 now: its declaration must say so for anyone opening the file.
        data = re.sub(rb"(charset\s*=\s*[\"']?)[A-Za-z0-9_.:-]+", rb"\1utf-8", data, count=2, flags=re.I)
    try:
        return sniff("document.html", data), data
    except UploadError:
        pass
    if FORMATS.get(ext) in ("markdown", "text"):
        try:
            return sniff(f"document{ext}", data), data
        except UploadError as exc:
            raise FetchError(url, f"{exc.reason}{said}") from None
    raise FetchError(url, f"the content is neither a PDF nor an HTML page{said}")


def _extension(url: str) -> str:
    last = unquote(urlsplit(url).path).rstrip("/").rsplit("/", 1)[-1]
    return ("." + last.rsplit(".", 1)[1].lower()) if "." in last else ""


_EXT = {"pdf": ".pdf", "html": ".html", "markdown": ".md", "text": ".txt"}


def name_for(url: str, kind: str) -> str:
    """One file name per address: host and path, so that the same address always lands on the
    same file and two documents called `index.html` on different sites do not collide."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "document").removeprefix("www.")
    path = unquote(parts.path).strip("/")
    stem = path.rsplit(".", 1)[0] if "." in path.rsplit("/", 1)[-1] else path
    if parts.query:
        stem += "-" + parts.query
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{host}-{stem}")
    base = re.sub(r"-{2,}", "-", base).strip("-_") or "document"
    if len(base) > 100:
        base = base[:90].rstrip("-_") + "-" + hashlib.sha256(url.encode()).hexdigest()[:8]
    return base + _EXT[kind]


# --- the document's own metadata ----------------------------------------------------------------

# Who publishes on an official site is its issuer: more reliable than a PDF's Author field
# (often a login name) or a page's site name. Matched on the end of the host name.
ISSUERS = {
    "cas.go.jp": "Cabinet Secretariat of Japan",
    "kantei.go.jp": "Prime Minister's Office of Japan",
    "cao.go.jp": "Cabinet Office of Japan",
    "mofa.go.jp": "Ministry of Foreign Affairs of Japan",
    "meti.go.jp": "Ministry of Economy, Trade and Industry of Japan",
    "mext.go.jp": "Ministry of Education, Culture, Sports, Science and Technology of Japan",
    "mod.go.jp": "Ministry of Defense of Japan",
    "mof.go.jp": "Ministry of Finance of Japan",
    "e-gov.go.jp": "Government of Japan (e-Gov)",
    "japaneselawtranslation.go.jp": "Ministry of Justice of Japan (Japanese Law Translation)",
    "whitehouse.gov": "The White House",
    "whitehouse.archives.gov": "The White House",
    "state.gov": "U.S. Department of State",
    "commerce.gov": "U.S. Department of Commerce",
}

# A document's kind from words of its title, for the type filter; --type overrides.
_TYPES = [
    ("law", r"\bAct\b|\bAct No\.|\blaw\b|法律|法$|法（|施行令|施行規則"),
    ("white paper", r"white paper|bluebook|blue book|白書|外交青書"),
    ("strategy", r"strategy|戦略"),
    ("statement", r"statement|fact sheet|readout|communiqu|declaration|声明|共同"),
]

_PUBLISHER = re.compile(r"ministry|government|cabinet|office|department|white house|省|庁|内閣|官邸", re.I)
_JUNK_TITLE = re.compile(r"^(microsoft (word|powerpoint) - |untitled)|\.(docx?|pdf|pptx?|indd)$", re.I)
_TITLE_META = ("citation_title", "dc.title", "og:title", "twitter:title")
_ISSUER_META = ("citation_publisher", "dc.publisher", "publisher", "og:site_name", "author", "dc.creator")
_DATE_META = (
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.issued",
    "article:published_time",
    "og:published_time",
    "date",
    "pubdate",
)


class _Head(HTMLParser):
    """<title>, <meta name|property>, <html lang>, the first headings and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta: dict[str, str] = {}
        self.lang = ""
        self.headings: list[str] = []
        self.text: list[str] = []
        self._in: str = ""
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"]
        elif tag == "meta":
            key = (a.get("name") or a.get("property") or "").lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag in ("script", "style", "noscript", "template", "svg"):
            self._skip += 1
        elif tag in ("title", "h1", "h2"):
            self._in = tag
            if tag != "title":
                self.headings.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template", "svg"):
            self._skip = max(0, self._skip - 1)
        elif tag == self._in:
            self._in = ""

    def handle_data(self, data):
        if self._skip:
            return
        if self._in == "title":
            self.title += data
        elif self._in in ("h1", "h2") and self.headings:
            self.headings[-1] += data
        if self._in != "title" and sum(map(len, self.text)) < 20000:
            self.text.append(data)


def _clean(text: str) -> str:
    return " ".join((text or "").split())[:300]


def normalise_date(value: str) -> str:
    """YYYY-MM-DD (or YYYY-MM, YYYY) from ISO dates, PDF dates (D:20221216...) and 2022/12/16."""
    value = (value or "").strip()
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})(\d{2})", value)
    if m:
        return "-".join(m.groups())
    m = re.match(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?", value)
    if not m:
        return ""
    year, month, day = m.groups()
    return "-".join([year] + [f"{int(x):02d}" for x in (month, day) if x])


def issuer_for_host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for domain in sorted(ISSUERS, key=len, reverse=True):
        if host == domain or host.endswith("." + domain):
            return ISSUERS[domain]
    return ""


def guess_type(title: str) -> str:
    for kind, pattern in _TYPES:
        if re.search(pattern, title or "", re.I):
            return kind
    return ""


def _language(declared: str, text: str) -> str:
    if declared:
        return declared.split("-", 1)[0].lower()
    return language_of(text)


def document_info(kind: str, data: bytes, url: str) -> dict:
    """title, issuer, date, language, type (and pages for a PDF), each only when found."""
    if kind == "pdf":
        info = _pdf_info(data)
    elif kind == "html":
        info = _html_info(data)
    else:
        text = data.decode("utf-8", "replace")
        first = next((line.strip("# ").strip() for line in text.splitlines() if line.strip()), "")
        info = {"title": _clean(first)[:200], "language": _language("", text[:20000])}
    info["issuer"] = issuer_for_host(url) or info.get("issuer", "")
    info["type"] = guess_type(info.get("title", ""))
    return {k: v for k, v in info.items() if v not in ("", None)}


def _html_info(data: bytes) -> dict:
    parser = _Head()
    try:
        parser.feed(data.decode("utf-8", "replace"))
    except Exception:  # noqa: BLE001 - a malformed page still gets the metadata parsed so far
        pass
    meta = parser.meta
    headings = [_clean(h) for h in parser.headings if _clean(h)]
    title = next((meta[k] for k in _TITLE_META if meta.get(k)), "") or _clean(parser.title) or next(iter(headings), "")
    site = meta.get("og:site_name", "")
    for sep in (" | ", " - ", " – ", " : ", "｜"):
        # "Diplomatic Bluebook 2024 | Ministry of Foreign Affairs of Japan": the site is the
        # issuer, not part of the title.
        head, _, tail = title.rpartition(sep)
        if head and (tail.strip() == site or _PUBLISHER.search(tail)):
            title, site = head, site or tail.strip()
            break
    return {
        "title": _clean(title)[:200],
        "issuer": next((_clean(meta[k]) for k in _ISSUER_META if meta.get(k)), "") or _clean(site),
        "date": next((normalise_date(meta[k]) for k in _DATE_META if normalise_date(meta.get(k, ""))), ""),
        "language": _language(parser.lang, " ".join(parser.text)),
    }


def _organisation(author: str) -> str:
    """A PDF's Author when it names a body ("Cabinet Secretariat", "内閣官房"), not when it is
    a login name or a tool's placeholder ("kantei01", "anonymous")."""
    if author.lower() in ("anonymous", "unknown", "user", "administrator", "owner") or re.search(r"\d", author):
        return ""
    return author if (" " in author or cjk_share(author) > 0.5) else ""


def _pdf_info(data: bytes) -> dict:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        meta: Any = reader.metadata or {}  # .get resolves indirect objects; a dict copy would not
        pages = len(reader.pages)
        text = "\n".join((reader.pages[i].extract_text() or "") for i in range(min(3, pages)))
    except Exception:  # noqa: BLE001 - the loader names what is wrong with the PDF at ingest
        return {}
    title = _clean(str(meta.get("/Title") or ""))
    if not title or _JUNK_TITLE.search(title):
        # The first line of the first page is usually the document's title.
        title = next((_clean(line) for line in text.splitlines() if len(_clean(line)) >= 4), "")[:200]
    return {
        "title": title,
        "issuer": _organisation(_clean(str(meta.get("/Author") or ""))),
        "date": normalise_date(str(meta.get("/CreationDate") or "")),
        "language": _language("", text),
        "pages": pages,
    }
