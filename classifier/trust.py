"""The user's trust list: the sha256 of every model file this user trusts to be unpickled.

A joblib model file is a pickle, and unpickling runs whatever code the file names. The
sha256 in the metadata beside a model only shows that the two files belong together, not
where they came from; so ``load_model`` asks this list (the shipped model aside) before it
unpickles anything. ``save_model`` adds every model this user trains, and a model loaded
once with ``trust=True`` (``--trust-model``) is added too.

The list is a plain text file, ``$BOILERLINE_TRUSTED`` or
``$XDG_CONFIG_HOME/boilerline/trusted-models.txt`` (``~/.config`` by default). Each line is a
sha256, then the path it was recorded from, as ``sha256sum`` prints it, so
``sha256sum my.joblib >> ~/.config/boilerline/trusted-models.txt`` trusts a file by hand.
Empty lines and lines starting with ``#`` are ignored.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from classifier.atomic import atomic_output

TRUST_LIST_ENV = "BOILERLINE_TRUSTED"
TRUST_LIST_NAME = "trusted-models.txt"
HEADER = (
    "# Model files boilerline may load: a model file is a pickle, which can run code when loaded.\n"
    "# One per line: its sha256, then the path it was recorded from (sha256sum's format).\n"
)
_SHA256 = re.compile(r"[0-9a-f]{64}")


def trust_list_path() -> Path:
    """``$BOILERLINE_TRUSTED``, else ``trusted-models.txt`` in the XDG config folder."""
    chosen = os.environ.get(TRUST_LIST_ENV)
    if chosen:
        return Path(chosen).expanduser()
    config_home = os.environ.get("XDG_CONFIG_HOME") or "~/.config"
    return Path(config_home).expanduser() / "boilerline" / TRUST_LIST_NAME


def trusted_sha256s(list_path: Path) -> set[str]:
    """The sha256s listed in ``list_path``; none when the file does not exist."""
    try:
        text = list_path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return set()
    return listed_sha256s(text)


def listed_sha256s(text: str) -> set[str]:
    """The sha256 at the start of every entry line of a trust list's text."""
    first_words = (line.split(maxsplit=1)[0].lower() for line in text.splitlines() if line.strip())
    return {word for word in first_words if _SHA256.fullmatch(word)}


def record_trusted(sha256: str, model_path: Path, list_path: Path) -> None:
    """Add ``sha256`` (recorded from ``model_path``) to the list unless it is there already.

    Read, add and write happen under a lock, and the write is atomic, so two processes
    recording at once both get their line in and a reader never sees half a file.
    """
    with _locked(list_path):
        text = list_path.read_text(encoding="utf-8") if list_path.is_file() else HEADER
        if sha256 in listed_sha256s(text):
            return
        if text and not text.endswith("\n"):
            text += "\n"
        with atomic_output(list_path) as tmp:
            tmp.write_text(f"{text}{sha256}  {model_path.resolve()}\n", encoding="utf-8")


@contextmanager
def _locked(list_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on a lock file beside the list (the list itself is replaced
    by each write, so it cannot carry the lock). The lock file is left in place: removing
    it would let two processes lock different files."""
    list_path.parent.mkdir(parents=True, exist_ok=True)
    with open(list_path.with_name(list_path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
