"""The real app on localhost, driven in headless Chromium (Debian's, through Playwright) over
the shipped corpus: a streamed, cited answer and its source panel; a briefing note exported
to DOCX; a three-question quiz; a real small model's direct answer above its quotations.
Screenshots go to a temporary folder, or to docs/screenshots when BRIEFING_SCREENSHOTS=1 (how
the README's pictures are made)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.features.answer_view import QUOTES_LABEL
from benchmarks import free_port
from benchmarks.app import FLAGS, QUESTION  # the same browser and question as the app benchmark
from tests.conftest import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def start_app(shipped_index, tmp_path_factory, **env_extra):
    """The app (`briefing app`) on a free loopback port over a copy of the shipped index; yields
    its address and stops it afterwards."""
    settings, _ = shipped_index
    # A copy: the library test uploads into it, and the shipped index is shared with other tests.
    root = tmp_path_factory.mktemp("e2e")
    shutil.copytree(settings.corpus_dir, root / "corpus")
    shutil.copytree(settings.index_dir, root / "index")
    port = free_port()
    env = {
        **os.environ,
        "BRIEFING_CORPUS_DIR": str(root / "corpus"),
        "BRIEFING_INDEX_DIR": str(root / "index"),
        "BRIEFING_ROLE": "public",
        "BRIEFING_USER": "e2e",
        **env_extra,
    }
    env.pop("BRIEFING_USERS_FILE", None)
    log = tmp_path_factory.mktemp("app") / "app.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "app", "--no-ingest", "--port", str(port), "--address", "127.0.0.1"],
        cwd=REPO,
        env=env,
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            pytest.fail(f"the app exited: {log.read_text()[-2000:]}")
        time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"the app did not start: {log.read_text()[-2000:]}")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server(shipped_index, tmp_path_factory):
    yield from start_app(shipped_index, tmp_path_factory)


@pytest.fixture(scope="module")
def model_server(shipped_index, tmp_path_factory):
    """The app answering with a real model: SmolLM2-135M in the embedded llama.cpp, the small
    model the generation tests use (scripts/setup puts its weights in place). Greedy decoding,
    so its answer to a question is the same on every run."""
    from assistant.answering.models.weights import resolve

    yield from start_app(
        shipped_index,
        tmp_path_factory,
        BRIEFING_BACKEND="llamacpp",
        BRIEFING_LLM_MODEL=str(resolve("smollm2-135m")),
        BRIEFING_LLM_CONTEXT_TOKENS="2048",
        BRIEFING_LLM_MAX_TOKENS="60",
    )


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: scripts/setup installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    if os.environ.get("BRIEFING_SCREENSHOTS") == "1":
        folder = REPO / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screenshots")


def wait_idle(page) -> None:
    """Streamlit shows a running indicator while the script runs."""
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)


def ask_watching(page, box):
    """Ask QUESTION, recording the last message's text at every change of the page (what the
    reader saw while the answer came); then (its first source button, the answer, what was seen)."""
    page.evaluate("""() => { window.seen = [];
        new MutationObserver(() => { const m = document.querySelectorAll('[data-testid="stChatMessage"]');
          if (m.length >= 2) window.seen.push(m[m.length - 1].innerText); })
        .observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    box.fill(QUESTION)
    box.press("Enter")
    chip = page.get_by_role("button").filter(has_text="burgeoning economic security").filter(has_text="p. 4").first
    chip.wait_for()
    wait_idle(page)
    return chip, page.get_by_test_id("stChatMessage").last.inner_text(), page.evaluate("window.seen")


def test_ask_see_a_streamed_cited_answer_and_open_its_page(server, page, shots):
    page.goto(server)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for()
    chip, answer, seen = ask_watching(page, box)
    assert "[1]" in answer and ("1 percent" in answer or "one percent" in answer.lower())
    lengths = [len(s) for s in seen]  # a streamed answer grows in steps
    assert len(set(lengths)) >= 5 and min(lengths) < max(lengths), lengths  # it arrived in pieces
    page.screenshot(path=str(shots / "chat.png"))

    chip.click()
    page.get_by_text("Page 4", exact=True).wait_for()
    wait_idle(page)
    assert page.get_by_text("Akira Igata and Brad Glosserman", exact=False).count() >= 1  # the issuer line
    # The cited sentence is highlighted on its page. The panel's elements arrive one after another
    # over the websocket, so wait for the mark itself rather than count at the first "Page 4".
    page.locator("mark").first.wait_for(timeout=30_000)
    link = page.get_by_role("link", name="Open the PDF at page 4")
    href = link.get_attribute("href")
    assert href.endswith("#page=4")
    pdf = page.request.get(href if href.startswith("http") else f"{server}/{href.lstrip('/')}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    page.screenshot(path=str(shots / "source-panel.png"))


def test_draft_a_briefing_note_and_export_it_to_docx(server, page, shots, tmp_path):
    from docx import Document

    page.goto(f"{server}/briefing")
    topic = page.get_by_label("Topic")
    topic.wait_for()
    topic.fill("foreign direct investment screening")
    topic.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Draft the note").click()
    export = page.get_by_role("button", name="Export DOCX")
    export.wait_for()
    wait_idle(page)
    page.set_viewport_size({"width": 1500, "height": 1900})  # Streamlit scrolls inside the page
    page.screenshot(path=str(shots / "briefing-note.png"))
    with page.expect_download() as download:
        export.click()
    path = tmp_path / "note.docx"
    download.value.save_as(path)
    paras = [p.text for p in Document(str(path)).paragraphs]
    assert paras[0].startswith("Briefing note: foreign direct investment screening")
    sources = paras[paras.index("Sources") + 1 :]
    assert sources and all(s.startswith("[") and "p. " in s or "http" in s for s in sources), sources
    points = paras[paras.index("Key points") + 1 : paras.index("Background")]
    assert points and all("[" in p for p in points)


def test_take_a_three_question_quiz(server, page, shots):
    page.goto(f"{server}/quiz")
    page.get_by_role("button", name="Make the quiz").click()
    submit = page.get_by_role("button", name="Submit answers")
    submit.wait_for()
    wait_idle(page)
    prompts = page.get_by_text("_____", exact=False)
    assert prompts.count() == 3
    for radios in page.get_by_test_id("stRadio").all():
        radios.get_by_role("radio").first.check(force=True)
    for field in page.get_by_label("Answer to question", exact=False).all():
        if field.get_attribute("type") == "text":
            field.fill("2020")
    submit.click()
    page.get_by_text("Score:", exact=False).wait_for()
    wait_idle(page)
    assert page.get_by_text("Source:", exact=False).count() == 3  # each answer shows its source
    page.get_by_role("button", name="Export results (CSV)").wait_for()
    page.set_viewport_size({"width": 1500, "height": 1900})
    page.screenshot(path=str(shots / "quiz.png"))


def test_upload_a_document_and_remove_it(server, page, tmp_path):
    good = tmp_path / "rare-earths note.md"
    good.write_text("---\ntitle: Rare earths note\n---\n\nThe rare-earth stockpile target is 60 days of demand.\n")
    fake = tmp_path / "fake.pdf"
    fake.write_text("this is not a PDF at all")
    page.goto(f"{server}/library")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(good), str(fake)])
    page.get_by_text("rare-earths note.md").wait_for()
    page.get_by_role("button", name="Add to the library").click()
    page.get_by_text("rare-earths-note.md added", exact=False).wait_for()
    assert page.get_by_text("fake.pdf not added: the name says PDF but the content is not a PDF").count() == 1
    wait_idle(page)
    page.goto(server)
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("What is the rare-earth stockpile target?")
    box.press("Enter")
    page.get_by_role("button").filter(has_text="Rare earths note").first.wait_for()
    assert "60 days" in page.get_by_test_id("stChatMessage").last.inner_text()
    page.goto(f"{server}/library")
    page.get_by_text("Remove it from the library and the index").click()
    page.get_by_role("button", name="Remove", exact=True).click()
    page.get_by_text("Removed uploads/rare-earths-note.md", exact=False).wait_for()


