"""importplan.plan_import without git: matching, names, versions."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from jobtrail.config import Config
from jobtrail.importplan import Existing, plan_import
from jobtrail.incoming import Event, Incoming
from jobtrail.parse import parse_bytes
from jobtrail.rules import CheckContext, check_application
from jobtrail.template import default_template_text, template_from_text

CONFIG = Config(root="/nowhere", template=template_from_text(default_template_text()))
TODAY = datetime.date(2026, 11, 25)


def row(company: str, position: str, url: str = "", *events: tuple[str, str]) -> Incoming:
    dated = tuple(Event(status, datetime.date.fromisoformat(date)) for status, date in events) or (
        Event("PENDING", None),
    )
    return Incoming("row 2", company, position, url, dated[-1].status, dated)


def test_matched_by_url_else_by_company_and_position() -> None:
    existing = [
        Existing("applications/a.md", "Acme", "Engineer", "https://acme.example/1"),
        Existing("applications/b.md", "Globex", "Analyst", ""),
    ]
    plan = plan_import(
        [
            row("ACME Inc", "Other title", "https://www.acme.example/1/"),  # same URL, other names
            row("acme", "engineer", "https://acme.example/2"),  # same names, another listing
            row("globex", "ANALYST", "https://globex.example/9"),  # names of one without a URL
            row("Globex", "Analyst"),
        ],
        existing,
        ["applications/a.md", "applications/b.md"],
        CONFIG,
        TODAY,
    )
    assert [(m.other, m.why) for m in plan.same] == [
        ("applications/a.md", "same Job URL"),
        ("applications/b.md", "same company and position"),
        ("applications/b.md", "same company and position"),
    ]
    assert [app.path for app in plan.new] == ["applications/acme-engineer.md"]


def test_a_repeated_row_is_imported_once_and_names_never_collide() -> None:
    plan = plan_import(
        [row("Acme", "Engineer"), row("Acme", "Engineer"), row("Acme", "Engineer!", "https://acme.example/3")],
        [],
        ["applications/acme-engineer.md"],
        CONFIG,
        TODAY,
    )
    assert [app.path for app in plan.new] == ["applications/acme-engineer-2.md", "applications/acme-engineer-3.md"]
    assert [m.why for m in plan.same] == ["same company and position"]


def test_one_version_per_event_the_last_is_the_file() -> None:
    plan = plan_import(
        [row("Acme", "Engineer", "", ("APPLIED", "2026-01-05"), ("REJECTED", "2026-02-01"))], [], [], CONFIG, TODAY
    )
    (app,) = plan.new
    assert [(v.status, v.date.isoformat()) for v in app.versions] == [
        ("APPLIED", "2026-01-05"),
        ("REJECTED", "2026-02-01"),
    ]
    first, last = (parse_bytes("x", v.data) for v in app.versions)
    assert (first.status, last.status) == ("APPLIED", "REJECTED")
    assert last.text("Application Date") == "2026-01-05"
    assert last.text("Job URL") == "none"  # sent without a link: says so, and passes check (JT603)
    assert plan.problems == ()


def test_a_value_markdown_would_misread_is_a_row_problem() -> None:
    plan = plan_import([row("# Acme", "Engineer")], [], [], CONFIG, TODAY)
    assert plan.new == () and plan.problems[0].where == "row 2"


STATUSES = CONFIG.workflow.statuses


@given(
    st.lists(
        st.tuples(
            st.text(st.characters(categories=("L", "N", "Zs", "P")), min_size=1, max_size=20),
            st.lists(
                st.tuples(st.sampled_from(STATUSES), st.dates(datetime.date(2020, 1, 1), TODAY) | st.none()),
                min_size=1,
                max_size=5,
            ),
            st.sampled_from(["", "https://jobs.example/1", "https://jobs.example/2"]),
        ),
        max_size=8,
    )
)
def test_property_every_new_file_passes_check_and_replays_its_events(
    rows: list[tuple[str, list[tuple[str, datetime.date | None]], str]],
) -> None:
    incoming = []
    for number, (company, raw, url) in enumerate(rows):
        events: list[Event] = []
        for status, date in sorted(raw, key=lambda item: (item[1] is None, item[1] or TODAY)):
            if not events or events[-1].status != status:
                events.append(Event(status, date))
        incoming.append(Incoming(f"row {number + 2}", company, "Engineer", url, events[-1].status, tuple(events)))

    plan = plan_import(incoming, [], [], CONFIG, TODAY)

    assert len(plan.new) + len(plan.same) + len({p.where for p in plan.problems}) == len(incoming)
    assert len({app.path for app in plan.new}) == len(plan.new)
    for app in plan.new:
        statuses = [event.status for event in app.incoming.events]
        assert [version.status for version in app.versions] == statuses
        dates = [version.date for version in app.versions]
        assert dates == sorted(dates) and dates[-1] <= TODAY
        final = parse_bytes(app.path, app.versions[-1].data)
        assert final.status == app.incoming.status
        assert [p for p in check_application(final, CheckContext(CONFIG, TODAY)) if p.severity == "error"] == []
        for version in app.versions:
            assert parse_bytes(app.path, version.data).status == version.status
