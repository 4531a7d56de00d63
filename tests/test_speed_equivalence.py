"""The fast paths of featurizing and predicting give exactly what the slow definitions give.

The shipped model was trained on features computed with langdetect itself, pandas string
methods and scikit-learn's HashingVectorizer and tree prediction; every replacement must give
bit-identical numbers. ``bench/profile_featurize.py`` checks whole scored tables. The compiled
line kernel is checked against the regexes it replaced in ``test_line_text.py``.
"""

import gzip
import itertools
import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect import DetectorFactory, LangDetectException, detector_factory
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from classifier import LineClassifier, ngram_hashing
from classifier._ngram_hash import hash_bytes, linear_decisions
from classifier import langdetect_batch as language_module
from classifier.features import _longest_first, featurize
from classifier.html import render_html
from classifier.labeled import read_labeled_pages
from classifier.language import detect_languages
from classifier.model import LEXICAL_HASH_FEATURES, LEXICAL_NGRAMS, NAME_HASH_FEATURES
from classifier.predictor import (
    Predictor,
    add_first_pass_context,
    add_lexical_context,
    add_name_context,
    feature_matrix,
    first_pass_columns,
    revise_columns,
)
from classifier.page import Page
from classifier.structure_features import NAMES_COLUMN
from classifier.text import normalize_line
from classifier.tree_walk import TreeWalk, float32_at_most
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
    # Cleaned with the other texts joined by NUL: a text holding one is cleaned on its own.
    "a NUL \x00 inside http://x.y/\x00z", "mail@example.com", "http://example.com/tail",
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
    cleaned = language_module._cleaned_all([text[: language_module.MAX_DETECT_CHARS] for text in texts])
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
    files, to the bit; a damaged cache file (the arrays or the mapped matrix) is rebuilt, not
    an error."""
    monkeypatch.setenv("BOILERLINE_CACHE", str(tmp_path))
    built = language_module._built_profiles()
    arrays_file = language_module.profile_cache_path()
    matrix_file = language_module._probabilities_path(arrays_file)
    for damaged, damage in ((None, None), (arrays_file, b"not an npz"), (matrix_file, b"\x93NUMPY truncated")):
        language_module._profiles.cache_clear()
        if damaged is not None:
            damaged.write_bytes(damage)
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
    """The lexical model's input as first defined, with pandas string methods (for keys as
    ``normalize_line`` makes them)."""
    text = keys.str.translate(str.maketrans("0123456789", "0000000000"))
    opening = text.str.extract(r"^(\S+(?:\s+\S+){0,2})", expand=False).fillna("")
    return text + " " + opening.str.replace(r"(\S+)", r"§\1", regex=True)


def reference_lexical_document(key: str) -> str:
    """The lexical model's input for any string, as ``_ngram_hash.lexical_document_columns``
    defines it, in Python: lone surrogates as U+FFFD, ASCII digits as 0, then the pieces
    before the first three spaces again after ``§``."""
    text = re.sub("[\ud800-\udfff]", "\ufffd", key).translate(str.maketrans("0123456789", "0000000000"))
    opening = " ".join("§" + piece for piece in text.split(" ", 3)[:3]) if text else ""
    return text + " " + opening


def reference_name_text(names: str) -> str:
    """Class and id text as the names vectorizer's preprocessor: camelCase apart, lowercased."""
    return re.sub(r"([a-z])([A-Z])", r"\1 \2", names).lower()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_lexical_documents_match_the_pandas_definition(lines):
    keys = pd.Series([normalize_line(line) for line in lines], dtype="str")
    assert [reference_lexical_document(key) for key in keys] == pandas_lexical_text(keys).tolist()
    assert_same_sparse(hashed_lexical(keys), LEXICAL_VECTORIZER.transform(pandas_lexical_text(keys)))


def assert_same_sparse(actual, expected):
    for part in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(actual, part), getattr(expected, part))


# The vectorizers the shipped model's linear stages were trained on.
LEXICAL_VECTORIZER = HashingVectorizer(
    analyzer="char_wb", ngram_range=LEXICAL_NGRAMS, n_features=LEXICAL_HASH_FEATURES, alternate_sign=False
)
NAMES_VECTORIZER = HashingVectorizer(
    preprocessor=reference_name_text, token_pattern=r"[a-z]{2,}", n_features=NAME_HASH_FEATURES, alternate_sign=False
)


