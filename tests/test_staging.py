"""One commit, one try: every commit form through the real pre-commit framework and real git.

Each commit goes through on the first try (exit 0) with INDEX.md and HISTORY.md
fresh for exactly its tree (a fresh clone's `jobtrail index --check` passes at
it), and every unstaged byte of the work tree is where it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REDDIT, Repo, git, reddit_text, with_status
from jobtrail.gittree import blob_id

NEW = "acme-data-engineer.md"


def sent(status: str, text: str | None = None) -> str:
    """An application past PENDING: with an Application Date and a Job URL."""
    return with_status(status, "2026-11-24", text).replace("[URL to job listing]", "https://example.com/jobs/1")


@pytest.fixture
def loop(hooked: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The `hooked` repository (set up as `make run` sets up this repository) with its first commit."""
    monkeypatch.setenv("PRE_COMMIT_COLOR", "never")
    first = commit(hooked, "add", "-A", message="start")
    assert first.returncode == 0, first.stdout
    return hooked


def commit(
    repo: Repo, *args: str, message: str = "change", date: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`git add ARGS` (when given) then `git commit`, hooks and all; output in ``stdout``."""
    env = dict(os.environ)
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    if (args and args[0] in ("-A", "-u")) or (args and args[0] == "add"):
        subprocess.run(["git", "add", *[arg for arg in args if arg != "add"]], cwd=repo.root, check=True)
        args = ()
    return subprocess.run(
        ["git", "commit", "-m", message, *args],
        cwd=repo.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )


def fresh_at(repo: Repo, commit: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    """`jobtrail index --check` in a fresh clone checked out at ``commit``."""
    clone = tmp_path / f"clone-{commit[:8]}"
    git(tmp_path, "clone", "-q", "--no-checkout", str(repo.root), str(clone))
    git(clone, "-c", "core.hooksPath=/dev/null", "checkout", "-q", commit)
    return subprocess.run([sys.executable, "-m", "jobtrail", "index", "--check"], cwd=clone, capture_output=True)


def unstaged(repo: Repo) -> dict[str, bytes]:
    """Every file with changes git has not staged (and every untracked file), with its bytes."""
    out = git(repo.root, "status", "--porcelain=v1", "-z", "--untracked-files=all")
    names = [entry[3:] for entry in out.split("\0") if entry and entry[1] != " "]
    return {name: (repo.root / name).read_bytes() for name in names if (repo.root / name).is_file()}


def assert_one_try(repo: Repo, done: subprocess.CompletedProcess[str], tmp_path: Path) -> str:
    assert done.returncode == 0, done.stdout
    assert "Failed" not in done.stdout and "conflicted" not in done.stdout, done.stdout
    head = git(repo.root, "rev-parse", "HEAD").strip()
    check = fresh_at(repo, head, tmp_path)
    assert check.returncode == 0, check.stderr
    return head


def committed(repo: Repo, name: str, at: str = "HEAD") -> str:
    return git(repo.root, "show", f"{at}:{name}")


def test_add_all_and_commit_carries_fresh_files_and_leaves_a_clean_tree(loop: Repo, tmp_path: Path) -> None:
    loop.write(NEW, reddit_text().replace("Reddit\n", "Acme\n", 1))

    done = commit(loop, "-A", message="acme")

    assert_one_try(loop, done, tmp_path)
    assert "Acme" in committed(loop, "INDEX.md")
    assert git(loop.root, "status", "--porcelain") == ""  # the work tree copies are the committed ones
    assert [line for line in done.stdout.splitlines() if "jobtrail" in line.lower()] == [
        "jobtrail.................................................................Passed"
    ]


def test_commit_am_leaves_an_untracked_application_out_of_the_generated_files(loop: Repo, tmp_path: Path) -> None:
    loop.write(NEW, reddit_text().replace("Reddit\n", "Acme\n", 1))  # new, untracked: not in `-a`
    loop.write(REDDIT.name, sent("APPLIED"))
    before = unstaged(loop)

    done = commit(loop, "-a", message="reddit applied")

    assert_one_try(loop, done, tmp_path)
    assert "Acme" not in committed(loop, "INDEX.md") and NEW not in committed(loop, "INDEX.md")
    assert "APPLIED" in committed(loop, "HISTORY.md")
    assert (loop.applications / NEW).read_bytes() == before[f"applications/{NEW}"]


def test_commit_path_with_other_staged_and_unstaged_changes(loop: Repo, tmp_path: Path) -> None:
    loop.write(NEW, reddit_text().replace("Reddit\n", "Acme\n", 1))
    git(loop.root, "add", f"applications/{NEW}")  # staged, but not part of `git commit PATH`
    loop.write(REDDIT.name, sent("APPLIED"))
    (loop.root / "notes.txt").write_text("untracked notes\n")
    kept = {name: data for name, data in unstaged(loop).items() if name != f"applications/{REDDIT.name}"}

    done = commit(loop, f"applications/{REDDIT.name}", message="reddit applied")

    assert_one_try(loop, done, tmp_path)
    assert "APPLIED" in committed(loop, "HISTORY.md") and "Acme" not in committed(loop, "INDEX.md")
    assert {name: (loop.root / name).read_bytes() for name in kept} == kept
    staged = git(loop.root, "diff", "--cached", "--name-only").split()
    assert staged == [f"applications/{NEW}"]  # still staged for the next commit; the generated files settled


def test_amend_describes_the_amended_commit(loop: Repo, tmp_path: Path) -> None:
    loop.write(REDDIT.name, sent("APPLIED"))
    assert_one_try(loop, commit(loop, "-a", message="applied", date="2026-11-26T10:00:00+00:00"), tmp_path)
    loop.write(REDDIT.name, sent("SCREENING"))

    done = commit(loop, "-a", "--amend", message="screening, in fact")

    assert_one_try(loop, done, tmp_path)
    assert git(loop.root, "rev-list", "--count", "HEAD").strip() == "2"
    history = committed(loop, "HISTORY.md")
    assert "SCREENING" in history


def test_partial_commit_while_the_watcher_has_rewritten_index_md(loop: Repo, tmp_path: Path) -> None:
    """Unstaged edits elsewhere, and INDEX.md rewritten in the work tree for them (as the watcher does)."""
    loop.write(NEW, reddit_text().replace("Reddit\n", "Acme\n", 1))
    assert_one_try(loop, commit(loop, "-A", message="acme"), tmp_path)
    loop.write(NEW, sent("APPLIED", reddit_text().replace("Reddit\n", "Acme\n", 1)))  # unstaged
    loop.write(REDDIT.name, sent("WITHDRAWN"))
    git(loop.root, "add", f"applications/{REDDIT.name}")
    subprocess.run([sys.executable, "-m", "jobtrail", "index"], cwd=loop.root, check=True, capture_output=True)
    assert "APPLIED" in (loop.root / "HISTORY.md").read_text()  # the work tree copy follows the unstaged edit
    edit = (loop.applications / NEW).read_bytes()

    done = commit(loop, message="reddit withdrawn")

    assert_one_try(loop, done, tmp_path)
    assert (loop.applications / NEW).read_bytes() == edit  # the unstaged edit, byte for byte
    history = committed(loop, "HISTORY.md")
    assert "WITHDRAWN" in history and "APPLIED" not in history  # the commit's tree, not the work tree
    assert git(loop.root, "diff", "--name-only").split() == [f"applications/{NEW}"]


def test_a_merge_commit_carries_fresh_files(loop: Repo, tmp_path: Path) -> None:
    git(loop.root, "checkout", "-q", "-b", "side")
    loop.write(NEW, reddit_text().replace("Reddit\n", "Acme\n", 1))
    assert_one_try(loop, commit(loop, "-A", message="acme"), tmp_path)
    git(loop.root, "checkout", "-q", "main")
    loop.write(REDDIT.name, sent("WITHDRAWN"))
    assert_one_try(loop, commit(loop, "-a", message="withdrawn"), tmp_path)

    done = subprocess.run(
        ["git", "merge", "--no-edit", "side"],
        cwd=loop.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    head = assert_one_try(loop, done, tmp_path)
    assert len(git(loop.root, "rev-parse", f"{head}^@").split()) == 2
    index = committed(loop, "INDEX.md")
    assert "Acme" in index and "WITHDRAWN" in index
    assert git(loop.root, "status", "--porcelain") == ""


def test_concluding_a_conflicted_merge_carries_the_resolution(loop: Repo, tmp_path: Path) -> None:
    git(loop.root, "checkout", "-q", "-b", "side")
    loop.write(REDDIT.name, sent("APPLIED"))
    assert_one_try(loop, commit(loop, "-a", message="applied", date="2026-11-26T10:00:00+00:00"), tmp_path)
    git(loop.root, "checkout", "-q", "main")
    loop.write(REDDIT.name, sent("WITHDRAWN"))
    assert_one_try(loop, commit(loop, "-a", message="withdrawn", date="2026-11-27T10:00:00+00:00"), tmp_path)
    merging = subprocess.run(["git", "merge", "side"], cwd=loop.root, capture_output=True, text=True)
    assert merging.returncode != 0 and "CONFLICT" in merging.stdout
    loop.write(REDDIT.name, sent("SCREENING"))  # the resolution: neither side's status

    done = commit(loop, "-a", message="merge side", date="2026-11-28T10:00:00+00:00")

    head = assert_one_try(loop, done, tmp_path)
    assert len(git(loop.root, "rev-parse", f"{head}^@").split()) == 2
    assert "SCREENING" in committed(loop, "INDEX.md")


def test_a_commit_with_nothing_to_regenerate_prints_one_line_and_no_failure(loop: Repo, tmp_path: Path) -> None:
    (loop.root / "notes.txt").write_text("notes\n")

    done = commit(loop, "-A", message="notes")

    assert_one_try(loop, done, tmp_path)
    assert len([line for line in done.stdout.splitlines() if "jobtrail" in line.lower()]) <= 1
    assert "INDEX.md" not in git(loop.root, "show", "--name-only", "--format=", "HEAD")


def test_an_error_in_a_changed_file_stops_the_commit_and_stages_nothing(loop: Repo) -> None:
    loop.write(REDDIT.name, reddit_text().replace("### Application\nPENDING", "### Application\nAPPLID"))
    index_before = git(loop.root, "ls-files", "-s", "INDEX.md")

    done = commit(loop, "-a", message="typo")

    assert done.returncode == 1
    assert "JT401" in done.stdout and "the commit is stopped" in done.stdout
    assert git(loop.root, "ls-files", "-s", "INDEX.md") == index_before


def test_a_held_index_lock_never_blocks_a_commit_and_a_post_hook_gives_up(loop: Repo, tmp_path: Path) -> None:
    """A `jobtrail index` stopped (SIGSTOP, as Ctrl-Z does) while it holds the lock."""
    import signal
    import time

    from jobtrail.files import locked

    lock = Path(git(loop.root, "rev-parse", "--absolute-git-dir").strip()) / "jobtrail-index.lock"
    for number in range(300):  # enough work that `jobtrail index` holds the lock long enough to be caught
        loop.write(f"company-{number}-engineer.md", reddit_text().replace("Reddit\n", f"Company {number}\n", 1))
    holder = stopped_while_holding(loop.root, lock)
    try:
        loop.write(REDDIT.name, sent("APPLIED"))
        started = time.monotonic()
        done = commit(loop, "-a", message="applied")
        took = time.monotonic() - started
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    assert done.returncode == 0, done.stdout
    assert "APPLIED" in committed(loop, "HISTORY.md")
    assert 10 <= took < 30  # the post-commit hook waited 10 s for the work tree copies, then gave up
    assert f"waiting for jobtrail process {holder.pid}" in done.stdout
    assert "gave up after 10 s" in done.stdout and "`jobtrail index`" in done.stdout
    with locked(str(lock), timeout=1):
        pass


def stopped_while_holding(root: Path, lock: Path) -> subprocess.Popen[bytes]:
    """A real `jobtrail index`, stopped with SIGSTOP once it holds the lock (its pid is in the lock file)."""
    import fcntl
    import signal

    for _attempt in range(20):
        (root / "INDEX.md").unlink(missing_ok=True)  # something to write, every attempt
        process = subprocess.Popen([sys.executable, "-m", "jobtrail", "index"], cwd=root, stdout=subprocess.DEVNULL)
        while process.poll() is None:
            try:
                holder = lock.read_text().strip()
            except OSError:
                holder = ""
            if holder == str(process.pid):
                os.kill(process.pid, signal.SIGSTOP)
                with open(lock, "rb") as handle:  # really held: a non-blocking lock fails
                    try:
                        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        return process
                os.kill(process.pid, signal.SIGCONT)
                break
        process.wait()
    raise AssertionError("jobtrail index never caught holding the lock")


def test_blob_id_is_gits() -> None:
    data = b"hello\n"
    assert (
        blob_id(data)
        == subprocess.run(["git", "hash-object", "--stdin"], input=data, capture_output=True, check=True)
        .stdout.decode()
        .strip()
    )


def test_a_symlinked_application_is_read_through_as_in_a_checkout(loop: Repo, tmp_path: Path) -> None:
    (loop.root / "shared").mkdir()
    (loop.root / "shared" / "acme.md").write_text(reddit_text().replace("Reddit\n", "Acme\n", 1))
    (loop.applications / NEW).symlink_to("../shared/acme.md")

    done = commit(loop, "-A", message="acme through a link")

    assert_one_try(loop, done, tmp_path)
    assert "Acme" in committed(loop, "INDEX.md")
