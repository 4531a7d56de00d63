# cython: language_level=3, boundscheck=False, wraparound=False
"""Distinct byte strings numbered 0, 1, 2, ... in the order first seen (``Numbering``, declared
in ``_numbering.pxd``): how the compiled kernels find repeated documents, words and names."""

cimport cython
from libc.stdint cimport int64_t, uint32_t, uint64_t
from libc.string cimport memcmp
from libcpp.vector cimport vector


@cython.final
cdef class Numbering:
    """Distinct byte strings numbered 0, 1, 2, ... in the order first seen, and kept end to end.

    An open-addressing table (linear probing, at most half full) of each text's hash and
    number. ``std::unordered_map`` (a heap node per text, a division per lookup) took longer
    than all the rest of the work, freeing its nodes included. The hash is Python's own
    (keyed SipHash), not MurmurHash3, whose collisions can be made whatever the seed: a page
    of words made to collide would make the probing quadratic."""

    def __cinit__(self):
        self.slots.assign(1024, 0)

    cdef int64_t number_of(self, const char* data, size_t size) except -1:
        """The number ``data[:size]`` got when first seen, or, the first time, the next one."""
        if size == 0:
            data = b""  # an empty vector's data may be NULL, which memcmp and append must not get
        cdef uint64_t full_hash = <uint64_t>boilerline_hash_bytes(data, <Py_ssize_t>size)
        cdef uint32_t hashed = <uint32_t>(full_hash ^ (full_hash >> 32))
        cdef size_t mask = self.slots.size() - 1, i = hashed & mask, number
        while self.slots[i] != 0:
            number = <size_t>(self.slots[i] & 0xFFFFFFFFu) - 1
            if (self.slots[i] >> 32) == hashed and self.text_size(number) == size and memcmp(self.text(number), data, size) == 0:
                return <int64_t>number
            i = (i + 1) & mask
        number = self.size()
        if number >= 0xFFFFFFFEu:
            raise OverflowError("more distinct texts than a table of 32-bit numbers holds")
        self.texts.append(data, size)
        self.text_ends.push_back(self.texts.size())
        self.slots[i] = (<uint64_t>hashed << 32) | (number + 1)
        if 2 * self.size() > self.slots.size():
            self._grow()
        return <int64_t>number

    cdef void _grow(self):
        """Twice the slots, each number moved to its hash's place (the slots keep the hashes)."""
        cdef vector[uint64_t] old_slots
        old_slots.swap(self.slots)
        self.slots.assign(2 * old_slots.size(), 0)
        cdef size_t mask = self.slots.size() - 1, i, j
        for j in range(old_slots.size()):
            if old_slots[j] != 0:
                i = (old_slots[j] >> 32) & mask
                while self.slots[i] != 0:
                    i = (i + 1) & mask
                self.slots[i] = old_slots[j]
