"""Distinct byte strings numbered in the order first seen (``_numbering.pyx``), and the
keyed hash they are found by; shared by the compiled kernels that count distinct texts."""

cimport cython
from libc.stdint cimport int64_t, uint64_t
from libcpp.string cimport string
from libcpp.vector cimport vector

cdef extern from *:
    """
    /* Python's hash of bytes (SipHash, keyed at start-up, as for dict keys): public as
       Py_HashBuffer from Python 3.14, before that only as _Py_HashBytes. */
    #if PY_VERSION_HEX >= 0x030E0000
    #define boilerline_hash_bytes(data, size) Py_HashBuffer((data), (size))
    #else
    #define boilerline_hash_bytes(data, size) _Py_HashBytes((data), (size))
    #endif
    """
    Py_hash_t boilerline_hash_bytes(const void* data, Py_ssize_t size) noexcept


@cython.final
cdef class Numbering:
    cdef string texts
    cdef vector[size_t] text_ends  # text n is texts[text_ends[n - 1] (0 for n = 0):text_ends[n]]
    cdef vector[uint64_t] slots  # a text's 32-bit hash << 32 | (its number + 1); 0 if empty

    cdef inline size_t size(self) noexcept:
        return self.text_ends.size()

    cdef inline const char* text(self, size_t number) noexcept:
        return self.texts.data() + self._start(number)

    cdef inline size_t text_size(self, size_t number) noexcept:
        return self.text_ends[number] - self._start(number)

    cdef inline size_t _start(self, size_t number) noexcept:
        return 0 if number == 0 else self.text_ends[number - 1]

    cdef int64_t number_of(self, const char* data, size_t size) except -1
    cdef void _grow(self)
