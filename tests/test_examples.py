"""The README's datatrove example runs as written on the bundled WARC (examples/crawl)."""

import gzip
import json
import subprocess
import sys

from tests.paths import ROOT

README = ROOT / "README.md"
COMMAND = "python examples/datatrove_pipeline.py examples/crawl out/"


def test_the_readme_datatrove_example_writes_the_content_lines_of_each_page(tmp_path):
    assert COMMAND in README.read_text(encoding="utf-8")
    out = tmp_path / "out"
    subprocess.run([sys.executable, "examples/datatrove_pipeline.py", "examples/crawl", str(out)], cwd=ROOT, check=True, capture_output=True)
    records = [json.loads(line) for line in gzip.open(out / "clean" / "00000.jsonl.gz", "rt", encoding="utf-8")]
    assert len(records) == 3
    stats = json.loads((out / "logs" / "stats.json").read_text())
    assert any("boilerline" in step["name"] and step["stats"]["total"] == 3 for step in stats)
    for record in records:
        labels = record["metadata"]["boilerline_labels"]
        assert "content" in labels and "chrome" in labels
        assert "©" not in record["text"] and "Home" not in record["text"].splitlines()
        assert record["metadata"]["boilerline_content_chars"] >= 200
