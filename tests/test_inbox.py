import json
import os
import socket
import subprocess
import sys
import time

import pytest

from indexer.config import Settings
from indexer.inbox import LEASE_FILE, Inbox, lease_expired

from .conftest import age


def make_inbox(tmp_path, settle=1.0, **settings) -> Inbox:
    inbox = Inbox(Settings.from_env(home=tmp_path, **settings), settle_seconds=settle)
    inbox.ensure()
    return inbox


def write_lease(folder, *, host, pid, expires_in):
    folder.mkdir(parents=True)
    (folder / LEASE_FILE).write_text(json.dumps({"owner": folder.name, "host": host, "pid": pid,
                                                 "expires_at": time.time() + expires_in}))
    (folder / f"{folder.name}.txt").write_text("T\n\nB")
    return folder


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
    assert [(p.name, reason) for p, reason in inbox.scan().rejected] == [
        ("notes.pdf", "unsupported file type '.pdf'")]


def test_links_out_of_the_inbox_fifos_and_loops_are_refused_with_a_reason(tmp_path):
    inbox = make_inbox(tmp_path, settle=0)
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret\n\nNot for the index")
    inside = inbox.root / "real.txt"
    inside.write_text("T\n\nB")
    (inbox.root / "hostname.txt").symlink_to(outside)
    (inbox.root / "alias.txt").symlink_to(inside)
    (inbox.root / "loop.txt").symlink_to(inbox.root / "loop.txt")
    os.mkfifo(inbox.root / "pipe.txt")
    (inbox.root / "linked-folder").symlink_to(tmp_path, target_is_directory=True)
    (inbox.root / "folder.txt").mkdir()
    (inbox.root / "folder.txt" / "inner.txt").write_text("T\n\nB")
    scan = inbox.scan()
    assert sorted(p.relative_to(inbox.root).as_posix() for p in scan.ready) == [
        "alias.txt", "folder.txt/inner.txt", "real.txt"]
    reasons = {p.name: reason for p, reason in scan.rejected}
    assert reasons["hostname.txt"].startswith(f"a symlink to {outside.resolve()}, outside the inbox")
    assert reasons["loop.txt"] == "a symlink loop"
    assert reasons["pipe.txt"] == "not a regular file (a FIFO)"
    assert reasons["linked-folder"].startswith(f"a symlink to {tmp_path.resolve()}, outside the inbox")
    assert set(reasons) == {"hostname.txt", "loop.txt", "pipe.txt", "linked-folder"}


def test_links_out_of_the_inbox_are_read_when_configured(tmp_path):
    inbox = make_inbox(tmp_path, settle=0, follow_symlinks=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("T\n\nB")
    (inbox.root / "link.txt").symlink_to(outside)
    assert [p.name for p in inbox.scan().ready] == ["link.txt"]


def test_a_file_is_claimed_once_even_by_two_watchers(tmp_path):
    first = make_inbox(tmp_path, settle=0)
    second = make_inbox(tmp_path, settle=0)
    path = first.root / "a.txt"
    path.write_text("Title\n\nBody")
    candidates = first.ready_files()
    assert len(first.claim(candidates)) == 1
    assert second.claim(candidates) == []  # the rename already happened
    assert not path.exists()
    assert first.lease.folder != second.lease.folder


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


def test_an_expired_lease_is_given_back_by_any_host_and_a_live_one_never(tmp_path):
    inbox = make_inbox(tmp_path, settle=0)
    expired = write_lease(inbox.processing / "otherhost-7-aaaaaa", host="otherhost", pid=7, expires_in=-1)
    live = write_lease(inbox.processing / "otherhost-8-bbbbbb", host="otherhost", pid=8, expires_in=60)
    assert inbox.recover() == 1
    assert (inbox.root / f"{expired.name}.txt").read_text() == "T\n\nB"
    assert not expired.exists()
    assert (live / f"{live.name}.txt").exists()


def test_a_claim_of_a_dead_process_on_this_host_is_given_back_before_it_expires(tmp_path):
    inbox = make_inbox(tmp_path, settle=0)
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout)
    host = socket.gethostname()
    gone = write_lease(inbox.processing / f"{host}-{dead}-cccccc", host=host, pid=dead, expires_in=60)
    alive = write_lease(inbox.processing / f"{host}-{os.getppid()}-dddddd", host=host, pid=os.getppid(),
                        expires_in=60)
    assert inbox.recover() == 1
    assert (inbox.root / f"{gone.name}.txt").exists()
    assert (alive / f"{alive.name}.txt").exists()


def test_the_lease_is_renewed_while_files_are_held(tmp_path):
    holder = make_inbox(tmp_path, settle=0, lease_seconds=0.6)
    other = make_inbox(tmp_path, settle=0)
    (holder.root / "a.txt").write_text("T\n\nB")
    [claimed] = holder.claim()
    time.sleep(1.5)  # over twice the lease: only the heartbeat keeps it
    assert not lease_expired(holder.lease.folder)
    assert other.recover() == 0 and claimed.path.exists()
    holder.lease.release()  # the heartbeat stops, as when a watcher hangs for good
    time.sleep(1.0)
    assert lease_expired(holder.lease.folder)  # its process lives, but the lease has run out
    assert other.recover() == 1
    assert (other.root / "a.txt").read_text() == "T\n\nB" and not holder.lease.folder.exists()


def test_done_removes_the_empty_claim_folder(tmp_path):
    inbox = make_inbox(tmp_path, settle=0)
    (inbox.root / "a.txt").write_text("T\n\nB")
    [claimed] = inbox.claim()
    assert (inbox.lease.folder / LEASE_FILE).exists()
    inbox.complete(claimed)
    inbox.done()
    assert not inbox.lease.folder.exists() and (inbox.processed / "a.txt").exists()


def test_a_claim_is_bounded_in_files_and_bytes(tmp_path):
    inbox = make_inbox(tmp_path, settle=0)
    for i in range(5):
        (inbox.root / f"{i}.txt").write_text("T\n\n" + "B" * 100)
    assert len(inbox.claim(max_files=2)) == 2
    assert len(inbox.claim(max_bytes=150)) == 2  # stops once the bytes are reached
    assert len(inbox.claim()) == 1


def test_processed_on_another_file_system_is_copied_there(tmp_path):
    import subprocess as sp

    inbox = make_inbox(tmp_path, settle=0)
    if sp.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(inbox.processed)],
              capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        (inbox.root / "a.txt").write_text("T\n\nB")
        (inbox.root / "big.txt").write_bytes(b"T\n\n" + b"B" * 200_000)
        small, big = inbox.claim()
        assert inbox.complete(small) == inbox.processed / "a.txt"
        assert (inbox.processed / "a.txt").read_text() == "T\n\nB" and not small.path.exists()
        with pytest.raises(OSError):  # the tmpfs is full: nothing half-copied, the original stays
            inbox.complete(big)
        assert big.path.exists() and sorted(p.name for p in inbox.processed.iterdir()) == ["a.txt"]
    finally:
        sp.run(["umount", str(inbox.processed)], capture_output=True)
