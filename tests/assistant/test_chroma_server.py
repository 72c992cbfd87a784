"""The same ingest and retrieval against a real `chroma run` server (chroma_mode = "http")."""
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from assistant.engine import Assistant
from assistant.index.stores import open_store
from ingest.pipeline import ingest
from tests.conftest import make_pdf

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    exe = shutil.which("chroma") or str(Path(__import__("sys").executable).with_name("chroma"))
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "w+")
    proc = subprocess.Popen([exe, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    import chromadb
    deadline = time.time() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            break
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"chroma run did not start: {log.read()[-1500:]}")
            time.sleep(0.5)
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def test_ingest_reingest_and_answer_through_a_chroma_server(settings, chroma_server, embedder):
    s = settings.model_copy(update={"chroma_mode": "http", "chroma_host": "127.0.0.1", "chroma_port": chroma_server,
                                    "collection": "server-test"})
    make_pdf(s.corpus_dir / "note.pdf", [["Intro."], ["The Economic 2+2 first met in July 2022 in Washington."]])
    first = ingest(s, progress=False)
    assert first.chunks_written >= 2 and not first.errors
    assert open_store(s).count() == first.chunks_written
    again = ingest(s, progress=False)
    assert (again.chunks_written, again.chunks_deleted) == (0, 0)
    a = Assistant(s).ask("When did the Economic 2+2 first meet?")
    assert "July 2022" in a.answer and a.citations[0].page == 2
    (s.corpus_dir / "note.pdf").unlink()
    gone = ingest(s, progress=False)
    assert gone.files_removed == 1 and open_store(s).count() == 0
