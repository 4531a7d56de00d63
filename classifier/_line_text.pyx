# cython: language_level=3, boundscheck=False, wraparound=False
"""The text facts of a line, in one compiled pass over its characters: what ``featurize``
measures per distinct line (its length without spaces around it, its characters of each
class, its list, menu and sentence shapes, its URLs and dates) and what repetition and the
lexical model compare (``classifier.text.fold``: the comparison key, the word tokens).

Lines are read as Python stores them (``PyUnicode_READ``, no UTF-8 round trip). What a
character *is* comes from Python itself: a ``CharTable`` asks the tests ``classifier.text``
gives it (regexes, ``str`` methods, ``unicodedata``) once per code point and keeps the
answers, so ``\\w``, ``\\s``, ``\\d`` and the script classes are the ``re`` module's to the
letter. The patterns over those classes, which the features were first computed with in
Python's ``re``, are matched here by hand; each function's docstring gives its pattern, and
``tests/test_line_text.py`` compares them with ``re`` on real and odd lines.
"""

import numpy as np

from cython.operator cimport dereference as deref
from cpython.unicode cimport Py_UNICODE_ISSPACE, PyUnicode_4BYTE_KIND, PyUnicode_FromKindAndData, PyUnicode_GET_LENGTH, PyUnicode_Substring
from libc.limits cimport INT_MAX
from libc.stdint cimport int8_t, int64_t, uint32_t, uint64_t
from libc.stdlib cimport calloc, free
from libcpp.vector cimport vector
from murmurhash.mrmr cimport hash64

from classifier._numbering cimport Numbering


cdef extern from *:
    """
    /* The index of the lowest set bit of a non-zero value: GCC's and Clang's builtin, MSVC's
       _BitScanForward, so that the extension builds with either compiler. */
    #if defined(_MSC_VER) && !defined(__clang__)
    #include <intrin.h>
    static inline int boilerline_lowest_bit(unsigned int value) {
        unsigned long index;
        _BitScanForward(&index, value);
        return (int)index;
    }
    #else
    #define boilerline_lowest_bit(value) __builtin_ctz(value)
    #endif
    """
    int boilerline_lowest_bit(unsigned int value) nogil


cdef enum:
    # One past the largest code point: the length of a CharTable's arrays.
    N_CODE_POINTS = 0x110000
    # The classes fit in the entry's bits below its own flags.
    MAX_CLASSES = 29
    # COLON_PREFIX's label is 1 to 40 characters long: "Source", "Al-Dali", "المصدر".
    MAX_LABEL_CHARS = 40

# A CharTable entry's own flags, above the class bits: the entry is learned (a zero entry is
# not), fold drops the character, fold makes several characters of it.
cdef uint32_t KNOWN = 0x80000000
cdef uint32_t FOLDS_AWAY = 0x40000000
cdef uint32_t FOLDS_TO_SEVERAL = 0x20000000

# The classes the patterns read, which every CharTable must have a test for: ``\s`` (which is
# ``str.isspace``, as ``strip`` and ``split`` read it), ``\d``, ``\w``, the invisible marks that
# the measured text leaves out, and the characters of words of spaced scripts.
READ_CLASSES = ("space", "digit", "word", "invisible", "spaced_word")
# What ``measure_lines`` counts per line besides the characters of each class.
SHAPE_COUNTS = ("spaced_words", "n_chars", "indent_chars", "n_separators", "n_urls")
SHAPE_FLAGS = ("starts_with_bullet", "ends_with_terminal_punct", "ends_with_colon", "has_colon_prefix", "has_copyright_sign")


cdef struct Masks:
    # The bit of each class the patterns read, and those of all classes.
    uint32_t space, digit, word, invisible, spaced_word, classes


cdef class CharTable:
    """Per code point, the classes it belongs to and what ``fold`` makes of it, asked of
    Python the first time the code point is met and kept for all of Unicode (the arrays are
    allocated zeroed, so their memory is only taken where entries are written)."""

    cdef uint32_t* facts
    cdef Py_UCS4* folds
    cdef dict several
    cdef list tests
    cdef object fold_char
    cdef Masks masks
    cdef readonly tuple classes

    def __cinit__(self):
        self.facts = <uint32_t*>calloc(N_CODE_POINTS, sizeof(uint32_t))
        self.folds = <Py_UCS4*>calloc(N_CODE_POINTS, sizeof(Py_UCS4))
        if self.facts == NULL or self.folds == NULL:
            raise MemoryError("no memory for the code point table")

    def __dealloc__(self):
        free(self.facts)
        free(self.folds)

    def __init__(self, dict tests not None, fold_char not None):
        """``tests``: class name -> a test of a one-character string (true when the
        character is of the class), with a test for each of READ_CLASSES; ``fold_char``: the
        string a one-character string folds to (empty when fold drops it). Once: the entries
        learned are those of the first tests."""
        if self.tests is not None:
            raise TypeError("a CharTable's tests are set once")
        missing = [name for name in READ_CLASSES if name not in tests]
        if missing:
            raise ValueError(f"no test for the classes {missing}")
        if len(tests) > MAX_CLASSES:
            raise ValueError(f"{len(tests)} classes; a table holds at most {MAX_CLASSES}")
        self.classes = tuple(tests)
        self.tests = list(tests.values())
        self.fold_char = fold_char
        self.several = {}
        self.masks = Masks(
            space=self.bit_of("space"), digit=self.bit_of("digit"), word=self.bit_of("word"),
            invisible=self.bit_of("invisible"), spaced_word=self.bit_of("spaced_word"),
            classes=(1 << len(self.classes)) - 1,
        )

    cdef uint32_t bit_of(self, str name):
        return 1 << self.classes.index(name)

    cdef uint32_t learn(self, Py_UCS4 code) except 0:
        """The entry of ``code``, from the tests, written to the table."""
        if code >= N_CODE_POINTS:
            raise ValueError(f"not a code point: {code:#x}")
        char = chr(code)
        cdef uint32_t facts = KNOWN
        cdef int bit
        for bit, test in enumerate(self.tests):
            if test(char):
                facts |= 1 << bit
        folded = self.fold_char(char)
        if not isinstance(folded, str):
            raise TypeError(f"fold_char gave {type(folded).__name__}, not str, for {char!r}")
        if len(folded) == 0:
            facts |= FOLDS_AWAY
        elif len(folded) == 1:
            self.folds[code] = ord(folded)
        else:
            facts |= FOLDS_TO_SEVERAL
            self.several[code] = folded
        self.facts[code] = facts
        return facts


