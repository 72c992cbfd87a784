"""HTML: visible text of the body (scripts, styles and hidden parts dropped), headings kept
as Markdown headings so that the chunker sees the same structure as for Markdown."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders import LoadedFile, RawPage
from ingest.loaders.text import read_text

_SKIP = {"script", "style", "noscript", "template", "head", "svg", "nav", "footer"}
_BLOCK = {"p", "div", "li", "tr", "br", "section", "article", "blockquote", "table", "ul", "ol"}
_HEADINGS = {"h1": "#", "h2": "##", "h3": "###", "h4": "####", "h5": "#####", "h6": "######"}


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.title = ""
        self.meta: dict[str, str] = {}
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name") and a.get("content"):
            self.meta[a["name"].lower()] = a["content"]
        if tag == "title":
            self._in_title = True
        if tag in _SKIP or "hidden" in a or "display:none" in (a.get("style") or "").replace(" ", ""):
            self.skip += 1
            return
        if tag in _HEADINGS:
            self.out.append(f"\n\n{_HEADINGS[tag]} ")
        elif tag in _BLOCK:
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _HEADINGS or tag in _BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self.skip:
            self.out.append(data)


def load(path: Path) -> LoadedFile:
    parser = _Extractor()
    parser.feed(read_text(path))
    body = "".join(parser.out)
    if not body.strip():
        raise IngestError(path, "no visible text in the HTML")
    meta = {k: v for k, v in parser.meta.items() if k in ("author", "date", "description", "language")}
    if parser.title.strip():
        meta["title"] = parser.title.strip()
    return LoadedFile("html", [RawPage(None, body)], meta)