def test_a_how_has_it_evolved_question_is_answered_by_a_dated_timeline(server, page, shots):
    import re

    page.goto(server)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for()
    box.fill("How has U.S.-Japan cooperation on semiconductors evolved since 2021?")
    box.press("Enter")
    heading = page.get_by_text("dated documents address", exact=False).first
    heading.wait_for()
    # The answer streams in: wait for the last entry's marker ("12 dated documents" ends in [12]).
    n = int(re.match(r"\D*(\d+) dated documents", heading.inner_text()).group(1))
    page.wait_for_function(
        f"""() => {{ const m = document.querySelectorAll('[data-testid="stChatMessage"]');
            return m.length && m[m.length - 1].innerText.includes('[{n}]'); }}"""
    )
    wait_idle(page)
    answer = page.get_by_test_id("stChatMessage").last.inner_text()
    # Each entry reads "DATE — issuer, title, page: “quote” [n]" (one list item per document).
    dates = re.findall(r"(?<![\d-])(\d{4}(?:-\d\d){0,2}) \u2014 ", answer)
    assert len(dates) >= 5 and dates == sorted(dates), answer[:2000]  # one per document, oldest first
    assert len(dates) == n
    page.set_viewport_size({"width": 1500, "height": 3200})  # the whole answer, question to buttons
    page.screenshot(path=str(shots / "timeline.png"))


