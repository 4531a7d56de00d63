"""boilerline: label each line of a scraped web page as content or chrome.

>>> from classifier import Predictor
>>> predictor = Predictor.load()
>>> predictor.predict(["Home", "About us", "The minister said on Monday that the budget would grow."])

``Predictor`` predicts from the model's arrays; ``LineClassifier`` is the trainable
scikit-learn estimator (fit, save, and the same predictions).

The names below are imported on first use (PEP 562), so that importing a light module of
the package (the command line's help, a format reader) does not load scikit-learn and pandas.
"""

from importlib import import_module

_EXPORTS = {
    "LineClassifier": "classifier.model",
    "Predictor": "classifier.predictor",
    "Page": "classifier.page",
    "CONTENT": "classifier.page",
    "CHROME": "classifier.page",
    "ModelError": "classifier.persistence",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'classifier' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
