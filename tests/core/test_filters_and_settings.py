from pathlib import Path

from assistant.core.settings import Settings
from assistant.core.types import Filters
from assistant.index.filters import matches, to_chroma_where


def test_filters_translate_to_chroma_and_match_the_same_documents():
    f = Filters.make(type=["law"], language=["ja"], date_from="2022", date_to="2023")
    where = to_chroma_where(f)
    assert {"type": {"$in": ["law"]}} in where["$and"]
    assert {"date_int": {"$lte": 20231231}} in where["$and"]
    assert matches({"type": "law", "language": "ja", "date_int": 20230601}, f)
    assert not matches({"type": "law", "language": "ja", "date_int": 20240101}, f)
    assert not matches({"type": "statement", "language": "ja", "date_int": 20230601}, f)
    assert to_chroma_where(Filters.make()) is None


def test_environment_overrides_config_file_over_defaults(tmp_path, monkeypatch):
    cfg = tmp_path / "briefing.toml"
    cfg.write_text('corpus_dir = "/data/docs"\ntop_k = 7\n')
    monkeypatch.setenv("BRIEFING_CONFIG", str(cfg))
    monkeypatch.setenv("BRIEFING_TOP_K", "12")
    s = Settings()
    assert s.corpus_dir == Path("/data/docs") and s.top_k == 12
    assert s.chroma_mode == "embedded" and s.backend == "extractive"
