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


def test_footnote_block_between_columns_moves_to_page_end_and_references_are_dropped():
    page = (
        "今回の研究開発\n1  理化学研究所「資料」\n https://example.org/a\n2  ここでいうAIは生成AIを指す。\n"
        "の成果物は公開が予\n定されており、\n期待されています。"
    )
    out = clean_pdf_pages([page])[0]
    assert "今回の研究開発の成果物は公開が予定されており" in out
    assert out.rstrip().endswith("ここでいうAIは生成AIを指す。")  # an explanation stays, at the end
    assert "example.org" not in out and "理化学研究所「資料」" not in out  # a reference goes


def test_english_references_with_addresses_are_dropped_explanations_kept():
    page = (
        "Body text of the page ends here.\n"
        "1  Y.A., \u201cThe Virtues of a Confrontational China Strategy,\u201d American Interest, April 10, 2020, https://www.the-\n"
        "american-interest.com/2020/04/10/\n"
        "2  The index considers a country strategically dependent if three conditions are met."
    )
    out = clean_pdf_pages([page])[0]
    assert "Virtues" not in out and "american-interest" not in out
    assert "three conditions are met" in out and out.startswith("Body text")


def test_markdown_escapes_links_and_end_markers():
    md = "Hello\\_world [the text](http://x.y) and **bold**.\n\n\\###\n"
    assert clean_markup(md) == "Hello world the text and bold."