cdef inline uint32_t facts_of(CharTable chars, Py_UCS4 code) except 0:
    """The table's entry of ``code``, learned on first sight."""
    if code < N_CODE_POINTS and chars.facts[code]:
        return chars.facts[code]
    return chars.learn(code)


# ----- reading a line ------------------------------------------------------------------------

cdef struct Span:
    # Characters and their table entries: ``chars[i]`` has the entry ``facts[i]``.
    const Py_UCS4* chars
    const uint32_t* facts
    Py_ssize_t length


cdef struct Folded:
    # A folded line: its characters and their entries, filled by ``read_line``.
    vector[Py_UCS4] chars
    vector[uint32_t] facts


cdef int append_fold(CharTable chars, Py_UCS4 code, uint32_t facts, Folded* out) except -1:
    """Append what fold makes of ``code`` (nothing, one or several characters) to ``out``."""
    cdef Py_UCS4 folded
    if facts & FOLDS_AWAY:
        return 0
    if facts & FOLDS_TO_SEVERAL:
        for folded in <str>chars.several[code]:
            out.chars.push_back(folded)
            out.facts.push_back(facts_of(chars, folded))
        return 0
    folded = chars.folds[code]
    out.chars.push_back(folded)
    out.facts.push_back(facts if folded == code else facts_of(chars, folded))
    return 0


cdef int read_line(CharTable chars, str text, Folded* folded, vector[Py_UCS4]* shown, vector[uint32_t]* shown_facts) except -1:
    """In one pass over ``text``: its folded characters (``classifier.text.fold``, as the
    table folds each character: fold is a map of single characters, translate and casefold
    both), and unless ``shown`` is NULL its visible characters (invisible marks left out) with
    their entries."""
    cdef Py_UCS4 code
    cdef uint32_t facts
    folded.chars.clear()
    folded.facts.clear()
    if shown != NULL:
        shown.clear()
        shown_facts.clear()
    for code in text:
        facts = facts_of(chars, code)
        append_fold(chars, code, facts, folded)
        if shown != NULL and not (facts & chars.masks.invisible):
            shown.push_back(code)
            shown_facts.push_back(facts)
    return 0


cdef inline Span span_of(const vector[Py_UCS4]* text, const vector[uint32_t]* facts, Py_ssize_t start, Py_ssize_t end) noexcept nogil:
    return Span(text.data() + start, facts.data() + start, end - start)


cdef inline str string_of(const Py_UCS4* chars, Py_ssize_t length):
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, chars, length)


cdef inline bint has(Span line, Py_ssize_t i, uint32_t mask) noexcept nogil:
    """Character ``i`` exists and is of a class of ``mask``."""
    return 0 <= i < line.length and (line.facts[i] & mask) != 0


cdef inline bint is_char(Span line, Py_ssize_t i, Py_UCS4 char) noexcept nogil:
    return 0 <= i < line.length and line.chars[i] == char


cdef Py_ssize_t leading_spaces(Span line, const Masks* masks) noexcept nogil:
    cdef Py_ssize_t i = 0
    while has(line, i, masks.space):
        i += 1
    return i


cdef Py_ssize_t end_without_spaces(Span line, const Masks* masks) noexcept nogil:
    cdef Py_ssize_t end = line.length
    while has(line, end - 1, masks.space):
        end -= 1
    return end


# ----- the character sets of the patterns ----------------------------------------------------

cdef inline bint is_list_marker(Py_UCS4 char) noexcept nogil:
    """A list or menu marker at the start of a line, as Resiliparse and other renderers
    write them: ``[•·◦▪►*\\-–—]``."""
    return char in u"•·◦▪►*-–—"


cdef inline bint is_key_bullet(Py_UCS4 char) noexcept nogil:
    """The markers the comparison key leaves out at the start of a line, besides spaces: the
    list markers and the breadcrumb and quote marks ``» > |``."""
    return char in u"•·◦▪►»>|*-–—"


cdef inline bint is_separator(Py_UCS4 char) noexcept nogil:
    """A character that separates menu items or breadcrumb parts on one line."""
    return char in u"|»›/·•>"


cdef inline bint is_edge_separator(Py_UCS4 char) noexcept nogil:
    """A separator that also counts at a line's end or start, next to one space."""
    return char in u"|»›"


cdef inline bint is_terminal_punct(Py_UCS4 char) noexcept nogil:
    """Terminal punctuation: Latin, Arabic question mark and full stop (؟ ۔), CJK (with the
    half- and full-width stops ｡ ．), ellipsis, and the sentence ends of scripts that have no
    full stop: the danda and double danda (। ॥: Hindi, Marathi, Nepali, Bengali, Punjabi),
    Myanmar ။, Armenian ։, Ethiopic ።, Khmer ។ ៕ and Tibetan །."""
    return char in u".!?؟۔。！？…｡．।॥။։።។៕།"


