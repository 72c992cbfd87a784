"""Every page of the app, driven by Streamlit's AppTest over a small real index."""

from __future__ import annotations

import io

import pytest

from tests.conftest import make_pdf
from tests.frontends.apptest import APP, app_env, open_app

MANIFEST = """documents:
  paper.pdf: {id: paper, title: Economic security paper, issuer: Analysts, date: 2021-05-01, type: analysis}
"""
SECRET = "Project Kestrel will stockpile gallium until 2031 under the defence plan."


def build_corpus(corpus):
    (corpus / "manifest.yaml").write_text(MANIFEST)
    make_pdf(
        corpus / "paper.pdf",
        [
            [
                "The Economic Division of the National Security Secretariat was launched in April 2020.",
                "It coordinates economic security policy across the ministries of the government.",
            ],
            [
                "The Economic Security Promotion Act was enacted in May 2022 with four pillars.",
                "Japan tightened its foreign investment screening rules in 2019, lowering the threshold to 1 percent.",
            ],
        ],
    )
    (corpus / "secret.md").write_text(f"---\ntitle: Kestrel memo\naccess: restricted\n---\n{SECRET}\n")
    (corpus / "quad.md").write_text(
        "---\ntitle: Quad statement\ntype: statement\nissuer: Quad leaders\ndate: 2021-09-24\n---\n"
        "The Quad Critical and Emerging Technology Working Group was launched in March 2021 by the leaders.\n\n"
        "The leaders met in Washington in September 2021 to discuss semiconductors and supply chains.\n"
    )


@pytest.fixture
def env(settings, monkeypatch, embedder):
    build_corpus(settings.corpus_dir)
    with app_env(settings, monkeypatch) as indexed:
        yield indexed


def app_test():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=120)


@pytest.fixture
def app(env):
    return open_app()


def texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


def button(at, prefix: str):
    return next(b for b in at.button if b.label.startswith(prefix))


def test_chat_answers_with_a_citation_and_the_source_panel_shows_its_page(app):
    assert not app.exception
    app.chat_input[0].set_value("When was the Economic Division launched?").run()
    assert not app.exception
    assert "April 2020" in texts(app) and "[1]" in texts(app)
    button(app, "[1] Economic security paper, p. 1").click().run()
    panel = texts(app)
    assert "**Page 1**" in panel and "Economic security paper" in panel and "Analysts" in panel
    assert (
        "<mark>The Economic Division of the National Security Secretariat was launched in April 2020.</mark>" in panel
    )


def test_a_follow_up_uses_the_conversation(app):
    app.chat_input[0].set_value("What does the Economic Security Promotion Act do?").run()
    app.chat_input[0].set_value("When was it enacted?").run()
    assert not app.exception
    answer = app.session_state["chat"].answers[-1]
    assert "Economic Security Promotion Act" in answer.rewritten_question
    assert "May 2022" in answer.text


def test_a_decline_says_so_and_offers_the_nearest_passages(app):
    app.chat_input[0].set_value("Who won the 2018 FIFA World Cup in Moscow?").run()
    assert any("do not answer" in i.value for i in app.info)
    assert any("Related passages" in c.value for c in app.caption)
    near = [b for b in app.button if b.key and b.key.startswith("near-")]
    assert near
    near[0].click().run()
    assert "**Page" in texts(app) or "No page numbers" in texts(app)


def test_new_conversation_clears_the_chat(app):
    app.chat_input[0].set_value("When was the Economic Division launched?").run()
    button(app, "New conversation").click().run()
    assert "chat" not in app.session_state
    assert "April 2020" not in texts(app)


def test_sidebar_filters_narrow_retrieval_and_show_backend_and_index(app):
    side = " ".join([m.value for m in app.sidebar.markdown] + [c.value for c in app.sidebar.caption])
    assert "2 documents" in side and "Active: **extractive**" in side and "Last ingest" in side
    # The restricted memo is not even offered as a filter value to a public user.
    assert "Kestrel" not in " ".join(str(o) for m in app.sidebar.multiselect for o in m.options)
    app.sidebar.multiselect(key="f_type").set_value(["statement"]).run()
    app.chat_input[0].set_value("When was the Economic Division launched?").run()
    answer = app.session_state["chat"].answers[-1]
    assert all(h.chunk.meta.type == "statement" for h in answer.retrieved)


def test_a_rerun_after_an_answer_loads_no_model_again(app):
    from assistant.app import common

    before = dict(common.LOADS)
    app.chat_input[0].set_value("When was the Economic Division launched?").run()
    loads = dict(common.LOADS)
    assert loads["embedder"] == before["embedder"] + 1  # loaded once, for the first question
    for _ in range(3):
        app.run()
    assert not app.exception and common.LOADS == loads


def test_library_lists_only_readable_documents(app):
    app.switch_page("pages/library.py").run()
    assert not app.exception
    listed = app.dataframe[0].value
    assert set(listed["title"]) == {"Economic security paper", "Quad statement"}
    assert app.selectbox(key="upload_access").options == ["public"]


def test_library_removes_an_uploaded_document(env):
    from ingest.pipeline import ingest
    from ingest.uploads import save_upload

    path = save_upload(
        env,
        "../../notes on chips.md",
        b"# Chips\n\nThe chip subsidy reached 3.9 trillion yen in 2023.\n",
        "public",
        "public",
        uploader="tester",
    )
    assert path.parent == env.corpus_dir / "uploads" and path.name == "notes-on-chips.md"
    ingest(env, [path], progress=False)
    at = app_test()
    at.switch_page("pages/library.py").run()
    assert "uploads/notes-on-chips.md" in list(at.dataframe[0].value["file"])
    at.checkbox(key="remove_sure").check().run()
    button(at, "Remove").click().run()
    assert not at.exception
    assert "uploads/notes-on-chips.md" not in list(at.dataframe[0].value["file"])
    assert any("Removed uploads/notes-on-chips.md" in s.value for s in at.success)


