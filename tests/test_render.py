"""render.py, historyfile.py and their sections: golden files for INDEX.md and HISTORY.md, and escaping checked by a real Markdown parser.

Each ``tests/golden/render/NAME.json`` is a hand-built history (plus the current
files and their problems); ``NAME.INDEX.md`` and ``NAME.HISTORY.md`` are what
must be rendered from it. After a deliberate change of the output, rewrite them
with ``JOBTRAIL_UPDATE_GOLDEN=1 pytest tests/test_render.py`` and read the diff.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conftest import Repo, gfm_links, reddit_text
from jobtrail.config import Config, Workflow, load_config
from jobtrail.escape import inline, link
from jobtrail.history import ApplicationHistory, RepositoryHistory, StatusChange
from jobtrail.historyfile import render_history
from jobtrail.model import Application
from jobtrail.parse import parse_text
from jobtrail.problem import Problem
from jobtrail.render import render_index

GOLDEN = Path(__file__).parent / "golden" / "render"
CASES = sorted(path.stem for path in GOLDEN.glob("*.json"))
EVIL = "Evil | Corp <script>alert(1)</script>"


def application_text(entry: dict[str, Any]) -> str:
    """The current file of a golden application: the template, filled in."""
    front = f"---\nfollow_up: {entry['follow_up']}\n---\n" if "follow_up" in entry else ""
    return (
        f"{front}# Application Details\n\n## Company\n{entry['company']}\n\n## Position\n{entry['position']}\n\n"
        f"## Job URL\nhttps://example.com/jobs/1\n\n## Status\n### Application\n{entry['status']}\n\n"
        f"## Job Description\nBuild things.\n\n## Company Details\nMakes things.\n\n"
        f"## Application Date\n{entry.get('application_date', '[Current date in YYYY-MM-DD format]')}\n\n"
        "## Personal Connection\nNone.\n\n## Notes\nNone.\n"
    )


def golden_case(name: str) -> tuple[RepositoryHistory, dict[str, Application], list[Problem], Config]:
    case = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    settings = case.get("config", {})
    base = load_config(str(GOLDEN))
    config = Config(
        root=base.root,
        template=base.template,
        workflow=Workflow(
            tuple(settings.get("active", base.workflow.active)), tuple(settings.get("closed", base.workflow.closed))
        ),
        follow_up_days=settings.get("follow_up_days", base.follow_up_days),
        quiet_days=settings.get("quiet_days", base.quiet_days),
    )
    histories = tuple(
        ApplicationHistory(
            path=entry["path"],
            company=entry["company"],
            position=entry["position"],
            status=entry["status"],
            changes=tuple(
                StatusChange(status, datetime.date.fromisoformat(date), f"{index:040x}")
                for index, (status, date) in enumerate(entry["history"])
            ),
            last_changed=datetime.date.fromisoformat(entry["last_changed"]),
        )
        for entry in case["applications"]
    )
    history = RepositoryHistory(histories, shallow=case.get("shallow", False), notes=tuple(case.get("notes", ())))
    apps = {entry["path"]: parse_text(entry["path"], application_text(entry)) for entry in case["applications"]}
    problems = [Problem(**problem) for problem in case["problems"]]
    return history, apps, problems, config


def rendered(name: str) -> dict[str, str]:
    history, apps, problems, config = golden_case(name)
    return {
        "INDEX": render_index(history, apps, problems, config),
        "HISTORY": render_history(history, config, apps),
    }


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    for kind, text in rendered(name).items():
        expected = GOLDEN / f"{name}.{kind}.md"
        if os.environ.get("JOBTRAIL_UPDATE_GOLDEN"):
            expected.write_text(text, encoding="utf-8", newline="\n")
        assert text == expected.read_text(encoding="utf-8"), f"{expected.name} differs"


def test_every_golden_case_has_its_expected_files() -> None:
    assert CASES, "no golden cases found"
    for name in CASES:
        assert (GOLDEN / f"{name}.INDEX.md").is_file() and (GOLDEN / f"{name}.HISTORY.md").is_file()


@pytest.mark.parametrize("name", CASES)
def test_no_commit_sha_and_no_wall_clock(name: str) -> None:
    """The histories carry shas, the output never does; and nothing depends on today's date."""
    today = datetime.date.today().isoformat()
    for text in rendered(name).values():
        assert "0" * 39 not in text
        assert today not in text


def test_every_application_is_in_exactly_one_table() -> None:
    history, apps, problems, config = golden_case("pipeline")
    text = render_index(history, apps, problems, config)
    active, closed = text.split("## Active applications")[1].split("## Closed applications")
    for path in apps:
        assert (f"]({path})" in active) != (f"]({path})" in closed), path


