# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""One pass over a page's serialized DOM that finds, for every rendered line, the elements
its words came from.

Resiliparse parses the page (lexbor, HTML5) and renders the lines; this walk reads lexbor's own
serialization of the parsed body (``DOMNode.html``), which is well formed: every element but a
void one is closed, attribute values are quoted, text is escaped with ``&amp; &lt; &gt;
&nbsp; &quot;`` only, and the text of raw-text elements (script, style) is written as it is.
Walking node objects from Python costs about 8 µs a node (15 ms on a 2,000-node page); this
scan reads the code points of the page and of its lines once, and makes no Python object but
the class/id text of the lines' elements.

The words of each visible text node (and of each image's alt text, which the renderer
writes where the image stands) are found again, in order, in the rendered lines (a word
is looked for on the current line from the current offset, then on the next lines, at most
``lookahead`` lines on; a word found nowhere, as the text of an element the renderer hid, is
skipped). Every word adds its characters to its line: to the line's mapped characters and to
each ancestor flag of its text node. The text node that gives a line most characters is the
line's dominant node, and its innermost element the line's element. ``DomWalk.line_fields``
then gives each line, from the elements the walk numbered, the fields of its element, block
and outer element and its place against the page's prose region (``ELEMENT_FIELDS``,
``REGION_FIELDS``).

