"""Baselines (training.baselines) on real pages, and `boilerline evaluate --baselines`."""

import json
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier.cli import app
from classifier.html import render_html
from classifier.labeled import read_labeled_pages
from classifier.page import CHROME, CONTENT, Page
from tests.paths import GOLD
from training import baselines
from training.baselines import HTML_EXTRACTORS, HtmlExtractor, c4_keeps_line, justext_text, parse_baselines, run_baselines
from training.evaluate import cross_validate
from training.extraction_cache import ExtractionCache
from training.labeling import line_labels
from training.loading import html_records, load_pages
from training.train import train

runner = CliRunner()
ARTICLE_HTML = (Path(__file__).parent / "fixtures" / "article.html").read_text(encoding="utf-8")
HEADLINE = "Harbour Town Opens New Library"
BODY_START = ("The new public library", "The building replaces", "Local officials said")
CHROME_LINES = ("Home", "News", "© 2024 Coastal Gazette. All rights reserved.")

ARABIC_PARAGRAPH = (
    "قال وزير المالية يوم الاثنين إن الميزانية التي أقرها البرلمان في هذا العام ستنمو بنسبة خمسة في المئة، "
    "وإن الحكومة لن ترفع الضرائب على الأسر التي تعيش في المدن الصغيرة، بل ستزيد الإنفاق على التعليم والصحة "
    "في كل المحافظات من الشمال إلى الجنوب."
)
ARABIC_HTML = (
    '<html><body><ul><li><a href="/">الرئيسية</a></li><li><a href="/n">أخبار</a></li></ul>'
    f'<p>{ARABIC_PARAGRAPH}</p><footer><a href="/c">اتصل بنا</a></footer></body></html>'
)
ARABIC_TEXT_LINES = ["الرئيسية | أخبار | رياضة", "", ARABIC_PARAGRAPH, "أرسل هذا الخبر لأصدقائك"]


def is_content_line(line: str) -> bool:
    return line.strip() == HEADLINE or line.strip().startswith(BODY_START)


@pytest.fixture
def article() -> Page:
    """The fixture article rendered as the labeler renders it, gold: headline and body."""
    lines, link_chars, _structure = render_html(ARTICLE_HTML)
    return Page("article", lines, link_chars, site="coastalgazette.example", lang="en", dataset="tiny",
                labels=line_labels(lines, [is_content_line(line) for line in lines]))


def label_of(page: Page, labels, start: str) -> str:
    [label] = [label for line, label in zip(page.lines, labels) if line.strip().lstrip("• ").startswith(start)]
    return label


@pytest.mark.parametrize(
    "line, kept",
    [
        ("The minister said on Monday that the budget would grow.", True),
        ("  Would the budget grow next year?  ", True),
        ('He said: "It will grow."', True),
        ("Home", False),
        ("Read more about it...", False),  # an ellipsis is not a terminal mark
        ("Two words.", False),
        ("The minister said the budget would grow", False),
        ("...", False),
        ("", False),
    ],
)
def test_c4_rule_on_latin_lines(line, kept):
    assert c4_keeps_line(line) is kept


@pytest.mark.parametrize(
    "line, kept",
    [
        ("قال وزير المالية إن الميزانية ستنمو.", True),
        ("هل ستنمو الميزانية في العام المقبل؟", True),  # Arabic question mark
        ("یہ بجٹ اگلے سال بڑھے گا۔", True),  # Urdu full stop
        ("قال وزير المالية إن الميزانية ستنمو.\u200f", True),  # a right-to-left mark after the stop
        ("الرئيسية | أخبار | رياضة", False),
        ("اقرأ المزيد؟", False),  # two words
        ("今天的天气非常好。", True),  # 8 characters: 4 words
        ("你好吗？", False),  # 3 characters: 1.5 words
        ("首页", False),
    ],
)
def test_c4_rule_on_arabic_and_cjk_lines(line, kept):
    assert c4_keeps_line(line) is kept


