"""uchardet against charset-normalizer on pages re-encoded in legacy encodings, no declaration.

    python bench/encodings.py [--data ../shared/data] [--pages 12]

The evidence for the order in ``classifier/encoding.py``. Each page's text (its first three
lines, all its lines) and its HTML (``<meta>`` charsets removed) are encoded in a legacy
encoding of its language, dropping characters the encoding lacks; a detector is right when
its decoding gives back exactly that text. Pure-ASCII samples are left out (nothing to detect).
Arabic: the hand-labeled pages in windows-1256 and ISO-8859-6; other languages: the first
``--pages`` pages of that language in a few gold sets.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from charset_normalizer import from_bytes
from resiliparse.parse.encoding import detect_encoding

ROOT = Path(__file__).resolve().parent.parent
LEGACY = {"de": "cp1252", "fr": "cp1252", "es": "cp1252", "pl": "cp1250", "ru": "cp1251", "el": "cp1253", "zh": "gb18030", "ja": "shift_jis"}
OTHER_SETS = ("daniel", "trafilatura_eval", "newspaper3k_fixtures")
_META_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>", re.IGNORECASE)


def uchardet(data: bytes) -> str | None:
    try:
        return data.decode(detect_encoding(data))
    except UnicodeDecodeError:
        return None


def charset_normalizer(data: bytes) -> str | None:
    best = from_bytes(data).best()
    return str(best) if best is not None else None


def samples(data_dir: Path, per_language: int):
    """(language, encoding, sample kind, text) to encode."""
    def forms(lines: list[str], html: str):
        return {"3 lines": "\n".join(lines[:3]), "text": "\n".join(lines), "html": _META_CHARSET.sub("", html)}

    with gzip.open(data_dir / "arabic.jsonl.gz", "rt", encoding="utf-8") as handle:
        for record in map(json.loads, handle):
            if record["lang"] == "ar":
                for encoding in ("cp1256", "iso8859-6"):
                    for kind, text in forms(record["lines"], record["html"]).items():
                        yield "ar", encoding, kind, text
    taken: Counter = Counter()
    for name in OTHER_SETS:
        with gzip.open(data_dir / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
            for record in map(json.loads, handle):
                lang = record.get("lang")
                if lang in LEGACY and taken[lang] < per_language and record.get("gold"):
                    taken[lang] += 1
                    for kind, text in forms(record["gold"].split("\n"), record["html"]).items():
                        yield lang, LEGACY[lang], kind, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--pages", type=int, default=12, help="Pages per non-Arabic language.")
    args = parser.parse_args()
    right: dict[tuple, Counter] = defaultdict(Counter)
    for lang, encoding, kind, text in samples(args.data, args.pages):
        data = text.encode(encoding, errors="ignore")
        if data.isascii():
            continue
        truth = data.decode(encoding)
        cell = right[lang, encoding, kind]
        cell["samples"] += 1
        cell["uchardet"] += uchardet(data) == truth
        cell["charset-normalizer"] += charset_normalizer(data) == truth
    print(f"{'language':<9} {'encoding':<10} {'sample':<8} {'n':>4} {'uchardet':>9} {'charset-normalizer':>19}")
    for (lang, encoding, kind), cell in sorted(right.items()):
        print(f"{lang:<9} {encoding:<10} {kind:<8} {cell['samples']:>4} {cell['uchardet']:>9} {cell['charset-normalizer']:>19}")


if __name__ == "__main__":
    main()
