"""The fast paths of featurizing and predicting give exactly what the slow definitions give.

The shipped model was trained on features computed with langdetect itself, pandas string
methods and scikit-learn's HashingVectorizer and tree prediction; every replacement must give
bit-identical numbers. ``bench/profile_featurize.py`` checks whole scored tables. The compiled
line kernel is checked against the regexes it replaced in ``test_line_text.py``.
"""

import gzip
import itertools
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect import DetectorFactory, LangDetectException, detector_factory
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from classifier import LineClassifier, ngram_hashing
from classifier._ngram_hash import hash_bytes
from classifier import langdetect_batch as language_module
from classifier.features import _longest_first, featurize
from classifier.html import render_html
from classifier.labeled import read_labeled_pages
from classifier.language import detect_languages
from classifier.model import LEXICAL_HASH_FEATURES, LEXICAL_NGRAMS, NAME_HASH_FEATURES
from classifier.predictor import (
    NAME_WORD_PATTERN,
    Predictor,
    add_first_pass_context,
    add_lexical_context,
    add_name_context,
    feature_matrix,
    first_pass_columns,
    lexical_document,
    name_words,
    revise_columns,
)
from classifier.page import Page
from classifier.structure_features import NAMES_COLUMN
from classifier.text import normalize_line
from classifier.tree_walk import TreeWalk
from tests.paths import GOLD

ARTICLE_EN = "The minister said on Monday that the budget would grow by four percent next year."
ARTICLE_AR = "قال الوزير يوم الاثنين إن الميزانية ستنمو بنسبة أربعة في المئة في العام المقبل، وفق ما أعلنته الحكومة؟"
EDGE_TEXTS = [
    "", " ", "\n\t", "x", "the", "de la", "ok ok", "NASA", "ABC DEF", "Hello WORLD foo", "  a  b ",
    "١٤ مشاهدة", "e\u0301 ho\u0300a Vi\u1ec7t", "!!! ... ???",
    "http://example.com/a?b=c mail@example.com hi",
    "北京时间今天上午，国家统计局发布了最新的经济数据。", "Привет, как дела? Всё хорошо.",
    "Καλημέρα σας ΟΔΟΣ", "English headline over Arabic تقرير", ARTICLE_EN, ARTICLE_AR, ARTICLE_EN * 20,
    "ＡＢＣ ｱｲｳ 𝐀𝐁𝐂 😀 한국어",
]


@pytest.fixture(scope="module")
def seeded_langdetect():
    saved = DetectorFactory.seed
    DetectorFactory.seed = 0
    detector_factory.init_factory()
    yield detector_factory._factory
    DetectorFactory.seed = saved


@pytest.fixture(scope="module")
def model():
    return LineClassifier.load()


@pytest.fixture(scope="module")
def sample_pages(shared_data):
    pages = list(read_labeled_pages(shared_data / "arabic.jsonl.gz"))
    return pages + list(read_labeled_pages(GOLD))