cdef inline bint is_closing_mark(Py_UCS4 char) noexcept nogil:
    """Closing quotes and parentheses after a sentence's terminal punctuation: 「…。」, （…。）,
    "…." Left out: title marks 《》〈〉 and label brackets 【】 (a title ending in ！ is not a
    sentence), "[...]" (a teaser's cut), » (breadcrumbs, "Next »" links)."""
    return char in u"」』）〕\"'”’)"


cdef inline bint is_colon(Py_UCS4 char) noexcept nogil:
    return char == u":" or char == u"："


cdef inline bint is_label_stop(Py_UCS4 char) noexcept nogil:
    """A character a colon-prefix label cannot hold: colons and sentence ends."""
    return char in u":：.!?؟。"


# ----- the patterns --------------------------------------------------------------------------

cdef bint starts_with_bullet(Span line, const Masks* masks) noexcept nogil:
    """``re.match(r"\\s*(?:[•·◦▪►*\\-–—]|\\d+[.)])\\s", line)``: after any spaces, a list
    marker, or a number and a full stop or parenthesis, then a space. Neither a marker nor a
    digit is a space, so ``\\s*`` takes all the leading spaces, and ``\\d+`` all the digits."""
    cdef Py_ssize_t start = leading_spaces(line, masks)
    if start < line.length and is_list_marker(line.chars[start]):
        return has(line, start + 1, masks.space)
    cdef Py_ssize_t end = start
    while has(line, end, masks.digit):
        end += 1
    return end > start and (is_char(line, end, u".") or is_char(line, end, u")")) and has(line, end + 1, masks.space)


cdef inline bint at_end(Span line, Py_ssize_t i) noexcept nogil:
    """``$`` matches at ``i``: the end of the line, or before a newline that ends it."""
    return i == line.length or (i == line.length - 1 and line.chars[i] == u"\n")


cdef int64_t count_separators(Span line, const Masks* masks) noexcept nogil:
    """``len(re.findall(r"\\s[|»›/·•>]\\s|\\s[|»›]$|^[|»›]\\s", line))``: separators between
    spaces, and at the end or the start of the line next to one space. Every match has a fixed
    length, so the first alternative that matches at a position is the match there."""
    cdef Py_ssize_t i = 0
    cdef int64_t count = 0
    while i < line.length:
        if line.facts[i] & masks.space:
            if i + 1 < line.length and is_separator(line.chars[i + 1]) and has(line, i + 2, masks.space):
                count += 1
                i += 3
                continue
            if i + 1 < line.length and is_edge_separator(line.chars[i + 1]) and at_end(line, i + 2):
                count += 1
                i += 2
                continue
        elif i == 0 and is_edge_separator(line.chars[0]) and has(line, 1, masks.space):
            count += 1
            i += 2
            continue
        i += 1
    return count


cdef bint is_ascii_at(Span line, Py_ssize_t i, const char* text, Py_ssize_t length) noexcept nogil:
    """``line[i:i + length] == text`` for ASCII ``text``."""
    cdef Py_ssize_t k
    if i < 0 or i + length > line.length:
        return False
    for k in range(length):
        if line.chars[i + k] != <Py_UCS4><unsigned char>text[k]:
            return False
    return True


cdef Py_ssize_t url_prefix_length(Span line, Py_ssize_t i) noexcept nogil:
    """The length of ``https?://`` or ``www\\.`` at ``i``; 0 if neither is there."""
    if is_ascii_at(line, i, b"https://", 8):
        return 8
    if is_ascii_at(line, i, b"http://", 7):
        return 7
    if is_ascii_at(line, i, b"www.", 4):
        return 4
    return 0


cdef int64_t count_urls_in_run(Span line, Py_ssize_t start, Py_ssize_t end, const Masks* masks) noexcept nogil:
    """The matches of URL_PATTERN (see ``count_urls``) in ``line[start:end]``, a run of
    non-spaces between spaces or the line's ends.

    ``(?:https?://|www\\.)\\S+`` takes the rest of the run. ``\\S+@\\S+\\.\\w+`` backtracks to
    the last "." of the run followed by a word character and to the last "@" at least two
    characters before that "."; it matches at a position before that "@", up to the end of the
    word characters after the ".", past which it cannot match again."""
    cdef Py_ssize_t dot = -1, at = -1, i, prefix
    for i in range(end - 2, start - 1, -1):
        if line.chars[i] == u"." and line.facts[i + 1] & masks.word:
            dot = i
            break
    for i in range(dot - 2, start - 1, -1):
        if line.chars[i] == u"@":
            at = i
            break
    cdef int64_t count = 0
    i = start
    while i < end:
        prefix = url_prefix_length(line, i)
        if prefix and i + prefix < end:
            return count + 1
        if at > i:
            count += 1
            i = dot + 1
            while i < end and line.facts[i] & masks.word:
                i += 1
        else:
            i += 1
    return count


cdef int64_t count_urls(Span line, const Masks* masks) noexcept nogil:
    """``len(re.findall(r"(?:https?://|www\\.)\\S+|\\S+@\\S+\\.\\w+", line))``: web addresses
    and email addresses, run of non-spaces by run (no match holds a space)."""
    cdef Py_ssize_t start = 0, end
    cdef int64_t count = 0
    while start < line.length:
        if line.facts[start] & masks.space:
            start += 1
            continue
        end = start
        while end < line.length and not (line.facts[end] & masks.space):
            end += 1
        count += count_urls_in_run(line, start, end, masks)
        start = end
    return count


