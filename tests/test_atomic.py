"""Atomic output: all or nothing, with the mode a plainly written file would have."""

import os
import socket
import stat
import subprocess
import sys
import threading

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


def test_a_stream_target_is_written_in_place_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    with atomic_output(fifo) as tmp, open(tmp, "w") as out:
        out.write("streamed\n")
    reader.join(timeout=10)
    assert received == ["streamed\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode) and list(tmp_path.iterdir()) == [fifo]


def test_temporaries_of_dead_writers_are_removed_and_those_of_live_ones_kept(tmp_path):
    target = tmp_path / "out.jsonl"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    stale = tmp_path / f".out.jsonl.{host}-{dead.pid}.abc123.tmp"
    live = tmp_path / f".out.jsonl.{host}-{os.getpid()}.def456.tmp"
    other_host = tmp_path / f".out.jsonl.elsewhere-{dead.pid}.ghi789.tmp"
    for path in (stale, live, other_host):
        path.write_text("half")
    with atomic_output(target) as tmp:
        tmp.write_text("done\n")
    assert sorted(tmp_path.iterdir()) == sorted([target, live, other_host])