def test_days_count_to_the_newest_date_in_the_history() -> None:
    history, apps, problems, config = golden_case("pipeline")
    text = render_index(history, apps, problems, config)
    # Acme has been APPLIED since 2026-11-10; the newest date is 2026-11-25.
    acme = next(line for line in text.splitlines() if line.startswith("| [Acme]("))
    # Dates in tables use non-breaking hyphens (U+2011), so a narrow column never wraps them.
    assert "| APPLIED | 2026\u201111\u201110 | 15 | 2026\u201111\u201110 |" in acme


# --- escaping, checked by rendering the Markdown as a code host would --------------------------------------------


def tokens_of(text: str) -> list[Token]:
    flat: list[Token] = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        flat.append(token)
        flat.extend(token.children or ())
    return flat


def evil_index(company: str) -> str:
    history = RepositoryHistory(
        (
            ApplicationHistory(
                "applications/evil.md",
                company,
                "Engineer",
                "APPLIED",
                (StatusChange("APPLIED", datetime.date(2026, 11, 1), "f" * 40),),
                datetime.date(2026, 11, 1),
            ),
            ApplicationHistory(
                "applications/good.md",
                "Good",
                "Engineer",
                "REJECTED",
                (StatusChange("REJECTED", datetime.date(2026, 11, 2), "e" * 40),),
                datetime.date(2026, 11, 2),
            ),
        )
    )
    problems = [Problem("applications/evil.md", 3, 1, "JT999", "error", f"bad company {company}")]
    return render_index(history, {}, problems, load_config(str(GOLDEN)))


HOSTILE = [
    EVIL,
    "[click me](javascript:alert(1))",
    "![img](javascript:alert(1))",
    "<javascript:alert(1)>",
    "Two\nlines | and\r\na cell",
    "`code | span`",
    "back\\|slash",
    "trailing \\",
    "&lt;script&gt;",
    "<img src=x onerror=alert(1)>",
    "\u202eevil\u202c | \u2028 x",
]


def table_rows(tokens: list[Token]) -> list[list[list[str]]]:
    """Each table as rows of cells, each cell its plain text."""
    tables: list[list[list[str]]] = []
    cell_open = False  # a cell's text is the inline token right after its th_open / td_open
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type in ("th_open", "td_open"):
            cell_open = True
        elif token.type == "inline" and cell_open:
            tables[-1][-1].append("".join(child.content for child in token.children or () if child.type == "text"))
            cell_open = False
    return tables


@pytest.mark.parametrize("company", HOSTILE)
def test_hostile_company_keeps_every_table_row_and_no_markup(company: str) -> None:
    tokens = tokens_of(evil_index(company))
    tables = table_rows(tokens)

    assert [len(table) for table in tables] == [
        1 + 1,
        1 + 1,
        1 + 1,
        1 + 1,
    ]  # header + the agenda's follow-up; sent per week; active; closed
    for table in tables:
        assert {len(row) for row in table} == {len(table[0])}
    # No raw HTML, no image, and no link but to the application files.
    assert not [t for t in tokens if t.type in ("html_inline", "html_block", "image")]
    targets = [str(t.attrGet("href")) for t in tokens if t.type == "link_open"]
    assert targets and all(target.startswith("applications/") for target in targets)
    # The company reads back as the same text, on one line, in the active table's first cell.
    expected = " ".join(re.sub(r"[\u202a-\u202e]", " ", company).split())
    assert tables[0][1][1] == expected + " — Engineer"  # the agenda
    assert tables[2][1][0] == expected  # the active table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme", "Acme"),
        ("A | B", "A \\| B"),
        ("<b>", "\\<b\\>"),
        ("x\ny\r\nz", "x y z"),
        ("  spaced   out  ", "spaced out"),
        ("C# Developer", "C# Developer"),
        ("Engineer #", "Engineer \\#"),
        ("a_b*c`d", "a\\_b\\*c\\`d"),
        ("[x](y)", "\\[x\\](y)"),
        ("\u202eabc", "abc"),
        ("bad\udcffname", "bad name"),  # a file name that is not UTF-8
    ],
)
def test_inline(text: str, expected: str) -> None:
    assert inline(text) == expected


def test_link_target_is_percent_encoded() -> None:
    assert link("x", "applications/odd name (copy).md") == "[x](applications/odd%20name%20%28copy%29.md)"
    assert link("x", "javascript:alert(1)") == "[x](javascript%3Aalert%281%29)"
    assert link("bad\udcff", "applications/bad\udcff.md") == "[bad](applications/bad%FF.md)"


def test_notes_about_a_git_operation_stay_out_of_the_files() -> None:
    """A file generated during a rebase must equal the one generated after it."""
    history, apps, problems, config = golden_case("custom-workflow")
    assert history.notes and history.shallow
    for text in (render_index(history, apps, problems, config), render_history(history, config, apps)):
        assert "rebase" not in text
        assert "shallow clone" in text


