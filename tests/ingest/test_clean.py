from ingest.clean import clean_markup, clean_pdf_pages

BODY = [
    "Japan revised the Foreign Exchange Act.",
    "The land law followed in 2021.",
    "Supply chains came next.",
    "Then export controls.",
    "Finally, research security.",
]


def test_running_header_and_page_numbers_removed():
    pages = clean_pdf_pages([f"Running Header of the Paper\n{BODY[i]}\n{i + 1}" for i in range(5)])
    assert pages == BODY


def test_hyphenation_joined_but_real_hyphens_kept():
    text = ["Japan must strengthen its securi-\nty policies and the US-China rivalry."]
    assert clean_pdf_pages(text)[0] == "Japan must strengthen its security policies and the US-China rivalry."


def test_japanese_line_wraps_join_without_spaces_and_full_width_is_normalised():
    out = clean_pdf_pages(["経済産\n業省はＡ\nＩの研究を進めています。"])[0]
    assert out == "経済産業省はAIの研究を進めています。"


def test_furigana_lines_dropped():
    out = clean_pdf_pages(["「富\nふ\n岳\nがく\n」に代表される計算機。"])[0]
    assert out == "「富岳」に代表される計算機。"


def test_letter_spaced_japanese_is_closed_up():
    assert clean_pdf_pages(["実践 的 な Ａ Ｉ 教 育 と し て"])[0] == "実践的なAI教育として"


def test_footnote_block_between_columns_moves_to_page_end():
    page = "今回の研究開発\n1  理化学研究所「資料」\n https://example.org/a\nの成果物は公開が予\n定されており、\n期待されています。"
    out = clean_pdf_pages([page])[0]
    assert "今回の研究開発の成果物は公開が予定されており" in out
    assert out.rstrip().endswith("https://example.org/a")


def test_markdown_escapes_links_and_end_markers():
    md = "Hello\\_world [the text](http://x.y) and **bold**.\n\n\\###\n"
    assert clean_markup(md) == "Hello world the text and bold."
