"""Stats on a hand-built history with answers worked out by hand."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from conftest import Repo, reddit_text
from jobtrail.commands.stats import format_text
from jobtrail.config import Config, Workflow, load_config
from jobtrail.history import ApplicationHistory, RepositoryHistory, StatusChange
from jobtrail.model import Application
from jobtrail.stats import GroupStats, StageTime, compute_stats

REDDIT = reddit_text()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config(str(tmp_path))


def history_of(name: str, *steps: str) -> ApplicationHistory:
    """``history_of("a", "PENDING 08-01", "APPLIED 08-03")``: dates in 2026."""
    changes = []
    for step in steps:
        status, day = step.split()
        changes.append(StatusChange(status, datetime.date.fromisoformat(f"2026-{day}"), "0" * 40))
    path = f"applications/{name}.md"
    return ApplicationHistory(path, name.upper(), "Engineer", changes[-1].status if changes else "", tuple(changes))


def front_matter(name: str, **fields: str) -> Application:
    return Application(path=f"applications/{name}.md", front_matter=dict(fields))


SEARCH = RepositoryHistory(
    (
        history_of(
            "a",
            "PENDING 08-01",
            "APPLIED 08-03",
            "SCREENING 08-08",
            "INTERVIEWING 08-15",
            "OFFER 08-25",
            "ACCEPTED 08-28",
        ),
        history_of("b", "PENDING 08-02", "APPLIED 08-04", "REJECTED 08-14"),
        history_of("c", "PENDING 08-05", "APPLIED 08-10", "GHOSTED 09-10"),
        history_of("d", "PENDING 08-06", "APPLIED 08-11"),
        history_of("e", "PENDING 08-07", "WITHDRAWN 08-09"),
        history_of("f", "APPLIED 08-26", "SCREENING 08-27"),  # created straight as APPLIED
    )
)
FRONT_MATTER = [
    front_matter("a", source="LinkedIn", resume="v1"),
    front_matter("b", source="LinkedIn", resume="v2"),
    front_matter("c", source="referral", resume="v1"),
    front_matter("d", resume="v2"),
    front_matter("e", source="referral"),
    front_matter("f", source="LinkedIn ", resume="v1"),
]


def test_known_answers(config: Config) -> None:
    stats = compute_stats(SEARCH, FRONT_MATTER, config)

    assert (stats.applications, stats.sent, stats.responses) == (6, 5, 3)  # e was withdrawn before it was sent
    assert stats.response_rate == pytest.approx(0.6)  # c was ghosted, d is still waiting
    assert stats.funnel == (("PENDING", 6), ("APPLIED", 5), ("SCREENING", 2), ("INTERVIEWING", 1), ("OFFER", 1))
    assert dict(stats.current) == {
        "PENDING": 0,
        "APPLIED": 1,
        "SCREENING": 1,
        "INTERVIEWING": 0,
        "OFFER": 0,
        "ACCEPTED": 1,
        "REJECTED": 1,
        "WITHDRAWN": 1,
        "DECLINED": 0,
        "GHOSTED": 1,
    }
    # a: 08-03 -> 08-08 = 5, b: 08-04 -> 08-14 = 10, f: 08-26 -> 08-27 = 1
    assert (stats.days_to_first_response, stats.responses_timed) == (5.0, 3)
    assert stats.days_in_stage == (
        StageTime("PENDING", 2.0, 5),  # 2, 2, 5, 5, 2
        StageTime("APPLIED", 7.5, 4),  # 5, 10, 31, 1; d is still in APPLIED: not a finished stay
        StageTime("SCREENING", 7.0, 1),
        StageTime("INTERVIEWING", 10.0, 1),
        StageTime("OFFER", 3.0, 1),
    )
    assert stats.sent_per_week == (("2026-W32", 2), ("2026-W33", 2), ("2026-W34", 0), ("2026-W35", 1))
    assert stats.by_field == (
        (
            "source",
            (GroupStats("LinkedIn", 3, 3, 3), GroupStats("referral", 2, 1, 0), GroupStats("(not set)", 1, 1, 0)),
        ),
        ("resume", (GroupStats("v1", 3, 3, 2), GroupStats("v2", 2, 2, 1), GroupStats("(not set)", 1, 0, 0))),
    )


def test_json_shape(config: Config) -> None:
    data = compute_stats(SEARCH, FRONT_MATTER, config).as_json()
    assert data["response_rate"] == 0.6
    assert data["funnel"][1] == {"status": "APPLIED", "reached": 5}
    assert data["by"]["source"][0] == {
        "value": "LinkedIn",
        "applications": 3,
        "sent": 3,
        "responses": 3,
        "response_rate": 1.0,
    }
    assert data["sent_per_week"][2] == {"week": "2026-W34", "sent": 0}


def test_empty_history(config: Config) -> None:
    stats = compute_stats(RepositoryHistory(), [], config)
    assert (stats.applications, stats.sent, stats.response_rate, stats.days_to_first_response) == (0, 0, None, None)
    assert stats.sent_per_week == () and stats.by_field == () and stats.days_in_stage == ()
    assert stats.funnel[0] == ("PENDING", 0)


def test_no_groups_without_the_fields(config: Config) -> None:
    assert compute_stats(SEARCH, [], config).by_field == ()


def test_an_application_date_before_the_previous_commit_counts_zero_days(config: Config) -> None:
    """Recorded PENDING on 08-05 but applied (Application Date) on 08-03: no negative stay."""
    history = RepositoryHistory((history_of("a", "PENDING 08-05", "APPLIED 08-03", "REJECTED 08-04"),))
    stats = compute_stats(history, [], config)
    assert stats.days_in_stage == (StageTime("PENDING", 0.0, 1), StageTime("APPLIED", 1.0, 1))
    assert stats.days_to_first_response == 1.0


@pytest.mark.parametrize("closed", ["REJECTED", "DECLINED", "GHOSTED", "WITHDRAWN"])
def test_closed_straight_from_pending_was_never_sent(config: Config, closed: str) -> None:
    """One definition of sent (Workflow.is_sent, as the checks use): an active status past the first."""
    history = RepositoryHistory(
        (history_of("a", "PENDING 08-01", f"{closed} 08-09"), history_of("b", "PENDING 08-01", "APPLIED 08-02"))
    )
    stats = compute_stats(history, [], config)
    assert (stats.sent, stats.responses, stats.response_rate) == (1, 0, 0.0)
    assert stats.funnel[:2] == (("PENDING", 2), ("APPLIED", 1))
    assert stats.sent_per_week == (("2026-W31", 1),)


def test_rejected_after_applied_was_sent_and_answered(config: Config) -> None:
    history = RepositoryHistory((history_of("a", "PENDING 08-01", "APPLIED 08-03", "REJECTED 08-09"),))
    stats = compute_stats(history, [], config)
    assert (stats.sent, stats.responses, stats.days_to_first_response) == (1, 1, 6.0)


def test_a_custom_workflow(tmp_path: Path) -> None:
    config = Config(
        root=str(tmp_path),
        template=load_config(str(tmp_path)).template,
        workflow=Workflow(("IDEA", "SENT", "CALL"), ("NO", "YES")),
    )
    history = RepositoryHistory(
        (history_of("a", "IDEA 08-01", "SENT 08-02", "CALL 08-05"), history_of("b", "SENT 08-03"))
    )
    stats = compute_stats(history, [], config)
    assert stats.funnel == (("IDEA", 2), ("SENT", 2), ("CALL", 1))
    assert (stats.sent, stats.responses, stats.days_to_first_response) == (2, 1, 3.0)
    assert "Median days from SENT to the first response: 3" in format_text(stats)  # its sent status, not APPLIED


def test_stats_command_on_a_scripted_repository(repo: Repo, run_cli) -> None:
    """Three applications committed on known days: every number below is worked out by hand."""
    name = "reddit-senior-machine-learning-engineer-safety.md"

    def status(text: str, word: str, date: str | None = None) -> str:
        text = text.replace("### Application\nPENDING", f"### Application\n{word}")
        return text.replace("[Current date in YYYY-MM-DD format]", date) if date else text

    acme = "---\nsource: referral\n---\n" + REDDIT.replace("Reddit\n", "Acme\n", 1)
    beta = "---\nsource: job board\n---\n" + REDDIT.replace("Reddit\n", "Beta\n", 1)
    repo.commit("reddit", date="2026-08-01T09:00:00+00:00")  # Reddit PENDING
    repo.write("acme.md", acme)
    repo.commit("acme", date="2026-08-02T09:00:00+00:00")  # Acme PENDING
    repo.write(name, status(REDDIT, "APPLIED", "2026-08-03"))
    repo.commit("reddit applied", date="2026-08-03T18:00:00+00:00")
    repo.write("acme.md", status(acme, "APPLIED", "2026-08-04"))
    repo.commit("acme applied", date="2026-08-05T09:00:00+00:00")  # dated by its Application Date, 08-04
    repo.write("beta.md", status(beta, "APPLIED", "2026-08-05"))
    repo.commit("beta applied", date="2026-08-05T10:00:00+00:00")
    repo.write(name, status(REDDIT, "SCREENING", "2026-08-03"))
    repo.commit("reddit screening", date="2026-08-10T09:00:00+00:00")
    repo.write("beta.md", status(beta, "INTERVIEWING", "2026-08-05"))
    repo.commit("beta interviewing", date="2026-08-12T09:00:00+00:00")
    repo.write(name, status(REDDIT, "REJECTED", "2026-08-03"))
    repo.commit("reddit rejected", date="2026-08-20T09:00:00+00:00")
    repo.write("acme.md", status(acme, "GHOSTED", "2026-08-04"))
    repo.commit("acme ghosted", date="2026-09-04T09:00:00+00:00")

    result = run_cli(repo.root, "stats", "--json")
    text = run_cli(repo.root, "stats")

    assert result.status == 0, result.err
    stats = json.loads(result.out)
    assert (stats["applications"], stats["sent"], stats["responses"]) == (3, 3, 2)
    assert stats["response_rate"] == pytest.approx(0.6667)
    assert [(row["status"], row["reached"]) for row in stats["funnel"]] == [
        ("PENDING", 3),
        ("APPLIED", 3),
        ("SCREENING", 2),  # beta skipped SCREENING but went further
        ("INTERVIEWING", 1),
        ("OFFER", 0),
    ]
    assert stats["median_days_to_first_response"] == 7.0  # reddit 08-03 -> 08-10, beta 08-05 -> 08-12
    assert stats["days_in_stage"] == [
        {"status": "PENDING", "median_days": 2.0, "stays": 2},  # reddit 08-01 -> 08-03, acme 08-02 -> 08-04
        {"status": "APPLIED", "median_days": 7.0, "stays": 3},  # 7, 31, 7
        {"status": "SCREENING", "median_days": 10.0, "stays": 1},
    ]
    assert stats["sent_per_week"] == [{"week": "2026-W32", "sent": 3}]
    assert [(g["value"], g["sent"], g["responses"]) for g in stats["by"]["source"]] == [
        ("job board", 1, 1),
        ("referral", 1, 0),
        ("(not set)", 1, 1),
    ]
    assert "resume" not in stats["by"]
    assert text.status == 0
    assert "Response rate: 67% (2 of 3 sent; ghosted and withdrawn count as no response)" in text.out
    assert "Median days from APPLIED to the first response: 7 (2 response(s))" in text.out
