"""Where evaluation figures come from: the command, the data and its digest, the date, the
machine and the versions of every library in play. The HTML report and docs/benchmarks.md
print it above their tables."""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path

from classifier.page import Page
from classifier.persistence import library_versions
from training.baselines import HTML_EXTRACTORS
from training.train import data_digest


@dataclass(frozen=True)
class Provenance:
    title: str
    command: str
    data: list[str]
    n_pages: int
    data_sha256: str
    created: str
    versions: dict[str, str]
    machine: str


def provenance(title: str, command: str, data: Sequence[Path], pages: Sequence[Page], baselines: Iterable[str]) -> Provenance:
    """Now, this machine, the versions of the libraries in play, and the pages' digest (the
    one a model's metadata records for its training data)."""
    return Provenance(
        title=title, command=command, data=[str(path) for path in data], n_pages=len(pages), data_sha256=data_digest(pages),
        created=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), versions=versions(baselines), machine=machine(),
    )


def machine() -> str:
    """Throughput figures mean little without the machine they were measured on."""
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} logical cores, {_cpu_model() or 'unknown CPU'}"


def _cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def versions(baselines: Iterable[str]) -> dict[str, str]:
    """The libraries a model's metadata records, plus the package of each HTML baseline and matplotlib."""
    found = library_versions()
    recorded = {name.lower() for name in found}
    distributions = importlib_metadata.packages_distributions()
    packages = [HTML_EXTRACTORS[name].package for name in baselines if name in HTML_EXTRACTORS] + ["matplotlib"]
    for package in packages:
        for distribution in distributions.get(package, [package]):
            if distribution.lower() not in recorded:
                found[distribution] = importlib_metadata.version(distribution)
    return found
