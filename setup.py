"""Builds the compiled kernels (Cython); everything else is in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [
            Extension("classifier._html_walk", ["classifier/_html_walk.pyx"], language="c++"),
            Extension("classifier._densest_run", ["classifier/_densest_run.pyx"]),
            Extension("classifier._numbering", ["classifier/_numbering.pyx"], language="c++"),
            Extension("classifier._ngram_hash", ["classifier/_ngram_hash.pyx"], language="c++"),
            Extension("classifier._tree_walk", ["classifier/_tree_walk.pyx"]),
            Extension("classifier._langdetect", ["classifier/_langdetect.pyx"], language="c++"),
            Extension("classifier._line_text", ["classifier/_line_text.pyx"], language="c++"),
        ],
        compiler_directives={"language_level": "3"},
    )
)
