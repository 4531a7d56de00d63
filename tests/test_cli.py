"""CLI round trips through typer's CliRunner: train tiny -> predict -> evaluate."""

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from classifier.annotation import read_annotated_pages
from classifier.cli import EXIT_REJECTED, app
from classifier.labeled import read_labeled_pages
from classifier.persistence import file_sha256
from training.labeling import LABELER_VERSION
from tests.paths import GOLD, SEEDS

runner = CliRunner()
SEED_000 = SEEDS / "000_fccc882e8405e502.txt"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "tiny.joblib"
    result = runner.invoke(app, ["train", "--data", str(GOLD), "--out", str(out), "--cv", "2", "--seed", "3"])
    assert result.exit_code == 0, result.output
    return out


def test_train_writes_model_and_metadata(tiny_model):
    meta = json.loads(tiny_model.with_suffix(".json").read_text())
    assert meta["sha256"] == file_sha256(tiny_model)
    assert meta["seed"] == 3
    assert meta["trained_on"]["pages"] == 2
    assert meta["trained_on"]["labeler_version"] == LABELER_VERSION
    assert "scikit-learn" in meta["versions"] and meta["feature_names"]
    assert set(meta["cv"]["by_dataset"]) == {"gold"}
    assert 0 <= meta["cv"]["line"]["f1"] <= 1


def test_predict_jsonl_labels_every_nonblank_line(tiny_model, tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["predict", str(SEED_000), "--model", str(tiny_model), "-o", str(out)])
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    source_lines = SEED_000.read_text(encoding="utf-8").split("\n")
    assert [line["text"] for line in record["lines"]] == source_lines
    for line in record["lines"]:
        blank = not line["text"].strip()
        assert (line["label"] is None) == blank == (line["p_content"] is None)
        if not blank:
            assert line["label"] in ("content", "chrome") and 0 <= line["p_content"] <= 1