cdef bint has_colon_prefix(Span line, const Masks* masks) noexcept nogil:
    """``re.search(r"^\\s*(?:[•·◦▪►*\\-–—]\\s*)?[^:：.!?؟。]{1,40}[:：]\\s+\\S", line)``: a
    short label before a colon that opens the line, as in "Source: Agencies", "Al-Dali: The
    visit...", "المصدر: ...".

    The label runs up to the line's first colon or sentence end, which must be a colon followed
    by spaces and more text. It may start anywhere from the line's start (it may hold spaces and
    a marker) to the end of its leading spaces, or past the marker and its spaces when the line
    starts with one: it is 1 to 40 characters long if that colon is at most 40 characters past
    the latest such start and not at the very start."""
    cdef Py_ssize_t latest_start = leading_spaces(line, masks)
    if latest_start < line.length and is_list_marker(line.chars[latest_start]):
        latest_start += 1
        while has(line, latest_start, masks.space):
            latest_start += 1
    cdef Py_ssize_t colon = latest_start
    while colon < line.length and not is_label_stop(line.chars[colon]):
        colon += 1
    if colon == 0 or colon == line.length or not is_colon(line.chars[colon]) or colon - latest_start > MAX_LABEL_CHARS:
        return False
    cdef Py_ssize_t text_start = colon + 1
    if not has(line, text_start, masks.space):
        return False
    while has(line, text_start, masks.space):
        text_start += 1
    return text_start < line.length


cdef bint ends_with_terminal_punct(Span line) noexcept nogil:
    """``line.rstrip(CLOSING_MARKS)[-1:] in TERMINAL_PUNCT``: the line ends a sentence,
    maybe inside quotes or parentheses."""
    cdef Py_ssize_t end = line.length
    while end > 0 and is_closing_mark(line.chars[end - 1]):
        end -= 1
    return end > 0 and is_terminal_punct(line.chars[end - 1])


cdef bint ends_with_colon(Span line) noexcept nogil:
    return line.length > 0 and is_colon(line.chars[line.length - 1])


cdef bint has_copyright_sign(Span line) noexcept nogil:
    """``re.search(r"©|\\(c\\)|®", line)``."""
    cdef Py_ssize_t i
    for i in range(line.length):
        if line.chars[i] == u"©" or line.chars[i] == u"®" or is_ascii_at(line, i, b"(c)", 3):
            return True
    return False


cdef void count_classes(Span line, const Masks* masks, int64_t[:, ::1] counts, Py_ssize_t column, Py_ssize_t n_classes) noexcept nogil:
    """Write the line's characters of each class to ``counts[class bit, column]``, and its
    spaced words (runs of characters of words of spaced scripts) to ``counts[n_classes,
    column]``. Characters are counted by runs of the same classes (the letters of a word
    mostly), each run's length added to its classes once."""
    cdef int64_t per_class[MAX_CLASSES + 1]
    cdef Py_ssize_t i, run_length = 0
    cdef uint32_t classes, run_classes = 0
    cdef bint in_word = False
    for i in range(n_classes + 1):
        per_class[i] = 0
    for i in range(line.length):
        classes = line.facts[i] & masks.classes
        if classes != run_classes:
            add_run(per_class, run_classes, run_length)
            run_classes, run_length = classes, 0
        run_length += 1
        if line.facts[i] & masks.spaced_word:
            per_class[n_classes] += not in_word
            in_word = True
        else:
            in_word = False
    add_run(per_class, run_classes, run_length)
    for i in range(n_classes + 1):
        counts[i, column] = per_class[i]


cdef inline void add_run(int64_t* per_class, uint32_t classes, Py_ssize_t length) noexcept nogil:
    """Count ``length`` more characters in each class of ``classes``."""
    while classes:
        per_class[boilerline_lowest_bit(classes)] += length
        classes &= classes - 1


# ----- dates, times, times ago, reading times and counts -----------------------------------------

# The kinds of the words of ``date_share``'s lexicon (``classifier.date_words``), numbered from
# 1 in this order in the ``date_words`` dict ``measure_lines`` takes.
DATE_WORD_KINDS = (
    "month", "month_suffix", "duration", "reading", "reading_join", "meridiem", "count", "time_unit", "ago", "ago_lead",
)
cdef enum DateWordKind:
    NOT_LOOKED_UP = -1
    NOT_A_DATE_WORD = 0
    MONTH = 1
    MONTH_SUFFIX = 2
    DURATION = 3
    READING = 4
    READING_JOIN = 5
    MERIDIEM = 6
    COUNT = 7
    TIME_UNIT = 8
    AGO = 9
    AGO_LEAD = 10

# A gap that joins the parts of a date ("5 March, 2024", "وقت القراءة: 3 دقائق") is at most
# this many characters of spaces and ``is_date_join`` characters.
MAX_JOIN_CHARS = 3


cdef struct Token:
    # A run of digits, or of other word characters, of a folded line: ``chars[start:end]``.
    Py_ssize_t start, end
    bint digits
    int kind  # a DateWordKind, looked up the first time it is asked for


cdef inline bint is_date_join(Py_UCS4 char) noexcept nogil:
    """Punctuation between the parts of a date: commas (the Arabic one too), full stops, colons."""
    return char in u",.،:"


