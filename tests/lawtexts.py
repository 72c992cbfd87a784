"""A small law the tests build, in English translation and in Japanese, as HTML and as PDF
(reportlab; Japanese through the HeiseiMin-W3 CID font, as official PDFs embed it).

Article 3 sits on page 2 of the PDFs and has two paragraphs; the supplementary provisions
number their articles from 1 again."""

from __future__ import annotations

import html
import textwrap
from pathlib import Path

TITLE_EN = "Act on Securing the Supply of Test Materials"
TITLE_JA = "試験物資の供給の確保に関する法律"

# (caption, article heading, paragraphs); None separates the pages of the PDF.
EN = [
    ("Purpose", "Article 1", ["The purpose of this Act is to secure the stable supply of test materials."]),
    (
        "Definitions",
        "Article 2",
        [
            '(1) In this Act, "specified test material" means a material that the competent minister designates '
            "as indispensable to the life of the people.",
            '(2) The term "operator" as used in this Act means a person who supplies specified test materials.',
        ],
    ),
    None,
    (
        "Obligations of Operators",
        "Article 3",
        [
            "(1) An operator must report its stock of specified test materials to the competent minister "
            "once every year.",
            "(2) An operator must keep the records of those reports for five years, including: (i) the quantity "
            "held; (ii) the place of storage.",
        ],
    ),
    ("Advice", "Article 4", ["The competent minister may give operators the advice needed to stabilise supply."]),
    "Supplementary Provisions",
    ("Effective Date", "Article 1", ["This Act comes into effect on the day of its promulgation."]),
]

JA = [
    ("目的", "第一条", ["この法律は、試験物資の安定的な供給を確保することを目的とする。"]),
    (
        "定義",
        "第二条",
        [
            "この法律において「特定試験物資」とは、国民の生存に必要不可欠な物資として主務大臣が指定するものをいう。",
            "２　この法律において「事業者」とは、特定試験物資を供給する者をいう。",
        ],
    ),
    None,
    (
        "事業者の義務",
        "第三条",
        [
            "事業者は、毎年一回、特定試験物資の在庫を主務大臣に報告しなければならない。",
            "２　事業者は、前項の報告の記録を五年間保存しなければならない。",
        ],
    ),
    ("助言", "第四条", ["主務大臣は、事業者に対し、供給の安定に必要な助言をすることができる。"]),
    "附　則",
    ("施行期日", "第一条", ["この法律は、公布の日から施行する。"]),
]


def law_html(path: Path, japanese: bool = False) -> Path:
    """As e-Gov and the Japanese Law Translation site lay a law out: a caption line, then the
    article line, then a line per further paragraph."""
    title, parts = (TITLE_JA, JA) if japanese else (TITLE_EN, EN)
    body = [f"<h1>{html.escape(title)}</h1>"]
    for part in parts:
        if part is None:
            continue
        if isinstance(part, str):
            body.append(f"<h2>{html.escape(part)}</h2>")
            continue
        caption, heading, paragraphs = part
        body.append(f"<p>{'（' if japanese else '('}{html.escape(caption)}{'）' if japanese else ')'}</p>")
        sep = "\u3000" if japanese else " "
        body.append(f"<p>{html.escape(heading)}{sep}{html.escape(paragraphs[0])}</p>")
        body += [f"<p>{html.escape(p)}</p>" for p in paragraphs[1:]]
    page = f"<html><head><title>{html.escape(title)}</title></head><body>{''.join(body)}</body></html>"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def law_pdf(path: Path, japanese: bool = False) -> Path:
    """The same law printed: wrapped lines, a running header and page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    title, parts = (TITLE_JA, JA) if japanese else (TITLE_EN, EN)
    font = "Helvetica"
    if japanese:
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
        font = "HeiseiMin-W3"
    pages: list[list[str]] = [[title]]
    for part in parts:
        if part is None:
            pages.append([])
            continue
        if isinstance(part, str):
            pages[-1].append(part)
            continue
        caption, heading, paragraphs = part
        pages[-1].append(f"（{caption}）" if japanese else f"({caption})")
        for i, para in enumerate(paragraphs):
            text = (heading + ("\u3000" if japanese else " ") + para) if i == 0 else para
            width = 38 if japanese else 80
            pages[-1] += (
                [text[j : j + width] for j in range(0, len(text), width)] if japanese else textwrap.wrap(text, width)
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    w, h = A4
    for number, lines in enumerate(pages, start=1):
        c.setFont(font, 8)
        c.drawString(56, h - 40, title)
        c.setFont(font, 10)
        y = h - 70
        for line in lines:
            c.drawString(56, y, line)
            y -= 14
        c.drawCentredString(w / 2, 30, str(number))
        c.showPage()
    c.save()
    return path
