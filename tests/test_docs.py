"""The documentation: the README's headline figures are those of docs/benchmarks.md, which one
command writes; the site builds with ``mkdocs build --strict``, its command line reference
holds every command and option of the typer app, and the getting-started commands run."""

import html
import os
import re
import shlex
import subprocess
import sys

import typer.main

from classifier.cli import app
from tests.paths import ROOT

BENCHMARKS = ROOT / "docs" / "benchmarks.md"
GETTING_STARTED = ROOT / "docs" / "index.md"
# Material for MkDocs prints a banner about its successor on every build, unless told not to.
QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1"}
FENCED_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def test_benchmarks_page_names_the_command_that_wrote_it():
    text = BENCHMARKS.read_text(encoding="utf-8")
    assert "```sh\nboilerline evaluate " in text and "--markdown docs/benchmarks.md" in text


def test_readme_shows_the_models_row_of_the_benchmarks_systems_table():
    rows = [line for line in BENCHMARKS.read_text(encoding="utf-8").splitlines() if line.startswith("| boilerline-")]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert rows and rows[0] in readme


def test_site_builds_strictly_and_its_cli_reference_has_every_command_and_option(tmp_path):
    site = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **QUIET_MKDOCS},
    )
    assert build.returncode == 0, build.stderr
    page = (site / "cli" / "index.html").read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands
    assert commands
    # Each command's section runs from its heading to the next command's.
    starts = sorted((page.index(f'id="boilerline-{name}"'), name) for name in commands)
    ends = [start for start, _ in starts[1:]] + [len(page)]
    for (start, name), end in zip(starts, ends):
        section = html.unescape(re.sub(r"<[^>]+>", "", page[start:end]))
        command = commands[name]
        assert command.help.splitlines()[0] in section, name
        for param in command.params:
            if not param.hidden:
                for option in [*param.opts, *param.secondary_opts]:
                    assert option in section, f"{name} {option}"


def shown_blocks() -> list[tuple[str, str]]:
    """The fenced blocks of the getting-started page: (language, text), in order."""
    return FENCED_BLOCK.findall(GETTING_STARTED.read_text(encoding="utf-8"))


def test_getting_started_predict_commands_run_and_show_their_real_output(tmp_path):
    """Every ``boilerline predict`` on a seed page in docs/index.md runs (from a copy of the
    project root's layout), and the annotated output shown after one is the command's."""
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    blocks = shown_blocks()
    ran = 0
    for i, (language, text) in enumerate(blocks):
        if language != "sh":
            continue
        for line in text.splitlines():
            words = shlex.split(line, comments=True)
            if words[:2] != ["boilerline", "predict"] or not any(word.startswith("seeds/") for word in words):
                continue
            result = subprocess.run(
                [sys.executable, "-m", "classifier.cli", *words[1:]], cwd=tmp_path, capture_output=True, text=True,
            )
            assert result.returncode == 0, f"{line}\n{result.stderr}"
            assert result.stdout or (tmp_path / words[words.index("-o") + 1]).is_file(), line
            ran += 1
            if "annotated" in words:
                assert shows_runs_of(blocks[i + 1][1], result.stdout), line
    assert ran >= 3


def shows_runs_of(shown: str, printed: str) -> bool:
    """Whether ``shown`` is ``printed`` with some runs of lines left out, each as a line ``...``
    (trailing spaces aside)."""
    rows = [row.rstrip() for row in printed.splitlines()]
    runs = "\n".join(row.rstrip() for row in shown.splitlines()).split("\n...\n")
    at = 0
    for number, run in enumerate(runs):
        run = run.split("\n")
        found = next((start for start in range(at, len(rows) - len(run) + 1) if rows[start:start + len(run)] == run), None)
        if found is None or (number == 0 and found != 0):
            return False
        at = found + len(run)
    return at == len(rows)