cdef class DateTokens:
    """The tokens of one folded line at a time, and the characters of it that dates cover,
    with the lexicon of a batch (``date_words``: folded word -> its kind's number in
    DATE_WORD_KINDS, from 1)."""
    cdef vector[Token] tokens
    cdef vector[char] covered
    cdef Folded* folded
    cdef str folded_text
    cdef dict date_words
    cdef const Masks* masks

    def __init__(self, dict date_words not None):
        self.date_words = date_words

    cdef double share_of(self, str folded_text, Folded* folded, const Masks* masks) except -1:
        """The share of a folded line's characters, spaces left out, that are dates, times,
        times ago, reading times and counts: a number joined to a month name
        (``cover_month_date``), a numeric date, a time, a CJK date, a time ago, a reading time,
        a count of views or comments (each ``cover_`` method gives its shape).
        Tokens are runs of word characters that are all digits or all not; a line without
        digits has no date."""
        cdef Py_ssize_t i, t
        for i in range(<Py_ssize_t>folded.chars.size()):
            if folded.facts[i] & masks.digit:
                break
        else:
            return 0.0
        self.read(folded_text, folded, masks)
        for t in range(self.count()):
            if self.tokens[t].digits:
                self.cover_numeric_date(t)
                self.cover_time(t)
                self.cover_reading_time(t)
                self.cover_cjk_date(t)
                self.cover_count(t)
                self.cover_time_ago(t)
            else:
                self.cover_month_date(t)
        return self.share()

    cdef int read(self, str folded_text, Folded* folded, const Masks* masks) except -1:
        """Cut ``folded`` into tokens: maximal runs of ``\\w`` characters that are all digits
        or all not."""
        cdef Py_ssize_t i, n = folded.chars.size()
        cdef bint digit
        self.folded, self.folded_text, self.masks = folded, folded_text, masks
        self.tokens.clear()
        self.covered.assign(n, 0)
        for i in range(n):
            if not folded.facts[i] & masks.word:
                continue
            digit = (folded.facts[i] & masks.digit) != 0
            if self.tokens.size() and self.tokens.back().end == i and self.tokens.back().digits == digit:
                self.tokens[self.tokens.size() - 1].end = i + 1
            else:
                self.tokens.push_back(Token(i, i + 1, digit, NOT_LOOKED_UP))
        return 0

    cdef inline Py_ssize_t count(self) noexcept:
        return self.tokens.size()

    cdef inline Py_ssize_t length(self, Py_ssize_t t) noexcept:
        return self.tokens[t].end - self.tokens[t].start

    cdef inline bint digits(self, Py_ssize_t t, Py_ssize_t min_length, Py_ssize_t max_length) noexcept:
        """Token ``t`` exists and is a run of ``min_length`` to ``max_length`` digits."""
        return 0 <= t < self.count() and self.tokens[t].digits and min_length <= self.length(t) <= max_length

    cdef int kind(self, Py_ssize_t t) except -2:
        """The DateWordKind of token ``t``, NOT_A_DATE_WORD past the ends and for digits."""
        if t < 0 or t >= self.count() or self.tokens[t].digits:
            return NOT_A_DATE_WORD
        if self.tokens[t].kind == NOT_LOOKED_UP:
            word = PyUnicode_Substring(self.folded_text, self.tokens[t].start, self.tokens[t].end)
            self.tokens[t].kind = self.date_words.get(word, NOT_A_DATE_WORD)
        return self.tokens[t].kind

    cdef bint gap_is(self, Py_ssize_t t, Py_UCS4 separator) noexcept:
        """Tokens ``t`` and ``t + 1`` exist with just ``separator`` between them."""
        if t < 0 or t + 1 >= self.count():
            return False
        cdef Py_ssize_t end = self.tokens[t].end
        return self.tokens[t + 1].start == end + 1 and self.folded.chars[end] == separator

    cdef bint joined(self, Py_ssize_t t) noexcept:
        """Tokens ``t`` and ``t + 1`` exist with at most MAX_JOIN_CHARS spaces and joins (or
        nothing) between them."""
        if t < 0 or t + 1 >= self.count():
            return False
        cdef Py_ssize_t i, start = self.tokens[t].end, end = self.tokens[t + 1].start
        if end - start > MAX_JOIN_CHARS:
            return False
        for i in range(start, end):
            if not (self.folded.facts[i] & self.masks.space or is_date_join(self.folded.chars[i])):
                return False
        return True

    cdef void cover(self, Py_ssize_t first, Py_ssize_t last) noexcept:
        """Mark tokens ``first`` to ``last`` and the characters between them as a date."""
        self.cover_chars(self.tokens[first].start, self.tokens[last].end)

    cdef void cover_chars(self, Py_ssize_t start, Py_ssize_t end) noexcept:
        """Mark the characters ``start`` to ``end`` (not included) as a date."""
        cdef Py_ssize_t i
        for i in range(start, end):
            self.covered[i] = 1

    cdef int cover_numeric_date(self, Py_ssize_t t) except -1:
        """``\\d{1,4}([./-])\\d{1,2}\\1\\d{2,4}`` from token ``t``: 2024-05-01, 1.5.2024, 01/05/24."""
        cdef Py_UCS4 separator
        if not (self.digits(t, 1, 4) and self.digits(t + 1, 1, 2) and self.digits(t + 2, 2, 4)):
            return 0
        for separator in u"./-":
            if self.gap_is(t, separator) and self.gap_is(t + 1, separator):
                self.cover(t, t + 2)
        return 0

    cdef int cover_time(self, Py_ssize_t t) except -1:
        """``\\d{1,2}:\\d{2}(:\\d{2})?``, then maybe am, pm, ص or م, from token ``t``."""
        if not (self.digits(t, 1, 2) and self.digits(t + 1, 2, 2) and self.gap_is(t, u":")):
            return 0
        cdef Py_ssize_t last = t + 1
        if self.digits(last + 1, 2, 2) and self.gap_is(last, u":"):
            last += 1
        if self.joined(last) and self.kind(last + 1) == MERIDIEM:
            last += 1
        self.cover(t, last)
        return 0

    cdef int cover_month_date(self, Py_ssize_t t) except -1:
        """A month name (token ``t``) and the numbers joined to it: "March 5, 2024", "5 mars
        2024", "٥ كانون الثاني ٢٠٢٤"; not a month name without a number beside it."""
        cdef bint number_before = self.digits(t - 1, 1, 4) and self.joined(t - 1)
        cdef bint numbered = number_before or (self.digits(t + 1, 1, 4) and self.joined(t)) \
            or (self.digits(t + 2, 1, 4) and self.joined(t + 1) and self.joined(t))
        if not numbered or self.kind(t) != MONTH:  # words away from numbers are not looked up
            return 0
        cdef Py_ssize_t first = t - 1 if number_before else t, last = t
        if self.joined(last) and self.kind(last + 1) == MONTH_SUFFIX:
            last += 1
        while self.digits(last + 1, 1, 4) and self.joined(last):
            last += 1
        if first < t or (last > t and self.tokens[last].digits):
            self.cover(first, last)
        return 0

    cdef int cover_reading_time(self, Py_ssize_t t) except -1:
        """A number of 1 to 3 digits (token ``t``) and its unit, with the reading after them,
        maybe joined, or before them: "5 min read", "5 minutes of reading", "Lesezeit: 4
        Minuten", "3 دقائق للقراءة", "قراءة 3 دقائق"."""
        if not (self.digits(t, 1, 3) and self.joined(t) and self.kind(t + 1) == DURATION):
            return 0
        if self.joined(t + 1) and self.kind(t + 2) == READING:
            self.cover(t, t + 2)
        if self.joined(t + 1) and self.kind(t + 2) == READING_JOIN and self.joined(t + 2) and self.kind(t + 3) == READING:
            self.cover(t, t + 3)
        if self.joined(t - 1) and self.kind(t - 1) == READING:
            self.cover(t - 1, t + 1)
        return 0

    cdef int cover_count(self, Py_ssize_t t) except -1:
        """A number (token ``t``, 1 to 9 digits, then maybe groups of three after a comma or
        full stop: "814,871") and a count word joined after it ("١٤ مشاهدة", "814,871 views",
        "4 Kommentare") or before it ("Views: 1,204")."""
        if not self.digits(t, 1, 9):
            return 0
        cdef Py_ssize_t last = t
        while self.digits(last + 1, 3, 3) and (self.gap_is(last, u",") or self.gap_is(last, u".")):
            last += 1
        if self.joined(last) and self.kind(last + 1) == COUNT:
            self.cover(t, last + 1)
        if self.joined(t - 1) and self.kind(t - 1) == COUNT:
            self.cover(t - 1, last)
        return 0

    cdef int cover_time_ago(self, Py_ssize_t t) except -1:
        """A number of 1 to 3 digits (token ``t``) joined to a unit of time, then maybe more
        numbers and units ("2 hours, 5 minutes"), with "ago" joined after them ("3 days ago",
        "3 ore fa") or a lead joined before them ("hace 2 horas", "منذ 3 ساعات", "il y a 5
        jours"). Times ago without digits ("an hour ago", "منذ ساعتين") are left out: the
        kernel tokenizes only lines with digits."""
        if not (self.digits(t, 1, 3) and self.joined(t) and self.is_unit(t + 1)):
            return 0
        cdef Py_ssize_t last = t + 1
        while self.digits(last + 1, 1, 3) and self.joined(last) and self.joined(last + 1) and self.is_unit(last + 2):
            last += 2
        if self.joined(last) and (self.kind(last + 1) == AGO or self.is_word(last + 1, u"ago")):
            self.cover(t, last + 1)
        if self.joined(t - 1) and self.kind(t - 1) == AGO_LEAD:
            self.cover(t - 1, last)
        if self.joined(t - 1) and self.is_word(t - 1, u"a") and self.joined(t - 2) and self.is_word(t - 2, u"y") \
                and self.joined(t - 3) and self.is_word(t - 3, u"il"):
            self.cover(t - 3, last)
        return 0

    cdef inline bint is_unit(self, Py_ssize_t t) except -1:
        """Token ``t`` is a unit of time: a reading time's unit, or a longer or shorter one."""
        cdef int kind = self.kind(t)
        return kind == DURATION or kind == TIME_UNIT

    cdef bint is_word(self, Py_ssize_t t, str word) except -1:
        """Token ``t`` exists and is ``word`` (folded)."""
        if t < 0 or t >= self.count() or self.tokens[t].digits or self.length(t) != len(word):
            return False
        return PyUnicode_Substring(self.folded_text, self.tokens[t].start, self.tokens[t].end) == word

    cdef int cover_cjk_date(self, Py_ssize_t t) except -1:
        """Two or more numbers from token ``t`` on, each followed by 年, 月 or 日 and nothing
        between: 2024年5月1日, 5月1日 (the unit is the first character of the token after the
        number, which holds the text after the date too when no space ends it)."""
        cdef Py_ssize_t number = t, pairs = 0, last_unit = -1
        while self.digits(number, 1, 4) and self.follows(number) and self.folded.chars[self.tokens[number + 1].start] in u"年月日":
            pairs += 1
            last_unit = self.tokens[number + 1].start
            if self.length(number + 1) != 1 or not self.follows(number + 1):
                break
            number += 2
        if pairs >= 2:
            self.cover_chars(self.tokens[t].start, last_unit + 1)
        return 0

    cdef inline bint follows(self, Py_ssize_t t) noexcept:
        """Token ``t + 1`` exists and starts where token ``t`` ends."""
        return 0 <= t and t + 1 < self.count() and self.tokens[t + 1].start == self.tokens[t].end

    cdef double share(self) noexcept:
        """The covered characters' share of the line's characters, spaces left out."""
        cdef Py_ssize_t i, n = self.covered.size(), shown = 0, covered = 0
        for i in range(n):
            if not self.folded.facts[i] & self.masks.space:
                shown += 1
                covered += self.covered[i]
        return covered / shown if shown else 0.0


