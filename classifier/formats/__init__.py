"""The file formats pages come in and go out as, one module each.

``records`` holds what every format shares (lines of a text, a URL's host, the output record
of a classified page); ``text`` writes JSONL, cleaned text and annotated output; ``warc``
reads WARC and WET files; ``parquet`` reads and writes Parquet. They import ``records`` and
nothing above it: ``classifier.io`` chooses among them by file name and format.
"""
