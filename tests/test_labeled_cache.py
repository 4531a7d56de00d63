"""The label cache is found again by content, not by file dates."""

import os
import shutil

from training.labeled_cache import cache_path


def test_cache_path_follows_the_bytes_and_the_labeler_version(tmp_path):
    source = tmp_path / "news.jsonl.gz"
    source.write_bytes(b'{"id": "1"}\n')
    copy = tmp_path / "copy" / "news.jsonl.gz"
    copy.parent.mkdir()
    shutil.copy(source, copy)
    os.utime(copy, (1, 1))  # a fresh checkout or mount: other modification times
    cache = tmp_path / "cache"
    assert cache_path(cache, copy, "news", "3") == cache_path(cache, source, "news", "3")
    assert cache_path(cache, source, "news", "4") != cache_path(cache, source, "news", "3")
    copy.write_bytes(b'{"id": "2"}\n')
    assert cache_path(cache, copy, "news", "3") != cache_path(cache, source, "news", "3")
