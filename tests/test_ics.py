"""ics.py and `jobtrail export --format ics`: every agenda item as a calendar event, read back with icalendar."""

from __future__ import annotations

import datetime
import time
import zoneinfo
from pathlib import Path

import icalendar
import pytest

from conftest import Repo, agenda_repository
from jobtrail.agenda import AgendaItem
from jobtrail.ics import fold, ics_text, to_ics

UTC = datetime.UTC


def events(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's local time zone, as `jobtrail export` sees it."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_every_agenda_item_is_an_event(repo: Repo, run_cli, new_york: None) -> None:
    agenda_repository(repo)

    first = run_cli(repo.root, "export", "--format", "ics")
    again = run_cli(repo.root, "export", "--format", "ics")

    assert first.status == 0 and first.out == again.out  # stable: same UIDs, same DTSTAMP
    found = {str(event["UID"]): event for event in events(first.out.encode())}
    assert sorted(found) == [
        "acme-ml-engineer-follow-up@jobtrail",
        "acme-ml-engineer-interview-20261112T1000@jobtrail",  # past: a calendar keeps it
        "acme-ml-engineer-interview-20261124T1430@jobtrail",
        "globex-data-scientist-deadline@jobtrail",
        "globex-data-scientist-follow-up@jobtrail",
        "hooli-platform-engineer-follow-up@jobtrail",  # computed by the default rule
        "reddit-senior-machine-learning-engineer-safety-follow-up@jobtrail",
    ]  # not initech's interview after it was rejected, not acme's follow-up marked done
    interview = found["acme-ml-engineer-interview-20261124T1430@jobtrail"]
    start, end = interview.decoded("DTSTART"), interview.decoded("DTEND")
    local = zoneinfo.ZoneInfo("America/New_York")
    assert start == datetime.datetime(2026, 11, 24, 14, 30, tzinfo=local)  # 14:30 where the user lives
    assert start.astimezone(UTC) == datetime.datetime(2026, 11, 24, 19, 30, tzinfo=UTC)
    assert end - start == datetime.timedelta(hours=1)
    assert str(interview["TRANSP"]) == "OPAQUE"  # busy
    assert str(interview["SUMMARY"]) == "Interview: Acme — ML Engineer"
    assert "Interview (onsite) with Dana Lee" in str(interview["DESCRIPTION"])
    for uid in ("globex-data-scientist-deadline@jobtrail", "hooli-platform-engineer-follow-up@jobtrail"):
        event = found[uid]
        assert type(event.decoded("DTSTART")) is datetime.date  # all day
        assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(days=1)
        assert str(event["TRANSP"]) == "TRANSPARENT"
    assert found["hooli-platform-engineer-follow-up@jobtrail"].decoded("DTSTART") == datetime.date(2026, 11, 21)
    assert all(event.decoded("DTSTAMP") == datetime.datetime(2026, 11, 20, tzinfo=UTC) for event in found.values())


def test_the_time_zone_follows_daylight_saving() -> None:
    zone = zoneinfo.ZoneInfo("Europe/Berlin")
    summer = AgendaItem(
        datetime.date(2026, 7, 1), datetime.time(9), "interview", "applications/a.md", "A", "", "", False, "i"
    )
    winter = AgendaItem(
        datetime.date(2026, 12, 1), datetime.time(9), "interview", "applications/a.md", "A", "", "", False, "j"
    )
    starts = [event.decoded("DTSTART") for event in events(to_ics([summer, winter], datetime.date(2026, 1, 1), zone))]
    assert [start.astimezone(UTC).hour for start in starts] == [7, 8]


def test_lines_are_folded_at_75_octets_and_crlf_terminated() -> None:
    item = AgendaItem(
        datetime.date(2026, 8, 20),
        None,
        "follow-up",
        "applications/x.md",
        "Société Générale, Zürich; \\ office",
        "Ingénieur " * 12,
        "Follow up",
        False,
        "follow-up",
    )

    data = to_ics([item], datetime.date(2026, 8, 1))

    physical = data.split(b"\r\n")
    assert physical[-1] == b"" and b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in physical)
    assert any(line.startswith(b" ") for line in physical)
    for line in physical:
        line.decode("utf-8")  # never cut inside a character
    (event,) = events(data)
    assert str(event["SUMMARY"]) == f"Follow up: {item.label}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a,b;c\\d", "a\\,b\\;c\\\\d"), ("one\ntwo\r\nthree", "one\\ntwo\\nthree"), ("bell\x07", "bell")],
)
def test_ics_text_escaping(text: str, expected: str) -> None:
    assert ics_text(text) == expected


def test_fold_keeps_short_lines_and_multibyte_characters() -> None:
    assert fold("SUMMARY:short") == "SUMMARY:short"
    folded = fold("X:" + "é" * 80)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "X:" + "é" * 80


def test_an_empty_agenda_is_an_empty_calendar(tmp_path: Path) -> None:
    assert events(to_ics([], datetime.date(2026, 8, 1))) == []