@pytest.mark.parametrize("name", ["trafilatura", "justext", "resiliparse", "readability", "boilerpy3"])
def test_html_extraction_maps_back_onto_the_body_lines(article, name):
    pytest.importorskip(HTML_EXTRACTORS[name].package)
    [run] = run_baselines([name], [article], [(article.page_id, ARTICLE_HTML)])
    [labels] = run.labels
    assert not run.failures and run.pages == [article]
    for start in BODY_START:
        assert label_of(article, labels, start) == CONTENT
    for line in CHROME_LINES:
        assert label_of(article, labels, line) == CHROME


def test_justext_gets_the_stoplist_of_the_page_language():
    assert ARABIC_PARAGRAPH in justext_text(ARABIC_HTML, "ar")
    assert justext_text(ARABIC_HTML, "en") == ""  # an Arabic paragraph has no English stopwords
    # No stoplist for the language (or none known): jusText's language-independent mode.
    assert ARABIC_PARAGRAPH in justext_text(ARABIC_HTML, None)
    assert ARABIC_PARAGRAPH in justext_text(ARABIC_HTML, "xx")


def test_html_baselines_skip_pages_without_html_and_line_rules_do_not(article):
    text_page = Page("text", ARABIC_TEXT_LINES, lang="ar", labels=["chrome", None, "content", "chrome"])
    justext_run, c4_run = run_baselines(["justext", "c4-rule"], [article, text_page], [(article.page_id, ARTICLE_HTML)])
    assert (len(justext_run.pages), justext_run.skipped_pages) == (1, 1)
    assert (len(c4_run.pages), c4_run.skipped_pages) == (2, 0)
    assert c4_run.labels[1] == ["chrome", None, "content", "chrome"]
    assert c4_run.speed()["pages_per_s"] > 0


def test_a_crashing_baseline_gets_an_empty_extraction_and_the_others_go_on(article, monkeypatch):
    def crash(html, lang):
        raise RuntimeError("extractor bug")

    monkeypatch.setitem(HTML_EXTRACTORS, "trafilatura", HtmlExtractor("json", crash))
    crashed, justext_run = run_baselines(["trafilatura", "justext"], [article], [(article.page_id, ARTICLE_HTML)])
    assert crashed.failures == {"error": 1}
    assert crashed.labels == [[None if label is None else CHROME for label in article.labels]]
    assert not justext_run.failures
    assert label_of(article, justext_run.labels[0], BODY_START[0]) == CONTENT


