"""JobPosting extraction from saved job pages of several boards' markup (tests/fixtures/pages/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobtrail.jobpage import decode_page
from jobtrail.jobposting import NoJobPosting, job_posting

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str) -> str:
    return decode_page((PAGES / name).read_bytes())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "greenhouse.html",
            (
                "Staff Data Engineer",
                "Northwind Labs",
                "https://boards.greenhouse.io/northwindlabs/jobs/4471203",
                "Chicago, IL, US",
                "USD 185,000-215,000 per year",
                "2026-10-28",
            ),
        ),
        ("lever.html", ("Senior Backend Engineer", "Contoso", "", "Remote; Toronto, Canada", "", "2026-11-02")),
        (
            "workday.html",
            (
                "Platform Engineer, Developer Tools",
                "Fabrikam GmbH",
                "https://fabrikam.wd5.myworkdayjobs.example/en-US/careers/job/Berlin/Platform-Engineer_R-10442",
                "Berlin, DE",
                "EUR 82,000 per year",
                "2026-11-10",
            ),
        ),
        (
            "indeed.html",
            ("R&D Engineer", "Adventure Works", "", "Lyon, FR", "EUR 48,000-55,000 per year", "2026-11-15"),
        ),
    ],
)
def test_fields_from_each_board(name: str, expected: tuple[str, ...]) -> None:
    found = job_posting(page(name))
    assert (found.position, found.company, found.url, found.location, found.salary, found.date_posted) == expected
    assert found.description_html.startswith("<")  # HTML, unescaped once when the board escaped it


def test_the_page_url_stands_in_for_a_missing_url() -> None:
    assert (
        job_posting(page("lever.html"), "https://jobs.lever.co/contoso/9f1c").url
        == "https://jobs.lever.co/contoso/9f1c"
    )


def test_latin1_page_is_read_by_its_meta_charset() -> None:
    assert "basé à Lyon" in job_posting(page("indeed.html")).description_html


@pytest.mark.parametrize(
    ("html", "why"),
    [
        ("<html><body>Nothing here</body></html>", "has no schema.org JSON-LD"),
        ((PAGES / "no-posting.html").read_text(), "JSON-LD has no schema.org JobPosting"),
        ('<script type="application/ld+json">{not json</script>', "1 of 1 JSON-LD blocks are not valid JSON"),
    ],
)
def test_a_page_without_a_job_posting_says_so(html: str, why: str) -> None:
    with pytest.raises(NoJobPosting, match=why):
        job_posting(html)
