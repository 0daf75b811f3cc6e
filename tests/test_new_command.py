"""`jobtrail new COMPANY POSITION [--url URL]` on real temporary repositories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Repo, reddit_text
from jobtrail.parse import parse_bytes

REDDIT = "applications/reddit-senior-machine-learning-engineer-safety.md"


def test_creates_the_file_from_the_template_and_it_passes_check(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "new", "Acme Corp", "Data Engineer, Platform", "--url", "https://acme.example/jobs/7")

    assert (result.status, result.out, result.err) == (0, "applications/acme-corp-data-engineer-platform.md\n", "")
    app = parse_bytes("x", (repo.applications / "acme-corp-data-engineer-platform.md").read_bytes())
    assert (app.company, app.position, app.text("Job URL"), app.status) == (
        "Acme Corp",
        "Data Engineer, Platform",
        "https://acme.example/jobs/7",
        "PENDING",
    )
    problems = json.loads(run_cli(repo.root, "check", "--format", "json").out)
    assert {p["severity"] for p in problems} == {"warning"}
    assert {p["code"] for p in problems} == {"JT701"}  # the template's other placeholders, left for the user


def test_without_url_the_placeholder_stays(repo: Repo, run_cli) -> None:
    assert run_cli(repo.root, "new", "Acme", "Engineer").status == 0
    text = (repo.applications / "acme-engineer.md").read_text()
    assert "## Job URL\n[URL to job listing]\n" in text
    assert run_cli(repo.root, "check").status == 0


def test_refuses_to_overwrite(repo: Repo, run_cli) -> None:
    before = (repo.root / REDDIT).read_bytes()

    result = run_cli(repo.root, "new", "Reddit", "Senior Machine Learning Engineer, Safety")

    assert result.status == 1
    assert f"{REDDIT} already exists" in result.err
    assert (repo.root / REDDIT).read_bytes() == before
    assert sorted(path.name for path in repo.applications.iterdir()) == [Path(REDDIT).name]


def test_warns_about_the_same_company_and_position_or_url(repo: Repo, run_cli) -> None:
    repo.write(
        "old-name.md",
        reddit_text().replace("Reddit\n", "Acme\n", 1).replace("[URL to job listing]", "https://acme.example/jobs/1"),
    )

    same_job = run_cli(repo.root, "new", "ACME", "senior machine learning engineer, safety")
    same_url = run_cli(repo.root, "new", "Acme", "Another Role", "--url", "https://www.acme.example/jobs/1/")

    assert same_job.status == 0 and same_url.status == 0
    assert "applications/old-name.md has the same company and position" in same_job.err
    assert "applications/old-name.md has the same Job URL" in same_url.err
    assert (repo.applications / "acme-another-role.md").exists()


def test_bad_url_is_a_usage_error_and_creates_nothing(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "new", "Acme", "Engineer", "--url", "javascript:alert(1)")
    assert result.status == 2 and "unsafe" in result.err
    assert not (repo.applications / "acme-engineer.md").exists()


def test_values_that_markdown_would_misread_are_refused(repo: Repo, run_cli) -> None:
    assert run_cli(repo.root, "new", "# Acme", "Engineer").status == 2
    assert run_cli(repo.root, "new", "Acme", "```").status == 2
    assert run_cli(repo.root, "new", "日本", "会社").status == 2
    assert sorted(path.name for path in repo.applications.iterdir()) == [Path(REDDIT).name]


def test_uses_the_repository_template(repo: Repo, run_cli) -> None:
    (repo.root / "template.md").write_text(
        "# Application Details\n\n## Company\n[Who]\n\n## Position\n\n## Status\n### Application\nPENDING\n\n## Referral\n[Who referred you]\n"
    )

    result = run_cli(repo.root, "new", "Acme", "Engineer")

    assert result.status == 0
    assert (repo.applications / "acme-engineer.md").read_text() == (
        "# Application Details\n\n## Company\nAcme\n\n## Position\nEngineer\n\n"
        "## Status\n### Application\nPENDING\n\n## Referral\n[Who referred you]\n"
    )


def test_from_a_subfolder_and_without_an_applications_folder(repo: Repo, run_cli) -> None:
    for path in repo.applications.iterdir():
        path.unlink()
    repo.applications.rmdir()
    (repo.root / "docs").mkdir()

    result = run_cli(repo.root / "docs", "new", "Acme", "Engineer")

    assert result.status == 0
    assert (repo.applications / "acme-engineer.md").is_file()


def test_a_crlf_template_gives_a_crlf_application(repo: Repo, run_cli) -> None:
    template = Path(__file__).resolve().parent.parent / "tools" / "jobtrail" / "data" / "template.md"
    crlf = template.read_bytes().replace(b"\n", b"\r\n")
    (repo.root / "template.md").write_bytes(crlf)

    assert run_cli(repo.root, "new", "Acme", "Engineer").status == 0

    created = (repo.applications / "acme-engineer.md").read_bytes()
    assert created == crlf.replace(b"[Company Name]", b"Acme", 1).replace(b"[Position Title]", b"Engineer", 1)
    assert run_cli(repo.root, "check", "applications/acme-engineer.md").status == 0


def test_a_template_without_the_section_is_exit_1_naming_the_template(repo: Repo, run_cli) -> None:
    (repo.root / "template.md").write_text("# Application Details\n\n## Position\n\n## Status\n### Application\n")

    result = run_cli(repo.root, "new", "Acme", "Engineer")

    assert result.status == 1
    assert "template.md: the template has no `## Company` section" in result.err


def test_an_applications_file_in_the_way_is_an_error_not_a_crash(repo: Repo, run_cli) -> None:
    (repo.applications / "reddit-senior-machine-learning-engineer-safety.md").unlink()
    repo.applications.rmdir()
    repo.applications.write_text("not a folder\n")

    result = run_cli(repo.root, "new", "Acme", "Engineer")

    assert result.status == 1 and "cannot make the applications folder" in result.err


# ---------------------------------------------------------------- new --from a job page

PAGES = Path(__file__).parent / "fixtures" / "pages"


def test_from_a_saved_greenhouse_page_fills_every_field_and_passes_check(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "new", "--from", str(PAGES / "greenhouse.html"))

    assert (result.status, result.out) == (0, "applications/northwind-labs-staff-data-engineer.md\n")
    data = (repo.applications / "northwind-labs-staff-data-engineer.md").read_bytes()
    app = parse_bytes("x", data)
    assert (app.company, app.position, app.text("Job URL"), app.status) == (
        "Northwind Labs",
        "Staff Data Engineer",
        "https://boards.greenhouse.io/northwindlabs/jobs/4471203",
        "PENDING",
    )
    assert dict(app.front_matter) == {
        "location": "Chicago, IL, US",
        "salary": "USD 185,000-215,000 per year",
        "date_posted": __import__("datetime").date(2026, 10, 28),
    }
    description = "\n".join(app.section("Job Description").content)
    assert "**About Northwind**" in description and "- Own the ingestion pipelines" in description
    assert "### What you will do" in description  # text inside the fence, not a heading of the file
    assert "&lt;" not in description and "<p>" not in description
    assert run_cli(repo.root, "check", "--format", "json").status == 0


def test_from_a_page_whose_description_quotes_code_fences_keeps_the_file_whole(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "new", "--from", str(PAGES / "workday.html"))

    assert result.status == 0, result.err
    app = parse_bytes("x", (repo.root / result.out.strip()).read_bytes())
    assert app.unclosed_fence is None
    assert [h.text for h in app.headings if h.level == 2][:6] == [
        "Company",
        "Position",
        "Job URL",
        "Status",
        "Job Description",
        "Company Details",
    ]
    description = app.section("Job Description").content
    assert description[0] == "`````"  # one longer than the four-backtick run inside
    assert "```toml" in description and "## not a heading of yours" in description
    assert app.front_matter["location"] == "Berlin, DE"
    assert run_cli(repo.root, "check").status == 0


def test_command_line_values_win_over_the_page(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "new", "Contoso Ltd", "Backend Engineer", "--from", str(PAGES / "lever.html"))

    assert (result.status, result.out) == (0, "applications/contoso-ltd-backend-engineer.md\n")
    app = parse_bytes("x", (repo.applications / "contoso-ltd-backend-engineer.md").read_bytes())
    assert (app.company, app.position, app.text("Job URL")) == (
        "Contoso Ltd",
        "Backend Engineer",
        "[URL to job listing]",
    )
    assert app.front_matter["location"] == "Remote; Toronto, Canada"


def test_a_page_without_a_job_posting_is_a_clear_error_and_writes_nothing(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "new", "--from", str(PAGES / "no-posting.html"))

    assert result.status == 1
    assert "no-posting.html: the page's JSON-LD has no schema.org JobPosting" in result.err
    assert "jobtrail new COMPANY POSITION" in result.err
    assert sorted(path.name for path in repo.applications.iterdir()) == [Path(REDDIT).name]


def test_neither_names_nor_a_page_is_a_usage_error(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "new", "Acme")
    assert result.status == 2 and "give COMPANY and POSITION, or --from" in result.err


def test_from_a_url_fetches_the_page_and_keeps_its_address(repo: Repo, run_cli) -> None:
    import http.server
    import threading

    body = (PAGES / "lever.html").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/contoso/9f1c"
        result = run_cli(repo.root, "new", "--from", url)
    finally:
        server.shutdown()

    assert result.status == 0, result.err
    app = parse_bytes("x", (repo.applications / "contoso-senior-backend-engineer.md").read_bytes())
    assert app.text("Job URL") == url


def test_from_a_url_without_network_says_what_to_do(repo: Repo, run_cli) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on: the connection is refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli(repo.root, "new", "--from", f"http://127.0.0.1:{port}/job")

    assert result.status == 1
    assert "cannot fetch the page" in result.err and "jobtrail new --from FILE" in result.err
    assert "Traceback" not in result.err


# ---------------------------------------------------------------- --description FILE|-

DESCRIPTION = """We build the data platform.

