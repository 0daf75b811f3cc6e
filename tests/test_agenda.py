"""agenda.py and `jobtrail agenda`: one dated list of interviews, deadlines and follow-ups."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REDDIT, Repo, agenda_repository, application
from jobtrail.agenda import AgendaSource, agenda, follow_up_due, grouped, interview_of
from jobtrail.commands.agenda import as_json, read_agenda
from jobtrail.config import Config, load_config
from jobtrail.generated import regenerate
from jobtrail.repository import repository_at

GOLDEN = Path(__file__).parent / "golden" / "agenda"
DAY = datetime.date
AS_OF = DAY(2026, 11, 20)


FIRST = DAY(2026, 11, 1)


def source(status: str = "APPLIED", since: DAY | None = FIRST, **front: Any) -> AgendaSource:
    return AgendaSource("applications/acme.md", "Acme", "Engineer", status, since, front)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config(str(tmp_path))


def test_default_follow_up_counts_from_the_status_then_from_the_last_follow_up(config: Config) -> None:
    assert follow_up_due(source(), config) == (DAY(2026, 11, 8), "7 days after APPLIED on 2026-11-01")
    done = follow_up_due(source(followed_up=DAY(2026, 11, 9)), config)
    assert done == (DAY(2026, 11, 16), "7 days after the follow-up on 2026-11-09")
    # A follow-up done before the current status began does not move the rule.
    assert follow_up_due(source(followed_up=DAY(2026, 10, 30)), config) == (
        DAY(2026, 11, 8),
        "7 days after APPLIED on 2026-11-01",
    )


def test_a_done_follow_up_leaves_the_agenda(config: Config) -> None:
    pending = agenda([source(follow_up=DAY(2026, 11, 5))], config, AS_OF)
    assert [(item.date, item.overdue) for item in pending] == [(DAY(2026, 11, 5), True)]
    done = agenda([source(follow_up=DAY(2026, 11, 5), followed_up=DAY(2026, 11, 6))], config, AS_OF)
    assert [item.date for item in done] == [DAY(2026, 11, 13)]  # the default rule, from the follow-up
    assert all("2026-11-05" not in item.text for item in done)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-12-01", (DAY(2026, 12, 1), None, "", "")),
        (DAY(2026, 12, 1), (DAY(2026, 12, 1), None, "", "")),
        ("2026-12-01 09:05", (DAY(2026, 12, 1), datetime.time(9, 5), "", "")),
        (datetime.datetime(2026, 12, 1, 14, 30), (DAY(2026, 12, 1), datetime.time(14, 30), "", "")),
        (
            {"date": DAY(2026, 12, 1), "time": "14:30", "with": "Dana", "kind": "onsite"},
            (DAY(2026, 12, 1), datetime.time(14, 30), "Dana", "onsite"),
        ),
        ({"date": "2026-12-01", "time": "14:30"}, (DAY(2026, 12, 1), datetime.time(14, 30), "", "")),
    ],
)
def test_interview_forms(written: object, expected: tuple[Any, ...]) -> None:
    found = interview_of(written)
    assert found is not None and (found.date, found.time, found.with_, found.kind) == expected


@pytest.mark.parametrize(
    "written",
    ["2026-13-01", "tomorrow", "2026-12-01 25:00", {"time": "10:00"}, {"date": "2026-12-01", "time": "noon"}, 3.5],
)
def test_what_is_not_an_interview(written: object) -> None:
    assert interview_of(written) is None


def test_items_are_sorted_by_date_then_time_and_each_is_listed_once(config: Config) -> None:
    acme = source(
        "INTERVIEWING",
        DAY(2026, 11, 18),
        interviews=["2026-11-25 15:00", "2026-11-25 09:30", "2026-11-25 09:30", "2026-11-10"],
        deadline=DAY(2026, 11, 25),
    )
    items = agenda([acme], config, AS_OF)
    assert [(item.when(), item.kind) for item in items] == [
        ("2026-11-22", "follow-up"),
        ("2026-11-25", "deadline"),
        ("2026-11-25 09:30", "interview"),
        ("2026-11-25 15:00", "interview"),
    ]  # the interview of 11-10 has happened; the one written twice is listed once


def test_closed_applications_have_no_agenda_but_keep_their_past_interviews_for_the_calendar(config: Config) -> None:
    rejected = source(
        "REJECTED", DAY(2026, 11, 12), interviews=["2026-11-10", "2026-11-25"], deadline=DAY(2026, 11, 30)
    )
    assert agenda([rejected], config, AS_OF) == []
    assert [item.when() for item in agenda([rejected], config, AS_OF, past=True)] == ["2026-11-10"]


def test_groups(config: Config) -> None:
    sources = [
        source(follow_up=DAY(2026, 11, 19)),
        AgendaSource("applications/b.md", "B", "", "OFFER", AS_OF, {"deadline": AS_OF, "follow_up": DAY(2026, 11, 26)}),
        AgendaSource("applications/c.md", "C", "", "OFFER", AS_OF, {"deadline": DAY(2026, 11, 27)}),
    ]
    groups = grouped(agenda(sources, config, AS_OF), AS_OF)
    assert [(name, [item.date.day for item in items]) for name, items in groups] == [
        ("overdue", [19]),
        ("today", [20]),
        ("this week", [22, 26]),
        ("later", [27]),
    ]


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("JOBTRAIL_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8", newline="\n")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs (JOBTRAIL_UPDATE_GOLDEN=1 rewrites it)"


def test_golden_agenda_json_and_index_on_a_scripted_repository(repo: Repo) -> None:
    """Past, as-of day and future items; a done follow-up absent; a closed application's interview absent."""
    agenda_repository(repo)
    data = as_json(read_agenda(repository_at(str(repo.root)), AS_OF), AS_OF)
    golden("agenda.json", data + "\n")
    items = json.loads(data)["items"]
    assert all(item["date"] != "2026-11-15" for item in items)  # acme's follow_up, marked done
    assert all(item["company"] != "Initech" for item in items)  # rejected
    assert {item["overdue"] for item in items} == {True, False}
    regenerate(repository_at(str(repo.root)))
    index = (repo.root / "INDEX.md").read_text(encoding="utf-8")
    golden("INDEX.md", index)
    golden("HISTORY.md", (repo.root / "HISTORY.md").read_text(encoding="utf-8"))
    first_section = index.split("\n## ", 2)[1]
    assert first_section.startswith("Agenda\n")


