"""htmltext.html_to_markdown: readable Markdown text from a job description's HTML."""

from __future__ import annotations

from jobtrail.htmltext import html_to_markdown


def test_structure_is_kept_and_markup_dropped() -> None:
    text = html_to_markdown(
        "<h2>About</h2><p>We build <b>tools</b>&nbsp;for snake_case fans.</p>"
        "<ul><li>one</li><li>two</li></ul><script>track()</script><style>p{}</style>"
    )
    assert text == "## About\n\nWe build **tools** for snake_case fans.\n\n- one\n- two"


def test_no_runs_of_blank_lines_or_trailing_spaces() -> None:
    text = html_to_markdown("<p>a</p><br><br><br><p>b  </p>")
    assert "\n\n\n" not in text and " \n" not in text
