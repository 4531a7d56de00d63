# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""One pass over a page's serialized DOM that finds, for every rendered line, the elements
its words came from.

Resiliparse parses the page (lexbor, HTML5) and renders the lines; this walk reads lexbor's own
serialization of the parsed body (``DOMNode.html``), which is well formed: every element but a
void one is closed, attribute values are quoted, text is escaped with ``&amp; &lt; &gt;
&nbsp; &quot;`` only, and the text of raw-text elements (script, style) is written as it is.
Walking node objects from Python costs about 8 µs a node (15 ms on a 2,000-node page); this
scan costs a small fraction of that.

The words of each visible text node (and of each image's alt text, which the renderer
writes where the image stands) are found again, in order, in the rendered lines (a word
is looked for on the current line from the current offset, then on the next lines, at most
``lookahead`` lines on; a word found nowhere, as the text of an element the renderer hid, is
skipped). Every word adds its characters to its line: to the line's mapped characters and to
each ancestor flag of its text node. The text node that gives a line most characters is the
line's dominant node, and its innermost element the line's element.
"""

from libc.stdint cimport int32_t, int64_t
from libcpp.vector cimport vector
from html import unescape


# The attributes the walk reads (the others are skipped without making strings of them).
_READ_ATTRIBUTES = {name: name for name in ("class", "id", "role", "style", "hidden", "aria-hidden", "alt")}
_LONGEST_READ_ATTRIBUTE = max(map(len, _READ_ATTRIBUTES))


cdef inline bint _is_space(Py_UCS4 c) noexcept:
    return c == 32 or c == 9 or c == 10 or c == 13 or c == 12


cdef inline bint _is_name_char(Py_UCS4 c) noexcept:
    return not (_is_space(c) or c == 62 or c == 47 or c == 61)  # > / =


cdef class DomWalk:
    """What the walk found: per line, characters under each flag (``line_flag_chars``, column 0
    the mapped characters), the line's element (``line_element``, -1 when no word of the line
    was found), and per element its tag code, depth, block, parent, text/link characters and
    the ``class`` and ``id`` text of it and its ancestors (``element_names``)."""

    cdef public object line_flag_chars      # int32 (n_lines, 1 + n_flags)
    cdef public object line_element         # int32 (n_lines,)
    cdef public list element_tag
    cdef public list element_depth
    cdef public list element_parent
    cdef public list element_block
    cdef public list element_text_chars
    cdef public list element_link_chars
    cdef public list element_names


def walk_dom(str html, list lines, dict tag_codes, dict tag_flags, dict role_flags, frozenset hidden_tags,
             frozenset raw_text_tags, frozenset void_tags, frozenset block_tags, int link_flag_bit, int hidden_flag_bit,
             int32_t[:, ::1] line_flag_chars, int32_t[::1] line_element, int lookahead, int name_chars):
    """Walk ``html`` (lexbor's serialization of a body) against the rendered ``lines``.

    ``tag_flags`` / ``role_flags`` map a tag name / ARIA role to a bit mask of flags (bit k is
    column k + 1 of ``line_flag_chars``); ``tag_codes`` a tag name to a small integer. The
    text of ``hidden_tags`` is not rendered; an element that its attributes hide (``hidden``,
    ``aria-hidden``, an inline ``display:none``) is, and sets the flag ``hidden_flag_bit``. The two
    arrays are filled in place (zeros and -1 given). Each element's name text is its own
    ``class`` and ``id`` text, then its ancestors', nearest first, cut at ``name_chars``.
    Returns the per-element lists.
    """
    cdef Py_ssize_t n = len(html), i = 0, j, k, start
    cdef Py_ssize_t n_lines = len(lines)
    cdef Py_UCS4 c
    # The stack of open elements.
    cdef vector[int64_t] open_flags
    cdef vector[int32_t] open_element
    cdef vector[int32_t] open_hidden
    cdef vector[int32_t] open_block
    cdef int64_t flags
    cdef int32_t element, parent, hidden, block, depth
    cdef int32_t line_no = 0
    cdef object wanted
    cdef Py_ssize_t offset = 0
    cdef Py_ssize_t value_start, value_end, alt_start, alt_end
    cdef list element_tag = [], element_depth = [], element_parent = [], element_block = []
    cdef list element_text_chars = [], element_link_chars = [], element_names = []
    cdef list open_names = []
    cdef str name, role, class_id
    cdef bint closing, image_alt
    cdef dict attrs
    cdef int32_t[::1] best_chars
    # The arrays are indexed without bounds checks below: their shapes are checked here.
    if line_flag_chars.shape[0] < n_lines or line_element.shape[0] < n_lines:
        raise ValueError("line_flag_chars and line_element need a row per line")
    if not 0 < line_flag_chars.shape[1] <= 64 or not 0 <= link_flag_bit < line_flag_chars.shape[1] - 1:
        raise ValueError("line_flag_chars needs 1 + n_flags columns, at most 63 flags")
    if not 0 <= hidden_flag_bit < line_flag_chars.shape[1] - 1:
        raise ValueError("hidden_flag_bit is not a flag column")
    best_chars = _zeros_int32(n_lines)

    while i < n:
        c = html[i]
        if c == 60:  # <
            if html.startswith("<!--", i):
                j = html.find("-->", i + 4)
                i = n if j < 0 else j + 3
                continue
            if i + 1 < n and (html[i + 1] == 33 or html[i + 1] == 63):  # <! <?
                j = html.find(">", i)
                i = n if j < 0 else j + 1
                continue
            closing = i + 1 < n and html[i + 1] == 47
            j = i + 2 if closing else i + 1
            start = j
            while j < n and _is_name_char(html[j]):
                j += 1
            name = html[start:j].lower()
            if not name:
                # A lone "<" cannot come out of the serializer; read it as text.
                i = _text_node(html, i, i + 1, lines, n_lines, &line_no, &offset, lookahead,
                               open_flags, open_element, open_hidden, line_flag_chars, line_element,
                               best_chars, element_text_chars, element_link_chars, link_flag_bit)
                continue
            if closing:
                j = html.find(">", j)
                i = n if j < 0 else j + 1
                for k in range(len(open_names) - 1, -1, -1):
                    if open_names[k] == name:
                        while len(open_names) > k:
                            _close(open_names, open_flags, open_element, open_hidden, open_block,
                                   element_parent, element_text_chars, element_link_chars)
                        break
                continue
            # A start tag and its attributes.
            attrs = {}
            alt_start = alt_end = 0
            while j < n:
                while j < n and _is_space(html[j]):
                    j += 1
                if j >= n or html[j] == 62:
                    break
                if html[j] == 47:  # a "/" before ">"
                    j += 1
                    continue
                start = j
                while j < n and _is_name_char(html[j]):
                    j += 1
                if j == start:
                    j += 1
                    continue
                wanted = _READ_ATTRIBUTES.get(html[start:j].lower()) if j - start <= _LONGEST_READ_ATTRIBUTE else None
                value_start = value_end = j
                if j < n and html[j] == 61:  # =
                    j += 1
                    if j < n and (html[j] == 34 or html[j] == 39):
                        c = html[j]
                        k = html.find(c, j + 1)
                        if k < 0:
                            k = n
                        value_start, value_end = j + 1, k
                        j = k + 1
                    else:
                        value_start = j
                        while j < n and not _is_space(html[j]) and html[j] != 62:
                            j += 1
                        value_end = j
                if wanted == "alt":
                    alt_start, alt_end = value_start, value_end  # placed as text, not kept as a string
                elif wanted is not None:
                    attrs[wanted] = html[value_start:value_end]
            i = j + 1
            if name in raw_text_tags:
                j = _find_end_tag(html, i, name)
                i = n if j < 0 else j
                continue
            image_alt = name == "img" and alt_end > alt_start
            if name in void_tags and not image_alt:
                continue
            element = len(element_tag)
            parent = open_element.back() if open_element.size() else -1
            depth = <int32_t>open_element.size()
            flags = (open_flags.back() if open_flags.size() else 0) | tag_flags.get(name, 0)
            role = attrs.get("role")
            if role:
                for part in role.lower().split():
                    flags |= role_flags.get(part, 0)
            if "hidden" in attrs or attrs.get("aria-hidden", "").lower() == "true" or _hides(attrs.get("style")):
                # Hidden by its attributes, yet rendered (the renderer does not read them).
                flags |= <int64_t>1 << hidden_flag_bit
            hidden = 1 if name in hidden_tags or (open_hidden.size() and open_hidden.back()) else 0
            block = element if name in block_tags else (open_block.back() if open_block.size() else -1)
            class_id = attrs.get("class", "")
            if "id" in attrs:
                class_id = class_id + " " + attrs["id"]
            # The class and id text of the element and then of its ancestors, nearest first.
            if parent >= 0:
                class_id = (class_id + " " + element_names[parent])[:name_chars] if class_id else element_names[parent]
            element_tag.append(tag_codes.get(name, 0))
            element_depth.append(depth)
            element_parent.append(parent)
            element_block.append(block)
            element_text_chars.append(0)
            element_link_chars.append(0)
            element_names.append(class_id)
            open_names.append(name)
            open_flags.push_back(flags)
            open_element.push_back(element)
            open_hidden.push_back(hidden)
            open_block.push_back(block)
            if image_alt:
                # The renderer writes an image's alt text where the image stands.
                _text_node(html, alt_start, alt_end, lines, n_lines, &line_no, &offset, lookahead,
                           open_flags, open_element, open_hidden, line_flag_chars, line_element,
                           best_chars, element_text_chars, element_link_chars, link_flag_bit)
                _close(open_names, open_flags, open_element, open_hidden, open_block,
                       element_parent, element_text_chars, element_link_chars)
        else:
            j = html.find("<", i)
            if j < 0:
                j = n
            k = i
            while k < j and _is_space(html[k]):
                k += 1
            if k == j:  # only whitespace between two tags: nothing to place
                i = j
                continue
            i = _text_node(html, i, j, lines, n_lines, &line_no, &offset, lookahead,
                           open_flags, open_element, open_hidden, line_flag_chars, line_element,
                           best_chars, element_text_chars, element_link_chars, link_flag_bit)
    while open_names:
        _close(open_names, open_flags, open_element, open_hidden, open_block,
               element_parent, element_text_chars, element_link_chars)
    result = DomWalk()
    result.element_tag = element_tag
    result.element_depth = element_depth
    result.element_parent = element_parent
    result.element_block = element_block
    result.element_text_chars = element_text_chars
    result.element_link_chars = element_link_chars
    result.element_names = element_names
    return result


cdef int32_t[::1] _zeros_int32(Py_ssize_t n):
    import numpy
    return numpy.zeros(n, dtype=numpy.int32)


cdef void _close(list open_names, vector[int64_t]& open_flags, vector[int32_t]& open_element,
                 vector[int32_t]& open_hidden, vector[int32_t]& open_block, list element_parent,
                 list element_text_chars, list element_link_chars):
    """Pop the innermost open element; its text and link characters add to its parent's."""
    cdef int32_t element = open_element.back()
    cdef int32_t parent = element_parent[element]
    open_names.pop()
    open_flags.pop_back()
    open_element.pop_back()
    open_hidden.pop_back()
    open_block.pop_back()
    if parent >= 0:
        element_text_chars[parent] += element_text_chars[element]
        element_link_chars[parent] += element_link_chars[element]


cdef bint _hides(object style):
    """True for an inline style that hides the element (``display:none``, ``visibility:hidden``)."""
    if not style:
        return False
    compact = (<str>style).lower().replace(" ", "")
    return "display:none" in compact or "visibility:hidden" in compact


cdef Py_ssize_t _find_end_tag(str html, Py_ssize_t i, str name):
    """The position of the ``</name`` that ends a raw-text element, or -1."""
    cdef Py_ssize_t j = i, k
    while True:
        j = html.find("</", j)
        if j < 0:
            return -1
        if html[j + 2 : j + 2 + len(name)].lower() == name:
            k = html.find(">", j)
            return len(html) if k < 0 else k + 1
        j += 2


cdef Py_ssize_t _text_node(str html, Py_ssize_t start, Py_ssize_t end, list lines, Py_ssize_t n_lines,
                           int32_t* line_no, Py_ssize_t* offset, int lookahead,
                           vector[int64_t]& open_flags, vector[int32_t]& open_element,
                           vector[int32_t]& open_hidden, int32_t[:, ::1] line_flag_chars,
                           int32_t[::1] line_element, int32_t[::1] best_chars,
                           list element_text_chars, list element_link_chars, int link_flag_bit) except -1:
    """Place the words of the text ``html[start:end]`` on the lines; return ``end``."""
    cdef Py_ssize_t n, i, w_start, found, candidate, limit, length
    cdef int64_t flags = open_flags.back() if open_flags.size() else 0
    cdef int32_t element = open_element.back() if open_element.size() else -1
    cdef int bit, n_bits = line_flag_chars.shape[1] - 1
    cdef int32_t node_chars = 0, total
    cdef str text, word, line
    cdef Py_UCS4 c
    # The node's characters per line it reaches: its words go forward through the lines, so
    # each line is met in one run, and the lines come in order.
    cdef vector[int32_t] reached_lines, reached_chars
    if open_hidden.size() and open_hidden.back():
        return end
    text = html[start:end]
    if "&" in text:
        text = unescape(text)
    n = len(text)
    i = 0
    while i < n:
        while i < n and _is_space(text[i]):
            i += 1
        if i >= n:
            break
        w_start = i
        while i < n and not _is_space(text[i]):
            i += 1
        word = text[w_start:i]
        length = i - w_start
        node_chars += length
        found = -1
        limit = min(n_lines, line_no[0] + lookahead)
        candidate = line_no[0]
        while candidate < limit:
            line = lines[candidate]
            found = line.find(word, offset[0] if candidate == line_no[0] else 0)
            if found >= 0:
                break
            candidate += 1
        if found < 0:
            if node_chars == length:
                # The node's first word is nowhere ahead: the renderer hid the node.
                return end
            continue
        if candidate == line_no[0] and w_start > 0 and 0 < found - offset[0] <= 2:
            # The spaces before the word, on the line where the text went on, are the node's too.
            length += found - offset[0]
        line_no[0] = <int32_t>candidate
        offset[0] = found + (i - w_start)
        line_flag_chars[candidate, 0] += <int32_t>length
        for bit in range(n_bits):
            if flags & (<int64_t>1 << bit):
                line_flag_chars[candidate, bit + 1] += <int32_t>length
        if reached_lines.size() and reached_lines.back() == candidate:
            reached_chars[reached_chars.size() - 1] += <int32_t>length
        else:
            reached_lines.push_back(<int32_t>candidate)
            reached_chars.push_back(<int32_t>length)
    if element >= 0:
        element_text_chars[element] += node_chars
        if flags & (<int64_t>1 << link_flag_bit):
            element_link_chars[element] += node_chars
    for i in range(<Py_ssize_t>reached_lines.size()):
        candidate, total = reached_lines[i], reached_chars[i]
        if total > best_chars[candidate]:
            best_chars[candidate] = total
            line_element[candidate] = element
    return end