def test_a_stage_never_lasts_a_negative_number_of_days() -> None:
    """Added on 2026-08-05, but the Application Date says it was sent on 2026-08-01."""
    changes = (
        StatusChange("PENDING", datetime.date(2026, 8, 5), "a" * 40),
        StatusChange("APPLIED", datetime.date(2026, 8, 1), "b" * 40),
    )
    history = RepositoryHistory((ApplicationHistory("applications/acme.md", "Acme", "Data", "APPLIED", changes),))

    text = render_history(history, load_config(str(GOLDEN)))

    assert "- 2026-08-05 PENDING (0 days)\n- 2026-08-01 APPLIED\n" in text


# --- colours: one per status, whatever the repository's state -----------------------------------------------------


def colours_in(text: str) -> dict[str, str]:
    """Each status the flowchart draws -> its style (fill, stroke, text colour, dashes)."""
    chart = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    nodes = dict(re.findall(r'\b([ac]\d+)\["([A-Z]+)<br/>', chart))
    styles = dict(re.findall(r"^    style ([ac]\d+) (.+)$", chart, flags=re.MULTILINE))
    return {status: styles[node] for node, status in nodes.items()}


def state(*statuses: str) -> str:
    histories = tuple(
        ApplicationHistory(
            f"applications/a{index}.md",
            f"Company {index}",
            "Engineer",
            status,
            (
                StatusChange("APPLIED", datetime.date(2026, 11, 1), "a" * 40),
                StatusChange(status, datetime.date(2026, 11, 9), "b" * 40),
            ),
            datetime.date(2026, 11, 9),
        )
        for index, status in enumerate(statuses)
    )
    return render_index(RepositoryHistory(histories), {}, [], load_config(str(GOLDEN)))


def test_a_status_keeps_its_colour_across_repository_states_and_closed_ones_stand_apart() -> None:
    before = colours_in(state("APPLIED", "REJECTED"))
    after = colours_in(state("INTERVIEWING", "GHOSTED", "OFFER", "REJECTED", "WITHDRAWN", "WITHDRAWN"))
    assert {"APPLIED", "REJECTED"} <= set(before) and {"GHOSTED", "REJECTED", "WITHDRAWN"} <= set(after)
    for status in set(before) & set(after):
        assert before[status] == after[status], status
    everything = {**before, **after}
    closed = {everything[status] for status in ("REJECTED", "GHOSTED", "WITHDRAWN")}
    active = {everything[status] for status in ("PENDING", "APPLIED", "SCREENING", "INTERVIEWING", "OFFER")}
    assert len(closed) == 3 and len(active) == 5 and not closed & active
    fills = lambda styles: {style.split(",")[0] for style in styles}  # noqa: E731
    assert not fills(closed) & fills(active)
    assert all("stroke-dasharray" in style for style in closed) and not any("dasharray" in s for s in active)


def test_closed_statuses_are_drawn_apart_from_the_pipeline() -> None:
    chart = state("APPLIED", "REJECTED").split("```mermaid\n", 1)[1].split("```", 1)[0]
    pipeline = chart.split('subgraph pipeline[" "]', 1)[1].split("    end", 1)[0]
    assert "APPLIED<br/>" in pipeline and "REJECTED" not in pipeline
    inside = chart.split('subgraph closed["Closed"]', 1)[1].split("    end", 1)[0]
    assert "REJECTED<br/>1 · from APPLIED" in inside and "APPLIED<br/>" not in inside
    assert "    pipeline ~~~ closed" in chart  # below the pipeline, not in it


AUTOLINKED = ["https://tracker.example/x", "www.tracker.example", "evil@tracker.example", "xmpp:evil@tracker.example"]


def test_bare_urls_hosts_and_addresses_never_become_links_on_a_code_host(repo: Repo, run_cli) -> None:
    text = reddit_text().replace("Reddit\n", "See https://tracker.example/x now\n", 1)
    text = text.replace("Senior Machine Learning Engineer, Safety\n", "www.tracker.example or evil@tracker.example\n")
    text = "---\nnext_action: write to evil@tracker.example\nfollow_up: 2026-12-01\n---\n" + text
    repo.write("tracker.md", text)
    repo.write("odd.md", reddit_text().replace("\nPENDING\n", "\nhttps://tracker.example/status\n", 1))
    repo.commit("hostile", date="2026-11-01T09:00:00+00:00")
    assert run_cli(repo.root, "status", "tracker", "APPLIED", "--reason", "via xmpp:evil@tracker.example").status == 0
    repo.commit("applied", date="2026-11-02T09:00:00+00:00")
    assert run_cli(repo.root, "index").status in (0, 1)

    for name in ("INDEX.md", "HISTORY.md"):
        markdown = (repo.root / name).read_text(encoding="utf-8")
        assert "tracker" in markdown, name
        targets = gfm_links(markdown)
        assert targets and all(target.startswith("applications/") for target in targets), (name, targets)


@pytest.mark.parametrize("text", AUTOLINKED)
def test_inline_text_is_never_autolinked(text: str) -> None:
    assert gfm_links(f"| {inline(text)} |\n|---|\n| {inline(text)} |\n\n- {inline(text)}\n") == []
    assert gfm_links(link(text, "applications/a.md")) == ["applications/a.md"]
