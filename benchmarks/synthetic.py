"""Synthetic policy-like English prose and PDFs made of it, for benchmarks at sizes the shipped
corpus does not reach. Seeded: the same arguments give the same text and the same files."""

from __future__ import annotations

import random
from pathlib import Path

ACTORS = [
    "The Government of Japan",
    "The Ministry of Economy, Trade and Industry",
    "The Cabinet Office",
    "The National Security Secretariat",
    "The Ministry of Foreign Affairs",
    "The Diet",
    "The United States and Japan",
    "The G7 partners",
    "The Economic 2+2",
    "The Quad members",
    "The European Union",
    "The Ministry of Finance",
    "The Japan Bank for International Cooperation",
    "The Ministry of Internal Affairs and Communications",
    "The trilateral working group",
]
VERBS = [
    "will strengthen",
    "agreed to expand",
    "is reviewing",
    "committed to fund",
    "proposed to tighten",
    "announced measures to secure",
    "will coordinate",
    "decided to designate",
    "reaffirmed support for",
    "set out a roadmap for",
    "will monitor",
    "launched a programme on",
    "called for stronger",
    "published guidelines on",
    "plans to diversify",
]
OBJECTS = [
    "semiconductor supply chains",
    "export controls on advanced computing items",
    "critical minerals",
    "rare earth processing",
    "undersea cable security",
    "investment screening of foreign acquisitions",
    "quantum technology research",
    "port and logistics resilience",
    "pharmaceutical ingredients",
    "battery materials",
    "cybersecurity of critical infrastructure",
    "space-based communications",
    "stockpiles of gallium and germanium",
    "artificial intelligence safety",
    "energy security and LNG",
    "food security and fertiliser supply",
    "shipbuilding capacity",
    "5G and Open RAN deployment",
    "research security and integrity",
    "economic coercion responses",
    "outbound investment reviews",
    "technology transfer safeguards",
    "biotechnology manufacturing",
    "telecommunications vendors",
]
PURPOSES = [
    "to reduce dependence on a single supplier",
    "in line with the Economic Security Promotion Act",
    "under the National Security Strategy of December 2022",
    "with a review scheduled for fiscal {year}",
    "backed by a budget of {money} billion yen",
    "through public-private councils",
    "together with like-minded partners",
    "to protect sensitive technologies",
    "after consultations with industry",
    "covering {n} designated specified critical products",
    "with reporting obligations for {n} companies",
    "to respond to coercive trade measures",
]
LINKS = [
    "In addition,",
    "Meanwhile,",
    "As a result,",
    "Under the plan,",
    "By contrast,",
    "Separately,",
    "According to the report,",
    "In {year},",
    "Since {year},",
    "For the first time,",
]
FINDINGS = [
    "the share of imports from one country fell to {pct} percent",
    "{n} projects received subsidies",
    "the threshold for prior notification was lowered to {pct} percent",
    "spending rose by {pct} percent compared with fiscal {year}",
    "{n} firms were added to the list of core operators",
    "the review period was extended to {n} days",
    "a council of {n} ministries was established",
    "{n} joint research projects were selected",
]
TITLES = [
    "Annual Report on Economic Security",
    "Supply Chain Resilience Review",
    "Technology Protection Guidelines",
    "Critical Infrastructure Assessment",
    "Strategic Minerals Outlook",
    "Export Control Policy Paper",
    "Investment Screening Annual Review",
    "Research Security Handbook",
    "Joint Statement Compendium",
]


def _fill(text: str, rng: random.Random) -> str:
    return text.format(
        year=rng.randint(2015, 2030), money=rng.randint(5, 900), n=rng.randint(2, 250), pct=rng.randint(1, 95)
    )


def sentence(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return _fill(f"{rng.choice(LINKS)} {rng.choice(FINDINGS)}.", rng)
    s = f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PURPOSES)}"
    if rng.random() < 0.4:
        s += f", and {rng.choice(VERBS).split(' ', 1)[-1]} {rng.choice(OBJECTS)}"
    return _fill(s + ".", rng)


def passage(rng: random.Random, words: int = 110) -> str:
    """About `words` words of prose in two or three paragraphs."""
    paragraphs, current, n = [], [], 0
    while n < words:
        s = sentence(rng)
        current.append(s)
        n += len(s.split())
        if len(current) >= rng.randint(3, 5):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def texts(n: int, seed: int = 0, words: int = 110) -> list[str]:
    rng = random.Random(seed)
    return [passage(rng, words) for _ in range(n)]


def make_pdfs(folder: Path, n_pdfs: int, pages: int, seed: int = 0, words: int = 110) -> list[Path]:
    """`n_pdfs` PDFs of `pages` pages each, one passage per page (about one chunk per page),
    with a running header and page numbers as real reports have."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out = []
    for d in range(n_pdfs):
        path = folder / f"report-{d:03d}.pdf"
        title = f"{rng.choice(TITLES)} {2016 + d % 10}, volume {d + 1}"
        c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
        c.setTitle(title)
        w, h = A4
        for p in range(1, pages + 1):
            c.setFont("Helvetica", 8)
            c.drawString(56, h - 40, title)
            y = h - 80
            c.setFont("Helvetica", 10)
            for para in passage(rng, words).split("\n\n"):
                line = ""
                for word in para.split():
                    if len(line) + len(word) + 1 > 95:
                        c.drawString(56, y, line)
                        y -= 13
                        line = word
                    else:
                        line = f"{line} {word}".strip()
                if line:
                    c.drawString(56, y, line)
                    y -= 13
                y -= 8
            c.drawCentredString(w / 2, 30, str(p))
            c.showPage()
        c.save()
        out.append(path)
    return out
