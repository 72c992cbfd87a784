"""Rebuild corpus/igata-glosserman-2021.pdf from the seed paper's extracted text.

The text (kept in scripts/seed/) marks each new page with a line that begins with a space.
The PDF keeps those pages, so that page-level citations point at the paper's own pages, and
adds a running header and a printed page number on each page, as a real paper has: the
ingest must strip them again, which is exactly what this document is there to exercise.

    python scripts/make_seed_pdf.py [--text PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
TEXT = ROOT / "scripts" / "seed" / "igata-glosserman-2021.txt"
OUT = ROOT / "corpus" / "igata-glosserman-2021.pdf"
HEADER = "Igata & Glosserman \u2013 Japan\u2019s burgeoning economic security strategy"
TITLE = "Japan's burgeoning economic security strategy: Navigating amidst US-China competition"


def split_pages(text: str) -> list[list[str]]:
    pages: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith(" ") or not pages:
            pages.append([])
            line = line[1:] if line.startswith(" ") else line
        pages[-1].append(line.rstrip())
    while pages and not any(l.strip() for l in pages[-1]):
        pages.pop()
    return pages


def render(pages: list[list[str]], out: Path) -> None:
    width, height = A4
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)  # invariant: byte-identical rebuilds
    c.setTitle(TITLE)
    c.setAuthor("Akira Igata; Brad Glosserman")
    c.setSubject("Conference paper, earlier draft of 'Japan's New Economic Statecraft' (2021)")
    for number, lines in enumerate(pages, start=1):
        c.setFont("Helvetica-Oblique", 8)
        c.drawString(56, height - 40, HEADER)
        c.line(56, height - 44, width - 56, height - 44)
        y = height - 66
        for line in lines:
            size = 7.5 if line[:1].isdigit() or line.startswith("*") else 9.5
            c.setFont("Helvetica", size)
            c.drawString(56, y, line)
            y -= size + 3
        c.setFont("Helvetica", 9)
        c.drawCentredString(width / 2, 32, str(number))
        c.showPage()
    c.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, default=TEXT)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    pages = split_pages(args.text.read_text(encoding="utf-8"))
    render(pages, args.out)
    print(f"wrote {args.out} ({len(pages)} pages)")


if __name__ == "__main__":
    main()