def test_agenda_command_runs_on_the_real_clock(repo: Repo, run_cli) -> None:
    today = datetime.date.today()

    def day(offset: int) -> str:
        return (today + datetime.timedelta(days=offset)).isoformat()

    front = f"follow_up: {day(-2)}\ndeadline: {day(3)}\ninterviews: ['{day(0)} 10:00', '{day(30)}']\n"
    repo.write("acme-engineer.md", application("Acme", "Engineer", "INTERVIEWING", day(-20), front))
    repo.commit("acme", date=f"{day(-10)}T09:00:00+00:00")

    result = run_cli(repo.root, "agenda", "--json")

    assert result.status == 0, result.err
    data = json.loads(result.out)
    assert data["today"] == today.isoformat()
    assert [(item["date"], item["time"], item["kind"], item["overdue"], item["group"]) for item in data["items"]] == [
        (day(-2), None, "follow-up", True, "overdue"),
        (day(0), "10:00", "interview", False, "today"),
        (day(3), None, "deadline", False, "this week"),
        (day(30), None, "interview", False, "later"),
    ]
    text = run_cli(repo.root, "agenda")
    assert text.status == 0
    assert [line for line in text.out.splitlines() if line and not line.startswith(" ")][1:] == [
        "Overdue",
        "Today",
        "This week (the next 6 days)",
        "Later",
    ]


def test_agenda_with_nothing_due(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "agenda")
    assert result.status == 0 and "Nothing is due" in result.out  # a PENDING application has no follow-up rule


# ---------------------------------------------------------------- jobtrail followed-up

NAME = REDDIT.name


def test_followed_up_adds_a_front_matter_block_and_nothing_else(repo: Repo, run_cli) -> None:
    before = (repo.applications / NAME).read_bytes()
    result = run_cli(repo.root, "followed-up", "reddit", "2026-11-20")
    assert result.status == 0, result.err
    assert (repo.applications / NAME).read_bytes() == b"---\nfollowed_up: 2026-11-20\n---\n" + before


