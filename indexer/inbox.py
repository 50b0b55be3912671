"""The inbox: which files are ready, claiming them atomically, and where they end up.

    inbox/a.txt --claim (rename)--> processing/<host>-<pid>/a.txt --+--> processed/a.txt
                                                                    +--> failed/a.txt + a.txt.error.json
                                                                    +--> inbox/a.txt (released: ES down)
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .config import Settings
from .processes import pid_alive
from .sources import format_of

TEMPORARY_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp",
                      ".filepart", ".!sync", "~")


@dataclass(frozen=True)
class ClaimedFile:
    relative: Path  # path relative to the inbox, kept in processed/ and failed/
    path: Path  # where the file is now
    size: int


def is_visible(path: Path, root: Path) -> bool:
    """Not hidden and not a temporary name (an editor's or a download's)."""
    relative = path.relative_to(root)
    if any(part.startswith((".", "~", "_")) for part in relative.parts):
        return False
    return not path.name.lower().endswith(TEMPORARY_SUFFIXES)


class Inbox:
    def __init__(self, settings: Settings, *, settle_seconds: float = 1.0):
        self.root = settings.inbox
        self.processing = settings.processing_dir
        self.processed = settings.processed_dir
        self.failed = settings.failed_dir
        self.settle_seconds = settle_seconds
        self.token = f"{socket.gethostname()}-{os.getpid()}"

    def ensure(self) -> None:
        for folder in (self.root, self.processing, self.processed, self.failed):
            folder.mkdir(parents=True, exist_ok=True)

    def ready_files(self) -> list[Path]:
        """Complete files of a format we read."""
        return [p for p in self.settled_files() if format_of(p) is not None]

    def unsupported_files(self) -> list[Path]:
        """Complete files of a type we don't read (they go to failed/ with the reason)."""
        return [p for p in self.settled_files() if format_of(p) is None]

    def settled_files(self) -> list[Path]:
        """Visible files not modified for `settle_seconds`: a newer one may still be being written."""
        if not self.root.exists():
            return []
        now = time.time()
        settled = []
        for path in sorted(self.root.rglob("*")):
            try:
                if path.is_file() and is_visible(path, self.root) and \
                        now - path.stat().st_mtime >= self.settle_seconds:
                    settled.append(path)
            except FileNotFoundError:
                continue
        return settled

    def claim(self, paths: list[Path] | None = None, *, max_files: int | None = None) -> list[ClaimedFile]:
        """Move ready files into this process's processing folder. A file another watcher took first is skipped."""
        self.ensure()
        claimed = []
        for path in (paths if paths is not None else self.ready_files())[:max_files]:
            relative = path.relative_to(self.root)
            target = self.processing / self.token / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                size = path.stat().st_size
                os.rename(path, target)  # atomic: exactly one claimer wins
            except FileNotFoundError:
                continue
            claimed.append(ClaimedFile(relative, target, size))
        return claimed

    def complete(self, claimed: ClaimedFile) -> Path:
        return self._move(claimed, self.processed)

    def fail(self, claimed: ClaimedFile, reason: str, *, records: list[dict] | None = None) -> Path:
        target = self._move(claimed, self.failed)
        write_sidecar(target, reason, records=records)
        return target

    def release(self, claimed: ClaimedFile) -> Path:
        """Put a file back where it was, untouched, to be taken again later."""
        return self._move(claimed, self.root)

    def recover(self) -> int:
        """Give back files that a crashed or killed process had claimed. Returns how many."""
        if not self.processing.exists():
            return 0
        count = 0
        host = socket.gethostname()
        for folder in self.processing.iterdir():
            owner_host, _, pid = folder.name.rpartition("-")
            if owner_host != host or not pid.isdigit():
                continue
            if folder.name != self.token and pid_alive(int(pid)):
                continue  # another live watcher's work
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                self._move(ClaimedFile(path.relative_to(folder), path, 0), self.root)
                count += 1
            shutil.rmtree(folder, ignore_errors=True)
        return count

    def _move(self, claimed: ClaimedFile, area: Path) -> Path:
        target = _free_name(area / claimed.relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(claimed.path, target)
        return target


def write_sidecar(target: Path, reason: str, *, records: list[dict] | None = None) -> Path:
    sidecar = target.with_name(target.name + ".error.json")
    payload = {"file": target.name, "reason": reason,
               "failed_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    if records:
        payload["records"] = records
    sidecar.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return sidecar


def _free_name(path: Path) -> Path:
    """`path`, or `name.2.ext`, `name.3.ext`... when a file of that name is already there."""
    if not path.exists():
        return path
    for n in range(2, 100_000):
        candidate = path.with_name(f"{path.stem}.{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(path)
