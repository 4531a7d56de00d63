"""Atomic output: all or nothing, with the mode a plainly written file would have."""

import os

import pytest

from classifier.atomic import atomic_output


def test_output_appears_whole_with_the_umask_mode(tmp_path):
    target = tmp_path / "out.jsonl"
    old = os.umask(0o022)
    try:
        with atomic_output(target) as tmp:
            tmp.write_text("done\n")
            assert not target.exists()
    finally:
        os.umask(old)
    assert target.read_text() == "done\n"
    assert target.stat().st_mode & 0o777 == 0o644
    assert list(tmp_path.iterdir()) == [target]


def test_failed_output_leaves_nothing(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []
