"""Features on hand-made lines: Latin, Arabic, mixed, CJK, empty, punctuation only."""

import gzip
import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.features import feature_names, featurize, stack_tables
from classifier.html import render_html
from classifier.page import Page
from classifier.text import normalize_line
from tests.paths import SEEDS

ARTICLE_EN = "The minister said on Monday that the budget would grow by four percent next year."
ARTICLE_AR = "قال الوزير يوم الاثنين إن الميزانية ستنمو بنسبة أربعة في المئة في العام المقبل، وفق ما أعلنته الحكومة؟"
CJK = "北京时间今天上午，国家统计局发布了最新的经济数据。"


def row(table, page_no, line_no):
    return table[(table.page_no == page_no) & (table.line_no == line_no)].iloc[0]


@pytest.fixture(scope="module")
def table():
    pages = [
        Page("en", ["Home", "", ARTICLE_EN, "  • News", "© 2025 Example Corp. All Rights Reserved"]),
        Page("ar", ["الرئيسية", ARTICLE_AR, "أرسل هذا الخبر لأصدقائك", "١٤ مشاهدة", "الرئيسية"]),
        Page("mixed", ["English headline over Arabic تقرير", ARTICLE_EN, "اقرأ أيضا"], link_chars=[0, 0, 9]),
        Page("cjk", [CJK, "首页"]),
        Page("edge", ["", "!!! ... ???", "\u200b"]),
    ]
    return featurize(pages)


def test_every_feature_is_a_numeric_column(table):
    for name in feature_names():
        assert name in table, name
        assert np.issubdtype(table[name].dtype, np.number), name


def test_length_and_words(table):
    home = row(table, 0, 0)
    assert home.n_chars == 4 and home.n_words == 1
    assert row(table, 0, 2).n_words == len(ARTICLE_EN.split())


def test_blank_lines_are_marked_and_zero_width_is_not_blank(table):
    assert row(table, 0, 1).is_blank == 1 and row(table, 4, 0).is_blank == 1
    assert row(table, 4, 2).is_blank == 0  # U+200B: LABELING.md says not blank


def test_script_shares(table):
    latin, arabic = row(table, 0, 2), row(table, 1, 1)
    assert latin.latin_share > 0.75 and latin.arabic_share == 0
    assert arabic.arabic_share > 0.75 and arabic.latin_share == 0
    mixed = row(table, 2, 0)
    assert 0 < mixed.arabic_share < mixed.latin_share
    assert row(table, 3, 0).cjk_share > 0.8
    assert row(table, 4, 1).punct_share == 1.0


def test_arabic_indic_digits_count_as_digits(table):
    views = row(table, 1, 3)
    assert views.digit_share > 0.15


def test_script_against_page(table):
    # English article on the "mixed" page: the Arabic "read also" line does not match it.
    assert row(table, 2, 1).script_matches_page == 1.0
    assert row(table, 2, 2).script_matches_page == 0.0
    assert row(table, 1, 1).page_script_is_arabic == 1


def test_main_prose_span_puts_foreign_lines_inside_or_outside_the_article():
    code = "var pwmgr = this._pwmgr; // get back to the password manager here"
    pages = [
        # English article, Arabic share line under it: outside the English prose.
        Page("en", [ARTICLE_EN, ARTICLE_EN, "أرسل هذا الخبر لأصدقائك على"]),
        # Arabic article with a line of code in the middle: inside the Arabic prose.
        Page("ar", [ARTICLE_AR, code, ARTICLE_AR]),
    ]
    table = featurize(pages)
    share_line, code_line = row(table, 0, 2), row(table, 1, 1)
    assert share_line.script_matches_page == 0 and share_line.main_prose_after == 0
    assert code_line.script_matches_page == 0
    assert code_line.main_prose_before == pytest.approx(0.5) and code_line.main_prose_after == pytest.approx(0.5)
    assert row(table, 0, 0).main_prose_before == 0 and row(table, 0, 0).main_prose_after == pytest.approx(0.5)


def test_terminal_punctuation_includes_arabic_question_mark(table):
    assert row(table, 0, 2).ends_with_terminal_punct == 1
    assert row(table, 1, 1).ends_with_terminal_punct == 1  # ends with ؟
    assert row(table, 0, 0).ends_with_terminal_punct == 0


