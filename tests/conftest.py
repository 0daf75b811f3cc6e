"""Shared fixtures: real temporary git repositories with a fixed identity and scripted dates."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from jobtrail.cli import main

PROJECT = Path(__file__).resolve().parent.parent
REDDIT = PROJECT / "applications" / "reddit-senior-machine-learning-engineer-safety.md"

settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """CI has no git configuration: every test gets its own identity and an empty global config."""
    empty = tmp_path_factory.getbasetemp() / "gitconfig"
    empty.touch()
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Jo Trail")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "jo@example.com")
        monkeypatch.setenv(f"GIT_{role}_DATE", "2026-11-25T10:00:00+00:00")
    # Hooks and pre-commit find this interpreter (which has jobtrail installed).
    monkeypatch.setenv("JOBTRAIL_PYTHON", sys.executable)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


def git(cwd: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ)
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout


@dataclass
class Repo:
    """A temporary applications repository."""

    root: Path

    @property
    def applications(self) -> Path:
        return self.root / "applications"

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.applications / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
        return path

    def git(self, *args: str, date: str | None = None) -> str:
        return git(self.root, *args, date=date)

    def commit(self, message: str, date: str | None = None) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "-m", message, date=date)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    made = Repo(root)
    made.applications.mkdir()
    shutil.copyfile(REDDIT, made.applications / REDDIT.name)
    return made


@dataclass
class Result:
    status: int
    out: str
    err: str


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook-environment cache for the session (pre-commit installs each environment once)."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def hooked(repo: Repo, pre_commit_home: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The `repo` fixture set up as `make run` does: this project's config and hooks (`jobtrail init --hooks`)."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    shutil.copytree(PROJECT / "hooks", repo.root / "hooks")
    for name in (".gitattributes", ".pre-commit-config.yaml"):
        shutil.copyfile(PROJECT / name, repo.root / name)
    done = subprocess.run([sys.executable, "-m", "jobtrail", "init", "--hooks"], cwd=repo.root, capture_output=True)
    assert done.returncode == 0, done.stderr
    return repo


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Run ``jobtrail`` in this process from a given folder; returns (status, stdout, stderr)."""

    def run(cwd: Path, *argv: str) -> Result:
        monkeypatch.chdir(cwd)
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    yield run


def gfm_links(markdown: str) -> list[str]:
    """Every link target of ``markdown`` as GitHub renders it (cmark-gfm with its autolink extension)."""
    import cmarkgfm

    return re.findall(r'<a href="([^"]*)"', cmarkgfm.github_flavored_markdown_to_html(markdown))


def reddit_text() -> str:
    return REDDIT.read_text(encoding="utf-8")


def with_status(status: str, date: str | None = None, text: str | None = None) -> str:
    """The Reddit application (or ``text``) with another status, and an Application Date if given."""
    text = reddit_text() if text is None else text
    text = text.replace("### Application\nPENDING", f"### Application\n{status}")
    if date is not None:
        text = text.replace("[Current date in YYYY-MM-DD format]", date)
    return text


def side_applied(repo: Repo, name: str = REDDIT.name) -> tuple[str, str]:
    """The application added on main (08-01) and APPLIED on a branch `side` (08-02), main checked out: both commits."""
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.write(name, with_status("APPLIED"))
    applied = repo.commit("side", date="2026-08-02T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    return first, applied


def diverge(repo: Repo, name: str = REDDIT.name) -> None:
    """main and a branch `side` that give one application different statuses (they conflict)."""
    side_applied(repo, name)
    repo.write(name, with_status("WITHDRAWN"))
    repo.commit("main", date="2026-08-03T09:00:00+00:00")


def application(company: str, position: str, status: str, applied: str | None = None, front: str = "") -> str:
    """The Reddit template filled in for another company; ``front``: front matter lines (without the fences)."""
    text = with_status(status, applied)
    text = text.replace("## Company\nReddit", f"## Company\n{company}", 1)
    text = text.replace("## Position\nSenior Machine Learning Engineer, Safety", f"## Position\n{position}", 1)
    text = text.replace("[URL to job listing]", f"https://jobs.example.com/{company.lower()}", 1)
    return f"---\n{front}---\n{text}" if front else text


def agenda_repository(repo: Repo) -> Repo:
    """Six weeks of a search, newest date 2026-11-20: items in the past, on the as-of day and later.

    - acme: INTERVIEWING; an interview done (11-12), one to come (11-24 14:30); its
      `follow_up` (11-15) done on 11-16, so the default rule (4 days) makes it due 11-20.
    - globex: OFFER since 11-18 with a deadline (11-27); its next action on 12-05.
    - hooli: APPLIED 11-14 by its Application Date, nothing set: due 11-21 (7 days).
    - reddit: APPLIED 11-03, never followed up: overdue since 11-10.
    - initech: REJECTED 11-19 with a reason; its interview on 11-25 will not happen.
    """
    day = "T09:00:00+00:00"
    repo.commit("reddit", date="2026-10-12" + day)
    repo.write(REDDIT.name, application("Reddit", "Senior Machine Learning Engineer, Safety", "APPLIED", "2026-11-03"))
    repo.commit("reddit applied", date="2026-11-03" + day)
    acme = "interviews:\n  - 2026-11-12 10:00\n  - {date: 2026-11-24, time: '14:30', with: Dana Lee, kind: onsite}\n"
    repo.write("acme-ml-engineer.md", application("Acme", "ML Engineer", "APPLIED", "2026-11-02"))
    repo.commit("acme", date="2026-11-02" + day)
    repo.write(
        "acme-ml-engineer.md",
        application("Acme", "ML Engineer", "INTERVIEWING", "2026-11-02", acme + "follow_up: 2026-11-15\n"),
    )
    repo.commit("acme interviewing", date="2026-11-10" + day)
    repo.write(
        "acme-ml-engineer.md",
        application(
            "Acme",
            "ML Engineer",
            "INTERVIEWING",
            "2026-11-02",
            acme + "follow_up: 2026-11-15\nfollowed_up: 2026-11-16\n",
        ),
    )
    repo.commit("acme followed up", date="2026-11-16" + day)
    offer = "deadline: 2026-11-27\nfollow_up: 2026-12-05\nnext_action: Ask about the start date\n"
    repo.write("globex-data-scientist.md", application("Globex", "Data Scientist", "APPLIED", "2026-10-20"))
    repo.commit("globex", date="2026-10-20" + day)
    repo.write("globex-data-scientist.md", application("Globex", "Data Scientist", "OFFER", "2026-10-20", offer))
    repo.commit("globex offer", date="2026-11-18" + day)
    initech = application("Initech", "Analyst", "INTERVIEWING", "2026-10-26", "interviews: [2026-11-25]\n")
    repo.write("initech-analyst.md", initech)
    repo.commit("initech", date="2026-11-05" + day)
    rejected = initech.replace("### Application\nINTERVIEWING", "### Application\nREJECTED")
    rejected = rejected.rstrip("\n") + "\n- 2026-11-19 REJECTED: went with an internal candidate\n"
    repo.write("initech-analyst.md", rejected)
    repo.commit("initech rejected", date="2026-11-19" + day)
    repo.write("hooli-platform-engineer.md", application("Hooli", "Platform Engineer", "APPLIED", "2026-11-14"))
    repo.commit("hooli, recorded days after it was sent", date="2026-11-20" + day)
    return repo
