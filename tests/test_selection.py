"""APP on the command line: a path, a stem, or a unique prefix of a stem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Repo
from jobtrail.config import load_config
from jobtrail.errors import JobtrailError
from jobtrail.selection import resolve_app

REDDIT = "reddit-senior-machine-learning-engineer-safety"


@pytest.fixture
def root(repo: Repo) -> Path:
    for name in ("acme-data.md", "acme-data-engineer.md", "acme-designer.md"):
        repo.write(name, "# x\n")
    return repo.root


@pytest.mark.parametrize(
    ("app", "expected"),
    [
        (f"applications/{REDDIT}.md", REDDIT),  # a path from the root
        (REDDIT, REDDIT),  # a stem
        (f"{REDDIT}.md", REDDIT),
        ("red", REDDIT),  # a unique prefix
        ("RED", REDDIT),  # letter case ignored in prefixes
        ("acme-data", "acme-data"),  # an exact stem wins over the longer ones it prefixes
        ("acme-data-", "acme-data-engineer"),
        ("acme-de", "acme-designer"),
    ],
)
def test_resolves(root: Path, app: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root)
    found = resolve_app(load_config(str(root)), app)
    assert found == str(root / "applications" / f"{expected}.md")


def test_a_path_relative_to_the_current_folder(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root / "applications")
    assert resolve_app(load_config(str(root)), "acme-data.md") == os.path.join(root, "applications", "acme-data.md")


@pytest.mark.parametrize(
    ("app", "message"),
    [
        ("acme", "`acme` matches 3 applications: applications/acme-data-engineer.md, applications/acme-data.md, "),
        ("acme-dat", "matches 2 applications"),
        ("acme-desinger", "no application matches `acme-desinger`: did you mean `acme-designer`"),
        ("nothing-like-it", "no application matches `nothing-like-it`: known: applications/acme-data-engineer.md, "),
        ("other/acme-data.md", "no such file"),
    ],
)
def test_unknown_or_ambiguous_is_a_error_naming_candidates(
    root: Path, app: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root)
    with pytest.raises(JobtrailError) as raised:
        resolve_app(load_config(str(root)), app)
    assert message in str(raised.value)


def test_no_applications_at_all(tmp_path: Path) -> None:
    with pytest.raises(JobtrailError, match="jobtrail new"):
        resolve_app(load_config(str(tmp_path)), "x")


@pytest.mark.parametrize(
    ("app", "expected"),
    [
        ("grüne", "grune"),  # accents folded, and the exact (folded) stem wins over the longer one
        ("GRÜNE-E", "grune-energie-analyst"),
        ("grüne-energie", "grune-energie-analyst"),
        ("Grune-energie", "grune-energie-analyst"),
        ("zoë", "zoe-labs-engineer"),
        ("zoe\u0308", "zoe-labs-engineer"),  # decomposed, as some keyboards and file systems write it
        ("café", "cafe-barista"),
    ],
)
def test_accents_are_folded(repo: Repo, app: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("grune.md", "grune-energie-analyst.md", "zoe-labs-engineer.md", "cafe-barista.md"):
        repo.write(name, "# x\n")
    monkeypatch.chdir(repo.root)
    assert resolve_app(load_config(str(repo.root)), app) == str(repo.applications / f"{expected}.md")