def test_stoplists_are_jusTexts_own_read_without_importing_it():
    """The stoplists are read from jusText's package files (its import costs every command
    about 30 ms): the same words as ``justext.get_stoplist`` gives, folded like ours, for
    every language of ours, each of which jusText has a list for."""
    import justext

    from classifier.language import _STOPLIST_NAMES, stoplist_name, stopwords
    from classifier.text import words

    assert stoplist_name("xx") is None and stopwords("xx") == frozenset()
    for lang, name in _STOPLIST_NAMES.items():
        assert stoplist_name(lang) == name
        assert stopwords(lang) == frozenset(word for entry in justext.get_stoplist(name) for word in words(entry)), lang


def test_stopwords_use_the_page_language(table):
    assert row(table, 0, 2).page_lang == "en"
    assert row(table, 0, 2).stopword_share > 0.3
    assert row(table, 1, 1).page_lang == "ar"
    assert row(table, 1, 1).stopword_share > 0.1
    assert row(table, 0, 4).stopword_share < row(table, 0, 2).stopword_share


def test_link_share_exact_or_unknown(table):
    assert row(table, 2, 2).link_char_share == 1.0 and row(table, 2, 2).has_link_info == 1
    assert math.isnan(row(table, 0, 0).link_char_share) and row(table, 0, 0).has_link_info == 0


def test_bullets_copyright_and_repetition(table):
    assert row(table, 0, 3).starts_with_bullet == 1
    assert row(table, 0, 4).has_copyright_sign == 1
    assert row(table, 1, 0).dup_count_in_page == 1 and row(table, 1, 4).dup_count_in_page == 1
    assert row(table, 1, 1).dup_count_in_page == 0


def test_context_reads_the_neighbouring_nonblank_line(table):
    # Line 0 of the English page is followed by a blank line, then the article.
    assert row(table, 0, 0).log_chars_next1 == pytest.approx(row(table, 0, 2).log_chars)
    assert math.isnan(row(table, 0, 0).log_chars_prev1)


def test_site_repetition_across_pages_of_a_batch():
    pages = [Page(f"p{i}", ["Home", f"Story number {i} is about a different topic entirely."], site="example.com") for i in range(3)]
    table = featurize(pages)
    assert row(table, 0, 0).site_dup_share == 1.0
    assert row(table, 0, 1).site_dup_share == 0.0


def test_normalize_line_folds_arabic_variants():
    assert normalize_line("  • اَلْأَخْبَار\u200f ـــ ١٢") == normalize_line("الأخبار 12")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=8))
def test_any_text_featurizes(lines):
    table = featurize([Page("p", lines)])
    assert len(table) == len(lines)
    assert not table[feature_names()].isin([np.inf, -np.inf]).any().any()


def test_colon_prefix_marks_labels_before_a_colon_not_times():
    lines = ["Source: Agencies", "  • المصدر: وكالات الأنباء", "The talks ended at 10:30 on Monday.", "Summary:", "Read more"]
    table = featurize([Page("p", lines)])
    assert table["has_colon_prefix"].tolist() == [1, 1, 0, 0, 0]


