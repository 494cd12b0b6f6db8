import pytest

from cocreate.markdown import render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<a href='data:text/html;base64,PHNjcmlwdD4='>x</a>",
        '<svg onload="alert(1)"></svg>',
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_dangerous_markup_is_removed(source):
    html = render_markdown(source).lower()
    for vector in ("<script", "javascript:", "onerror", "onload", "data:text", "<svg", "style="):
        assert vector not in html


def test_ordinary_markdown_survives():
    html = render_markdown("# Title\n\n**bold** and [a link](https://example.org)")
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="nofollow"' in html
