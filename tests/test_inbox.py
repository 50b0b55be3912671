import os
import subprocess
import sys

from indexer.config import Settings
from indexer.inbox import Inbox

from .conftest import age


def make_inbox(tmp_path, settle=1.0) -> Inbox:
    inbox = Inbox(Settings.from_env(home=tmp_path), settle_seconds=settle)
    inbox.ensure()
    return inbox


def test_ready_files_leave_hidden_temporary_and_fresh_files_alone(tmp_path):
    inbox = make_inbox(tmp_path)
    for name in ("done.txt", ".hidden.txt", "upload.txt.part", "draft.txt~", "x.json.crdownload",
                 "notes.pdf", "sub/deep.jsonl", ".git/obj.txt"):
        path = inbox.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Title\n\nBody")
        age(path)
    (inbox.root / "being-written.txt").write_text("Title\n\nstill go")  # modified just now
    ready = sorted(p.relative_to(inbox.root).as_posix() for p in inbox.ready_files())
    assert ready == ["done.txt", "sub/deep.jsonl"]
    assert [p.name for p in inbox.unsupported_files()] == ["notes.pdf"]


def test_a_file_is_claimed_once_even_by_two_watchers(tmp_path):
    first = make_inbox(tmp_path, settle=0)
    second = make_inbox(tmp_path, settle=0)
    second.token = "otherhost-1"
    path = first.root / "a.txt"
    path.write_text("Title\n\nBody")
    candidates = first.ready_files()
    assert len(first.claim(candidates)) == 1
    assert second.claim(candidates) == []  # the rename already happened
    assert not path.exists()


def test_claimed_file_keeps_its_relative_path_through_processed_and_failed(tmp_path):
    inbox = make_inbox(tmp_path, settle=0)
    (inbox.root / "wire").mkdir()
    (inbox.root / "wire" / "a.txt").write_text("T\n\nB")
    (inbox.root / "wire" / "b.txt").write_text("T\n\nB")
    a, b = inbox.claim()
    assert inbox.complete(a) == inbox.processed / "wire" / "a.txt"
    failed = inbox.fail(b, "broken")
    assert failed == inbox.failed / "wire" / "b.txt"
    assert '"reason": "broken"' in (inbox.failed / "wire" / "b.txt.error.json").read_text()


def test_same_name_twice_does_not_overwrite(tmp_path):
    inbox = make_inbox(tmp_path, settle=0)
    for _ in range(2):
        (inbox.root / "a.txt").write_text("T\n\nB")
        [claimed] = inbox.claim()
        inbox.complete(claimed)
    assert sorted(p.name for p in inbox.processed.iterdir()) == ["a.2.txt", "a.txt"]


def test_release_puts_the_file_back_untouched(tmp_path):
    inbox = make_inbox(tmp_path, settle=0)
    (inbox.root / "a.txt").write_text("T\n\nB")
    [claimed] = inbox.claim()
    inbox.release(claimed)
    assert (inbox.root / "a.txt").read_text() == "T\n\nB"


def test_recover_returns_files_of_a_dead_process_only(tmp_path):
    inbox = make_inbox(tmp_path, settle=0)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    host = inbox.token.rpartition("-")[0]
    dead_dir = inbox.processing / f"{host}-{dead}"
    alive_dir = inbox.processing / f"{host}-{os.getppid()}"
    for folder in (dead_dir, alive_dir):
        folder.mkdir(parents=True)
        (folder / f"{folder.name}.txt").write_text("T\n\nB")
    assert inbox.recover() == 1
    assert (inbox.root / f"{dead_dir.name}.txt").exists()
    assert (alive_dir / f"{alive_dir.name}.txt").exists()