def test_dates_and_reading_times_of_the_seed_bylines_are_told_from_article_lines():
    # Seed 003 (Al Jazeera): its datelines and reading time are chrome by the gold labels; its
    # article lines name dates in passing ("on March 20, 2025") and are mostly other words.
    lines = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8").splitlines()
    shares = dict(zip(lines, featurize([Page("003", lines)])["date_share"]))
    assert shares["4 Min Read"] == 1.0
    assert shares["  • 21 Mar 2025 17:55"] >= 0.9 and shares["  • 19 Nov 2025"] >= 0.9
    article = [line for line in lines if len(line) > 150]
    assert len(article) > 10 and max(shares[line] for line in article) < 0.15
    assert 0 < sum(shares[line] > 0 for line in article) < len(article)
    # Seed 000's view count and its like in other languages are counts through and through;
    # a count word without a number is not.
    arabic = ["السبت، ١٢ أكتوبر ٢٠٢٤ - ١٠:٤٥ م", "قراءة 3 دقائق", ARTICLE_AR, "١٤ مشاهدة", "المشاهدات والتعليقات"]
    dated, reading, article, views, words_only = featurize([Page("ar", arabic)])["date_share"]
    assert dated > 0.7 and reading == 1.0 and views == 1.0 and article == words_only == 0.0
    counts = ["814,871 Views", "Views: 1,204", "4 Kommentare", "47 comments", "125 просмотров"]
    assert featurize([Page("counts", counts)])["date_share"].tolist() == [1.0] * len(counts)
    counted_in_prose = "Shareholders sent 3 comments to the board, which read them all before the vote on Monday."
    assert 0 < featurize([Page("prose", [counted_in_prose])])["date_share"].iloc[0] < 0.2
    times_ago = ["3 days ago", "2 hours, 5 minutes ago", "vor 3 Stunden", "il y a 5 jours", "منذ ٣ ساعات", "2 часа назад"]
    assert featurize([Page("ago", times_ago)])["date_share"].tolist() == [1.0] * len(times_ago)
    ago_in_prose = "The firm was founded 20 years ago in Ohio by two brothers who still run it together today."
    assert 0 < featurize([Page("prose", [ago_in_prose])])["date_share"].iloc[0] < 0.25


def test_the_comment_times_of_a_spanish_page_are_dates(shared_data):
    # newspaper3k's Spanish fixture (ultimahora.es): each reader comment is stamped "Hace 28
    # minutos", "Hace 2 horas" (chrome by its gold); none of its article lines is a date.
    with gzip.open(shared_data / "newspaper3k_fixtures.jsonl.gz", "rt", encoding="utf-8") as handle:
        record = next(record for record in map(json.loads, handle) if record["id"].endswith("spanish_article"))
    lines = render_html(record["html"]).lines
    shares = dict(zip(lines, featurize([Page("es", lines)])["date_share"]))
    stamps = [line for line in lines if re.fullmatch(r"Hace \d+ (minutos|horas)", line.strip())]
    assert len(stamps) >= 5 and all(shares[line] == 1.0 for line in stamps)
    article = [line for line in lines if len(line) > 200]
    assert len(article) >= 5 and max(shares[line] for line in article) < 0.1


def test_block_bullet_share_is_per_blank_line_block():
    lines = ["  • Home", "  • News", "A teaser sentence inside the menu block.", "", ARTICLE_EN]
    table = featurize([Page("p", lines)])
    assert table["block_bullet_share"].tolist()[:3] == pytest.approx([2 / 3] * 3)
    assert table["block_bullet_share"].iloc[4] == 0


def test_stacked_tables_keep_pages_apart_and_in_order():
    first = featurize([Page("a", ["Home", ARTICLE_EN]), Page("b", [ARTICLE_AR])])
    second = featurize([Page("c", [CJK, "首页"])])
    stacked = stack_tables([first, second])
    assert len(stacked) == len(first) + len(second)
    assert stacked["page_no"].tolist() == [0, 0, 1, 2, 2]
    assert stacked["text"].tolist() == [*first["text"], *second["text"]]


# ----- Arabic as it is written (issue 3's text-handling rules) -----------------------------

RLM, LRE, PDF, ZWJ = "\u200f", "\u202a", "\u202c", "\u200d"


def one_page(*lines):
    return featurize([Page("p", list(lines))])


def test_persian_urdu_letters_and_presentation_forms_are_arabic():
    table = one_page("پچژگ یے", "\ufefb\ufdf2\ufe8d\ufe91")  # Persian/Urdu letters; lam-alef, Allah, alef, beh forms
    assert row(table, 0, 0).arabic_share == 1.0 and row(table, 0, 1).arabic_share == 1.0
    assert row(table, 0, 0).latin_share == 0


def test_arabic_indic_and_persian_digits_are_digits():
    table = one_page("١٤ مشاهدة", "14 مشاهدة", "۱۴ بازدید", "14 بازدید")
    assert row(table, 0, 0).digit_share == row(table, 0, 1).digit_share == pytest.approx(2 / 8)
    assert row(table, 0, 2).digit_share == row(table, 0, 3).digit_share == pytest.approx(2 / 8)


