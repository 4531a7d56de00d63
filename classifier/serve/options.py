"""What ``boilerline serve`` is started with: the folders it may touch and its limits.

Kept apart from the app so the command line can name the defaults without importing
Starlette (the CLI's start-up must stay fast, and ``serve`` is an optional extra).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
# Not 8000 or 8080, which other local development servers often hold.
DEFAULT_PORT = 8765
# Of 2,295 pages of four datasets of ../shared/data (dragnet, cleaneval, readability,
# arabic) the largest HTML is 1.6 MB and the median 50 KB: 10 MB takes any real page
# pasted whole, and keeps one request from filling the server's memory.
DEFAULT_MAX_BODY_BYTES = 10_000_000


@dataclass(frozen=True, kw_only=True)
class ServeOptions:
    """``pages``: where corrected pages are saved and read back; ``open_dirs``: folders whose
    files may be opened; ``data_dirs``: training data added to the saved pages when retraining;
    ``models``: where retrained models go (None: no retraining); ``model``: the model chosen
    first (None: the shipped one)."""

    pages: Path
    open_dirs: tuple[Path, ...] = ()
    data_dirs: tuple[Path, ...] = ()
    models: Path | None = None
    model: Path | None = None
    host: str = DEFAULT_HOST
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    def __post_init__(self) -> None:
        names = [folder.name for folder in self.open_dirs]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:  # a page's id, and so its saved file, is named after its folder
            raise ValueError(f"two --open folders are named {twice[0]!r}; give folders with different names")

    @property
    def loopback_only(self) -> bool:
        """Bound to this machine alone (127.0.0.1, ::1 or localhost)."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:  # a host name
            return False
