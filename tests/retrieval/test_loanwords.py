from assistant.retrieval.glossary import latin_words, untranslated
from assistant.retrieval.loanwords import Loanwords, romaji, skeleton_of_reading, skeleton_of_word

TEXTS = [
    "Japan will launch two QZSS satellites hosting U.S. Department of Defense payloads.",
    "Japan has provided approximately $107 million in support of the Palestinian people.",
    "The ports of Yokohama and Kobe are pilot cases of the carbon neutral port initiative.",
    "The period of the programme is five years. A network of partners supports it.",
]


def test_a_reading_spells_katakana_as_hepburn_does():
    assert romaji("ペイロード") == "peirodo"
    assert romaji("ニュートラル") == "nyutoraru"
    assert romaji("ファクト") == "fakuto"


def test_katakana_and_the_english_word_it_writes_keep_the_same_consonants():
    # l and r are one sound; an r after a vowel is silent ("port" is ポート); the glide of ニュ is not written
    for katakana, word in [
        ("ペイロード", "payload"),
        ("ポート", "port"),
        ("ニュートラル", "neutral"),
        ("ネットワーク", "network"),
    ]:
        assert skeleton_of_reading(romaji(katakana)) == skeleton_of_word(word), (katakana, word)
    assert skeleton_of_reading(romaji("ペイロード")) != skeleton_of_word("pilot")


def test_katakana_read_as_the_words_of_the_texts_nearest_the_reading():
    words = Loanwords(TEXTS)
    # "period" has the consonants of ペイロード too; "payloads" is nearer the reading (and plural)
    assert words.of("ペイロードは何ですか") == ["payloads"]
    assert words.of("カーボンニュートラルポートのパイロットケース") == ["carbon", "neutral", "port", "pilot", "cases"]


def test_katakana_no_text_writes_gives_nothing():
    # サリバン (Sullivan) is in none of the texts: no look-alike word ("sri", "urban") stands in for it
    assert Loanwords(TEXTS).of("サリバン補佐官") == []


def test_latin_words_of_a_japanese_question_and_what_the_glossary_leaves():
    assert latin_words("準天頂衛星（ＱＺＳＳ）とCoReとG7") == ["QZSS", "CoRe", "G7"]
    assert "技術繁栄ディール" not in untranslated("日米の技術繁栄ディールはどの分野での協力を掲げていますか")


def test_an_english_ti_is_read_from_chi_too():
    # パレスチナ: Japanese writes the "ti" of Palestine as チ as often as ティ.
    assert Loanwords(TEXTS).words("パレスチナ") == ["palestinian"]