def test_a_hanging_baseline_times_out(article, monkeypatch):
    monkeypatch.setattr(baselines, "PAGE_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setitem(HTML_EXTRACTORS, "trafilatura", HtmlExtractor("json", lambda html, lang: time.sleep(10) or "text"))
    [run] = run_baselines(["trafilatura"], [article], [(article.page_id, ARTICLE_HTML)])
    assert run.failures == {"timeout": 1} and run.seconds < 5


def test_kept_extractions_are_not_run_again_and_give_the_same_run(article, tmp_path, monkeypatch):
    calls = []

    def counted_trafilatura(html, lang):
        calls.append(html)
        return baselines.trafilatura_text(html, lang)

    pytest.importorskip("trafilatura")
    monkeypatch.setitem(HTML_EXTRACTORS, "trafilatura", HtmlExtractor("trafilatura", counted_trafilatura))
    cache = ExtractionCache.in_folder(tmp_path)
    html = [(article.page_id, ARTICLE_HTML)]
    [first] = run_baselines(["trafilatura"], [article], html, cache=cache)
    [again] = run_baselines(["trafilatura"], [article], html, cache=ExtractionCache.in_folder(tmp_path))
    assert len(calls) == 1
    assert again.labels == first.labels and label_of(article, again.labels[0], BODY_START[0]) == CONTENT
    assert again.seconds == first.seconds
    edited = ARTICLE_HTML.replace("Harbour Town", "Harbor Town")
    run_baselines(["trafilatura"], [article], [(article.page_id, edited)], cache=cache)
    assert len(calls) == 2


def test_a_kept_failure_counts_again_but_a_timeout_is_not_kept(article, tmp_path, monkeypatch):
    cache = ExtractionCache.in_folder(tmp_path)
    html = [(article.page_id, ARTICLE_HTML)]
    monkeypatch.setitem(HTML_EXTRACTORS, "trafilatura", HtmlExtractor("json", lambda html, lang: 1 / 0))
    run_baselines(["trafilatura"], [article], html, cache=cache)
    monkeypatch.setitem(HTML_EXTRACTORS, "trafilatura", HtmlExtractor("json", lambda html, lang: "never run"))
    [kept] = run_baselines(["trafilatura"], [article], html, cache=cache)
    assert kept.failures == {"error": 1}

    monkeypatch.setattr(baselines, "PAGE_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setitem(HTML_EXTRACTORS, "justext", HtmlExtractor("json", lambda html, lang: time.sleep(10) or "text"))
    run_baselines(["justext"], [article], html, cache=cache)
    calls = []
    monkeypatch.setitem(HTML_EXTRACTORS, "justext", HtmlExtractor("json", lambda html, lang: calls.append(1) or "text"))
    [rerun] = run_baselines(["justext"], [article], html, cache=cache)
    assert calls == [1] and not rerun.failures


def test_baseline_names_are_checked():
    assert parse_baselines("all") == list(baselines.BASELINES)
    assert parse_baselines(" c4-rule, justext,c4-rule ") == ["c4-rule", "justext"]
    with pytest.raises(baselines.BaselineUnavailable, match="unknown baseline boilerpipe; choose from trafilatura"):
        parse_baselines("justext,boilerpipe")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A model of the two seed pages: the shipped one may be in the middle of a retraining."""
    out = tmp_path_factory.mktemp("model") / "tiny.joblib"
    train(list(read_labeled_pages(GOLD)), out, seed=3, synthetic_per_direction=0)
    return out


@pytest.fixture
def labeled_with_html(tmp_path, article) -> Path:
    """A labeled-page JSONL: the article with its HTML and link counts, an Arabic page without."""
    path = tmp_path / "tiny.jsonl"
    records = [
        {"id": "article", "lines": article.lines, "labels": article.labels, "link_chars": article.link_chars,
         "lang": "en", "site": article.site, "html": ARTICLE_HTML},
        {"id": "arabic-text", "lines": ARABIC_TEXT_LINES, "labels": ["chrome", None, "content", "chrome"], "lang": "ar"},
    ]
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path


def test_evaluate_with_baselines_json(tiny_model, labeled_with_html):
    result = runner.invoke(
        app, ["evaluate", "--data", str(labeled_with_html), "--model", str(tiny_model), "--baselines", "c4-rule,justext", "--json"]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    # The model's figures stay at the top level, as without --baselines.
    assert {"text_only", "pages", "lines", "line", "char", "page_token_f1_mean", "by_dataset", "by_lang"} <= set(scores)
    systems = scores["systems"]
    assert list(systems) == ["boilerline-html", "boilerline-text", "c4-rule", "justext"]
    assert scores["line"] == systems["boilerline-html"]["line"]
    assert [systems[name]["pages"] for name in systems] == [2, 2, 2, 1]
    assert systems["justext"]["skipped_pages"] == 1 and systems["justext"]["failed_pages"] == {}
    assert systems["justext"]["line"]["f1"] > 0.8  # the fixture's body, kept by jusText, aligned back
    for figures in systems.values():
        assert {"line", "char", "page_token_f1_mean", "by_dataset", "by_lang", "by_kind"} <= set(figures)
        assert figures["pages_per_s"] > 0 and figures["lines_per_s"] > 0
    # A calibration only where there are probabilities: the model's runs, not the extractors'.
    assert [name for name, figures in systems.items() if "calibration" in figures] == ["boilerline-html", "boilerline-text"]


def test_evaluate_with_baselines_table(tiny_model, labeled_with_html):
    result = runner.invoke(
        app, ["evaluate", "--data", str(labeled_with_html), "--model", str(tiny_model), "--text-only", "--baselines", "c4-rule,justext"]
    )
    assert result.exit_code == 0, result.output
    rows = result.stdout.split("# systems on the same pages")[1].splitlines()
    assert [row.split()[0] for row in rows[2:5]] == ["boilerline-text", "c4-rule", "justext"]
    assert "justext: scored on 1 of 2 pages (the others have no HTML)" in result.stdout
    assert "boilerline-text: expected calibration error of p(content) " in result.stdout
    assert "# line F1 by dataset" in result.stdout


def test_the_benchmarks_page_has_every_system_and_the_models_calibration(tiny_model, labeled_with_html, tmp_path):
    page = tmp_path / "benchmarks.md"
    result = runner.invoke(
        app, ["evaluate", "--data", str(labeled_with_html), "--model", str(tiny_model), "--baselines", "c4-rule", "--markdown", str(page)]
    )
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert [row.split(" | ")[0] for row in text.splitlines() if row.startswith("| boilerline-") or row.startswith("| c4-rule")][:3] == [
        "| boilerline-html", "| boilerline-text", "| c4-rule"
    ]
    calibration = text.split("## Calibration of p(content)")[1]
    assert "Expected calibration error: boilerline-html 0." in calibration and "c4-rule" not in calibration
    bins = [row.split(" | ") for row in calibration.splitlines() if re.match(r"\| \d\.\d-\d\.\d \|", row)]
    # Each mode's lines over the bins add up to the scored lines of the two pages.
    html_lines = sum(int(cells[1].replace(",", "")) for cells in bins)
    text_lines = sum(int(cells[4].replace(",", "")) for cells in bins)
    assert bins and html_lines == text_lines == json.loads(
        runner.invoke(app, ["evaluate", "--data", str(labeled_with_html), "--model", str(tiny_model), "--json"]).stdout
    )["lines"]


def test_a_missing_baseline_package_is_one_line_naming_the_extra(monkeypatch, labeled_with_html):
    monkeypatch.setitem(HTML_EXTRACTORS, "boilerpy3", HtmlExtractor("no_such_package_for_boilerline", lambda html, lang: ""))
    result = runner.invoke(app, ["evaluate", "--data", str(labeled_with_html), "--baselines", "c4-rule,boilerpy3"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: baseline boilerpy3 needs the no_such_package_for_boilerline package, which is not installed: pip install '.[bench]'"
    ]
    assert "Traceback" not in result.output


def test_baselines_are_scored_on_the_held_out_pages_of_cv():
    seeds = list(read_labeled_pages(GOLD))
    pages = [replace(seeds[n % 2], page_id=f"seed-{n}", site=f"site{n}.example") for n in range(4)]
    scores = cross_validate(pages, 2, synthetic_per_direction=0, baselines=["c4-rule"]).scores
    assert list(scores["systems"]) == ["boilerline-text", "c4-rule"]
    assert scores["systems"]["c4-rule"]["lines"] == scores["systems"]["boilerline-text"]["lines"] == scores["lines"]


def test_every_page_of_a_shared_dataset_finds_its_html(shared_data):
    path = shared_data / "arabic.jsonl.gz"
    pages = load_pages([path])
    resiliparse_run, c4_run = run_baselines(["resiliparse", "c4-rule"], pages, html_records([path]))
    assert len(resiliparse_run.pages) == len(c4_run.pages) == len(pages)
    assert resiliparse_run.skipped_pages == 0 and not resiliparse_run.failures