@pytest.fixture(scope="module")
def html_table(shared_data):
    """The feature table of 30 pages rendered from their HTML (dragnet's), structure and all."""
    with gzip.open(shared_data / "dragnet.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in itertools.islice(handle, 30)]
    return featurize([Page(f"dragnet-{number}", *render_html(record["html"])) for number, record in enumerate(records)])


def langdetect_probabilities(factory, text: str) -> list[float] | None:
    """langdetect's own probabilities (every language, before its cut at 0.1)."""
    detector = factory.create()
    detector.append(text[: language_module.MAX_DETECT_CHARS])
    try:
        detector._detect_block()
    except LangDetectException:
        return None
    return detector.langprob


def language_texts(pages) -> list[str]:
    """What featurize asks languages of: per page its longest lines joined, and long lines."""
    texts = []
    for page in pages:
        longest = sorted((line.strip() for line in page.lines), key=len, reverse=True)
        texts += ["\n".join(longest[:6]), *(line[:300] for line in longest[:4])]
    return texts


def replayed_probabilities(texts: list[str]) -> list[list[float] | None]:
    profiles = language_module._profiles()
    cleaned = [language_module._cleaned(text[: language_module.MAX_DETECT_CHARS]) for text in texts]
    rows, n_rows = language_module._ngram_rows(cleaned, profiles)
    probabilities = iter(language_module._language_probabilities(rows, n_rows[n_rows > 0], profiles.probabilities).tolist())
    return [next(probabilities) if n else None for n in n_rows]


def test_language_probabilities_are_langdetects_to_the_bit(seeded_langdetect, sample_pages):
    texts = EDGE_TEXTS + language_texts(sample_pages)
    assert replayed_probabilities(texts) == [langdetect_probabilities(seeded_langdetect, text) for text in texts]


def test_texts_needing_more_random_words_are_run_again(seeded_langdetect, sample_pages, monkeypatch):
    """The compiled trials are given a fixed number of the generator's words and say which
    texts needed more; those are run again with more, to the same probabilities."""
    texts = language_texts(sample_pages[:5])
    expected = replayed_probabilities(texts)
    monkeypatch.setattr(language_module, "_FIRST_WORDS", 64)
    assert replayed_probabilities(texts) == expected


def test_cached_profiles_are_langdetects(tmp_path, monkeypatch):
    """The profiles read back from the cache folder are the arrays built from langdetect's own
    files, to the bit; a damaged cache file is rebuilt, not an error."""
    monkeypatch.setenv("BOILERLINE_CACHE", str(tmp_path))
    built = language_module._built_profiles()
    for damage in (None, b"not an npz"):
        language_module._profiles.cache_clear()
        if damage is not None:
            language_module.profile_cache_path().write_bytes(damage)
        first = language_module._profiles()  # built and written: no usable cache yet
        language_module._profiles.cache_clear()
        cached = language_module._profiles()
        assert language_module.profile_cache_path().parent == tmp_path
        for profiles in (first, cached):
            assert profiles.languages == built.languages
            for name in ("probabilities", "sorted_keys", "rows_of_sorted_keys"):
                np.testing.assert_array_equal(getattr(profiles, name), getattr(built, name))
                assert getattr(profiles, name).dtype == getattr(built, name).dtype
    language_module._profiles.cache_clear()


def test_detected_languages_are_langdetects(seeded_langdetect, sample_pages):
    texts = EDGE_TEXTS + language_texts(sample_pages[:10])
    expected = []
    for text in (text[: language_module.MAX_DETECT_CHARS] for text in texts):
        detector = seeded_langdetect.create()
        detector.append(text)
        try:
            expected.append(detector.detect() if text.strip() else None)
        except LangDetectException:
            expected.append(None)
    assert detect_languages(texts) == expected


def test_languages_do_not_depend_on_the_batch():
    assert detect_languages(EDGE_TEXTS) == [detect_languages([text])[0] for text in EDGE_TEXTS]


def pandas_lexical_text(keys: pd.Series) -> pd.Series:
    """The lexical model's input as first defined, with pandas string methods."""
    text = keys.str.translate(str.maketrans("0123456789", "0000000000"))
    opening = text.str.extract(r"^(\S+(?:\s+\S+){0,2})", expand=False).fillna("")
    return text + " " + opening.str.replace(r"(\S+)", r"§\1", regex=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_lexical_documents_match_the_pandas_definition(lines):
    keys = pd.Series([normalize_line(line) for line in lines], dtype="str")
    assert [lexical_document(key) for key in keys] == pandas_lexical_text(keys).tolist()


def assert_same_sparse(actual, expected):
    for part in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(actual, part), getattr(expected, part))


# The vectorizers the shipped model's linear stages were trained on.
LEXICAL_VECTORIZER = HashingVectorizer(
    analyzer="char_wb", ngram_range=LEXICAL_NGRAMS, n_features=LEXICAL_HASH_FEATURES, alternate_sign=False
)
NAMES_VECTORIZER = HashingVectorizer(
    preprocessor=name_words, token_pattern=NAME_WORD_PATTERN.pattern, n_features=NAME_HASH_FEATURES, alternate_sign=False
)


def hashed_lexical(documents):
    return ngram_hashing.hashed_ngrams(documents, LEXICAL_NGRAMS, LEXICAL_HASH_FEATURES).matrix()


def hashed_names(names):
    return ngram_hashing.hashed_words([name_words(name) for name in names], NAME_WORD_PATTERN, NAME_HASH_FEATURES).matrix()


def test_hashed_ngrams_are_the_vectorizers(sample_pages):
    lines = EDGE_TEXTS + [line for page in sample_pages for line in page.lines]
    documents = [lexical_document(key) for key in dict.fromkeys(map(normalize_line, lines))]
    assert_same_sparse(hashed_lexical(documents), LEXICAL_VECTORIZER.transform(documents))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=8))
def test_hashed_ngrams_are_the_vectorizers_on_any_text(lines):
    documents = [lexical_document(normalize_line(line)) for line in lines]
    assert_same_sparse(hashed_lexical(documents), LEXICAL_VECTORIZER.transform(documents))


def test_hashed_names_are_the_vectorizers(html_table):
    names = list(dict.fromkeys(html_table[NAMES_COLUMN])) + ["", "relatedPosts__item-2 ÉTÉ", "x y", "a" * 300]
    assert len(names) > 100
    assert_same_sparse(hashed_names(names), NAMES_VECTORIZER.transform(names))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8")), min_size=1, max_size=8))
def test_hashed_names_are_the_vectorizers_on_any_text(names):
    assert_same_sparse(hashed_names(names), NAMES_VECTORIZER.transform(names))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=6), min_size=1, max_size=30))
def test_murmurhash_is_scikit_learns(strings):
    assert [hash_bytes(string.encode("utf-8")) for string in strings] == [murmurhash3_32(string, seed=0) for string in strings]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=4), max_size=40))