# ----- keys and words ------------------------------------------------------------------------

cdef str key_of(str folded_text, Folded* folded, const Masks* masks, vector[Py_UCS4]* key):
    """The comparison key (``key_chars``) as a string; ``folded_text`` is the folded line's."""
    key_chars(folded, masks, key)
    if deref(key) == folded.chars:
        return folded_text  # most lines are their own key once folded
    return string_of(key.data(), key.size())


cdef void key_chars(Folded* folded, const Masks* masks, vector[Py_UCS4]* key) noexcept:
    """Into ``key``: ``" ".join(re.sub(r"^[\\s•·◦▪►»>|*\\-–—]+", "", folded).split())``, the
    folded line without its leading markers, runs of spaces made one, ends stripped
    (``str.split`` splits at exactly the characters ``\\s`` matches)."""
    cdef Py_ssize_t i = 0, n = folded.chars.size()
    cdef bint gap = False
    key.clear()
    while i < n and (folded.facts[i] & masks.space or is_key_bullet(folded.chars[i])):
        i += 1
    for i in range(i, n):
        if folded.facts[i] & masks.space:
            gap = True
        else:
            if gap and key.size():
                key.push_back(u" ")
            gap = False
            key.push_back(folded.chars[i])


cdef list words_of(str folded_text, Folded* folded, const Masks* masks):
    """``re.findall(r"\\w+", folded)``: the word tokens of the folded line (``folded_text`` is
    its string, which they are cut from as ``re`` cuts them)."""
    cdef list words = []
    cdef Py_ssize_t i, start = -1, n = folded.chars.size()
    for i in range(n + 1):
        if i < n and folded.facts[i] & masks.word:
            if start < 0:
                start = i
        elif start >= 0:
            words.append(PyUnicode_Substring(folded_text, start, i))
            start = -1
    return words