def test_predict_keeps_bidi_and_zero_width_marks_in_the_output(tiny_model, tmp_path):
    lines = ["\u200fالرئيسية\u200f", "\u202bقال الوزير إن الميزانية ستنمو\u200d العام المقبل؟\u202c", "\u200b"]
    page = tmp_path / "marked.txt"
    page.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["predict", str(page), "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert [line["text"] for line in record["lines"]] == lines
    assert record["lines"][2]["label"] is not None  # a zero-width space alone is not a blank line


def test_predict_text_keeps_only_content_lines(tiny_model):
    jsonl = runner.invoke(app, ["predict", str(SEED_000), "--model", str(tiny_model)])
    text = runner.invoke(app, ["predict", str(SEED_000), "--model", str(tiny_model), "--format", "text"])
    assert jsonl.exit_code == text.exit_code == 0
    content = [line["text"] for line in json.loads(jsonl.stdout)["lines"] if line["label"] == "content"]
    assert [line for line in text.stdout.split("\n") if line.strip()] == content


def test_predict_threshold_one_keeps_nothing(tiny_model):
    result = runner.invoke(app, ["predict", str(SEED_000), "--model", str(tiny_model), "--threshold", "1", "--format", "text"])
    assert result.exit_code == 0 and result.stdout.strip() == ""


def test_predict_reads_stdin_jsonl_and_annotates(tiny_model):
    record = json.dumps({"id": "r1", "text": "Home\n\nA sentence of article text that goes on for a while."})
    result = runner.invoke(app, ["predict", "-", "--input-format", "jsonl", "--model", str(tiny_model), "--format", "annotated"], input=record + "\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "### r1"
    assert lines[2] == " " * 8 + "| "  # blank line: blank marker
    assert lines[1][0] in "C-" and lines[1].endswith("| Home")


def test_bad_inputs_are_reported_and_good_ones_still_written(tiny_model, tmp_path):
    records = tmp_path / "pages.jsonl"
    records.write_text('{"id": "good", "text": "Home\\nSome article text here."}\n{"id": "bad", "lines": 3}\nnot json\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["predict", str(records), str(tmp_path / "missing.txt"), "--model", str(tiny_model), "-o", str(out)])
    assert result.exit_code == EXIT_REJECTED
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    assert any("pages.jsonl:line 2 (bad)" in e and "'lines'" in e for e in errors)
    assert any("pages.jsonl:line 3" in e and "invalid JSON" in e for e in errors)
    assert any("missing.txt" in e for e in errors)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["good"]


def test_unusable_model_is_refused_with_a_reason(tmp_path):
    broken = tmp_path / "broken.joblib"
    broken.write_bytes(b"not a model")
    result = runner.invoke(app, ["predict", str(SEED_000), "--model", str(broken)])
    assert result.exit_code == 2
    assert "metadata" in result.stderr and "Traceback" not in result.output


def test_evaluate_json_has_the_documented_keys(tiny_model):
    result = runner.invoke(app, ["evaluate", "--data", str(GOLD), "--model", str(tiny_model), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert {"pages", "lines", "line", "char", "page_token_f1_mean", "by_lang", "by_dataset", "by_kind"} <= set(scores)
    assert scores["pages"] == 2
    assert scores["lines"] == sum(label is not None for page in read_labeled_pages(GOLD) for label in page.labels)
    assert set(scores["line"]) == {"p", "r", "f1"}
    # p(content)'s calibration over the same scored lines
    assert sum(bin["lines"] for bin in scores["calibration"]["bins"]) == scores["lines"]
    assert 0 <= scores["calibration"]["expected_error"] <= 1


def test_evaluate_cv_needs_enough_sites():
    result = runner.invoke(app, ["evaluate", "--data", str(GOLD), "--cv", "3"])
    assert result.exit_code == 1
    assert "3 folds need at least 3 sites" in result.stderr


def test_evaluate_cv_over_a_dataset_that_is_not_there():
    result = runner.invoke(app, ["evaluate", "--data", str(GOLD), "--cv", "2", "--cv-dataset", "arabic"])
    assert result.exit_code == 1
    assert "no page of dataset 'arabic'" in result.stderr


ARABIC_PAGE = [
    "الرئيسية | أخبار | رياضة | اتصل بنا",
    "",
    "قال وزير المالية يوم الاثنين إن الميزانية ستنمو بنسبة خمسة في المئة العام المقبل، مع زيادة الإنفاق على التعليم والصحة.",
    "\tأرسل هذا الخبر لأصدقائك ",
]


def test_annotate_then_evaluate_the_corrected_file(tiny_model, tmp_path):
    arabic = tmp_path / "arabic.txt"
    arabic.write_bytes("\n".join(ARABIC_PAGE).encode("cp1256"))
    out = tmp_path / "new.annotated.txt"
    result = runner.invoke(app, ["annotate", str(arabic), str(SEED_000), "--out", str(out), "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    assert f"note: {arabic}: not UTF-8, read as cp1256" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"### {arabic}\n")
    assert [line[2:] for line in text.split("\n")[1:5]] == ARABIC_PAGE
    # The annotator adds the page's kind and marks the menu chrome, the article content.
    edited = text.replace(f"### {arabic}\n", f"### {arabic}\n# kind: arabic-content-arabic-chrome\n")
    lines = edited.split("\n")
    lines[2], lines[4] = "-|" + ARABIC_PAGE[0], "C|" + ARABIC_PAGE[2]
    out.write_text("\n".join(lines), encoding="utf-8")
    [page, seed] = read_annotated_pages(out)
    assert page.labels[:3] == ["chrome", None, "content"] and page.kind == "arabic-content-arabic-chrome"

    result = runner.invoke(app, ["evaluate", "--data", str(out), "--model", str(tiny_model), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["pages"] == 2
    assert scores["lines"] == sum(label is not None for label in page.labels + seed.labels)
    assert scores["by_kind"]["arabic-content-arabic-chrome"]["pages"] == 1
    assert scores["by_dataset"]["new"]["pages"] == 2


def test_help_loads_no_model_libraries():
    """``boilerline --help`` (and a reader's import) must not pay for scikit-learn, pandas,
    joblib or even numpy, nor for the readers, writers and worker pool: the package's names
    are imported on first use (issue 15, start-up), and ``predict`` starts its workers' fork
    server before it imports them."""
    modules = ("sklearn", "pandas", "joblib", "scipy", "numpy", "concurrent.futures.process", "classifier.pipeline", "classifier.io")
    probe = f"import sys, classifier.cli; print(sorted(m for m in {modules!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def _after_predict(out, code: str) -> str:
    """A Python program that runs ``boilerline predict`` on seed 000 into ``out`` in its own
    process, then runs ``code`` there (to look at what the command left behind)."""
    return (
        "import sys; from classifier.cli import app\n"
        f"sys.argv = ['boilerline', 'predict', {str(SEED_000)!r}, '--output', {str(out)!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        + code
    )


def test_predict_starts_no_blas_threads(tmp_path):
    """``boilerline predict`` asks OpenBLAS for one thread before numpy is imported (its
    threads spin at import and take CPU from the workers), unless the user chose a number."""
    probe = _after_predict(
        tmp_path / "out.jsonl",
        "from threadpoolctl import threadpool_info\n"
        "print(sorted({pool['num_threads'] for pool in threadpool_info() if pool['internal_api'] == 'openblas'}))",
    )
    environment = {name: value for name, value in os.environ.items() if name != "OPENBLAS_NUM_THREADS"}
    for chosen, expected in ((None, "[1]"), ("2", "[2]")):
        env = environment if chosen is None else environment | {"OPENBLAS_NUM_THREADS": chosen}
        threads = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env).stdout
        assert threads.strip() == expected


def test_predict_loads_neither_scikit_learn_nor_a_pickle(tmp_path):
    """``boilerline predict`` reads the model's arrays: scikit-learn, scipy and joblib stay
    unimported (each costs start-up time; a pickle could run code), and so do jusText and
    lxml (the stoplists are read from jusText's files)."""
    out = tmp_path / "out.jsonl"
    probe = _after_predict(out, "print(sorted(m for m in ('sklearn', 'joblib', 'scipy', 'justext', 'lxml') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