def test_briefing_note_from_a_topic_is_editable_and_exports_its_sources(app):
    from docx import Document

    from assistant.features.export import note_docx

    app.switch_page("pages/briefing.py").run()
    app.text_input(key="note_topic").set_value("the Economic Security Promotion Act").run()
    button(app, "Draft the note").click().run()
    assert not app.exception
    note = app.session_state["note"]
    assert note.key_points and note.sources and not note.declined
    assert any("May 2022" in t.value for t in app.text_area)
    assert any("[1] Economic security paper, Analysts, 2021-05-01, p. 2" in m.value for m in app.markdown)
    doc = Document(io.BytesIO(note_docx(note)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Sources" in body and "[1] Economic security paper, Analysts, 2021-05-01, p. 2." in body


def test_briefing_note_from_the_conversation(app):
    app.chat_input[0].set_value("When was the Economic Division launched?").run()
    app.chat_input[0].set_value("Who won the 2018 FIFA World Cup in Moscow?").run()
    app.switch_page("pages/briefing.py").run()
    app.radio(key="note_origin").set_value("From this conversation").run()
    button(app, "Draft the note").click().run()
    note = app.session_state["note"]
    assert "April 2020" in note.key_points[0].text
    assert any("FIFA" in q for q in note.open_questions)


def test_quiz_is_made_answered_and_graded(app):
    app.switch_page("pages/quiz.py").run()
    button(app, "Make the quiz").click().run()
    assert not app.exception
    questions = app.session_state["quiz"]
    assert len(questions) == 3
    for q in questions:
        if q.kind == "mc":
            app.radio(key=f"a-1-{q.id}").set_value(q.answer)
        else:
            app.text_input(key=f"a-1-{q.id}").set_value("no idea")
    button(app, "Submit answers").click().run()
    assert not app.exception
    n_mc = sum(q.kind == "mc" for q in questions)
    assert any(f"Score: {n_mc} / 3" in h.value for h in app.subheader)
    assert any("Source:" in e.value for e in app.error)  # the wrong short answers show their source


@pytest.fixture
def users(env, monkeypatch, tmp_path):
    from assistant.core.settings import get_settings
    from assistant.features.users import add_user

    path = tmp_path / "users.toml"
    add_user(path, "pat", "public-pass-1", "public")
    add_user(path, "rita", "restricted-pass-1", "restricted", admin=True)
    monkeypatch.setenv("BRIEFING_USERS_FILE", str(path))
    get_settings.cache_clear()
    return path


def sign_in(name: str, password: str):
    at = app_test().run()
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(password)
    return button(at, "Sign in").click().run()


def test_sign_in_is_required_and_a_wrong_password_is_refused(users):
    at = app_test().run()
    assert any("Sign in" in t.value for t in at.title) and not at.chat_input
    at = sign_in("rita", "wrong-password")
    assert any("wrong password" in e.value for e in at.error) and not at.chat_input


def test_the_role_comes_from_the_login(users):
    at = sign_in("pat", "public-pass-1")
    at.chat_input[0].set_value("What will Project Kestrel stockpile until 2031?").run()
    answer = at.session_state["chat"].answers[-1]
    assert answer.declined and "Kestrel" not in answer.text
    assert all(h.chunk.meta.access == "public" for h in answer.retrieved)
    at = sign_in("rita", "restricted-pass-1")
    at.chat_input[0].set_value("What will Project Kestrel stockpile until 2031?").run()
    answer = at.session_state["chat"].answers[-1]
    assert not answer.declined and "gallium" in answer.text


def test_only_administrators_see_the_audit_log(users):
    at = sign_in("pat", "public-pass-1")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/audit.py")  # not in a non-administrator's navigation at all
    at = sign_in("rita", "restricted-pass-1")
    at.chat_input[0].set_value("When was the Economic Division launched?").run()
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    log = at.dataframe[0].value
    assert "rita" in list(log["user"]) and "paper p. 1" in " ".join(log["cited"])


def test_an_upload_is_answerable_at_once_in_the_running_app(app, env):
    """The library page ingests in the app's own process, next to the cached retriever."""
    from ingest.pipeline import ingest
    from ingest.uploads import save_upload

    app.chat_input[0].set_value("When was the Economic Division launched?").run()  # the retriever is up
    path = save_upload(
        env,
        "chips.md",
        b"# Chips\n\nThe chip subsidy for Rapidus reached 920 billion yen in 2024.\n",
        "public",
        "public",
        uploader="tester",
    )
    assert not ingest(env, [path], progress=False).errors
    app.chat_input[0].set_value("How large was the chip subsidy for Rapidus?").run()
    answer = app.session_state["chat"].answers[-1]
    assert not answer.declined and "920 billion yen" in answer.text
    assert answer.citations[0].source == "uploads/chips.md"


def test_glossary_page_lists_and_finds_terms_in_both_languages(app):
    app.switch_page("pages/glossary.py").run()
    assert not app.exception
    assert len(app.dataframe[0].value) >= 200
    app.text_input(key="glossary_find").set_value("経済的威圧").run()
    found = app.dataframe[0].value
    assert "economic coercion" in list(found["English"]) and len(found) < 5
    app.text_input(key="glossary_find").set_value("Technology Prosperity Deal").run()
    assert "技術繁栄ディール" in " ".join(app.dataframe[0].value["日本語"])