def hashed_lexical(keys, n_features: int = LEXICAL_HASH_FEATURES):
    """The lexical input of each key (one row per key) as a matrix."""
    key_documents, hashed = ngram_hashing.lexical_inputs(keys, LEXICAL_NGRAMS, n_features)
    return hashed.matrix()[key_documents]


def hashed_names(names, n_features: int = NAME_HASH_FEATURES):
    """The names input of each class/id text (one row per text) as a matrix."""
    name_documents, hashed = ngram_hashing.name_inputs(names, n_features)
    return hashed.matrix()[name_documents]


def vectorized_lexical(keys):
    return LEXICAL_VECTORIZER.transform([reference_lexical_document(key) for key in keys])


def test_hashed_ngrams_are_the_vectorizers(sample_pages):
    lines = EDGE_TEXTS + [line for page in sample_pages for line in page.lines]
    keys = list(dict.fromkeys(map(normalize_line, lines)))
    assert_same_sparse(hashed_lexical(keys), vectorized_lexical(keys))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=8))
def test_hashed_ngrams_are_the_vectorizers_on_any_text(lines):
    keys = [normalize_line(line) for line in lines]
    assert_same_sparse(hashed_lexical(keys), vectorized_lexical(keys))


# Any code point, lone surrogates and every kind of whitespace included.
ANY_CHARACTER = st.characters(exclude_categories=())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ANY_CHARACTER), min_size=1, max_size=8))
def test_hashed_ngrams_of_unnormalized_keys_are_the_vectorizers(keys):
    """Keys are normalized lines, but any string hashes as its reference document does."""
    assert_same_sparse(hashed_lexical(keys), vectorized_lexical(keys))


# Keys for each case the compiled reading, splitting and lowercasing must get right.
EDGE_KEYS = [
    "", " ", "  ", "x", "read more: 12 ways", "read more: 34 ways", "2024-05-17 09:30", "١٤ مشاهدة",
    "المصدر: وكالات الأنباء", "北京时间今天上午，国家统计局发布了最新的经济数据。",
    "日本語 のテキスト",
    "ΟΔΟΣ ΑΘΗΝΑΣ", "ΣΑΣ Σ ΣΑ", "Σ", "ΑΣ. Σ’Α", "aΣ\u0301 bΣ\u0301c", "İSTANBUL İ", "ǅungla ǈ",
    "STRASSE ẞ ß", "ﬁnance ﬀ", "Ａ Ｂ", "𝐀𝐁𝐂 😀 𐐀𐐁", "a\ud800b \udfff", "\ud83d\ude00",
    "no\u00a0break\u3000ideographic\u2028line\x1cfile\x85next", "\t lead  double   spaces ",
    "KELVIN \u212a", "a" * 5000, "Ш" * 3000 + " " + "😀" * 2000, "x " * 2000,
]


def test_hashed_ngrams_of_edge_keys_are_the_vectorizers():
    assert_same_sparse(hashed_lexical(EDGE_KEYS), vectorized_lexical(EDGE_KEYS))


def test_columns_of_any_count_are_the_vectorizers():
    """A count of columns that is not a power of two takes the remainder, not a mask."""
    vectorizer = HashingVectorizer(analyzer="char_wb", ngram_range=LEXICAL_NGRAMS, n_features=1000, alternate_sign=False)
    expected = vectorizer.transform([reference_lexical_document(key) for key in EDGE_KEYS])
    assert_same_sparse(hashed_lexical(EDGE_KEYS, n_features=1000), expected)
    names = ["relatedPosts__item", "share-buttons", "x"]
    vectorizer = HashingVectorizer(preprocessor=reference_name_text, token_pattern=r"[a-z]{2,}", n_features=999, alternate_sign=False)
    assert_same_sparse(hashed_names(names, n_features=999), vectorizer.transform(names))