def test_a_note_on_a_topic_many_documents_discuss_cites_several(server, page, shots):
    import re

    page.goto(f"{server}/briefing")
    topic = page.get_by_label("Topic")
    topic.wait_for()
    topic.fill("semiconductors")
    topic.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Draft the note").click()
    page.get_by_role("button", name="Export DOCX").wait_for()
    wait_idle(page)
    assert page.get_by_label("Bottom line").input_value().strip()
    assert page.get_by_label("Talking point 1").count() == 1
    sources = page.get_by_text(re.compile(r"^\[\d+\] ")).all()
    assert len(sources) >= 4, [s.inner_text() for s in sources]
    page.set_viewport_size({"width": 1500, "height": 4600})  # down to the talking points and sources
    wait_idle(page)
    page.screenshot(path=str(shots / "briefing-note-sources.png"))


def test_a_model_answer_streams_then_stands_above_its_quotes_whose_citations_open_their_pages(
    model_server, page, shots
):
    page.goto(model_server)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for()
    chip, answer, seen = ask_watching(page, box)
    # Streamed: the model's words appeared marked provisional, with the pipeline's quotations
    # already beneath them; then the checked answer took their place.
    assert any("Provisional" in s and QUOTES_LABEL in s for s in seen), seen[-3:]
    assert "Provisional" not in answer
    if QUOTES_LABEL in answer:
        # The model's direct answer, cited, above the quotations it was written from.
        direct, quotes = answer.split(QUOTES_LABEL, 1)
        assert "[1]" in direct and "\u201c" not in direct.strip()[:1]
        assert quotes.strip().startswith("\u201c") and "[1]" in quotes
    else:
        # Nothing the model wrote held: the quotations stand, labelled as such, above everything.
        assert answer.index("Quotations only: the model's answer is not shown") < answer.index("\u201c")
    assert "1 percent" in answer or "one percent" in answer.lower()
    # The citation buttons sit under the quotations.
    label = page.get_by_text(QUOTES_LABEL, exact=True) if QUOTES_LABEL in answer else None
    if label is not None:
        assert chip.bounding_box()["y"] > label.bounding_box()["y"]
    page.screenshot(path=str(shots / "chat-model.png"))

    chip.click()
    page.get_by_text("Page 4", exact=True).wait_for()
    wait_idle(page)
    page.locator("mark").first.wait_for(timeout=30_000)
    href = page.get_by_role("link", name="Open the PDF at page 4").get_attribute("href")
    assert href.endswith("#page=4")
    pdf = page.request.get(href if href.startswith("http") else f"{model_server}/{href.lstrip('/')}")
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"
