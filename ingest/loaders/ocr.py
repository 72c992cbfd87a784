"""Text of scanned pages, read by Tesseract (Debian's `tesseract-ocr` with its eng and jpn data)
through its command line: no Python binding needed, and a crash or a hang of the OCR engine
cannot take the ingest down with it (it runs in its own process, under a timeout).

Pages are read from the images the PDF embeds (pypdf decodes them; a scan is one image a
page), so no renderer is needed. A page is read only when its text layer is (nearly) empty.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

# A page whose text layer has fewer visible characters than this is taken for a scan (a page
# number or a stamp printed over the image is not its text).
MIN_TEXT_CHARS = 16
# Below this mean word confidence (Tesseract's 0-100) the result is noise, not the page's text:
# a photo, a blank scan, or a script Tesseract was not given.
MIN_CONFIDENCE = 40.0
# Images smaller than this (logos, rules, bullets) are not pages of text.
MIN_IMAGE_SIDE = 200
# Tesseract reads ~300 dpi best: a larger scan only costs time, a smaller one loses small print
# (an A4 page at 150 dpi read 審議会は半導体 as "F導体"; enlarged to ~280 dpi it read it right).
MAX_IMAGE_SIDE = 5000
TARGET_SIDE = 3300  # the longer side a small scan is enlarged to (A4 at ~280 dpi), at most 2.5x
MAX_IMAGES_PER_PAGE = 8


@dataclass(frozen=True)
class OcrConfig:
    enabled: bool = True
    languages: str = "eng+jpn"
    timeout_s: float = 120.0

    @classmethod
    def from_settings(cls, settings) -> "OcrConfig":
        return cls(settings.ocr, settings.ocr_languages, settings.ocr_timeout_s)


class OcrUnavailable(Exception):
    """OCR cannot run at all (off, not installed, no language data): the reason says which."""


class OcrFailed(Exception):
    """One image could not be read: the reason says why."""


def tesseract() -> str | None:
    return shutil.which("tesseract")


@lru_cache(maxsize=4)
def _installed_languages(exe: str) -> frozenset[str]:
    proc = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60)
    lines = (proc.stdout or proc.stderr).splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def check(config: OcrConfig) -> tuple[str, str]:
    """(the tesseract executable, the languages to pass it), or OcrUnavailable saying why."""
    if not config.enabled:
        raise OcrUnavailable("OCR is off (ocr = false)")
    exe = tesseract()
    if exe is None:
        raise OcrUnavailable(
            "OCR needs Tesseract, which is not installed (apt-get install tesseract-ocr tesseract-ocr-eng "
            "tesseract-ocr-jpn, or bash scripts/setup)"
        )
    wanted = [lang for lang in config.languages.split("+") if lang]
    try:
        have = _installed_languages(exe)
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"Tesseract does not run ({exc})") from None
    usable = [lang for lang in wanted if lang in have]
    if not usable:
        raise OcrUnavailable(
            f"Tesseract has none of the OCR languages {config.languages} (installed: {', '.join(sorted(have)) or 'none'})"
        )
    return exe, "+".join(usable)


def page_images(page) -> list:
    """The page's embedded images large enough to hold text, as Pillow images, in the order of
    the page's resources."""
    out = []
    for image_file in list(page.images)[:MAX_IMAGES_PER_PAGE]:
        img = image_file.image
        if img is not None and min(img.size) >= MIN_IMAGE_SIDE:
            out.append(img)
    return out


def _prepare(img):
    """Greyscale at a size Tesseract reads well."""
    from PIL import Image

    img = img.convert("L")
    w, h = img.size
    scale = 1.0
    if max(w, h) > MAX_IMAGE_SIDE:
        scale = MAX_IMAGE_SIDE / max(w, h)
    elif max(w, h) < TARGET_SIDE:
        scale = min(2.5, TARGET_SIDE / max(w, h))
    if scale != 1.0:
        img = img.resize((max(1, int(w * scale)), max(1, int(h * scale))), Image.LANCZOS)
    return img


def read_image(img, exe: str, languages: str, timeout_s: float) -> tuple[str, float]:
    """(text, mean word confidence) of one image. Lines of a paragraph are kept as lines and
    paragraphs separated by a blank line, as a PDF's text layer would give them."""
    buf = io.BytesIO()
    _prepare(img).save(buf, format="PNG")
    # One thread: ingest runs beside other work, and Tesseract's OpenMP threads fight over few cores.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        proc = subprocess.run(
            [exe, "stdin", "stdout", "-l", languages, "--psm", "3", "tsv"],
            input=buf.getvalue(),
            capture_output=True,
            timeout=timeout_s,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise OcrFailed(f"Tesseract took more than {timeout_s:g} s (ocr_timeout_s)") from None
    except OSError as exc:
        raise OcrFailed(f"Tesseract could not run ({exc})") from None
    if proc.returncode != 0:
        last = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise OcrFailed(f"Tesseract failed ({last[:120]})")
    return _from_tsv(proc.stdout.decode("utf-8", "replace"))


def _from_tsv(tsv: str) -> tuple[str, float]:
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":  # level 5: a word
            continue
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        word = cols[11].strip()
        if conf < 0 or not word:
            continue
        confidences.append(conf)
        lines.setdefault((int(cols[2]), int(cols[3]), int(cols[4])), []).append(word)
    paragraphs: list[list[str]] = []
    last_par = None
    for (block, par, _), words in lines.items():
        if (block, par) != last_par:
            paragraphs.append([])
            last_par = (block, par)
        paragraphs[-1].append(" ".join(words))
    text = "\n\n".join("\n".join(p) for p in paragraphs)
    return text, (sum(confidences) / len(confidences) if confidences else 0.0)