def test_keys_with_the_same_document_share_one():
    """Keys equal but for digit values, or for lone surrogates, are scored once."""
    key_documents, hashed = ngram_hashing.lexical_inputs(
        ["read 12 ways", "read 34 ways", "", "a\ud800", "a\ufffd", "read 12 ways"], LEXICAL_NGRAMS, LEXICAL_HASH_FEATURES
    )
    assert key_documents.tolist() == [0, 0, 1, 2, 2, 0]
    assert len(hashed.document_offsets) == 4
    words = ["".join(letters) for letters in itertools.product("abcdefghij", repeat=4)]  # the table grows
    key_documents, hashed = ngram_hashing.lexical_inputs(words + words[::-1], LEXICAL_NGRAMS, LEXICAL_HASH_FEATURES)
    assert key_documents.tolist() == list(range(len(words))) + list(range(len(words)))[::-1]
    assert len(hashed.column_offsets) == 2 * len(words) + 1  # each word and its "§" twin


def test_inputs_of_any_sequence_of_strings():
    keys = ["Read more", "", "read more"]
    expected = hashed_lexical(keys)
    for sequence in (np.array(keys, dtype=object), pd.Series(keys, dtype="str"), tuple(keys)):
        assert_same_sparse(hashed_lexical(sequence), expected)
    for bad in ([None], ["ok", b"bytes"], [float("nan")]):
        with pytest.raises(TypeError):
            ngram_hashing.lexical_inputs(bad, LEXICAL_NGRAMS, LEXICAL_HASH_FEATURES)
        with pytest.raises(TypeError):
            ngram_hashing.name_inputs(bad, NAME_HASH_FEATURES)
    with pytest.raises(ValueError):
        ngram_hashing.lexical_inputs(keys, LEXICAL_NGRAMS, 0)
    with pytest.raises(ValueError):
        ngram_hashing.lexical_inputs(keys, (4, 5), LEXICAL_HASH_FEATURES)


def test_lowering_word_by_word_is_lowering_the_whole_text():
    """The compiled code lowercases each word on its own, and the vectorizer the whole
    document: the same, because no character lowers to or from whitespace and the sigma rule
    does not look across whitespace. Checked over every code point and every whitespace."""
    for code in itertools.chain(range(0xD800), range(0xE000, 0x110000)):
        character = chr(code)
        lowered = character.lower()
        if character.isspace():
            assert lowered == character, hex(code)
        else:
            assert lowered and not any(c.isspace() for c in lowered), hex(code)
    spaces = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    assert len(spaces) == 29
    for space in spaces:
        for before, after in (("ΑΣ", "Β"), ("Α", "ΣΒ"), ("ΑΣ\u0301", "\u0301Β"), ("Σ", "Σ"), ("İ", "Σ")):
            assert (before + space + after).lower() == before.lower() + space + after.lower(), (hex(ord(space)), before, after)


def test_hashed_names_are_the_vectorizers(html_table):
    names = list(dict.fromkeys(html_table[NAMES_COLUMN])) + ["", "relatedPosts__item-2 ÉTÉ", "x y", "a" * 300]
    assert len(names) > 100
    assert_same_sparse(hashed_names(names), NAMES_VECTORIZER.transform(names))


EDGE_NAMES = [
    "", "a", "ab", "aB", "aBc", "aBCd", "abCdE", "relatedPosts__item-2", "HTMLParser xmlHTTP", "ÉTÉ été",
    "fooİbar İİ", "KELVIN\u212a \u212aelvin", "sidebarΣwidget ΣΑΣ", "مقال_ذو_صلة post-body", "文章 nav",
    "a\ud800b \udfffcd", "😀share😀buttons", "x" * 5000, "aB" * 2000,
]


def test_hashed_names_of_edge_texts_are_the_vectorizers():
    assert_same_sparse(hashed_names(EDGE_NAMES), NAMES_VECTORIZER.transform(EDGE_NAMES))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ANY_CHARACTER), min_size=1, max_size=8))
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


# How far the compiled linear decisions may be from scikit-learn's (decisions of about -20 to
# 20): they sum a document's weights word by word, scikit-learn in column order.
DECISION_TOLERANCE = 1e-9