cdef int number_words(str folded_text, Folded* folded, const Masks* masks, Numbering numbering, list distinct,
                      vector[int64_t]* ids) except -1:
    """Append to ``ids`` the number of each of ``words_of``'s words, in order; a word seen for
    the first time is numbered next and appended to ``distinct``."""
    cdef Py_ssize_t i, start = -1, n = folded.chars.size()
    cdef int64_t number
    for i in range(n + 1):
        if i < n and folded.facts[i] & masks.word:
            if start < 0:
                start = i
        elif start >= 0:
            number = numbering.number_of(<const char*>(folded.chars.data() + start), (i - start) * sizeof(Py_UCS4))
            if number == len(distinct):
                distinct.append(PyUnicode_Substring(folded_text, start, i))
            ids.push_back(number)
            start = -1
    return 0


cdef inline str string_of_folded(Folded* folded):
    return string_of(folded.chars.data(), folded.chars.size())


def fold(str text not None, CharTable chars not None):
    """``text`` folded for comparison (``classifier.text.fold``)."""
    cdef Folded folded
    read_line(chars, text, &folded, NULL, NULL)
    return string_of_folded(&folded)


def line_key(str text not None, CharTable chars not None):
    """The comparison key of ``text`` (``classifier.text.normalize_line``)."""
    cdef Folded folded
    cdef vector[Py_UCS4] key
    read_line(chars, text, &folded, NULL, NULL)
    return key_of(string_of_folded(&folded), &folded, &chars.masks, &key)


def line_words(str text not None, CharTable chars not None):
    """The word tokens of folded ``text`` (``classifier.text.words``)."""
    cdef Folded folded
    read_line(chars, text, &folded, NULL, NULL)
    return words_of(string_of_folded(&folded), &folded, &chars.masks)


# ----- fingerprints of lines on a site (classifier.site_counts) --------------------------------

def page_fingerprints(str site not None, lines not None, CharTable chars not None):
    """The fingerprint of each line of a page of ``site`` that ``str.strip`` leaves non-empty,
    in order, as uint64: ``site_fingerprints`` of the site and the line's ``line_key``, with no
    string made per line."""
    cdef vector[Py_UCS4] hashed, key
    cdef Folded folded
    cdef Py_ssize_t site_end = _start_hashed(site, &hashed)
    cdef list blank_free = [line for line in lines if not _is_blank(line)]
    out_array = np.empty(len(blank_free), dtype=np.uint64)
    cdef uint64_t[::1] out = out_array
    cdef Py_ssize_t i
    for i in range(len(blank_free)):
        read_line(chars, blank_free[i], &folded, NULL, NULL)
        key_chars(&folded, &chars.masks, &key)
        hashed.resize(site_end)
        hashed.insert(hashed.end(), key.begin(), key.end())
        out[i] = _hash(&hashed)
    return out_array


def site_fingerprints(sites not None, keys not None):
    """The fingerprint of each (site, comparison key) pair, as uint64: MurmurHash64A (seed 0,
    from the ``murmurhash`` package) of the 32-bit code units of the site, a NUL and the key,
    in the machine's byte order (UTF-32LE on x86 and ARM). Code units, not UTF-8, so that no
    string is encoded and lone surrogates need no care; 64 bits, so that two lines of a crawl
    collide with odds of about n² / 2⁶⁵."""
    cdef list site_list = list(sites), key_list = list(keys)
    if len(site_list) != len(key_list):
        raise ValueError(f"{len(site_list)} sites for {len(key_list)} keys")
    out_array = np.empty(len(key_list), dtype=np.uint64)
    cdef uint64_t[::1] out = out_array
    cdef vector[Py_UCS4] hashed
    cdef Py_ssize_t i
    cdef Py_UCS4 code
    for i in range(len(key_list)):
        _start_hashed(site_list[i], &hashed)
        for code in <str?>key_list[i]:
            hashed.push_back(code)
        out[i] = _hash(&hashed)
    return out_array


