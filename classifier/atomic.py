"""Atomic file output: write beside the target, then rename, so no half-written file is left.

A process killed while writing (SIGKILL, power loss) cannot remove its temporary file. The
temporary file's name says which process wrote it (``.out.jsonl.<host>-<pid>.<random>.tmp``),
so the next write of the same target removes those of processes of this host that are gone.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; move it onto ``path`` on success.

    A target that exists and is not a regular file (``/dev/stdout``, a named pipe, a
    device) is yielded itself: it cannot be replaced, and a stream has no half-written state
    to avoid."""
    path = Path(path)
    if path.exists() and not path.is_file():
        yield path
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:  # a file where a folder of the path should be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), error.filename) from None
    remove_stale_temporaries(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{_writer()}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file private (0600); the output gets the usual mode instead.
        tmp.chmod(0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files of ``path`` left by processes of this host that no longer run."""
    pattern = re.compile(re.escape(f".{path.name}.{socket.gethostname()}-") + r"(\d+)\.[^.]+\.tmp")
    for candidate in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        match = pattern.fullmatch(candidate.name)
        if match and not _running(int(match.group(1))):
            candidate.unlink(missing_ok=True)


def _writer() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