```toml
[job]
fences = "inside"
```

````
four backticks, and a line that looks like one of your sections:
## Notes
````
~~~
tildes too
~~~"""


def _sections(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.text for h in app.headings if h.level == 2]


def test_description_from_a_file_is_fenced_so_nothing_inside_can_break_the_file(
    repo: Repo, run_cli, tmp_path: Path
) -> None:
    source = tmp_path / "posting.txt"
    source.write_text(DESCRIPTION + "\n\n", encoding="utf-8")
    plain = run_cli(repo.root, "new", "Plain", "Engineer")
    template = parse_bytes("t", (repo.root / plain.out.strip()).read_bytes())

    result = run_cli(repo.root, "new", "Acme", "Data Engineer", "--description", str(source))

    assert (result.status, result.out, result.err) == (0, "applications/acme-data-engineer.md\n", "")
    data = (repo.applications / "acme-data-engineer.md").read_bytes()
    app = parse_bytes("x", data)
    assert app.unclosed_fence is None
    assert _sections(app) == _sections(template)  # the `## Notes` inside is not a section
    content = app.section("Job Description").content
    assert content[0] == content[-2] == "`````" and content[-1] == ""  # one longer than the longest run inside
    assert "\n".join(content[1:-2]) == DESCRIPTION
    # Only the description's section changed: everything else is the template's, byte for byte.
    plain_data = (
        (repo.root / plain.out.strip()).read_bytes().replace(b"Plain", b"Acme").replace(b"Engineer", b"Data Engineer")
    )
    assert data.split(b"## Job Description")[0] == plain_data.split(b"## Job Description")[0]
    assert data.split(b"## Company Details")[1] == plain_data.split(b"## Company Details")[1]
    problems = json.loads(run_cli(repo.root, "check", "--format", "json").out)
    assert {p["code"] for p in problems if p["path"] == "applications/acme-data-engineer.md"} == {"JT701"}


def test_description_from_standard_input(repo: Repo, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Grüne Energie sucht\r\n```\r\n".encode())))

    result = run_cli(repo.root, "new", "Grüne Energie", "Analyst", "--description", "-")

    assert result.status == 0, result.err
    app = parse_bytes("x", (repo.applications / "grune-energie-analyst.md").read_bytes())
    assert list(app.section("Job Description").content[:4]) == ["````", "Grüne Energie sucht", "```", "````"]


def test_description_beats_the_pages_own(repo: Repo, run_cli, tmp_path: Path) -> None:
    source = tmp_path / "mine.md"
    source.write_text("My own notes on the role.", encoding="utf-8")

    result = run_cli(repo.root, "new", "--from", str(PAGES / "workday.html"), "--description", str(source))

    assert result.status == 0, result.err
    app = parse_bytes("x", (repo.root / result.out.strip()).read_bytes())
    assert list(app.section("Job Description").content[:3]) == ["```", "My own notes on the role.", "```"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"\n  \n", "is empty"),
        (b"caf\xe9\n", "is not UTF-8 (line 1)"),
        (b"a\x00b", "is not text"),
    ],
)
def test_a_bad_description_file_is_a_clear_error_and_creates_nothing(
    repo: Repo, run_cli, tmp_path: Path, content: bytes | None, message: str
) -> None:
    source = tmp_path / "posting.txt"
    if content is not None:
        source.write_bytes(content)
    before = sorted(path.name for path in repo.applications.iterdir())

    result = run_cli(repo.root, "new", "Acme", "Engineer", "--description", str(source))

    assert result.status == 1
    assert message in result.err and "Traceback" not in result.err
    assert sorted(path.name for path in repo.applications.iterdir()) == before


def c_locale() -> dict[str, str]:
    """The C locale with no UTF-8 mode and no coercion: Python decodes the command line as ASCII."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "LANG", "PYTHONIO"))}
    return {**env, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def test_in_the_c_locale_accented_names_are_written_as_utf_8(repo: Repo) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "new", "Zoë", "Rôle", "--url", "https://zoë.example/"],
        cwd=repo.root,
        capture_output=True,
        env=c_locale(),
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == b"applications/zoe-role.md\n"
    app = parse_bytes("x", (repo.applications / "zoe-role.md").read_bytes())
    assert (app.company, app.position) == ("Zoë", "Rôle")
    listed = subprocess.run(
        [sys.executable, "-m", "jobtrail", "status", "zoe", "APPLIED"],
        cwd=repo.root,
        capture_output=True,
        env=c_locale(),
    )
    assert listed.returncode == 0, listed.stderr