def test_linear_decisions_are_scikit_learns(model, sample_pages, html_table):
    """The compiled decisions of the linear stages, straight from the hashed words, are the
    estimators' ``decision_function`` on the vectorizers' matrices, within DECISION_TOLERANCE."""
    lines = EDGE_TEXTS + EDGE_KEYS + [line for page in sample_pages for line in page.lines]
    keys = list(dict.fromkeys(map(normalize_line, lines))) + EDGE_KEYS
    key_documents, hashed = ngram_hashing.lexical_inputs(keys, LEXICAL_NGRAMS, LEXICAL_HASH_FEATURES)
    names = list(dict.fromkeys(html_table[NAMES_COLUMN])) + EDGE_NAMES
    name_documents, hashed_names = ngram_hashing.name_inputs(names, NAME_HASH_FEATURES)
    for stages in (model.general_, model.html_):
        expected = stages.lexical_.decision_function(vectorized_lexical(keys))
        decisions = hashed.decisions(stages.lexical_.coef_.ravel(), float(stages.lexical_.intercept_[0]))
        np.testing.assert_allclose(decisions[key_documents], expected, rtol=0, atol=DECISION_TOLERANCE)
        expected = stages.names_.decision_function(NAMES_VECTORIZER.transform(names))
        decisions = hashed_names.decisions(stages.names_.coef_.ravel(), float(stages.names_.intercept_[0]))
        np.testing.assert_allclose(decisions[name_documents], expected, rtol=0, atol=DECISION_TOLERANCE)


@pytest.mark.parametrize("n_features", [7, 1000, 2**20])
def test_linear_decisions_over_any_count_of_columns(n_features):
    """Over few columns (every document's n-grams crowded into 7, each counted many times),
    1000 and 2**20, and on long and empty documents, the decisions are the normalized
    matrix's product (the sum scikit-learn's ``decision_function`` makes)."""
    key_documents, hashed = ngram_hashing.lexical_inputs(EDGE_KEYS, LEXICAL_NGRAMS, n_features)
    coef = np.random.default_rng(0).normal(size=n_features)
    np.testing.assert_allclose(hashed.decisions(coef, 0.25), hashed.matrix() @ coef + 0.25, rtol=0, atol=DECISION_TOLERANCE)


def test_linear_decisions_refuse_out_of_range_indices():
    """The loop does not check bounds, so every index is checked before it runs."""
    _, hashed = ngram_hashing.lexical_inputs(["read more", "home"], LEXICAL_NGRAMS, 64)
    arrays = [hashed.word_ids, hashed.document_offsets, hashed.columns, hashed.column_offsets]
    coef = np.zeros(64)
    linear_decisions(*arrays, coef, 0.0)
    for position, bad in (
        (0, hashed.word_ids + 5), (0, -hashed.word_ids - 1), (1, hashed.document_offsets + 1),
        (1, hashed.document_offsets[::-1].copy()), (2, hashed.columns + 64), (3, hashed.column_offsets[:-1].copy()),
    ):
        broken = list(arrays)
        broken[position] = bad
        with pytest.raises(ValueError):
            linear_decisions(*broken, coef, 0.0)
    with pytest.raises(ValueError):
        linear_decisions(*arrays, coef[:10], 0.0)


