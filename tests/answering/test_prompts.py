import string

import prompts


def test_every_prompt_renders_with_its_declared_fields():
    names = prompts.available()
    assert {"decline", "no_index"} <= set(names)
    for name in names:
        fields = {f for _, f, _, _ in string.Formatter().parse(prompts.load(name)) if f}
        text = prompts.render(name, **{f: f"<{f}>" for f in fields})
        assert all(f"<{f}>" in text for f in fields) and "{" not in text
