"""Property tests: no input crashes the parser, the checker or `jobtrail check`.

Profiles (tests/conftest.py): `ci` in `make test`, `thorough` in `make fuzz`.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PROJECT, REDDIT, gfm_links
from jobtrail.config import load_config
from jobtrail.parse import parse_bytes, parse_text
from jobtrail.problem import Problem
from jobtrail.rules import CheckContext, check_application

CONTEXT = CheckContext(load_config(str(PROJECT)), datetime.date(2026, 11, 25))
REDDIT_BYTES = REDDIT.read_bytes()
DOCUMENTED_CODES = set(re.findall(r"^\| (JT\d{3}) \|", (PROJECT / "docs" / "commands.md").read_text(), re.MULTILINE))
# The real-process test pays ~0.2 s per example: a tenth of the profile's examples.
PROCESS_EXAMPLES = max(5, settings.default.max_examples // 10)


def check_bytes(data: bytes, name: str = "applications/fuzzed.md") -> list[Problem]:
    return check_application(parse_bytes(name, data), CONTEXT)


def assert_well_formed(problems: list[Problem], data: bytes) -> None:
    last_line = max(1, data.count(b"\n") + data.count(b"\r") + 1)
    for problem in problems:
        assert problem.code in DOCUMENTED_CODES, problem
        assert problem.severity in ("error", "warning")
        assert 1 <= problem.line <= last_line, (problem, last_line)
        assert problem.column >= 1
        assert problem.message
        assert is_one_safe_line(problem.as_text()), problem


BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_one_safe_line(text: str) -> bool:
    """No control character, surrogate, line or paragraph separator, or bidi override."""
    return not any(unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in BIDI_CONTROLS for char in text)


# --- inputs -------------------------------------------------------------------------------

HOSTILE_TOKENS = [
    "---",
    "...",
    "```",
    "~~~",
    "````",
    "# ",
    "## ",
    "### ",
    "## Company",
    "## Status",
    "### Application",
    "## Job URL",
    "## Application Date",
    "# Application Details",
    "PENDING",
    "APPLIED",
    "Applied",
    "appl\u0131ed",  # dotless i: upper() gives APPLIED
    "[URL to job listing]",
    "[Current date in YYYY-MM-DD format]",
    "2026-02-30",
    "2020-01-15",
    "9999-12-31",
    "javascript:alert(1)",
    "https://example.com",
    "<https://x>",
    "[a](javascript:x)",
    "tags: [a, b]",
    "follow_up: ",
    "interviews: [",
    "&a [*a]",
    "*a",
    "!!python/object/apply:os.system ['true']",
    "!!int",
    "!!binary",
    "? ",
    ": ",
    "- ",
    "  ",
    "\t",
    "#",
    "\\",
    "|",
    "<script>",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\u2028",
    "\ufeff",
    "\udcff",
    "é",
    "東京",
    "\r\n",
    "\r",
    "\n",
]
line_endings = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def mutated_reddit(draw: st.DrawFn) -> bytes:
    """The real application with bytes inserted, deleted and overwritten at random places."""
    data = bytearray(REDDIT_BYTES)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
        chunk = draw(
            st.binary(min_size=1, max_size=8)
            | st.sampled_from(HOSTILE_TOKENS).map(lambda t: t.encode("utf-8", "surrogatepass"))
        )
        if action == "insert":
            data[at:at] = chunk
        elif action == "delete":
            del data[at : at + len(chunk)]
        elif action == "replace":
            data[at : at + len(chunk)] = chunk
        else:
            del data[at:]
    return bytes(data)


token_lines = st.lists(st.sampled_from(HOSTILE_TOKENS) | st.text(max_size=10), max_size=6).map("".join)
documents = st.builds(
    lambda bom, lines, ending: bom + ending.join(lines),
    st.sampled_from(["", "\ufeff"]),
    st.lists(token_lines, max_size=40),
    line_endings,
)
any_bytes = st.one_of(
    st.binary(max_size=2000),
    mutated_reddit(),
    documents.map(lambda text: text.encode("utf-8", "surrogatepass")),
)


# --- properties ---------------------------------------------------------------------------


@given(any_bytes)
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"---\n")
@example(b"---\nx: !!int\n---\n")
@example(b"\xff\xfe#\x00 \x00")
def test_property_no_bytes_make_the_parser_or_checker_raise(data: bytes) -> None:
    problems = check_bytes(data)
    assert_well_formed(problems, data)


@given(documents)
def test_property_no_text_makes_the_parser_or_checker_raise(text: str) -> None:
    problems = check_application(parse_text("applications/fuzzed.md", text), CONTEXT)
    assert_well_formed(problems, text.encode("utf-8", "surrogatepass"))


def _where(problems: list[Problem]) -> list[tuple[str, int, int]]:
    return sorted((problem.code, problem.line, problem.column) for problem in problems)


@given(st.lists(token_lines.filter(lambda line: "\r" not in line and "\n" not in line), max_size=40))
def test_property_line_endings_and_bom_do_not_change_the_problems(lines: list[str]) -> None:
    text = "\n".join(lines)
    if "\x00" in text or "\u2028" in text:
        text = text.replace("\x00", "").replace("\u2028", "")
    base = _where(check_bytes(text.encode("utf-8", "surrogatepass")))
    variants = [text.replace("\n", "\r\n")]
    if not text.startswith("\ufeff"):
        variants.append("\ufeff" + text)  # one byte order mark is dropped
    if not text.endswith("\n"):
        variants.append(text + "\n")  # a final newline adds no line
    for variant in variants:
        assert _where(check_bytes(variant.encode("utf-8", "surrogatepass"))) == base, variant


@given(mutated_reddit())
def test_property_parsing_is_deterministic(data: bytes) -> None:
    assert check_bytes(data) == check_bytes(data)


TRACEBACK = re.compile(r"Traceback|unexpected error|This is a bug")
OUTPUT_LINE = re.compile(r"^[^\x00-\x1f]+:\d+:\d+: JT\d{3} \S.*$")


@settings(max_examples=PROCESS_EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(any_bytes, min_size=1, max_size=6))
def test_property_check_as_a_real_process_never_prints_a_traceback(tmp_path_factory, files: list[bytes]) -> None:
    root = tmp_path_factory.mktemp("fuzzrepo")
    (root / ".git").mkdir()
    (root / "applications").mkdir()
    for index, data in enumerate(files):
        (root / "applications" / f"fuzzed-{index}.md").write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "check"],
        cwd=root,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert done.returncode in (0, 1), err
    assert not TRACEBACK.search(err), err
    assert all(OUTPUT_LINE.match(line) for line in out.splitlines()), out


def test_documented_codes_were_found() -> None:
    assert len(DOCUMENTED_CODES) > 20 and "JT101" in DOCUMENTED_CODES


# --- the renderer: whatever the files say, INDEX.md and HISTORY.md stay plain tables and text ---

# What GitHub's autolink extension would make a link of, in pieces the draw can join.
AUTOLINK_TOKENS = [
    "https://",
    "http://",
    "ftp://",
    "www.",
    "WWW.",
    "@",
    "evil@x.example",
    "mailto:",
    "xmpp:",
    "x.example",
]
CELL_TEXT = st.lists(
    st.sampled_from(list("aZ09 |\\`*_[]()<>!&#~$:;/.-=\"'\t\n\r@\u200b\u2060"))
    | st.sampled_from(HOSTILE_TOKENS)
    | st.sampled_from(AUTOLINK_TOKENS),
    max_size=12,
).map("".join)
WORKFLOW_STATUSES = ["PENDING", "APPLIED", "SCREENING", "INTERVIEWING", "OFFER", "REJECTED", "GHOSTED", "Applied"]
FILE_NAMES = st.text(
    alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=20
)


@st.composite
def rendered_repositories(draw: st.DrawFn) -> tuple[str, str, int]:
    from jobtrail.history import ApplicationHistory, RepositoryHistory, StatusChange
    from jobtrail.historyfile import render_history
    from jobtrail.render import render_index

    names = draw(st.lists(FILE_NAMES, min_size=1, max_size=4, unique=True))
    histories, apps, problems = [], {}, []
    for index, name in enumerate(names):
        path = f"applications/{name}"
        company, position = draw(CELL_TEXT), draw(CELL_TEXT)
        status = draw(st.sampled_from(WORKFLOW_STATUSES) | CELL_TEXT)
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=index)
        histories.append(
            ApplicationHistory(path, company, position, status, (StatusChange(status, day, "a" * 40),), day)
        )
        text = REDDIT_BYTES.decode().replace("Reddit\n", f"{company}\n", 1).replace("PENDING", status, 1)
        apps[path] = parse_text(path, text)
        problems.append(Problem(path, 1, 1, "JT401", "error", draw(CELL_TEXT)))
    history = RepositoryHistory(tuple(histories))
    config = CONTEXT.config
    return render_index(history, apps, problems, config), render_history(history, config, apps), len(names)


def _tokens(text: str) -> list:
    from markdown_it import MarkdownIt

    flat = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        flat.append(token)
        flat.extend(token.children or ())
    return flat


@given(rendered_repositories())
def test_property_rendering_never_yields_markup_a_broken_row_or_a_foreign_link(rendered: tuple[str, str, int]) -> None:
    index, history_file, count = rendered
    for text in (index, history_file):
        tokens = _tokens(text)
        assert not [token for token in tokens if token.type in ("html_inline", "html_block", "image")], text
        targets = [str(token.attrGet("href")) for token in tokens if token.type == "link_open"]
        assert all(target.startswith("applications/") for target in targets), targets
        on_a_code_host = gfm_links(text)  # cmark-gfm with the autolink extension, as GitHub renders it
        assert all(target.startswith("applications/") for target in on_a_code_host), on_a_code_host
        assert is_one_safe_line(text.replace("\n", " "))
        text.encode("utf-8")
    tables: list[list[int]] = []
    for token in _tokens(index):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append(0)
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1] += 1
    assert all(len(set(table)) == 1 for table in tables), tables  # every row as wide as the header
    listed = [token for token in _tokens(index.split("\n## Active applications\n", 1)[1]) if token.type == "tr_open"]
    headers = index.split("\n## Active applications\n", 1)[1].count("\n|---")
    assert len(listed) - headers == count  # each application in exactly one of the active and closed tables
