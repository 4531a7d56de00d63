"""Features on hand-made lines: Latin, Arabic, mixed, CJK, empty, punctuation only."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.features import feature_names, featurize, stack_tables
from classifier.page import Page
from classifier.text import normalize_line

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


def test_terminal_punctuation_includes_arabic_question_mark(table):
    assert row(table, 0, 2).ends_with_terminal_punct == 1
    assert row(table, 1, 1).ends_with_terminal_punct == 1  # ends with ؟
    assert row(table, 0, 0).ends_with_terminal_punct == 0


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