def test_arabic_punctuation_counts_and_ends_sentences():
    table = one_page("الأخبار، الرياضة؛ الثقافة", "هذا سطر ينتهي بنقطة أردية۔", "هل هذا سؤال؟", "عنوان بلا نقطة")
    assert row(table, 0, 0).punct_share == pytest.approx(2 / 23)
    assert [row(table, 0, i).ends_with_terminal_punct for i in range(4)] == [0, 1, 1, 0]


def test_bidi_and_zero_width_marks_are_invisible_to_the_features():
    plain = "قال الوزير إن الميزانية ستنمو؟"
    marked = f"{RLM}{LRE}قال الوزير إن{ZWJ} الميزانية ستنمو؟{PDF}{RLM}"
    table = one_page(plain, marked)
    for name in ("n_chars", "n_words", "ends_with_terminal_punct", "punct_share", "arabic_share"):
        assert row(table, 0, 0)[name] == row(table, 0, 1)[name], name
    assert row(table, 0, 0).text_key == row(table, 0, 1).text_key
    assert row(table, 0, 1).text == marked  # the row keeps the line as written


def test_tatweel_and_diacritics_do_not_hide_a_repeated_line():
    table = one_page("الأخبار", "مقال طويل عن الميزانية والاقتصاد في العام المقبل.", "الأخبـــار", "اَلْأَخْبَارُ")
    assert row(table, 0, 0).dup_count_in_page == row(table, 0, 2).dup_count_in_page == 2
    assert row(table, 0, 3).dup_count_in_page == 2


def test_language_of_long_lines_against_the_page():
    english = ("The finance minister said on Monday that the budget would grow next year, with more money for "
               "schools and hospitals across the country.")
    french = ("Le ministre des finances a déclaré lundi que le budget augmenterait l'année prochaine, avec plus "
              "d'argent pour les écoles et les hôpitaux du pays.")
    table = one_page(english, english.replace("Monday", "Tuesday"), french, "Short line")
    assert row(table, 0, 0).page_lang == "en"
    assert row(table, 0, 0).line_lang_matches_page == 1 and row(table, 0, 2).line_lang_matches_page == 0
    assert row(table, 0, 3).line_lang_known == 0 and math.isnan(row(table, 0, 3).line_lang_matches_page)


POSITION_COLUMNS = (
    "rel_position", "rel_char_position", "lines_before", "lines_after", "nonblank_index_rel", "page_log_lines",
    "block_n_lines", "block_log_chars", "block_bullet_share", "pos_in_block", "blank_before", "blank_after",
)


def position_features_by_groupby(table):
    """The position features by their pandas groupby definitions (how they were first written):
    the reference the positional numpy code must equal exactly."""
    import pandas as pd

    out = pd.DataFrame(index=table.index)
    by_page = table.groupby("page_no")
    out["rel_position"] = table["line_no"] / by_page["line_no"].transform("size").clip(lower=1)
    chars_before = by_page["n_chars"].cumsum() - table["n_chars"]
    out["rel_char_position"] = chars_before / by_page["n_chars"].transform("sum").clip(lower=1)
    nonblank = table["is_blank"] == 0
    nonblank_index = nonblank.astype(int).groupby(table["page_no"]).cumsum() - 1
    n_nonblank = nonblank.groupby(table["page_no"]).transform("sum")
    out["lines_before"] = np.log1p(nonblank_index.clip(lower=0))
    out["lines_after"] = np.log1p((n_nonblank - nonblank_index - 1).clip(lower=0))
    out["nonblank_index_rel"] = nonblank_index.clip(lower=0) / n_nonblank.clip(lower=1)
    out["page_log_lines"] = np.log1p(n_nonblank)
    block_id = table["is_blank"].groupby(table["page_no"]).cumsum()
    block = table[nonblank].groupby([table["page_no"], block_id])
    out["block_n_lines"] = block["line_no"].transform("size")
    out["block_log_chars"] = np.log1p(block["n_chars"].transform("sum"))
    out["block_bullet_share"] = block["starts_with_bullet"].transform("mean")
    out["pos_in_block"] = block.cumcount() / out["block_n_lines"].clip(lower=1)
    out["blank_before"] = by_page["is_blank"].shift(1, fill_value=1).astype(np.int8)
    out["blank_after"] = by_page["is_blank"].shift(-1, fill_value=1).astype(np.int8)
    for column in ("block_n_lines", "block_log_chars", "block_bullet_share", "pos_in_block"):
        out[column] = out[column].fillna(0)
    return out