Names are compared as Python's ``str.lower()`` compares them: tags and attributes are read
ASCII-lowercased, and a tag name or role with other characters goes through Python's
``lower``. Only two non-ASCII characters lowercase to ASCII (the Kelvin sign to "k", a dotted
capital I to "i" and a combining dot); neither can complete an attribute name, "true" or a
hiding style, so those are compared in ASCII alone.
"""

cimport cython
from cython.operator cimport dereference
from cpython.unicode cimport PyUnicode_4BYTE_KIND, PyUnicode_AsUCS4, PyUnicode_FromKindAndData, Py_UNICODE_ISSPACE
from libc.math cimport rint
from libc.stdint cimport int32_t, int64_t, uint32_t
from libc.string cimport memcmp
from libcpp.string cimport string
from libcpp.unordered_map cimport unordered_map
from libcpp.vector cimport vector
from html import unescape

ctypedef uint32_t CodePoint

# The attributes the walk reads (the others are skipped without reading their values).
cdef enum:
    NO_ATTRIBUTE, CLASS, ID, ROLE, STYLE, HIDDEN, ARIA_HIDDEN, ALT, N_ATTRIBUTES
cdef Py_ssize_t LONGEST_ATTRIBUTE = 11  # len("aria-hidden")

# The per-line fields ``DomWalk.line_fields`` writes, in its column order. The line's element,
# its block and its outer element (the block of the block's parent):
ELEMENT_FIELDS = ("tag", "block_tag", "depth", "block_text_chars", "block_link_chars", "outer_text_chars", "outer_link_chars")
# Where the line's element stands to the prose region (0 before it, 1 inside, 2 after), the
# region's share of the page's text and the share of the page's prose under the line's outer
# element, both in thousandths; -1 where the line has no element or the page no prose.
REGION_FIELDS = ("prose_region_side", "prose_region_text_permille", "outer_prose_permille")
cdef Py_ssize_t LINE_FIELD_COUNT = len(ELEMENT_FIELDS) + len(REGION_FIELDS)



cdef struct TagInfo:
    int32_t code
    int64_t flags
    bint hidden
    bint raw_text
    bint is_void
    bint block


cdef inline bint _is_space(CodePoint c) noexcept nogil:
    return c == 32 or c == 9 or c == 10 or c == 13 or c == 12


cdef inline bint _is_name_char(CodePoint c) noexcept nogil:
    return not (_is_space(c) or c == 62 or c == 47 or c == 61)  # > / =


cdef inline int32_t _last(const vector[int32_t]& values, int32_t otherwise) noexcept nogil:
    """The last of ``values``, or ``otherwise`` if there is none (a function, not a conditional
    expression: Cython keeps ``back()`` of one as a reference to a temporary)."""
    return values.back() if values.size() else otherwise


cdef inline int64_t _last_flags(const vector[int64_t]& values) noexcept nogil:
    return values.back() if values.size() else 0


cdef inline CodePoint _ascii_lowered(CodePoint c) noexcept nogil:
    return c + 0x20 if 0x41 <= c <= 0x5A else c


cdef bint _ascii_lowered_key(const vector[CodePoint]& text, Py_ssize_t start, Py_ssize_t end, string& key) noexcept:
    """``key`` = ``text[start:end]`` ASCII-lowercased; False (key unset) if a code point is not ASCII."""
    cdef Py_ssize_t i
    key.clear()
    for i in range(start, end):
        if text[i] >= 0x80:
            return False
        key.push_back(<char>_ascii_lowered(text[i]))
    return True


cdef bint _contains(const vector[CodePoint]& text, const char* ascii) noexcept:
    """Whether ``text`` holds the ASCII text ``ascii``."""
    cdef Py_ssize_t i, k, n = text.size()
    for i in range(n):
        k = 0
        while ascii[k] != 0 and i + k < n and text[i + k] == <CodePoint>ascii[k]:
            k += 1
        if ascii[k] == 0:
            return True
    return False


cdef int _read_code_points(str text, vector[CodePoint]& points) except -1:
    """Append the code points of ``text`` to ``points`` (Python's own widening copy)."""
    cdef size_t start = points.size(), length = len(text)
    if length == 0:
        return 0
    points.resize(start + length)
    PyUnicode_AsUCS4(text, <Py_UCS4*>(points.data() + start), length, 0)
    return 0


@cython.final
@cython.auto_pickle(False)
cdef class TagTable:
    """What the walk needs to know of tag names and ARIA roles, read once from the dicts and
    sets of ``classifier.structure``: ``tag_flags`` / ``role_flags`` map a tag name / role to a
    bit mask of flags, ``tag_codes`` a tag name to a small integer; the text of ``hidden_tags``
    is not rendered, ``raw_text_tags`` hold unescaped text, ``void_tags`` are never closed,
    ``block_tags`` start a block."""

    cdef unordered_map[string, TagInfo] tags
    cdef unordered_map[string, int64_t] roles
    cdef dict role_flags

    def __init__(self, dict tag_codes, dict tag_flags, dict role_flags, hidden_tags, raw_text_tags, void_tags, block_tags):
        cdef TagInfo info
        names = set(tag_codes) | set(tag_flags) | set(hidden_tags) | set(raw_text_tags) | set(void_tags) | set(block_tags)
        for name in names:
            if name != name.lower() or not name.isascii():
                raise ValueError(f"tag name {name!r} is not lowercase ASCII")
            info.code = tag_codes.get(name, 0)
            info.flags = tag_flags.get(name, 0)
            info.hidden = name in hidden_tags
            info.raw_text = name in raw_text_tags
            info.is_void = name in void_tags
            info.block = name in block_tags
            self.tags[name.encode("ascii")] = info
        for role, flags in role_flags.items():
            if role != role.lower() or not role.isascii():
                raise ValueError(f"role {role!r} is not lowercase ASCII")
            self.roles[role.encode("ascii")] = flags
        self.role_flags = dict(role_flags)

    cdef TagInfo info(self, const string& key) noexcept:
        cdef TagInfo unknown
        cdef unordered_map[string, TagInfo].iterator found = self.tags.find(key)
        if found == self.tags.end():
            unknown.code = 0
            unknown.flags = 0
            unknown.hidden = unknown.raw_text = unknown.is_void = unknown.block = False
            return unknown
        return dereference(found).second

    cdef int64_t role_flags_of(self, const vector[CodePoint]& text, Py_ssize_t start, Py_ssize_t end, str html) except? -1:
        """The flags of the roles in ``text[start:end]`` (``html``'s code points): ``role.lower().split()``."""
        cdef int64_t flags = 0
        cdef Py_ssize_t i = start, word_start
        cdef string word
        cdef unordered_map[string, int64_t].iterator found
        for i in range(start, end):
            if text[i] >= 0x80:
                for part in html[start:end].lower().split():
                    flags |= self.role_flags.get(part, 0)
                return flags
        i = start
        while i < end:
            while i < end and Py_UNICODE_ISSPACE(text[i]):
                i += 1
            word_start = i
            while i < end and not Py_UNICODE_ISSPACE(text[i]):
                i += 1
            if i > word_start:
                _ascii_lowered_key(text, word_start, i, word)
                found = self.roles.find(word)
                if found != self.roles.end():
                    flags |= dereference(found).second
        return flags


@cython.final
@cython.auto_pickle(False)
cdef class DomWalk:
    """What the walk found. The arrays given to ``walk_dom`` hold it per line: characters under
    each flag (column 0 the mapped characters), and the line's element (-1 when no word of
    the line was found). Per element (int32 arrays): its tag code, depth, block, parent, text
    and link characters; ``line_names`` gives the class and id text of each line's element
    and its ancestors."""

    # The page, as code points: the serialized body, and the lines end to end.
    cdef str html_text
    cdef vector[CodePoint] html
    cdef vector[CodePoint] line_text
    cdef vector[Py_ssize_t] line_start, line_end
    cdef Py_ssize_t n_lines
    # The per-line arrays, filled in place.
    cdef int32_t[:, ::1] line_flag_chars
    cdef int32_t[::1] line_element
    cdef vector[int32_t] best_chars
    # Where the placing of words stands.
    cdef Py_ssize_t line_no, offset
    cdef int lookahead, link_flag_bit, hidden_flag_bit, n_bits, name_chars
    # The open elements, innermost last.
    cdef vector[string] open_names
    cdef vector[int64_t] open_flags
    cdef vector[int32_t] open_element, open_hidden, open_block
    # Per element.
    cdef vector[int32_t] tag, depth, parent, block, text_chars, link_chars
    cdef vector[Py_ssize_t] own_start, own_end  # its own class and id text, in own_text
    cdef vector[CodePoint] own_text
    # Per element, its whole name text once asked for (start -1 until then), in name_text.
    cdef vector[Py_ssize_t] name_start, name_end
    cdef vector[CodePoint] name_text
    # Scratch: a text node's unescaped text, a tag name.
    cdef vector[CodePoint] unescaped
    cdef string key

    def line_fields(self, int32_t[:, ::1] out not None, double region_share, int prose_free_chars):
        """Fill ``out`` (a row per line, ELEMENT_FIELDS then REGION_FIELDS, all -1 given) for
        the lines that have an element.

        Element fields: the line's element's tag code and depth; its block's tag code, text
        and linked characters; and those characters of its outer element (the block of the
        block's parent). Region fields: where the element stands to the page's prose region
        (0 before, 1 inside, 2 after), the region's share of the page's text and the share of
        the page's prose under the outer element, in thousandths. A line's prose is its
        unlinked characters beyond ``prose_free_chars``; the region is the deepest element
        (the first of equals) whose subtree holds more than ``region_share`` of the page's
        prose. Elements are numbered in document order, so one before the region's first is
        before it and one past its subtree's last is after it."""
        cdef Py_ssize_t n_elements = self.tag.size(), row
        if out.shape[0] < self.n_lines or out.shape[1] != LINE_FIELD_COUNT:
            raise ValueError(f"line fields need a row per line and {LINE_FIELD_COUNT} columns")
        cdef vector[double] prose
        cdef vector[int32_t] ends
        prose.assign(n_elements, 0.0)
        ends.resize(n_elements)
        cdef int32_t element, line_block, outer, region = -1
        cdef int64_t unlinked, page_text = 0
        cdef double page_prose = 0.0, region_text_permille
        for row in range(self.n_lines):
            element = self.line_element[row]
            if element < 0:
                continue
            line_block = self.block[element]
            outer = _at_or_none(self.block, _at_or_none(self.parent, line_block))
            out[row, 0] = self.tag[element]
            out[row, 1] = _at_or_none(self.tag, line_block)
            out[row, 2] = self.depth[element]
            out[row, 3] = _at_or_none(self.text_chars, line_block)
            out[row, 4] = _at_or_none(self.link_chars, line_block)
            out[row, 5] = _at_or_none(self.text_chars, outer)
            out[row, 6] = _at_or_none(self.link_chars, outer)
            unlinked = self.line_flag_chars[row, 0] - self.line_flag_chars[row, 1 + self.link_flag_bit]
            prose[element] += max(unlinked - prose_free_chars, 0)
        _subtree_totals(self.parent.data(), prose.data(), ends.data(), n_elements)
        for element in range(n_elements):
            if self.parent[element] < 0:
                page_prose += prose[element]
                page_text += self.text_chars[element]
        if page_prose <= 0:
            return
        for element in range(n_elements):
            if prose[element] > region_share * page_prose and (region < 0 or self.depth[element] > self.depth[region]):
                region = element
        if region < 0:
            return
        region_text_permille = rint(1000.0 * self.text_chars[region] / max(page_text, 1))
        for row in range(self.n_lines):
            element = self.line_element[row]
            if element < 0:
                continue
            out[row, 7] = 0 if element < region else (2 if element > ends[region] else 1)
            out[row, 8] = <int32_t>region_text_permille
            outer = _at_or_none(self.block, _at_or_none(self.parent, self.block[element]))
            out[row, 9] = <int32_t>rint(1000.0 * prose[outer] / page_prose) if outer >= 0 else -1

    def line_names(self):
        """Per line, the ``class`` and ``id`` text of its element and then of its ancestors,
        nearest first, cut at ``name_chars`` ("" for a line without an element)."""
        cdef list names = [""] * self.n_lines
        cdef dict made = {}
        cdef Py_ssize_t row
        cdef int32_t element
        for row in range(self.n_lines):
            element = self.line_element[row]
            if element < 0:
                continue
            name = made.get(element)
            if name is None:
                self._compute_name(element)
                name = PyUnicode_FromKindAndData(
                    PyUnicode_4BYTE_KIND, self.name_text.data() + self.name_start[element],
                    self.name_end[element] - self.name_start[element],
                )
                made[element] = name
            names[row] = name
        return names

    cdef void _compute_name(self, int32_t element):
        """An element's name text: its own class and id text, a space and its parent's name text,
        cut at ``name_chars``; its parent's name text if it has none of its own; its own if it
        has no parent. Computed for its ancestors first, each once."""
        cdef vector[int32_t] chain
        cdef int32_t e = element, p
        cdef Py_ssize_t k, i, start
        if self.name_start.empty():
            self.name_start.assign(self.tag.size(), -1)
            self.name_end.assign(self.tag.size(), -1)
        while e >= 0 and self.name_start[e] < 0:
            chain.push_back(e)
            e = self.parent[e]
        for k in range(<Py_ssize_t>chain.size() - 1, -1, -1):
            e = chain[k]
            p = self.parent[e]
            if p >= 0 and self.own_end[e] == self.own_start[e]:
                self.name_start[e], self.name_end[e] = self.name_start[p], self.name_end[p]
                continue
            start = self.name_text.size()
            for i in range(self.own_start[e], self.own_end[e]):
                self.name_text.push_back(self.own_text[i])
            if p >= 0:
                self.name_text.push_back(32)
                for i in range(self.name_start[p], self.name_end[p]):
                    self.name_text.push_back(self.name_text[i])
                self.name_text.resize(min(<Py_ssize_t>self.name_text.size(), start + self.name_chars))
            self.name_start[e], self.name_end[e] = start, self.name_text.size()

    cdef Py_ssize_t _find(self, CodePoint character, Py_ssize_t start, Py_ssize_t end=-1) noexcept:
        """The position of ``character`` in the page from ``start`` (before ``end``, if given), or -1."""
        cdef Py_ssize_t i, n = self.html.size() if end < 0 else end
        for i in range(start, n):
            if self.html[i] == character:
                return i
        return -1

    cdef bint _at(self, Py_ssize_t i, const char* ascii, Py_ssize_t end=-1) noexcept:
        """Whether the page has the ASCII text ``ascii`` at ``i`` (ending before ``end``, if given)."""
        cdef Py_ssize_t k = 0, n = self.html.size() if end < 0 else end
        while ascii[k] != 0:
            if i + k >= n or self.html[i + k] != <CodePoint>ascii[k]:
                return False
            k += 1
        return True

    cdef Py_ssize_t _find_text(self, const char* ascii, Py_ssize_t start) noexcept:
        """The position of the ASCII text ``ascii`` in the page from ``start``, or -1."""
        cdef Py_ssize_t i = start
        while True:
            i = self._find(<CodePoint>ascii[0], i)
            if i < 0 or self._at(i, ascii):
                return i
            i += 1

    cdef Py_ssize_t _find_end_tag(self, Py_ssize_t i, const string& name) noexcept:
        """The position after the ``</name ... >`` that ends a raw-text element, or -1."""
        cdef Py_ssize_t j = i, k
        while True:
            j = self._find_text(b"</", j)
            if j < 0:
                return -1
            if self._lowered_is(j + 2, j + 2 + <Py_ssize_t>name.size(), name):
                k = self._find(62, j)
                return <Py_ssize_t>self.html.size() if k < 0 else k + 1
            j += 2

    cdef bint _lowered_is(self, Py_ssize_t start, Py_ssize_t end, const string& name) noexcept:
        """Whether ``html[start:end]`` lowercased is the ASCII ``name`` (compared in ASCII: no
        non-ASCII code point lowercases into the names compared here)."""
        cdef string lowered
        return end <= <Py_ssize_t>self.html.size() and _ascii_lowered_key(self.html, start, end, lowered) and lowered == name

    cdef bint _hides(self, Py_ssize_t start, Py_ssize_t end) noexcept:
        """Whether the inline style ``html[start:end]`` hides the element: "display:none" or
        "visibility:hidden" in it lowercased, without spaces (a non-ASCII code point never
        lowercases into those)."""
        cdef vector[CodePoint] compact
        cdef Py_ssize_t i
        for i in range(start, end):
            if self.html[i] != 32:
                compact.push_back(_ascii_lowered(self.html[i]))
        return _contains(compact, b"display:none") or _contains(compact, b"visibility:hidden")

    cdef int _tag_key(self, Py_ssize_t start, Py_ssize_t end) except -1:
        """``self.key`` = the tag name ``html[start:end]`` lowercased, as UTF-8."""
        if not _ascii_lowered_key(self.html, start, end, self.key):
            self.key = self.html_text[start:end].lower().encode("utf-8", "surrogatepass")
        return 0

    cdef int _close(self) except -1:
        """Pop the innermost open element; its text and link characters add to its parent's."""
        cdef int32_t element = self.open_element.back()
        cdef int32_t parent = self.parent[element]
        self.open_names.pop_back()
        self.open_flags.pop_back()
        self.open_element.pop_back()
        self.open_hidden.pop_back()
        self.open_block.pop_back()
        if parent >= 0:
            self.text_chars[parent] += self.text_chars[element]
            self.link_chars[parent] += self.link_chars[element]
        return 0

    cdef const CodePoint* _text(self, Py_ssize_t start, Py_ssize_t end, Py_ssize_t* length) except NULL:
        """The text ``html[start:end]`` unescaped: the serializer's escapes here, any other
        ``&`` (in the text of a raw-text element the walk reads) by Python's ``html.unescape``."""
        cdef Py_ssize_t i = start, skip
        cdef CodePoint character
        if self._find(0x26, start, end) < 0:
            length[0] = end - start
            return self.html.data() + start
        self.unescaped.clear()
        while i < end:
            if self.html[i] != 0x26:
                self.unescaped.push_back(self.html[i])
                i += 1
                continue
            skip = self._escape(i, end, &character)
            if skip == 0:
                self.unescaped.clear()
                _read_code_points(unescape(self.html_text[start:end]), self.unescaped)
                break
            self.unescaped.push_back(character)
            i += skip
        length[0] = self.unescaped.size()
        return self.unescaped.data() if self.unescaped.size() else self.html.data() + start

    cdef Py_ssize_t _escape(self, Py_ssize_t i, Py_ssize_t end, CodePoint* character) noexcept:
        """The length of the serializer's escape at ``i`` (0 if there is none there, before
        ``end``), and its character."""
        if self._at(i, b"&amp;", end):
            character[0] = 0x26
            return 5
        if self._at(i, b"&lt;", end):
            character[0] = 0x3C
            return 4
        if self._at(i, b"&gt;", end):
            character[0] = 0x3E
            return 4
        if self._at(i, b"&quot;", end):
            character[0] = 0x22
            return 6
        if self._at(i, b"&nbsp;", end):
            character[0] = 0xA0
            return 6
        return 0

    cdef Py_ssize_t _find_word(self, const CodePoint* word, Py_ssize_t length, Py_ssize_t line, Py_ssize_t start) noexcept:
        """``lines[line].find(word, start)``."""
        cdef Py_ssize_t first = self.line_start[line] + start, last = self.line_end[line] - length, i
        cdef const CodePoint* text = self.line_text.data()
        if start > self.line_end[line] - self.line_start[line]:
            return -1
        i = first
        while i <= last:
            if text[i] == word[0] and memcmp(text + i + 1, word + 1, (length - 1) * sizeof(CodePoint)) == 0:
                return i - self.line_start[line]
            i += 1
        return -1

    cdef Py_ssize_t _text_node(self, Py_ssize_t start, Py_ssize_t end) except -1:
        """Place the words of the text ``html[start:end]`` on the lines; return ``end``."""
        cdef Py_ssize_t n, i, w_start, found, candidate, limit, length
        cdef int64_t flags = _last_flags(self.open_flags)
        cdef int32_t element = _last(self.open_element, -1)
        cdef int bit
        cdef int32_t node_chars = 0, total
        cdef const CodePoint* text
        # The node's characters per line it reaches: its words go forward through the lines, so
        # each line is met in one run, and the lines come in order.
        cdef vector[int32_t] reached_lines, reached_chars
        if _last(self.open_hidden, 0):
            return end
        text = self._text(start, end, &n)
        i = 0
        while i < n:
            while i < n and _is_space(text[i]):
                i += 1
            if i >= n:
                break
            w_start = i
            while i < n and not _is_space(text[i]):
                i += 1
            length = i - w_start
            node_chars += length
            found = -1
            limit = min(self.n_lines, self.line_no + self.lookahead)
            candidate = self.line_no
            while candidate < limit:
                found = self._find_word(text + w_start, length, candidate, self.offset if candidate == self.line_no else 0)
                if found >= 0:
                    break
                candidate += 1
            if found < 0:
                if node_chars == length:
                    # The node's first word is nowhere ahead: the renderer hid the node.
                    return end
                continue
            if candidate == self.line_no and w_start > 0 and 0 < found - self.offset <= 2:
                # The spaces before the word, on the line where the text went on, are the node's too.
                length += found - self.offset
            self.line_no = candidate
            self.offset = found + (i - w_start)
            self.line_flag_chars[candidate, 0] += <int32_t>length
            for bit in range(self.n_bits):
                if flags & (<int64_t>1 << bit):
                    self.line_flag_chars[candidate, bit + 1] += <int32_t>length
            if _last(reached_lines, -1) == candidate:
                reached_chars[reached_chars.size() - 1] += <int32_t>length
            else:
                reached_lines.push_back(<int32_t>candidate)
                reached_chars.push_back(<int32_t>length)
        if element >= 0:
            self.text_chars[element] += node_chars
            if flags & (<int64_t>1 << self.link_flag_bit):
                self.link_chars[element] += node_chars
        for i in range(<Py_ssize_t>reached_lines.size()):
            candidate, total = reached_lines[i], reached_chars[i]
            if total > self.best_chars[candidate]:
                self.best_chars[candidate] = total
                self.line_element[candidate] = element
        return end

    cdef int _walk(self, TagTable tags) except -1:
        cdef Py_ssize_t n = self.html.size(), i = 0, j, k, start, value_start, value_end
        cdef Py_ssize_t attribute_start[N_ATTRIBUTES]
        cdef Py_ssize_t attribute_end[N_ATTRIBUTES]
        cdef bint has_attribute[N_ATTRIBUTES]
        cdef int attribute
        cdef CodePoint c, quote
        cdef bint closing, image_alt
        cdef TagInfo info
        cdef int64_t flags
        cdef int32_t element, parent, block, hidden
        while i < n:
            c = self.html[i]
            if c != 60:  # text up to the next "<"
                j = self._find(60, i)
                if j < 0:
                    j = n
                k = i
                while k < j and _is_space(self.html[k]):
                    k += 1
                if k == j:  # only whitespace between two tags: nothing to place
                    i = j
                    continue
                i = self._text_node(i, j)
                continue
            if self._at(i, b"<!--"):
                j = self._find_text(b"-->", i + 4)
                i = n if j < 0 else j + 3
                continue
            if i + 1 < n and (self.html[i + 1] == 33 or self.html[i + 1] == 63):  # <! <?
                j = self._find(62, i)
                i = n if j < 0 else j + 1
                continue
            closing = i + 1 < n and self.html[i + 1] == 47
            j = i + 2 if closing else i + 1
            start = j
            while j < n and _is_name_char(self.html[j]):
                j += 1
            if j <= start:
                # A lone "<" cannot come out of the serializer; read it as text.
                i = self._text_node(i, i + 1)
                continue
            self._tag_key(start, j)
            if closing:
                j = self._find(62, j)
                i = n if j < 0 else j + 1
                for k in range(<Py_ssize_t>self.open_names.size() - 1, -1, -1):
                    if self.open_names[k] == self.key:
                        while <Py_ssize_t>self.open_names.size() > k:
                            self._close()
                        break
                continue
            # A start tag and its attributes (of one named twice, the last).
            for attribute in range(N_ATTRIBUTES):
                has_attribute[attribute] = False
                attribute_start[attribute] = attribute_end[attribute] = 0
            while j < n:
                while j < n and _is_space(self.html[j]):
                    j += 1
                if j >= n or self.html[j] == 62:
                    break
                if self.html[j] == 47:  # a "/" before ">"
                    j += 1
                    continue
                start = j
                while j < n and _is_name_char(self.html[j]):
                    j += 1
                if j == start:
                    j += 1
                    continue
                attribute = self._attribute(start, j)
                value_start = value_end = j
                if j < n and self.html[j] == 61:  # =
                    j += 1
                    if j < n and (self.html[j] == 34 or self.html[j] == 39):
                        quote = self.html[j]
                        k = self._find(quote, j + 1)
                        if k < 0:
                            k = n
                        value_start, value_end = j + 1, k
                        j = k + 1
                    else:
                        value_start = j
                        while j < n and not _is_space(self.html[j]) and self.html[j] != 62:
                            j += 1
                        value_end = j
                has_attribute[attribute] = True
                attribute_start[attribute], attribute_end[attribute] = value_start, value_end
            i = j + 1
            info = tags.info(self.key)
            if info.raw_text:
                j = self._find_end_tag(i, self.key)
                i = n if j < 0 else j
                continue
            image_alt = self.key == b"img" and attribute_end[ALT] > attribute_start[ALT]
            if info.is_void and not image_alt:
                continue
            element = self.tag.size()
            parent = _last(self.open_element, -1)
            flags = _last_flags(self.open_flags) | info.flags
            if attribute_end[ROLE] > attribute_start[ROLE]:
                flags |= tags.role_flags_of(self.html, attribute_start[ROLE], attribute_end[ROLE], self.html_text)
            if (has_attribute[HIDDEN] or self._lowered_is(attribute_start[ARIA_HIDDEN], attribute_end[ARIA_HIDDEN], b"true")
                    or self._hides(attribute_start[STYLE], attribute_end[STYLE])):
                # Hidden by its attributes, yet rendered (the renderer does not read them).
                flags |= <int64_t>1 << self.hidden_flag_bit
            block = element if info.block else _last(self.open_block, -1)
            hidden = 1 if info.hidden or _last(self.open_hidden, 0) else 0
            self.tag.push_back(info.code)
            self.depth.push_back(<int32_t>self.open_element.size())
            self.parent.push_back(parent)
            self.block.push_back(block)
            self.text_chars.push_back(0)
            self.link_chars.push_back(0)
            # Its own class and id text: the class, then a space and the id if it has one.
            self.own_start.push_back(self.own_text.size())
            for k in range(attribute_start[CLASS], attribute_end[CLASS]):
                self.own_text.push_back(self.html[k])
            if has_attribute[ID]:
                self.own_text.push_back(32)
                for k in range(attribute_start[ID], attribute_end[ID]):
                    self.own_text.push_back(self.html[k])
            self.own_end.push_back(self.own_text.size())
            self.open_names.push_back(self.key)
            self.open_flags.push_back(flags)
            self.open_element.push_back(element)
            self.open_hidden.push_back(hidden)
            self.open_block.push_back(block)
            if image_alt:
                # The renderer writes an image's alt text where the image stands.
                self._text_node(attribute_start[ALT], attribute_end[ALT])
                self._close()
        while self.open_names.size():
            self._close()
        return 0

    cdef int _attribute(self, Py_ssize_t start, Py_ssize_t end) noexcept:
        """Which read attribute ``html[start:end]`` names, ASCII-lowercased (NO_ATTRIBUTE if none)."""
        cdef string name
        if end - start > LONGEST_ATTRIBUTE or not _ascii_lowered_key(self.html, start, end, name):
            return NO_ATTRIBUTE
        if name == b"class":
            return CLASS
        if name == b"id":
            return ID
        if name == b"role":
            return ROLE
        if name == b"style":
            return STYLE
        if name == b"hidden":
            return HIDDEN
        if name == b"aria-hidden":
            return ARIA_HIDDEN
        if name == b"alt":
            return ALT
        return NO_ATTRIBUTE


def walk_dom(str html, list lines, TagTable tags, int link_flag_bit, int hidden_flag_bit,
             int32_t[:, ::1] line_flag_chars not None, int32_t[::1] line_element not None, int lookahead, int name_chars):
    """Walk ``html`` (lexbor's serialization of a body) against the rendered ``lines``.

    Bit k of a flag mask is column k + 1 of ``line_flag_chars``. An element that its attributes
    hide (``hidden``, ``aria-hidden``, an inline ``display:none``) is rendered, and sets the flag
    ``hidden_flag_bit``. The two arrays are filled in place (zeros and -1 given). Each element's
    name text is its own ``class`` and ``id`` text, then its ancestors', nearest first, cut at
    ``name_chars``. Returns the ``DomWalk``.
    """
    cdef DomWalk walk = DomWalk()
    cdef Py_ssize_t n_lines = len(lines)
    # The arrays are indexed without bounds checks: their shapes are checked here.
    if line_flag_chars.shape[0] < n_lines or line_element.shape[0] < n_lines:
        raise ValueError("line_flag_chars and line_element need a row per line")
    if not 0 < line_flag_chars.shape[1] <= 64 or not 0 <= link_flag_bit < line_flag_chars.shape[1] - 1:
        raise ValueError("line_flag_chars needs 1 + n_flags columns, at most 63 flags")
    if not 0 <= hidden_flag_bit < line_flag_chars.shape[1] - 1:
        raise ValueError("hidden_flag_bit is not a flag column")
    if lookahead < 0 or name_chars < 0:
        raise ValueError("lookahead and name_chars cannot be negative")
    walk.html_text = html
    walk.html.reserve(len(html))
    _read_code_points(html, walk.html)
    for line in lines:
        if not isinstance(line, str):
            raise TypeError(f"expected str lines, got {type(line).__name__}")
        walk.line_start.push_back(walk.line_text.size())
        _read_code_points(line, walk.line_text)
        walk.line_end.push_back(walk.line_text.size())
    walk.n_lines = n_lines
    walk.line_flag_chars = line_flag_chars
    walk.line_element = line_element
    walk.best_chars.assign(n_lines, 0)
    walk.lookahead = lookahead
    walk.link_flag_bit = link_flag_bit
    walk.hidden_flag_bit = hidden_flag_bit
    walk.n_bits = line_flag_chars.shape[1] - 1
    walk.name_chars = name_chars
    walk._walk(tags)
    return walk


cdef inline int32_t _at_or_none(const vector[int32_t]& values, int32_t element) noexcept:
    """``values[element]``, or -1 where ``element`` is -1 (none)."""
    return values[element] if element >= 0 else -1


def subtree_totals(const int32_t[::1] parent not None, double[::1] totals not None, int32_t[::1] ends not None):
    """Sum ``totals`` (one value per element, in document order) over each element's subtree,
    in place, and set ``ends[e]`` to the last element of ``e``'s subtree: the subtree of ``e``
    is the elements ``e`` to ``ends[e]``. Elements are numbered as they open, so a parent
    comes before its children (checked: ``-1 <= parent[e] < e``)."""
    cdef Py_ssize_t n = parent.shape[0], e
    if totals.shape[0] != n or ends.shape[0] != n:
        raise ValueError("parent, totals and ends need one value per element")
    for e in range(n):
        if not -1 <= parent[e] < e:
            raise ValueError(f"element {e} has parent {parent[e]}: parents must come first")
    if n:
        _subtree_totals(&parent[0], &totals[0], &ends[0], n)


cdef void _subtree_totals(const int32_t* parent, double* totals, int32_t* ends, Py_ssize_t n) noexcept:
    """``subtree_totals`` on parents already checked (the walk numbers them so)."""
    cdef Py_ssize_t e
    cdef int32_t p
    for e in range(n):
        ends[e] = <int32_t>e
    for e in range(n - 1, -1, -1):
        p = parent[e]
        if p >= 0:
            totals[p] += totals[e]
            if ends[e] > ends[p]:
                ends[p] = ends[e]
