"""The glossary expands a question with the other language's terms, longest terms first."""

from assistant.retrieval.glossary import entries, translations


def test_every_entry_has_both_languages():
    assert len(entries()) >= 200
    assert all(e.ja and e.en for e in entries())


def test_a_japanese_question_gets_its_english_terms():
    found = translations("日米の技術繁栄ディールはどの分野での協力を掲げていますか")
    assert "Technology Prosperity Deal" in found


def test_an_english_question_gets_its_japanese_terms_and_single_kanji_are_not_used():
    assert "外国為替及び外国貿易法" in translations("How did the revised FEFTA change the screening threshold?")
    assert translations("What did Suga say?") == []  # 菅 alone would match any text with that kanji


def test_a_single_kanji_name_counts_only_where_it_stands_as_a_name():
    assert "Suga" in translations("菅・バイデン共同声明が支持した2+2の発表はいつ？")
    assert "Suga" in translations("菅政権が締結した協定は？")
    assert "Suga" not in translations("菅野氏の研究室はどこですか")  # 菅野 is another name