def test_position_features_are_their_groupby_definitions_on_real_pages():
    from classifier.labeled import read_labeled_pages
    from tests.paths import GOLD

    pages = [*read_labeled_pages(GOLD), Page("empty", []), Page("blank", ["", "  "]), Page("one", ["• a"])]
    table = featurize(pages)
    expected = position_features_by_groupby(table)
    for column in POSITION_COLUMNS:
        np.testing.assert_array_equal(table[column].to_numpy(), expected[column].to_numpy(), err_msg=column)
        assert table[column].dtype == expected[column].dtype, column


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["", " ", "• menu", "A sentence of words.", "x"]), max_size=9), max_size=6))
def test_position_features_are_their_groupby_definitions_on_any_layout(layouts):
    table = featurize([Page(str(i), lines) for i, lines in enumerate(layouts)])
    expected = position_features_by_groupby(table)
    for column in POSITION_COLUMNS:
        np.testing.assert_array_equal(table[column].to_numpy(), expected[column].to_numpy(), err_msg=column)


REPETITION_COLUMNS = ("dup_count_in_page", "site_pages_in_batch", "site_dup_share")


def repetition_features_by_groupby(table):
    """The repetition columns by their pandas groupby definitions on the line keys (how they
    were first written): the reference the code on numbered keys must equal exactly."""
    import pandas as pd

    out = pd.DataFrame(index=table.index)
    key = table["text_key"].where(table["is_blank"] == 0)
    out["dup_count_in_page"] = table.groupby(["page_no", key], dropna=False)["line_no"].transform("size") - 1
    out.loc[table["is_blank"] == 1, "dup_count_in_page"] = 0
    site = table["site"].to_numpy()
    out["site_pages_in_batch"] = pd.Series(site).map(pd.Series(site[~table["page_no"].duplicated().to_numpy()]).value_counts()).to_numpy()
    distinct = table.loc[table["is_blank"] == 0, ["site", "page_no", "text_key"]].drop_duplicates()
    pages_with_line = pd.Series(np.ones(len(table)), index=table.index)
    pages_with_line[distinct.index] = distinct.groupby(["site", "text_key"])["page_no"].transform("size").to_numpy()
    pages_with_line = pages_with_line.groupby([table["page_no"], table["text_key"]]).transform("max")
    other_pages = (out["site_pages_in_batch"] - 1).clip(lower=1)
    out["site_dup_share"] = np.where(out["site_pages_in_batch"] > 1, (pages_with_line - 1) / other_pages, np.nan)
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(
    st.tuples(
        st.sampled_from(["a.com", "b.org", None]),
        st.lists(st.sampled_from(["", "Home", "• News", "Home ", "A sentence of words, long enough to be prose.", "首页", "١٤ مشاهدة"]), max_size=8),
    ),
    max_size=6,
))
def test_repetition_features_are_their_groupby_definitions_on_any_layout(pages):
    table = featurize([Page(str(i), lines, site=site) for i, (site, lines) in enumerate(pages)])
    expected = repetition_features_by_groupby(table)
    for column in REPETITION_COLUMNS:
        np.testing.assert_array_equal(table[column].to_numpy(), expected[column].to_numpy(), err_msg=column)
        assert len(table) == 0 or table[column].dtype == expected[column].dtype, column


def test_repetition_features_are_their_groupby_definitions_on_real_pages():
    from classifier.labeled import read_labeled_pages
    from tests.paths import GOLD

    gold = read_labeled_pages(GOLD)
    pages = [*gold, *(Page(f"{page.page_id}-again", page.lines[::2], site=page.site) for page in gold), Page("empty", [])]
    table = featurize(pages)
    expected = repetition_features_by_groupby(table)
    for column in REPETITION_COLUMNS:
        np.testing.assert_array_equal(table[column].to_numpy(), expected[column].to_numpy(), err_msg=column)
