"""The only paths ``boilerline serve`` reads or writes: inside the folders given on its
command line.

A name that comes in a request (a file to open, a saved page, a model) is joined to its
folder and resolved, symbolic links and ``..`` included, before anything is read or
written; a path that resolves outside the folder is refused (``OutsideFolders``), so a
request can neither read ``/etc/passwd`` nor write beside the pages folder.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path

from classifier.io import JSONL_SUFFIXES, PARQUET_SUFFIXES, WARC_SUFFIXES

# Files listed per --open folder: the list is for a person to pick from, and walking a huge
# folder on every listing would stall the page.
MAX_LISTED_FILES = 2000
# Files of many pages each, which the page opens none of (it shows one page at a time).
MULTI_PAGE_SUFFIXES = (*JSONL_SUFFIXES, *WARC_SUFFIXES, *PARQUET_SUFFIXES)
SAVED_SUFFIX = ".jsonl"
MODEL_SUFFIX = ".joblib"
# Characters of a page id kept in its saved file's name (the name also carries a hash of the id).
SAVED_NAME_CHARS = 80
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^\w.-]+")


class OutsideFolders(PermissionError):
    """A requested path that resolves outside the folders given on the command line."""


def inside(folder: Path, name: str) -> Path:
    """``folder / name`` resolved; OutsideFolders when that is not inside ``folder``."""
    root = folder.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):
        raise OutsideFolders(f"{name}: outside the folders given on the command line; nothing was read or written")
    return path


def existing_file(folder: Path, name: str) -> Path:
    """The file ``name`` inside ``folder``; FileNotFoundError when there is none."""
    path = inside(folder, name)
    if not path.is_file():
        raise FileNotFoundError(f"{name}: no such file in {folder}")
    return path


def openable_files(folder: Path) -> tuple[list[str], bool]:
    """The files of ``folder`` a page can be opened from (inside it once links are followed,
    not hidden, not of many pages), as paths relative to it, and whether MAX_LISTED_FILES cut
    the list."""
    root = folder.resolve()
    found = (
        path for path in folder.rglob("*")
        if path.is_file() and not is_hidden(path.relative_to(folder)) and not path.name.lower().endswith(MULTI_PAGE_SUFFIXES)
        and path.resolve().is_relative_to(root)
    )
    files = sorted(path.relative_to(folder).as_posix() for path in itertools.islice(found, MAX_LISTED_FILES + 1))
    return files[:MAX_LISTED_FILES], len(files) > MAX_LISTED_FILES


def is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def saved_pages(pages: Path) -> list[str]:
    """The names of the pages saved in the pages folder."""
    return sorted(path.name for path in pages.glob(f"*{SAVED_SUFFIX}") if path.is_file() and not path.name.startswith("."))


def saved_name(page_id: str) -> str:
    """The file a page is saved to: its id made safe for a file name, and a hash of the id,
    so that two ids made the same by the first part still get two files."""
    readable = _UNSAFE_NAME_CHARACTERS.sub("_", page_id).strip("._")[:SAVED_NAME_CHARS] or "page"
    return f"{readable}-{hashlib.sha256(page_id.encode('utf-8')).hexdigest()[:8]}{SAVED_SUFFIX}"


def trained_models(models: Path | None) -> list[str]:
    """The model files of the models folder that have their metadata beside them, newest first."""
    if models is None or not models.is_dir():
        return []
    found = [path for path in models.glob(f"*{MODEL_SUFFIX}") if path.with_suffix(".json").is_file()]
    return [path.name for path in sorted(found, key=lambda path: path.stat().st_mtime, reverse=True)]
