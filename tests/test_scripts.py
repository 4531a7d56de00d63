"""Scripts written without spaces (Chinese, Japanese, Thai) and with them (Korean): words,
letters, the page's main prose and stopwords, on hand-made lines and a real Chinese page."""

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.features import featurize
from classifier.html import render_html
from classifier.page import Page
from classifier.text import HAN_KANA_CHARS_PER_WORD, THAI_CHARS_PER_WORD, measure_lines, word_equivalents, words
from tests.paths import SHARED_DATA

# Two sentences of 54 and 55 Han characters; as ``\w`` runs (between commas) 3 and 5 words.
ZH_ARTICLE = [
    "国家统计局今天上午发布了最新的经济数据，今年前三个季度国内生产总值同比增长百分之五，比上半年加快了零点二个百分点。",
    "专家表示，消费和投资都在回升，但是外部环境仍然复杂，明年的经济政策将继续坚持稳中求进的总基调，把扩大内需放在首位。",
]
JA_ARTICLE = "今日の東京は朝から雨が降っていて、気温は昨日よりも低くなっています。午後には雨がやむという予報です。"
# "Thailand has about seventy million people, and Bangkok is the capital of the country."
TH_ARTICLE = "ประเทศไทยมีประชากรประมาณเจ็ดสิบล้านคน และกรุงเทพมหานครเป็นเมืองหลวงของประเทศ ซึ่งเป็นศูนย์กลางของการค้าและการท่องเที่ยว"
KO_ARTICLE = "서울시는 오늘 오전 새로운 대중교통 정책을 발표했다고 밝혔다."
CHINESE_PAGE_ID = "05e98007-d810-4036-b154-2ef2fe68c2af"


def row(table, page_no, line_no):
    return table[(table.page_no == page_no) & (table.line_no == line_no)].iloc[0]


def counted_as_main_prose(line) -> bool:
    """The line's own letters are part of the page's main prose: the shares before and after
    it leave a gap."""
    return line.main_prose_before + line.main_prose_after < 1 - 1e-9


def test_a_chinese_sentence_is_many_words():
    line = row(featurize([Page("zh", [ZH_ARTICLE[0]])]), 0, 0)
    assert line.n_chars == len(ZH_ARTICLE[0])
    assert line.n_words == pytest.approx(54 / HAN_KANA_CHARS_PER_WORD)  # its Han characters
    assert line.n_words > 20 and line.mean_word_chars < 2


def test_chinese_article_is_the_main_prose_under_english_chrome():
    # Two English share lines, 84 Latin letters on lines of 5+ words: before word-equivalents
    # they outvoted the one Chinese line of 5 \w runs (55 letters) and the page was Latin.
    share = "Share this story on Facebook, Twitter and WhatsApp"
    table = featurize([Page("zh", ["首页", share, *ZH_ARTICLE, share])])
    article, chrome = row(table, 0, 2), row(table, 0, 1)
    assert article.script_matches_page == 1 and chrome.script_matches_page == 0
    assert counted_as_main_prose(article) and counted_as_main_prose(row(table, 0, 3))
    assert not counted_as_main_prose(chrome)
    assert chrome.main_prose_before == 0 and row(table, 0, 4).main_prose_after == 0


def test_chinese_stopword_share_counts_function_characters():
    table = featurize([Page("zh", ["首页 新闻 体育 财经", *ZH_ARTICLE, "English only"])])
    menu, article, english = row(table, 0, 0), row(table, 0, 1), row(table, 0, 3)
    assert article.page_lang == "zh-cn" and article.page_has_stoplist == 1
    assert 0.1 < article.stopword_share < 0.5
    assert menu.stopword_share == 0
    assert english.stopword_share != english.stopword_share  # NaN: no Han characters to count


def test_japanese_words_and_particles():
    line = row(featurize([Page("ja", [JA_ARTICLE, JA_ARTICLE.replace("東京", "大阪")])]), 0, 0)
    assert line.page_lang == "ja" and line.cjk_share > 0.9
    assert line.n_words > 20
    assert line.stopword_share > 0.2  # の は から が て い ます という です ...


def test_thai_letters_are_a_script_and_words_are_counted():
    table = featurize([Page("th", [TH_ARTICLE, TH_ARTICLE, "หน้าแรก"])])
    line = row(table, 0, 0)
    n_thai = len(TH_ARTICLE) - TH_ARTICLE.count(" ")
    assert line.thai_share == 1.0 and line.latin_share == 0
    assert line.punct_share == 0  # vowel and tone marks are letters, not punctuation
    assert line.n_words == pytest.approx(n_thai / THAI_CHARS_PER_WORD)
    assert line.script_matches_page == 1 and counted_as_main_prose(line)
    assert line.page_lang == "th" and line.stopword_share > 0.1