cdef Py_ssize_t _start_hashed(str site, vector[Py_UCS4]* hashed) except -1:
    """``hashed`` made the site's code units and the NUL after them; returns its length."""
    cdef Py_UCS4 code
    hashed.clear()
    for code in site:
        hashed.push_back(code)
    hashed.push_back(0)
    return hashed.size()


cdef uint64_t _hash(vector[Py_UCS4]* hashed) except? 0:
    if hashed.size() > <size_t>(INT_MAX // 4):
        raise ValueError("a line too long to fingerprint (over 500 million characters)")
    return hash64(hashed.data(), <int>(4 * hashed.size()), 0)


cdef bint _is_blank(str line):
    """``not line.strip()``: ``str.strip`` removes exactly what ``Py_UNICODE_ISSPACE`` says."""
    cdef Py_UCS4 code
    for code in line:
        if not Py_UNICODE_ISSPACE(code):
            return False
    return True


# ----- all of it, per line of a batch --------------------------------------------------------

def measure_lines(texts not None, CharTable chars not None, dict date_words not None):
    """Per text: the visible text stripped of the spaces around it, the comparison key and
    word tokens (as ``line_key`` and ``line_words``), and the measures ``featurize`` takes: of
    the stripped visible text, the characters of each class of ``chars`` (under the class's
    name), SHAPE_COUNTS and SHAPE_FLAGS (``indent_chars`` and ``starts_with_bullet`` of the
    visible text before stripping). Returns ``(stripped, keys, words, measures)``: two lists;
    the words as ``(ids, offsets, distinct)``, text t's words being ``distinct[k]`` for each k of
    ``ids[offsets[t]:offsets[t + 1]]`` (two int64 arrays and a list: each distinct word is
    made a string once); and a dict of arrays, int64 for counts, int8 for flags and float64
    for the share."""
    cdef tuple lines = tuple(texts)
    cdef Py_ssize_t n_lines = len(lines), n_classes = len(chars.classes), t
    counts_array = np.zeros((n_classes + len(SHAPE_COUNTS), n_lines), dtype=np.int64)
    flags_array = np.zeros((len(SHAPE_FLAGS), n_lines), dtype=np.int8)
    date_shares = np.zeros(n_lines, dtype=np.float64)
    cdef double[::1] date_share_of = date_shares
    cdef DateTokens dates = DateTokens(date_words)
    cdef int64_t[:, ::1] counts = counts_array
    cdef int8_t[:, ::1] flags = flags_array
    cdef list stripped = [None] * n_lines, keys = [None] * n_lines, distinct_words = []
    cdef Numbering word_numbering = Numbering()
    cdef vector[int64_t] word_ids
    word_offsets = np.zeros(n_lines + 1, dtype=np.int64)
    cdef int64_t[::1] offsets = word_offsets
    cdef vector[Py_UCS4] shown, key
    cdef vector[uint32_t] shown_facts
    cdef Folded folded
    cdef Span visible, line
    cdef Py_ssize_t start, end
    cdef const Masks* masks = &chars.masks
    for t in range(n_lines):
        text = lines[t]
        if not isinstance(text, str):
            raise TypeError(f"line {t} is {type(text).__name__}, not str")
        read_line(chars, text, &folded, &shown, &shown_facts)
        visible = span_of(&shown, &shown_facts, 0, shown.size())
        start = leading_spaces(visible, masks)
        end = max(start, end_without_spaces(visible, masks))
        line = span_of(&shown, &shown_facts, start, end)
        if <Py_ssize_t>shown.size() == PyUnicode_GET_LENGTH(text):
            stripped[t] = PyUnicode_Substring(text, start, end)  # the line itself when nothing is stripped
        else:
            stripped[t] = string_of(line.chars, line.length)
        folded_text = string_of_folded(&folded)
        keys[t] = key_of(folded_text, &folded, masks, &key)
        number_words(folded_text, &folded, masks, word_numbering, distinct_words, &word_ids)
        offsets[t + 1] = word_ids.size()
        count_classes(line, masks, counts, t, n_classes)
        counts[n_classes + 1, t] = line.length
        counts[n_classes + 2, t] = start
        counts[n_classes + 3, t] = count_separators(line, masks)
        counts[n_classes + 4, t] = count_urls(line, masks)
        flags[0, t] = starts_with_bullet(visible, masks)
        flags[1, t] = ends_with_terminal_punct(line)
        flags[2, t] = ends_with_colon(line)
        flags[3, t] = has_colon_prefix(line, masks)
        flags[4, t] = has_copyright_sign(line)
        date_share_of[t] = dates.share_of(folded_text, &folded, masks)
    measures = dict(zip(chars.classes + SHAPE_COUNTS, counts_array))
    measures.update(zip(SHAPE_FLAGS, flags_array))
    measures["date_share"] = date_shares
    ids = np.empty(word_ids.size(), dtype=np.int64)
    cdef int64_t[::1] ids_view = ids
    for t in range(<Py_ssize_t>word_ids.size()):
        ids_view[t] = word_ids[t]
    return stripped, keys, (ids, word_offsets, distinct_words), measures
