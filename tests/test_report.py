"""`boilerline evaluate --report DIR`: the model's p(content) carried through evaluation and
cross-validation, the HTML report, and the report opened in headless Chromium."""

import json
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier.cli import app
from classifier.html import render_html
from classifier.labeled import read_labeled_pages
from classifier.predictor import labels_of
from classifier.page import Page
from tests.paths import GOLD
from tests.test_baselines import ARTICLE_HTML, is_content_line
from training import html_report
from training.evaluate import cross_validate, evaluate
from training.html_report import REPORT_FILE, line_row, write_report
from training.provenance import provenance
from training.labeling import line_labels
from training.train import train

runner = CliRunner()

# A hand-labeled Arabic page: right-to-left lines for the report to show in their direction.
ARABIC_LINES = [
    "الرئيسية | أخبار | رياضة | اتصل بنا",
    "",
    "وزير المالية: الميزانية ستنمو العام المقبل",
    "",
    "قال وزير المالية يوم الاثنين إن الميزانية التي أقرها البرلمان ستنمو بنسبة خمسة في المئة، وإن الحكومة لن ترفع الضرائب.",
    "وأضاف أن الإنفاق على التعليم والصحة سيزيد في كل المحافظات من الشمال إلى الجنوب خلال العام المقبل.",
    "",
    "أرسل هذا الخبر لأصدقائك",
    "اقرأ أيضا: أسعار النفط ترتفع",
    "جميع الحقوق محفوظة © 2024",
]
ARABIC_LABELS = ["chrome", None, "content", None, "content", "content", None, "chrome", "chrome", "chrome"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A model of the two seed pages: the shipped one may be in the middle of a retraining."""
    out = tmp_path_factory.mktemp("model") / "tiny.joblib"
    train(list(read_labeled_pages(GOLD)), out, seed=3, synthetic_per_direction=0)
    return out


@pytest.fixture(scope="module")
def labeled_with_html(tmp_path_factory) -> Path:
    """Pages the tiny model never saw: the fixture article with its HTML and link counts (so
    the HTML baselines run), and an Arabic page of a known kind."""
    lines, link_chars, _structure = render_html(ARTICLE_HTML)
    records = [
        {"id": "article", "lines": lines, "labels": line_labels(lines, [is_content_line(line) for line in lines]),
         "link_chars": link_chars, "lang": "en", "site": "coastalgazette.example", "html": ARTICLE_HTML},
        {"id": "arabic-budget", "lines": ARABIC_LINES, "labels": ARABIC_LABELS, "lang": "ar", "site": "akhbar.example",
         "kind": "arabic-content-arabic-chrome"},
    ]
    path = tmp_path_factory.mktemp("data") / "tiny.jsonl"
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report(tiny_model, labeled_with_html, tmp_path_factory) -> Path:
    """The report of the tiny model beside c4-rule and jusText (both core packages)."""
    directory = tmp_path_factory.mktemp("report")
    result = runner.invoke(app, [
        "evaluate", "--data", str(GOLD), "--data", str(labeled_with_html), "--model", str(tiny_model),
        "--baselines", "c4-rule,justext", "--report", str(directory),
    ])
    assert result.exit_code == 0, result.output
    assert f"wrote {directory / REPORT_FILE}" in result.stderr
    return directory / REPORT_FILE


def pages_of(*paths: Path) -> list[Page]:
    return [page for path in paths for page in read_labeled_pages(path)]


def assert_p_content_matches_labels(run, threshold: float) -> None:
    """p(content) on every non-blank line, and the labels are its cut at the threshold."""
    assert len(run.p_content) == len(run.pages) == len(run.labels)
    for page, labels, p_content in zip(run.pages, run.labels, run.p_content):
        assert [p is None for p in p_content] == [not line.strip() for line in page.lines]
        assert labels == labels_of([float("nan") if p is None else p for p in p_content], threshold)


def test_evaluation_runs_carry_the_model_p_content(tiny_model, labeled_with_html):
    from classifier import LineClassifier

    model = LineClassifier.load(tiny_model)
    pages = pages_of(GOLD, labeled_with_html)
    evaluation = evaluate(model, pages, baselines=["c4-rule"])
    assert [run.name for run in evaluation.model_runs] == ["boilerline-html", "boilerline-text"]
    for run in evaluation.model_runs:
        assert_p_content_matches_labels(run, model.threshold)
    assert [run.p_content for run in evaluation.baseline_runs] == [None]
    # Beside baselines the model's top-level figures are those it gets alone.
    assert evaluation.scores["line"] == evaluate(model, pages).scores["line"]


@pytest.fixture(scope="module")
def cross_validation():
    seeds = list(read_labeled_pages(GOLD))
    pages = [replace(seeds[n % 2], page_id=f"seed-{n}", site=f"site{n}.example") for n in range(4)]
    return cross_validate(pages, 2, synthetic_per_direction=0, baselines=["c4-rule"])


def test_cross_validation_keeps_the_held_out_p_content(cross_validation):
    [run] = cross_validation.model_runs
    assert_p_content_matches_labels(run, 0.5)
    assert cross_validation.scores["systems"]["boilerline-text"]["line"] == cross_validation.scores["line"]


def test_a_cross_validation_report_has_the_curve_of_the_held_out_lines(cross_validation, tmp_path):
    source = provenance("2-fold cross-validation", "boilerline evaluate --cv 2", [GOLD], cross_validation.model_runs[0].pages, [])
    text = write_report(tmp_path, cross_validation, source).read_text(encoding="utf-8")
    assert "<img id='pr-curve'" in text and "data:image/png;base64," in text
    assert [path.name for path in tmp_path.iterdir()] == [REPORT_FILE]


def test_the_report_is_self_contained(report):
    text = report.read_text(encoding="utf-8")
    assert "<script" not in text
    sources = re.findall(r"""(?:src|href)=['"]([^'"]*)""", text)
    assert sources and all(source.startswith(("data:image/png;base64,", "#worst-")) for source in sources)
    assert [path.name for path in report.parent.iterdir()] == [REPORT_FILE]  # no temporary file left


def test_the_report_says_how_it_was_made(report, tiny_model, labeled_with_html):
    text = report.read_text(encoding="utf-8")
    command = (
        f"boilerline evaluate --data {GOLD} --data {labeled_with_html} --model {tiny_model} "
        f"--baselines c4-rule,justext --report {report.parent}"
    )
    assert f"<code id='command'>{command}</code>" in text
    for package in ("boilerline", "scikit-learn", "jusText", "matplotlib"):
        assert f"{package} " in text
    assert "4 labeled pages" in text


def test_a_line_is_escaped_marked_and_shown_in_its_direction():
    row = line_row(7, "<b>اقرأ أيضا</b> & more", "chrome", "content", 0.81, scored=True)
    assert "<td class='text' dir='auto'>&lt;b&gt;اقرأ أيضا&lt;/b&gt; &amp; more</td>" in row
    assert "class='gold-chrome wrong'" in row and "✗ kept" in row and "0.81" in row
    assert "class='gold-content'>" in line_row(1, "Text.", "content", "content", 0.9, scored=True)
    assert "unscored" in line_row(1, "Text.", "content", "chrome", 0.1, scored=False)
    assert "✗" not in line_row(1, "Text.", "content", "chrome", 0.1, scored=False)


def test_a_failed_report_leaves_the_previous_one(report, monkeypatch, cross_validation):
    before = report.read_text(encoding="utf-8")

    def crash(evaluation, source):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(html_report, "report_html", crash)
    source = provenance("t", "c", [GOLD], [], [])
    with pytest.raises(RuntimeError):
        write_report(report.parent, cross_validation, source)
    assert report.read_text(encoding="utf-8") == before
    assert [path.name for path in report.parent.iterdir()] == [REPORT_FILE]


def test_report_without_baselines_has_the_model_row(tiny_model, tmp_path):
    result = runner.invoke(app, ["evaluate", "--data", str(GOLD), "--model", str(tiny_model), "--text-only", "--report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / REPORT_FILE).read_text(encoding="utf-8")
    assert re.findall(r"<tr data-system='([^']+)'>", text) == ["boilerline-text"]
    # The model's calibration: one table, a row per non-empty bin of p(content), lines summed.
    [table] = re.findall(r"<table class='calibration'>.*?</table>", text, re.S)
    lines = [int(count.replace(",", "")) for count in re.findall(r"<tr><td>[^<]*</td><td>([\d,]+)</td>", table)]
    assert lines and sum(lines) == sum(label is not None for page in read_labeled_pages(GOLD) for label in page.labels)


def test_report_without_matplotlib_is_one_line_naming_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    result = runner.invoke(app, ["evaluate", "--data", str(GOLD), "--report", str(tmp_path / "report")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["error: --report needs matplotlib, which is not installed: pip install '.[bench]'"]
    assert "Traceback" not in result.output and not (tmp_path / "report").exists()


# ----- in a real browser ---------------------------------------------------------------------

def test_the_report_opens_in_chromium(chromium, report):
    chromium.get(report.as_uri())
    systems = chromium.execute_script("return [...document.querySelectorAll('#systems tbody tr')].map(row => row.dataset.system)")
    assert systems == ["boilerline-html", "boilerline-text", "c4-rule", "justext"]
    headers = chromium.execute_script("return [...document.querySelectorAll('#systems th')].map(cell => cell.textContent)")
    assert {"line F1", "char F1", "page token F1", "line P", "line R", "pages/s", "lines/s"} <= set(headers)
    image = chromium.execute_script("const img = document.getElementById('pr-curve'); return [img.complete, img.naturalWidth, img.naturalHeight]")
    assert image[0] and image[1] > 0 and image[2] > 0
    for table in ("by_lang", "by_dataset", "by_kind"):
        assert chromium.execute_script(f"return document.querySelectorAll('#{table} tbody tr').length") > 0


def computed(chromium, selector: str, prop: str) -> list[str]:
    """The computed style ``prop`` of every element matching ``selector``."""
    script = f"return [...document.querySelectorAll({json.dumps(selector)})].map(e => getComputedStyle(e).{prop})"
    return chromium.execute_script(script)


def test_chromium_shows_the_worst_pages_coloured(chromium, report):
    chromium.get(report.as_uri())
    assert chromium.execute_script("return document.querySelectorAll('details.page').length") > 0
    assert set(computed(chromium, "tr.gold-content td.text", "backgroundColor")) == {"rgb(212, 240, 212)"}
    assert set(computed(chromium, "tr.gold-chrome td.text", "backgroundColor")) == {"rgb(230, 230, 230)"}
    assert set(computed(chromium, "tr.wrong td.mark", "backgroundColor")) == {"rgb(192, 0, 0)"}
    # The model is wrong somewhere on these pages, and the Arabic lines read right to left.
    assert chromium.execute_script("return document.querySelectorAll('tr.wrong').length") > 0
    directions = chromium.execute_script(
        "return [...document.querySelectorAll('td.text')].filter(c => /^[\\u0600-\\u06ff]/.test(c.textContent))"
        ".map(c => getComputedStyle(c).direction)"
    )
    assert directions and set(directions) == {"rtl"}
