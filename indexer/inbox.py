"""The inbox: which files are ready, claiming them under a lease, and where they end up.

    inbox/a.txt --claim (rename)--> processing/<claim>/a.txt --+--> processed/a.txt
                                                               +--> failed/a.txt + a.txt.error.json
                                                               +--> inbox/a.txt (given back: ES down, a stop)

A claim folder holds a lease (`.lease`: owner, host, pid, expiry) that its watcher renews while it
works. Any watcher, on any host sharing the folder, gives back the files of a claim whose lease has
expired; a live lease is never taken. (On the claimer's own host, a claim whose process is gone is
given back at once.)
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
import socket
import stat
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .config import Settings
from .errors import NotFound
from .processes import pid_alive
from .sources import format_of

TEMPORARY_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp",
                      ".filepart", ".!sync", "~")
LEASE_FILE = ".lease"


@dataclass(frozen=True)
class ClaimedFile:
    relative: Path  # path relative to the inbox, kept in processed/ and failed/
    path: Path  # where the file is now
    size: int
    destination: Path | None = None  # where it goes in processed/, chosen when claimed


@dataclass
class Scan:
    """What a look at the inbox found."""

    ready: list[Path] = field(default_factory=list)  # complete files of a format we read
    rejected: list[tuple[Path, str]] = field(default_factory=list)  # entries we will not read, and why


@dataclass(frozen=True)
class FailedFile:
    """A file in failed/ and why it failed (from its sidecar)."""

    relative: str  # path below failed/, as `Inbox.retry` takes it
    reason: str
    failed_at: str | None = None
    records: list[dict] = field(default_factory=list)  # the records that failed, for a file of several


@dataclass(frozen=True)
class InboxStatus:
    """How many files are in each area now, and the failed ones with their reasons."""

    inbox: int
    processing: int
    processed: int
    failed: int
    failed_files: list[FailedFile] = field(default_factory=list)


def is_visible(path: Path, root: Path) -> bool:
    """Not hidden and not a temporary name (an editor's or a download's)."""
    relative = path.relative_to(root)
    if any(part.startswith((".", "~", "_")) for part in relative.parts):
        return False
    return not path.name.lower().endswith(TEMPORARY_SUFFIXES)


class Lease:
    """This process's claim folder and its lease, renewed by a heartbeat thread while it holds files."""

    def __init__(self, processing: Path, seconds: float):
        self.seconds = seconds
        self.host = socket.gethostname()
        self.folder = processing / f"{self.host}-{os.getpid()}-{secrets.token_hex(3)}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def renew(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = {"owner": self.folder.name, "host": self.host, "pid": os.getpid(),
                   "expires_at": time.time() + self.seconds}
        partial = self.folder / f"{LEASE_FILE}.{os.getpid()}"
        partial.write_text(json.dumps(payload))
        os.replace(partial, self.folder / LEASE_FILE)

    def hold(self) -> None:
        """Take the lease (again) and keep it renewed until `release`."""
        self.renew()
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._beat, name="presswatch-lease", daemon=True)
            self._thread.start()

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def _beat(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            try:
                self.renew()
            except OSError:
                pass  # the next beat tries again; an expired lease only means the files are redone


def lease_expired(folder: Path, *, now: float | None = None) -> bool:
    """Whether a claim folder's lease has run out (or its owner, on this host, is gone)."""
    now = now or time.time()
    try:
        lease = json.loads((folder / LEASE_FILE).read_text())
        expires_at, host, pid = float(lease["expires_at"]), lease["host"], int(lease["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        # No lease (a claim of an older version, or one being written): its age says.
        try:
            return now - folder.stat().st_mtime > 600
        except OSError:
            return False
    if host == socket.gethostname() and not pid_alive(pid):
        return True
    return now > expires_at


class Inbox:
    def __init__(self, settings: Settings, *, settle_seconds: float = 1.0):
        self.root = settings.inbox
        self.processing = settings.processing_dir
        self.processed = settings.processed_dir
        self.failed = settings.failed_dir
        self.settle_seconds = settle_seconds
        self.follow_symlinks = settings.follow_symlinks
        self.lease = Lease(self.processing, settings.lease_seconds)

    def ensure(self) -> None:
        for folder in (self.root, self.processing, self.processed, self.failed):
            folder.mkdir(parents=True, exist_ok=True)

    # -- looking -------------------------------------------------------------------------------
    def scan(self) -> Scan:
        """Visible entries not modified for `settle_seconds` (a newer one may still be being written):
        the files we read, and what we will not read (an unsupported type, a FIFO, a symlink out of
        the inbox or in a loop)."""
        scan = Scan()
        if not self.root.exists():
            return scan
        now = time.time()
        for path in self._entries():
            try:
                info = path.lstat()
            except OSError:
                continue  # gone meanwhile
            if now - info.st_mtime < self.settle_seconds:
                continue
            reason = self._refusal(path, info)
            if reason:
                scan.rejected.append((path, reason))
            else:
                scan.ready.append(path)
        return scan

    def ready_files(self) -> list[Path]:
        return self.scan().ready

    def settled_files(self) -> list[Path]:
        """Everything a claim would take or fail now."""
        scan = self.scan()
        return scan.ready + [path for path, _ in scan.rejected]

    def _entries(self) -> list[Path]:
        """Visible non-folder entries below the root, without following links to folders."""
        entries = []
        for folder, dirs, files in os.walk(self.root):
            base = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "~", "_")))
            linked = [d for d in dirs if (base / d).is_symlink()]  # links to folders are not followed:
            dirs[:] = [d for d in dirs if d not in linked]  # they are refused, with the reason
            entries.extend(base / name for name in [*files, *linked] if is_visible(base / name, self.root))
        return sorted(entries)

    def _refusal(self, path: Path, info: os.stat_result) -> str | None:
        if stat.S_ISLNK(info.st_mode):
            try:
                target = path.resolve(strict=True)
                info = target.stat()
            except RuntimeError:
                return "a symlink loop"
            except OSError as exc:
                return f"a symlink to nothing readable ({exc.strerror or exc})"
            if not self.follow_symlinks and not target.is_relative_to(self.root.resolve()):
                return (f"a symlink to {target}, outside the inbox; set PRESSWATCH_FOLLOW_SYMLINKS=1 "
                        "to read such links")
            if stat.S_ISDIR(info.st_mode):
                return f"a symlink to a folder ({target}): links to folders are not followed"
        if not stat.S_ISREG(info.st_mode):
            return f"not a regular file ({_file_kind(info.st_mode)})"
        if format_of(path) is None:
            return f"unsupported file type {path.suffix or '(none)'!r}"
        return None

    # -- claiming and settling -----------------------------------------------------------------
    def claim(self, paths: list[Path] | None = None, *, max_files: int | None = None,
              max_bytes: int | None = None) -> list[ClaimedFile]:
        """Move ready files into this process's claim folder, under its lease (at most `max_files`
        files and about `max_bytes`). A file another watcher took first is skipped."""
        self.ensure()
        self.lease.hold()
        claimed: list[ClaimedFile] = []
        total = 0
        for path in paths if paths is not None else self.ready_files():
            if max_files is not None and len(claimed) >= max_files:
                break
            if max_bytes is not None and claimed and total >= max_bytes:
                break
            relative = path.relative_to(self.root)
            target = self.lease.folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                size = path.lstat().st_size
                os.rename(path, target)  # atomic: exactly one claimer wins
            except FileNotFoundError:
                continue
            total += size
            claimed.append(ClaimedFile(relative, target, size, _free_name(self.processed / relative)))
        return claimed

    def complete(self, claimed: ClaimedFile) -> Path:
        return self._move(claimed, self.processed, claimed.destination)

    def fail(self, claimed: ClaimedFile, reason: str, *, records: list[dict] | None = None) -> Path:
        """Move the file to failed/ with a sidecar saying why. A file gone meanwhile (deleted, or
        taken over after an expired lease) still gets its sidecar."""
        try:
            target = self._move(claimed, self.failed)
        except FileNotFoundError:
            target = _free_name(self.failed / claimed.relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            reason = f"{reason} (the file was gone before it could be moved here)"
        write_sidecar(target, reason, records=records)
        return target

    def release(self, claimed: ClaimedFile) -> Path:
        """Put a file back where it was, untouched, to be taken again later."""
        return self._move(claimed, self.root)

    def done(self) -> None:
        """No claim is held any more: stop renewing the lease and remove the empty claim folder."""
        self.lease.release()
        if self.lease.folder.exists() and not any(p.is_file() and p.name != LEASE_FILE
                                                  for p in self.lease.folder.rglob("*")):
            shutil.rmtree(self.lease.folder, ignore_errors=True)

    def recover(self) -> int:
        """Give back the files of claims whose lease has expired. Returns how many."""
        if not self.processing.exists():
            return 0
        count = 0
        for folder in self.processing.iterdir():
            if folder == self.lease.folder or not folder.is_dir() or not lease_expired(folder):
                continue
            for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != LEASE_FILE):
                relative = path.relative_to(folder)
                try:
                    self._move(ClaimedFile(relative, path, 0), self.root)
                    count += 1
                except FileNotFoundError:
                    continue  # another watcher gave it back first
            shutil.rmtree(folder, ignore_errors=True)
        return count

    # -- status and retry ------------------------------------------------------------------
    def status(self, *, failed_limit: int = 200, reasons: bool = True) -> InboxStatus:
        """Files in each area (in the inbox: what a scan looks at), and (with `reasons`) the newest
        `failed_limit` failed files with theirs."""
        return InboxStatus(inbox=len(self._entries()) if self.root.exists() else 0,
                           processing=_count_files(self.processing), processed=_count_files(self.processed),
                           failed=_count_files(self.failed),
                           failed_files=self.failed_files()[:failed_limit] if reasons else [])

    def failed_files(self) -> list[FailedFile]:
        """The files in failed/, newest first, each with the reason its sidecar gives."""
        if not self.failed.exists():
            return []
        found = []
        for path in self.failed.rglob("*"):
            relative = path.relative_to(self.failed)
            if path.name.endswith(".error.json") or any(p.startswith(".") for p in relative.parts) \
                    or not path.is_file():
                continue
            try:
                modified = path.stat().st_mtime
            except OSError:  # retried or removed meanwhile
                continue
            payload = _read_sidecar(sidecar_path(path))
            found.append((modified, FailedFile(
                str(relative), payload.get("reason") or "no reason was recorded",
                payload.get("failed_at"), payload.get("records") or [])))
        return [f for _, f in sorted(found, key=lambda pair: pair[0], reverse=True)]

    def retry(self, relative: str) -> Path:
        """Move a failed file back to the inbox, to be ingested again, and remove its sidecar.
        `relative` is a path below failed/ (`FailedFile.relative`); anything outside it is refused."""
        try:
            path = (self.failed / relative).resolve()
            found = path.is_relative_to(self.failed.resolve()) and not path.name.endswith(".error.json") \
                and path.is_file()
        except (OSError, ValueError):  # a NUL byte, a name too long
            found = False
        if not found:
            raise NotFound(f"no failed file {relative!r} in {self.failed}")
        target = _free_name(self.root / path.relative_to(self.failed.resolve()))
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        sidecar_path(path).unlink(missing_ok=True)
        return target

    def _move(self, claimed: ClaimedFile, area: Path, target: Path | None = None) -> Path:
        if target is None or target.exists():
            target = _free_name(area / claimed.relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(claimed.path, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            _copy_across(claimed.path, target)  # processed/ or failed/ on another file system
        return target


def _copy_across(source: Path, target: Path) -> None:
    """Move a file to another file system: copied under a hidden name, renamed, then the original
    removed. A copy that fails (a full disk) leaves nothing behind and the original where it was."""
    partial = target.with_name(f".{target.name[:200]}.{os.getpid()}.partial")
    try:
        shutil.copy2(source, partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    source.unlink()


MAX_NAME_BYTES = 255  # of one path component, on the file systems we know


def sidecar_path(target: Path) -> Path:
    """`FILE.error.json` beside FILE; for a name too long to take the suffix, a shortened name with a
    hash of the full one (the sidecar's "file" field names the file in full)."""
    name = target.name + ".error.json"
    if len(os.fsencode(name)) <= MAX_NAME_BYTES:
        return target.with_name(name)
    digest = hashlib.sha256(os.fsencode(target.name)).hexdigest()[:12]
    stem = os.fsdecode(os.fsencode(target.name)[:MAX_NAME_BYTES - 40])
    return target.with_name(f"{stem}~{digest}.error.json")


def write_sidecar(target: Path, reason: str, *, records: list[dict] | None = None) -> Path:
    sidecar = sidecar_path(target)
    payload = {"file": target.name, "reason": reason,
               "failed_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    if records:
        payload["records"] = records
    try:
        text = json.dumps(payload, indent=2, ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a file name that is not UTF-8: escaped, so the JSON stays valid
        text = json.dumps(payload, indent=2).encode()
    sidecar.write_bytes(text + b"\n")
    return sidecar


def _read_sidecar(sidecar: Path) -> dict:
    try:
        payload = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return payload if isinstance(payload, dict) else {}


def _count_files(folder: Path) -> int:
    """Visible files below `folder`, not counting sidecars and leases."""
    if not folder.exists():
        return 0
    count = 0
    for base, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        count += sum(1 for name in files if not name.startswith(".") and not name.endswith(".error.json"))
    return count


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "not a file"


def _free_name(path: Path) -> Path:
    """`path`, or `name.2.ext`, `name.3.ext`... when a file of that name is already there."""
    if not path.exists():
        return path
    for n in range(2, 100_000):
        candidate = path.with_name(f"{path.stem}.{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(path)
