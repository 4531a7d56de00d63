"""The README's headline figures are those of docs/benchmarks.md, which one command writes."""

from tests.paths import ROOT

BENCHMARKS = ROOT / "docs" / "benchmarks.md"


def test_benchmarks_page_names_the_command_that_wrote_it():
    text = BENCHMARKS.read_text(encoding="utf-8")
    assert "```sh\nboilerline evaluate " in text and "--markdown docs/benchmarks.md" in text


def test_readme_shows_the_models_row_of_the_benchmarks_systems_table():
    rows = [line for line in BENCHMARKS.read_text(encoding="utf-8").splitlines() if line.startswith("| boilerline-")]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert rows and rows[0] in readme
