"""Scanned pages: pages that are only images are read by the real Tesseract (eng + jpn), keep
their page numbers, are marked as OCR text, and a page it cannot read is named in the report.
The pages are rendered here with Pillow (DejaVu Sans, IPA Gothic) into an image-only PDF."""

import random
import shutil

import pytest

from assistant.core.types import Chunk
from ingest import loaders
from ingest.errors import IngestError
from ingest.loaders.ocr import OcrConfig

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is installed by scripts/setup")

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
IPA_GOTHIC = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"

EN_LINES = [
    "Scanned Memorandum on Supply Chains",
    "",
    "The council approved a rare earth stockpile",
    "of 4,200 tonnes on 12 March 2024.",
]
JA_LINES = ["経済安全保障に関する覚書", "", "審議会は半導体の備蓄計画を承認した。", "備蓄量は三千二百トンである。"]


def page_image(lines, font, size=34):
    """An A4 page scanned at 150 dpi: text as pixels only."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    face = ImageFont.truetype(font, size)
    y = 150
    for line in lines:
        draw.text((120, y), line, fill=0, font=face)
        y += int(size * 1.6)
    return img


def noise_image():
    """A photo-like page: nothing for OCR to read."""
    from PIL import Image

    rng = random.Random(7)
    img = Image.new("L", (600, 800))
    img.putdata([rng.randrange(256) for _ in range(600 * 800)])
    return img


def scan_pdf(path, images):
    path.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150)
    return path


def test_image_only_pages_are_read_marked_and_keep_their_numbers(tmp_path):
    pdf = scan_pdf(tmp_path / "scan.pdf", [page_image(EN_LINES, DEJAVU), page_image(JA_LINES, IPA_GOTHIC)])
    loaded = loaders.load(pdf)
    assert [p.number for p in loaded.pages] == [1, 2] and loaded.ocr_pages == {1, 2} and not loaded.notes
    assert "rare earth stockpile" in loaded.pages[0].text and "4,200 tonnes" in loaded.pages[0].text
    japanese = "".join(loaded.pages[1].text.split())  # Tesseract spaces out Japanese; cleaning joins it
    assert "半導体の備蓄計画を承認した" in japanese


def test_ocr_off_or_unreadable_pages_are_reported_by_page(tmp_path):
    pdf = scan_pdf(tmp_path / "scan.pdf", [page_image(EN_LINES, DEJAVU), noise_image()])
    loaded = loaders.load(pdf)
    assert loaded.ocr_pages == {1}
    assert len(loaded.notes) == 1 and loaded.notes[0].startswith("page 2: OCR could not read it")
    with pytest.raises(IngestError, match="OCR is off"):
        loaders.load(pdf, ocr=OcrConfig(enabled=False))
    with pytest.raises(IngestError, match="none of the OCR languages"):
        loaders.load(pdf, ocr=OcrConfig(languages="xyz"))


def test_an_answer_quotes_text_that_exists_only_as_pixels(settings):
    """Through the real pipeline, index and extractive answerer."""
    from assistant.answering.engine import Assistant
    from assistant.index.catalog import Catalog
    from ingest.pipeline import ingest

    scan_pdf(
        settings.corpus_dir / "memo-scan.pdf",
        [page_image(["Cover page of the memorandum"], DEJAVU), page_image(EN_LINES, DEJAVU), noise_image()],
    )
    scan_pdf(settings.corpus_dir / "oboegaki.pdf", [page_image(JA_LINES, IPA_GOTHIC)])
    (settings.corpus_dir / "oboegaki.pdf.meta.yaml").write_text("language: ja\n", encoding="utf-8")
    report = ingest(settings, progress=False)
    assert not report.errors and report.files_ingested == 2, report.summary()
    # The page that could not be read is named, with its file and page; the others are in.
    assert [(n.path, n.reason.split(":")[0]) for n in report.notes] == [("memo-scan.pdf", "page 3")]
    assert "NOTE memo-scan.pdf: page 3: OCR could not read it" in report.summary()
    chunks: list[Chunk] = Catalog(settings).chunks()
    assert chunks and all(c.ocr for c in chunks)
    assert {(c.doc_id, c.page) for c in chunks} >= {("memo-scan", 1), ("memo-scan", 2), ("oboegaki", 1)}

    answer = Assistant(settings).ask("How large is the rare earth stockpile the council approved?")
    assert not answer.declined, answer.text
    assert "4,200 tonnes" in answer.text
    cited = answer.citations[0]
    assert (cited.source, cited.page, cited.ocr) == ("memo-scan.pdf", 2, True)
    assert cited.to_dict()["ocr"] is True

    answer = Assistant(settings).ask("審議会は何を承認したか")
    assert not answer.declined and "半導体の備蓄計画を承認した" in answer.text
    assert answer.citations[0].source == "oboegaki.pdf" and answer.citations[0].ocr
