"""`jobtrail list`: rows from the history and a table readable at 80 columns."""

from __future__ import annotations

import datetime
import json

from conftest import Repo, reddit_text
from jobtrail.history import ApplicationHistory, RepositoryHistory, StatusChange
from jobtrail.listing import ListRow, format_table, list_rows
from jobtrail.terminal import width

STATUSES = ("PENDING", "APPLIED", "SCREENING", "INTERVIEWING", "OFFER", "ACCEPTED", "REJECTED", "GHOSTED")
TODAY = datetime.date(2026, 9, 1)


def entry(name: str, status: str, since: str, company: str = "Acme", position: str = "Engineer") -> ApplicationHistory:
    change = StatusChange(status, datetime.date.fromisoformat(since), None)
    return ApplicationHistory(f"applications/{name}.md", company, position, status, (change,))


HISTORY = RepositoryHistory(
    (
        entry("a", "REJECTED", "2026-08-20"),
        entry("b", "APPLIED", "2026-08-25"),
        entry("c", "APPLIED", "2026-08-10"),
        entry("d", "PENDING", "2026-08-31"),
        ApplicationHistory("applications/broken.md", "", "", "", ()),
    )
)


def test_rows_in_workflow_order_longest_waiting_first() -> None:
    rows = list_rows(HISTORY, STATUSES, TODAY)
    assert [(row.path[13:14], row.status, row.days) for row in rows] == [
        ("d", "PENDING", 1),
        ("c", "APPLIED", 22),
        ("b", "APPLIED", 7),
        ("a", "REJECTED", 12),
        ("b", "", None),  # broken.md: no known status, last
    ]


def test_filter() -> None:
    assert [row.path for row in list_rows(HISTORY, STATUSES, TODAY, {"APPLIED"})] == [
        "applications/c.md",
        "applications/b.md",
    ]


def test_table_fits_80_columns_and_cuts_long_text_with_an_ellipsis() -> None:
    rows = [
        ListRow("a", "Reddit", "Senior Machine Learning Engineer, Safety", "INTERVIEWING", TODAY, 3),
        ListRow("b", "An Extraordinarily Long Company Name Incorporated", "Staff Engineer " * 5, "APPLIED", TODAY, 120),
        ListRow("c", "株式会社メルカリ", "ソフトウェアエンジニア" * 3, "PENDING", None, None),
        ListRow("d", "Evil\x1b[31mRed", "Tab\there", "OFFER", TODAY, 0),
    ]

    table = format_table(rows, 80)

    lines = table.splitlines()
    assert lines[0].split() == ["STATUS", "SINCE", "DAYS", "COMPANY", "POSITION"]
    assert all(width(line) <= 80 for line in lines)
    assert "Reddit" in lines[1] and "…" in lines[2] and "…" in lines[3]
    assert "\x1b" not in table and "\t" not in table
    assert lines[1].startswith("INTERVIEWING  2026-09-01     3  Reddit")
    assert lines[3].startswith("PENDING       -              -  株式会社メルカリ")


def test_table_uses_a_wider_terminal() -> None:
    rows = [ListRow("b", "Company " * 6, "Position " * 6, "APPLIED", TODAY, 1)]
    assert "…" in format_table(rows, 80)
    assert "…" not in format_table(rows, 200)


def test_list_command_on_a_real_repository(repo: Repo, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(
        "acme-data-engineer.md",
        reddit_text().replace("Reddit\n", "Acme\n", 1).replace("### Application\nPENDING", "### Application\nAPPLIED"),
    )
    repo.commit("acme", date="2026-08-05T09:00:00+00:00")
    today = datetime.date.today()

    table = run_cli(repo.root, "list")
    applied = run_cli(repo.root, "list", "--status", "applied", "--json")
    closed = run_cli(repo.root, "list", "--status", "closed")
    wrong = run_cli(repo.root, "list", "--status", "nope")

    assert table.status == 0
    assert table.out.splitlines() == [
        "STATUS   SINCE       DAYS  COMPANY  POSITION",
        f"PENDING  2026-08-01  {(today - datetime.date(2026, 8, 1)).days:>4}  Reddit   Senior Machine Learning Engineer, Safety",
        f"APPLIED  2026-08-05  {(today - datetime.date(2026, 8, 5)).days:>4}  Acme     Senior Machine Learning Engineer, Safety",
    ]
    assert json.loads(applied.out) == [
        {
            "path": "applications/acme-data-engineer.md",
            "company": "Acme",
            "position": "Senior Machine Learning Engineer, Safety",
            "status": "APPLIED",
            "since": "2026-08-05",
            "days": (today - datetime.date(2026, 8, 5)).days,
        }
    ]
    assert (closed.status, closed.out, "no applications with that status" in closed.err) == (0, "", True)
    assert wrong.status == 2 and "unknown status `NOPE`" in wrong.err


def test_plain_leaves_no_control_bidi_override_or_lone_surrogate() -> None:
    from jobtrail.terminal import plain

    assert plain("a\x1b[2Jb\nc\u202ed\udcffe") == "a [2Jb c d e"
    assert plain("Café 東京") == "Café 東京"
