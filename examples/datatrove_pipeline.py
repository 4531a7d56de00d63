"""A datatrove pipeline with boilerline's step: WARC files -> content lines -> JSONL.

    python examples/datatrove_pipeline.py examples/crawl out/

reads every ``*.warc.gz`` of the first folder (``examples/crawl`` holds three HTML pages of
``tests/fixtures`` as WARC responses), keeps each page's content lines, and writes
``OUT/clean/00000.jsonl.gz``, the pages it dropped to ``OUT/excluded/`` and datatrove's logs
and stats to ``OUT/logs/``. Needs the datatrove extra (``pip install 'boilerline[datatrove]'``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import WarcReader
from datatrove.pipeline.writers import JsonlWriter

from classifier.integrations.datatrove import BoilerlineFilter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("crawl", type=Path, help="folder of *.warc.gz files")
    parser.add_argument("out", type=Path, help="folder for clean/, excluded/ and logs/")
    parser.add_argument("--min-content-chars", type=int, default=200, help="drop pages with fewer content characters")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    LocalPipelineExecutor(
        pipeline=[
            WarcReader(str(args.crawl), glob_pattern="*.warc.gz"),
            BoilerlineFilter(min_content_chars=args.min_content_chars, exclusion_writer=JsonlWriter(str(args.out / "excluded"))),
            JsonlWriter(str(args.out / "clean")),
        ],
        tasks=args.workers, workers=args.workers, logging_dir=str(args.out / "logs"),
    ).run()


if __name__ == "__main__":
    main()