def test_in_the_c_locale_a_name_that_is_not_utf_8_is_a_usage_error(repo: Repo) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "new", b"Zo\xeb", "X"], cwd=repo.root, capture_output=True, env=c_locale()
    )

    assert done.returncode == 2
    assert done.stderr == b"jobtrail: error: COMPANY is not UTF-8 text: type it in a UTF-8 terminal\n"
    assert sorted(path.name for path in repo.applications.iterdir()) == [Path(REDDIT).name]


def test_a_value_that_would_break_the_file_is_blamed_not_the_template_nor_the_next_value(repo: Repo, run_cli) -> None:
    # Company and Position without a value line: each value is inserted under its heading.
    template = reddit_text().replace("Reddit\n", "", 1).replace("Senior Machine Learning Engineer, Safety\n", "", 1)
    (repo.root / "template.md").write_text(template, encoding="utf-8")

    for company, position, blamed in (("~~~", "Engineer", "Company `~~~`"), ("Acme", "```", "Position `````")):
        result = run_cli(repo.root, "new", company, position)
        assert result.status == 2, result.err
        assert result.err.startswith(f"jobtrail: error: {blamed} would not read back as written"), result.err
        assert "template" not in result.err
    assert sorted(path.name for path in repo.applications.iterdir()) == [Path(REDDIT).name]