def test_korean_has_spaces_and_its_own_script():
    line = row(featurize([Page("ko", [KO_ARTICLE])]), 0, 0)
    assert line.hangul_share > 0.9 and line.cjk_share == 0
    assert line.n_words == len(KO_ARTICLE.split())


def test_word_equivalents_add_spaced_words_and_unspaced_letters():
    counts = measure_lines(["iPhone手机 3 new", "ภาษาไทย", "", "!!!"]).measures
    assert counts["spaced_words"].tolist() == [3, 0, 0, 0]
    assert word_equivalents(counts).tolist() == pytest.approx([3 + 2 / HAN_KANA_CHARS_PER_WORD, 7 / THAI_CHARS_PER_WORD, 0, 0])


_SPACED_ALPHABET = "abcXYZ019 _-.,!?'\n\tàéß" + "قالوزير" + "приве" + "αβγ" + "서울시" + "١٤"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=_SPACED_ALPHABET, max_size=30), min_size=1, max_size=5))
def test_spaced_words_are_the_word_tokens_of_spaced_scripts(lines):
    counts = measure_lines(lines).measures
    assert counts["spaced_words"].tolist() == [len(words(line)) for line in lines]


def test_sentences_closed_by_quotes_or_brackets_end_in_terminal_punctuation():
    lines = ["「ありがとう。」", "（以上。）", "他说：“我不知道。”", 'He said "yes."', "《袁晓东的故事！》", "Read more [...]", "首页 »"]
    table = featurize([Page("p", lines)])
    assert table["ends_with_terminal_punct"].tolist() == [1, 1, 1, 1, 0, 0, 0]


# Article 1 of the Universal Declaration of Human Rights in scripts whose sentences end in a
# mark of their own: Hindi (danda), Armenian, Burmese, Amharic and Khmer; then a Hindi menu item.
SENTENCES_OF_OTHER_SCRIPTS = [
    "सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात स्वतन्त्रता और समानता प्राप्त है।",
    "Բոլոր մարդիկ ծնվում են ազատ ու հավասար իրենց արժանապատվությամբ ու իրավունքներով։",
    "လူတိုင်းသည် တူညီ လွတ်လပ်သော ဂုဏ်သိက္ခါဖြင့် လည်းကောင်း၊ တူညီလွတ်လပ်သော အခွင့်အရေးများဖြင့် လည်းကောင်း၊ မွေးဖွားလာသူများ ဖြစ်သည်။",
    "የሰው፡ ልጅ፡ ሁሉ፡ ሲወለድ፡ ነጻና፡ በክብርና፡ በመብትም፡ እኩልነት፡ ያለው፡ ነው።",
    "មនុស្សទាំងអស់ កើតមកមានសេរីភាព និងសមភាព ក្នុងផ្នែកសេចក្តីថ្លៃថ្នូរ និងសិទ្ធិ។",
    "मुख्य समाचार",
]


def test_sentences_of_scripts_without_a_full_stop_end_in_terminal_punctuation():
    table = featurize([Page("p", SENTENCES_OF_OTHER_SCRIPTS)])
    assert table["ends_with_terminal_punct"].tolist() == [1, 1, 1, 1, 1, 0]


@pytest.fixture(scope="module")
def chinese_page():
    path = SHARED_DATA / "chinese_wce.jsonl.gz"
    if not path.is_file():
        pytest.skip(f"{path} not found; set BOILERLINE_DATA to the folder of the shared *.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        record = next(r for r in map(json.loads, handle) if r["id"] == CHINESE_PAGE_ID)
    lines, link_chars = render_html(record["html"])[:2]
    gold = {line.strip() for line in record["gold"].splitlines() if line.strip()}
    return featurize([Page(record["id"], lines, link_chars)]), gold


def test_real_chinese_page_article_lines_are_main_prose(chinese_page):
    # A memoir on a Chinese site, its paragraphs broken into lines of about 40 characters
    # (74 of them in the gold text), under a menu and over a footer. With \w runs as words,
    # under a third of them were 5+ words long and counted as main prose.
    table, gold = chinese_page
    lines = table[table.is_blank == 0]
    article = lines[lines.stripped.isin(gold)]
    assert len(article) > 50 and (article.page_lang == "zh-cn").all()
    assert article.n_words.median() > 15
    assert article.apply(counted_as_main_prose, axis=1).mean() > 0.9
    assert (article.script_matches_page == 1).all()
    other = lines[~lines.stripped.isin(gold)]
    assert article.stopword_share.mean() > 0.15 > other.stopword_share.mean()