def test_longest_first_is_pandas_descending_sort(n_chars):
    frame = pd.DataFrame({"n_chars": np.array(n_chars, dtype=np.int64)})
    expected = frame.sort_values("n_chars", ascending=False).index.to_numpy()
    np.testing.assert_array_equal(_longest_first(frame["n_chars"].to_numpy()), expected)


def test_linear_decisions_are_scikit_learns(model, sample_pages, html_table):
    """The compiled decisions of the linear stages, straight from the hashed words, are the
    estimators' ``decision_function`` on the vectorizers' matrices, to the bit."""
    lines = EDGE_TEXTS + [line for page in sample_pages for line in page.lines]
    documents = [lexical_document(key) for key in dict.fromkeys(map(normalize_line, lines))]
    hashed = ngram_hashing.hashed_ngrams(documents, LEXICAL_NGRAMS, LEXICAL_HASH_FEATURES)
    expected = model.lexical_.decision_function(LEXICAL_VECTORIZER.transform(documents))
    np.testing.assert_array_equal(hashed.decisions(model.lexical_.coef_.ravel(), float(model.lexical_.intercept_[0])), expected)
    names = list(dict.fromkeys(html_table[NAMES_COLUMN])) + [""]
    hashed = ngram_hashing.hashed_words([name_words(name) for name in names], NAME_WORD_PATTERN, NAME_HASH_FEATURES)
    expected = model.names_.decision_function(NAMES_VECTORIZER.transform(names))
    np.testing.assert_array_equal(hashed.decisions(model.names_.coef_.ravel(), float(model.names_.intercept_[0])), expected)


def test_tree_walk_is_scikit_learns_predict_proba(model, sample_pages):
    """The compiled walk of the tree stages gives scikit-learn's probabilities to the bit."""
    table = model.score_table(sample_pages)
    rows = table.loc[table["is_blank"] == 0]
    for estimator, columns in ((model.first_pass_, first_pass_columns()), (model.revise_, revise_columns())):
        features = feature_matrix(rows, columns)
        features[::7, ::5] = np.nan  # missing values follow each node's missing-value side
        expected = estimator.predict_proba(features)[:, 1]
        np.testing.assert_array_equal(TreeWalk.of_estimator(estimator).predict_proba(features), expected)


def scikit_learn_p_content(model, table: pd.DataFrame) -> np.ndarray:
    """p_content as the scikit-learn estimators themselves give it, stage by stage (the code
    the arrays predictor replaced), on the non-blank rows of a feature table."""
    rows = table["is_blank"].to_numpy() == 0
    table = table.copy()
    table["lex_score"] = np.nan
    table.loc[rows, "lex_score"] = model.lexical_.decision_function(
        LEXICAL_VECTORIZER.transform([lexical_document(key) for key in table.loc[rows, "text_key"]])
    )
    add_lexical_context(table)
    named = rows & (table["has_structure"].to_numpy() == 1)
    table["name_score"] = np.nan
    if named.any():
        table.loc[named, "name_score"] = model.names_.decision_function(NAMES_VECTORIZER.transform(table.loc[named, NAMES_COLUMN].tolist()))
    add_name_context(table)
    table["p_first"] = np.nan
    table.loc[rows, "p_first"] = model.first_pass_.predict_proba(feature_matrix(table.loc[rows], first_pass_columns()))[:, 1]
    add_first_pass_context(table)
    return model.revise_.predict_proba(feature_matrix(table.loc[rows], revise_columns()))[:, 1]


@pytest.mark.parametrize("mode", ["text", "html"])
def test_the_arrays_predict_as_scikit_learn_does(model, sample_pages, html_table, mode):
    """The shipped arrays file, read without scikit-learn, gives the estimators' p_content
    within 1e-6 (in fact within float rounding) on real pages, from text and from HTML."""
    table = featurize(sample_pages) if mode == "text" else html_table.copy()
    expected = scikit_learn_p_content(model, table)
    predicted = Predictor.load().predict_table(table.copy())
    actual = predicted.loc[predicted["is_blank"] == 0, "p_content"].to_numpy()
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-9)
    assert ((actual >= 0.5) == (expected >= 0.5)).all()


def test_tree_walk_refuses_out_of_range_indices(model):
    """The walk does not check bounds, so the trees' indices are checked before it runs."""
    tree = model.first_pass_._predictors[0][0]
    saved = tree.nodes.copy()
    try:
        for field, bad in (("left", len(tree.nodes) + 5), ("feature_idx", model.first_pass_.n_features_in_)):
            tree.nodes[:] = saved
            tree.nodes[field][np.flatnonzero(tree.nodes["is_leaf"] == 0)[0]] = bad
            with pytest.raises(ValueError, match="out of range"):
                TreeWalk.of_estimator(model.first_pass_)
    finally:
        tree.nodes[:] = saved