def test_followed_up_replaces_its_line_and_keeps_crlf_and_the_bom(repo: Repo, run_cli) -> None:
    text = (
        "---\r\nfollow_up: 2026-11-15\r\nfollowed_up: 2026-10-01   \r\ntags: [ml]\r\n---\r\n# Application Details\r\n"
    )
    path = repo.write("acme.md", b"\xef\xbb\xbf" + text.encode())
    assert run_cli(repo.root, "followed-up", "acme", "2026-11-16").status == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + text.replace("2026-10-01   ", "2026-11-16").encode()

    path.write_bytes(b"---\r\nfollow_up: 2026-11-15\r\n---\r\n# Application Details")
    assert run_cli(repo.root, "followed-up", "acme", "2026-11-16").status == 0
    assert (
        path.read_bytes() == b"---\r\nfollow_up: 2026-11-15\r\nfollowed_up: 2026-11-16\r\n---\r\n# Application Details"
    )


def test_a_marked_follow_up_leaves_the_agenda(repo: Repo, run_cli) -> None:
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    repo.write(NAME, application("Reddit", "Engineer", "APPLIED", yesterday, f"follow_up: {yesterday}\n"))
    assert [item["date"] for item in json.loads(run_cli(repo.root, "agenda", "--json").out)["items"]] == [yesterday]

    assert run_cli(repo.root, "followed-up", "reddit").status == 0

    items = json.loads(run_cli(repo.root, "agenda", "--json").out)["items"]
    assert [item["date"] for item in items] == [(datetime.date.today() + datetime.timedelta(days=7)).isoformat()]


@pytest.mark.parametrize(("date", "message"), [("2026-02-30", "is not a date"), ("2999-01-01", "is after today")])
def test_followed_up_refuses_a_bad_date(repo: Repo, run_cli, date: str, message: str) -> None:
    before = (repo.applications / NAME).read_bytes()
    result = run_cli(repo.root, "followed-up", "reddit", date)
    assert result.status == 2 and message in result.err
    assert (repo.applications / NAME).read_bytes() == before


def test_followed_up_refuses_front_matter_it_cannot_read(repo: Repo, run_cli) -> None:
    path = repo.write(NAME, "---\nfollow_up: [unclosed\n---\n# Application Details\n")
    result = run_cli(repo.root, "followed-up", "reddit", "2026-11-01")
    assert result.status == 1 and "front matter cannot be read" in result.err
    assert path.read_text() == "---\nfollow_up: [unclosed\n---\n# Application Details\n"


# ---------------------------------------------------------------- on any application

DATES = st.dates(DAY(2026, 10, 1), DAY(2026, 12, 31))
INTERVIEWS = st.lists(
    st.one_of(
        DATES,
        st.builds(lambda day, hour: f"{day.isoformat()} {hour:02d}:30", DATES, st.integers(0, 23)),
        st.builds(
            lambda day, minutes: {"date": day, "time": f"{minutes // 60}:{minutes % 60:02d}"},
            DATES,
            st.integers(0, 24 * 60 - 1),
        ),
    ),
    max_size=4,
)
STATUSES = st.sampled_from(
    ["PENDING", "APPLIED", "SCREENING", "INTERVIEWING", "OFFER", "REJECTED", "GHOSTED", "(invalid)"]
)


@st.composite
def sources(draw: st.DrawFn) -> AgendaSource:
    front: dict[str, Any] = {}
    for key in ("follow_up", "followed_up", "deadline"):
        if draw(st.booleans()):
            front[key] = draw(DATES)
    if draw(st.booleans()):
        front["interviews"] = draw(INTERVIEWS)
    name = draw(st.sampled_from(["a", "b", "c", "d"]))
    return AgendaSource(f"applications/{name}.md", name, "", draw(STATUSES), draw(st.none() | DATES), front)


@given(st.lists(sources(), max_size=6, unique_by=lambda source: source.path), DATES)
def test_property_the_agenda_is_sorted_and_lists_each_item_once(found: list[AgendaSource], today: DAY) -> None:
    config = load_config(str(GOLDEN))
    items = agenda(found, config, today)
    assert [(item.date, item.time or datetime.time.min) for item in items] == sorted(
        (item.date, item.time or datetime.time.min) for item in items
    )
    keys = [(item.path, item.key) for item in items]
    assert len(keys) == len(set(keys))  # each application once per item
    by_path = {source.path: source for source in found}
    for item in items:
        source = by_path[item.path]
        assert source.status in config.workflow.active  # closed and unknown statuses have no agenda
        assert item.overdue == (item.kind != "interview" and item.date < today)
        assert item.kind != "interview" or item.date >= today  # a past interview has happened
        done, due = source.front_matter.get("followed_up"), source.front_matter.get("follow_up")
        if item.kind == "follow-up" and done is not None and due is not None and done >= due:
            assert item.date > done  # a follow-up marked done is gone: the next one counts from it
