"""`jobtrail export`: CSV read back with the csv module, and JSON (the calendar: test_ics.py)."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import Repo, reddit_text
from jobtrail.export import neutralise, to_csv

REDDIT = reddit_text()
NAME = "reddit-senior-machine-learning-engineer-safety.md"


def with_status(status: str, date: str | None = None, text: str = REDDIT) -> str:
    text = text.replace("### Application\nPENDING", f"### Application\n{status}")
    return text.replace("[Current date in YYYY-MM-DD format]", date) if date else text


@pytest.fixture
def scripted(repo: Repo) -> Repo:
    """Reddit PENDING -> APPLIED -> SCREENING; a company named like a formula; an interview and a follow-up."""
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    front = (
        "---\nsource: LinkedIn\nfollow_up: 2026-08-20\ninterviews: [2026-08-12, 2026-08-14]\ntags: [ml, remote]\n---\n"
    )
    repo.write(NAME, front + with_status("APPLIED", "2026-08-03"))
    repo.commit("applied", date="2026-08-04T09:00:00+00:00")
    repo.write(NAME, front + with_status("SCREENING", "2026-08-03"))
    repo.commit("screening", date="2026-08-08T09:00:00+00:00")
    evil = REDDIT.replace("Reddit\n", '=HYPERLINK("http://evil.example","x")\n', 1).replace(
        "Senior Machine Learning Engineer, Safety\n", 'Engineer, "Data"; Platform\n', 1
    )
    repo.write(
        "evil-engineer.md",
        "---\nfollow_up: 2026-08-30\nsource: '@mention'\n---\n" + with_status("REJECTED", "2026-08-02", evil),
    )
    repo.commit("evil", date="2026-08-09T09:00:00+00:00")
    return repo


def test_csv_reads_back_with_the_csv_module(scripted: Repo, run_cli) -> None:
    result = run_cli(scripted.root, "export", "--format", "csv", "--output", "out.csv")

    assert result.status == 0
    data = (scripted.root / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfpath,") and b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    by_path = {row["path"]: row for row in rows}
    reddit = by_path[f"applications/{NAME}"]
    evil = by_path["applications/evil-engineer.md"]
    assert reddit["status"] == "SCREENING"
    assert reddit["history"] == "PENDING 2026-08-01; APPLIED 2026-08-03; SCREENING 2026-08-08"
    assert (reddit["since"], reddit["application_date"], reddit["job_url"]) == ("2026-08-08", "2026-08-03", "")
    assert (reddit["source"], reddit["tags"], reddit["interviews"]) == (
        "LinkedIn",
        "ml; remote",
        "2026-08-12; 2026-08-14",
    )
    assert evil["company"] == '\'=HYPERLINK("http://evil.example","x")'  # shown as text, never run
    assert evil["position"] == 'Engineer, "Data"; Platform'
    assert evil["source"] == "'@mention"
    assert evil["history"] == "REJECTED 2026-08-09"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_json_export(scripted: Repo, run_cli) -> None:
    result = run_cli(scripted.root, "export", "--format", "json")

    data = json.loads(result.out)
    reddit = next(app for app in data["applications"] if app["path"] == f"applications/{NAME}")
    assert [(h["status"], h["date"]) for h in reddit["history"]] == [
        ("PENDING", "2026-08-01"),
        ("APPLIED", "2026-08-03"),
        ("SCREENING", "2026-08-08"),
    ]
    assert all(len(h["commit"]) == 40 for h in reddit["history"])
    assert reddit["front_matter"] == {
        "source": "LinkedIn",
        "follow_up": "2026-08-20",
        "interviews": ["2026-08-12", "2026-08-14"],
        "tags": ["ml", "remote"],
    }
    assert (reddit["status"], reddit["since"], reddit["application_date"], reddit["job_url"]) == (
        "SCREENING",
        "2026-08-08",
        "2026-08-03",
        None,
    )


def test_export_with_no_applications_is_just_the_header(repo: Repo, run_cli) -> None:
    (repo.applications / NAME).unlink()
    assert to_csv([]) == "\ufeffpath,company,position,status,since,application_date,job_url,history\r\n".encode()
    assert run_cli(repo.root, "export", "--format", "csv").status == 0


def test_format_is_required(repo: Repo, run_cli) -> None:
    assert run_cli(repo.root, "export").status == 2
    assert run_cli(repo.root, "export", "--format", "xlsx").status == 2


def test_json_export_is_strict_json_even_for_yaml_nan_and_inf(repo: Repo, run_cli) -> None:
    name = "reddit-senior-machine-learning-engineer-safety.md"
    repo.write(name, "---\nsalary: .nan\nbonus: -.inf\n---\n" + reddit_text())
    repo.commit("add", date="2026-08-01T09:00:00+00:00")

    result = run_cli(repo.root, "export", "--format", "json")

    def no_constants(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    front_matter = json.loads(result.out, parse_constant=no_constants)["applications"][0]["front_matter"]
    assert front_matter == {"salary": "nan", "bonus": "-inf"}


def _export(root: Path, output: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "jobtrail", "export", "--format", "csv", "--output", output],
        cwd=root,
        capture_output=True,
        timeout=60,
    )


def test_output_refuses_to_replace_an_application_a_generated_file_a_symlink_or_a_folder(
    repo: Repo, tmp_path: Path
) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    (repo.root / "INDEX.md").write_text("# index\n", encoding="utf-8")
    (repo.root / "template.md").write_text(reddit_text(), encoding="utf-8")
    private = tmp_path / "private.txt"
    private.write_text("keep me\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(private)
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "folder").mkdir()
    before = {path: path.read_bytes() for path in (repo.applications / NAME, repo.root / "INDEX.md", private)}

    for target in (
        f"applications/{NAME}",
        str(repo.applications / NAME),
        "INDEX.md",
        "./applications/../INDEX.md",
        "template.md",
        str(tmp_path / "link"),
        str(tmp_path / "dangling"),
        str(tmp_path / "folder"),
    ):
        done = _export(repo.root, target)
        assert done.returncode == 2, (target, done.stderr)
        assert b"Traceback" not in done.stderr
        assert target.encode() in done.stderr and b"refus" in done.stderr, done.stderr

    assert {path: path.read_bytes() for path in before} == before
    assert (tmp_path / "link").is_symlink() and (tmp_path / "dangling").is_symlink()
    assert not list(repo.root.glob(".*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_output_to_a_device_or_a_fifo_is_written_in_place(repo: Repo, tmp_path: Path) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    expected = _export(repo.root, "-").stdout
    assert expected.startswith(b"\xef\xbb\xbfpath,")

    # A link of our own first: code that replaced what it is given breaks only this link, never /dev.
    own_link = tmp_path / "stdout"
    own_link.symlink_to("/proc/self/fd/1")
    for target in (str(own_link), "/proc/self/fd/1", "/dev/stdout"):
        printed = _export(repo.root, target)
        assert printed.returncode == 0, printed.stderr
        assert printed.stdout == expected, target
    assert own_link.is_symlink()

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = _export(repo.root, str(fifo))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert received == [expected]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

    null = _export(repo.root, "/dev/null")  # last: as root, the old code replaced /dev/null itself
    assert null.returncode == 0, null.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert Path("/dev/null").read_bytes() == b""


def test_output_replaces_an_earlier_export_atomically(repo: Repo, tmp_path: Path) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    target = tmp_path / "out.csv"
    target.write_bytes(b"old export\n")
    os.chmod(target, 0o600)
    inode = target.stat().st_ino

    done = _export(repo.root, str(target))

    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == _export(repo.root, "-").stdout
    assert target.stat().st_ino != inode  # a new file renamed over the old one, not rewritten in place
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_csv_and_ics_drop_control_and_invisible_characters(repo: Repo) -> None:
    hidden = "\x1b\x07\x85\u200b\u202e\u2060"
    text = reddit_text().replace("Reddit\n", f"Evil{hidden}Corp\n", 1).replace("\nPENDING\n", "\nAPPLIED\n", 1)
    text = text.replace("[Current date in YYYY-MM-DD format]", "2026-08-01")
    repo.write(NAME, f"---\nfollow_up: 2026-08-20\n---\n{text}")
    repo.commit("add", date="2026-08-01T09:00:00+00:00")

    for kind in ("csv", "ics"):
        done = subprocess.run(
            [sys.executable, "-m", "jobtrail", "export", "--format", kind], cwd=repo.root, capture_output=True
        )
        assert done.returncode == 0, done.stderr
        out = done.stdout.decode("utf-8")
        assert "EvilCorp" in out, out
        assert not [char for char in hidden if char in out], kind
        assert kind == "csv" or "SUMMARY:Follow up: EvilCorp" in out, out
