"""boilerline: label each line of a scraped web page as content or chrome.

>>> from classifier import LineClassifier
>>> clf = LineClassifier.load()
>>> clf.predict(["Home", "About us", "The minister said on Monday that the budget would grow."])
"""

from classifier.model import LineClassifier
from classifier.page import CHROME, CONTENT, Page
from classifier.persistence import ModelError

__all__ = ["LineClassifier", "Page", "CONTENT", "CHROME", "ModelError"]