def test_tree_walk_is_scikit_learns_predict_proba(model, sample_pages):
    """The compiled walk of the tree stages gives scikit-learn's probabilities to the bit."""
    table = model.score_table(sample_pages)
    rows = table.loc[table["is_blank"] == 0]
    stages = [(each.first_pass_, first_pass_columns()) for each in (model.general_, model.html_)]
    stages += [(each.revise_, revise_columns()) for each in (model.general_, model.html_)]
    for estimator, columns in stages:
        features = feature_matrix(rows, columns)
        features[::7, ::5] = np.nan  # missing values follow each node's missing-value side
        expected = estimator.predict_proba(features)[:, 1]
        walk = TreeWalk.of_estimator(estimator)
        np.testing.assert_array_equal(walk.predict_proba(features), expected)
        # In column order (as prediction lays it out), and some rows only, in any order.
        np.testing.assert_array_equal(walk.predict_proba(np.asfortranarray(features)), expected)
        some = np.random.default_rng(0).permutation(len(features))[: len(features) // 3]
        np.testing.assert_array_equal(walk.predict_proba(np.asfortranarray(features), some), expected[some])


def test_thresholds_rounded_to_float32_split_float32_values_as_float64_does():
    """The walk compares float32 features with float32 thresholds: rounded down, a threshold
    sends every float32 (the ones next to it, the extremes, infinities) to the side the
    float64 threshold sends it to."""
    rng = np.random.default_rng(0)
    thresholds = np.concatenate([
        rng.normal(size=2000) * 10.0 ** rng.integers(-8, 8, size=2000),
        [0.0, -0.0, 1.5, 1e-45, -1e-45, 3.5e38, -3.5e38, 1e300, -1e300, np.inf, -np.inf],
    ])
    rounded = float32_at_most(thresholds)
    assert rounded.dtype == np.float32
    with np.errstate(over="ignore"):
        nearest = thresholds.astype(np.float32)
    for x in (
        nearest, np.nextafter(nearest, np.float32(np.inf)), np.nextafter(nearest, np.float32(-np.inf)),
        np.full_like(nearest, np.inf), np.full_like(nearest, -np.inf), np.full_like(nearest, np.finfo(np.float32).max),
    ):
        np.testing.assert_array_equal(x <= rounded, x.astype(np.float64) <= thresholds)


def test_tree_walk_refuses_row_indices_outside_the_matrix(model):
    walk = TreeWalk.of_estimator(model.general_.first_pass_)
    matrix = np.zeros((5, walk.n_features), dtype=np.float32)
    for bad in ([5], [-1], [0, 7]):
        with pytest.raises(ValueError, match="row index out of range"):
            walk.predict_proba(matrix, np.array(bad))


def scikit_learn_p_content(model, table: pd.DataFrame) -> np.ndarray:
    """p_content as the scikit-learn estimators themselves give it, stage by stage (the code
    the arrays predictor replaced), on the non-blank rows of a feature table: pages with link
    counts by the HTML stages (where the model has them), the others by the general ones."""
    from_html = (table["has_link_info"].to_numpy() == 1) & (model.html_ is not None)
    p_content = np.full(len(table), np.nan)
    for stages, view in ((model.general_, ~from_html), (model.html_, from_html)):
        if view.any():
            p_content[view] = stages_p_content(stages, table[view])
    return p_content[table["is_blank"].to_numpy() == 0]


def stages_p_content(stages, table: pd.DataFrame) -> np.ndarray:
    """One set of stages' p_content on every row of a feature table (NaN on blank rows)."""
    rows = table["is_blank"].to_numpy() == 0
    table = table.copy()
    table["lex_score"] = np.nan
    table.loc[rows, "lex_score"] = stages.lexical_.decision_function(
        vectorized_lexical(table.loc[rows, "text_key"])
    )
    add_lexical_context(table)
    named = rows & (table["has_structure"].to_numpy() == 1)
    table["name_score"] = np.nan
    if named.any():
        table.loc[named, "name_score"] = stages.names_.decision_function(NAMES_VECTORIZER.transform(table.loc[named, NAMES_COLUMN].tolist()))
    add_name_context(table)
    table["p_first"] = np.nan
    table.loc[rows, "p_first"] = stages.first_pass_.predict_proba(feature_matrix(table.loc[rows], first_pass_columns()))[:, 1]
    add_first_pass_context(table)
    p_content = np.full(len(table), np.nan)
    p_content[rows] = stages.revise_.predict_proba(feature_matrix(table.loc[rows], revise_columns()))[:, 1]
    return p_content


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
    first_pass = model.general_.first_pass_
    tree = first_pass._predictors[0][0]
    saved = tree.nodes.copy()
    try:
        for field, bad in (
            ("left", len(tree.nodes) + 5), ("left", 0), ("right", len(tree.nodes) + 5), ("right", 1), ("feature_idx", first_pass.n_features_in_),
        ):
            tree.nodes[:] = saved
            tree.nodes[field][np.flatnonzero(tree.nodes["is_leaf"] == 0)[0]] = bad
            with pytest.raises(ValueError, match="out of range"):
                TreeWalk.of_estimator(first_pass)
    finally:
        tree.nodes[:] = saved
