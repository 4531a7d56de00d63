"""Cross-validation folds: grouped by site, and restricted to one dataset's pages."""

import numpy as np
import pytest

from classifier.page import Page
from training.evaluate import cross_validate, site_folds


def page(dataset, site):
    return Page(f"{dataset}@{site}", ["Home", "The article, in one sentence."], site=site, dataset=dataset,
                labels=["chrome", "content"])


# 4 news sites, 3 arabic sites, and one news page on an arabic site.
PAGES = [*(page("news", f"news{n}.example") for n in range(4)),
         *(page("arabic", f"arabic{n}.example") for n in range(3)),
         page("news", "arabic0.example")]
ARABIC = np.array([p.dataset == "arabic" for p in PAGES])


def test_folds_over_one_dataset_train_on_everything_of_other_sites():
    folds = site_folds(PAGES, 3, ARABIC, seed=0)
    arabic_indexes = np.flatnonzero(ARABIC)
    tested = sorted(int(arabic_indexes[i]) for _, test in folds for i in test)
    assert tested == arabic_indexes.tolist()  # every arabic page tested exactly once
    for train, test in folds:
        test_sites = {PAGES[arabic_indexes[i]].site for i in test}
        train_sites = {PAGES[i].site for i in train}
        assert not test_sites & train_sites
        assert len(train) == len(PAGES) - sum(p.site in test_sites for p in PAGES)
    # The news page on arabic0.example leaves training with that site's fold.
    assert sorted(len(train) for train, _ in folds) == [6, 7, 7]


def test_folds_need_enough_sites_of_the_tested_dataset():
    with pytest.raises(ValueError, match="4 folds need at least 4 sites; the data has 3"):
        site_folds(PAGES, 4, ARABIC, seed=0)


def test_cv_over_a_missing_dataset_is_refused():
    with pytest.raises(ValueError, match="no page of dataset 'french'"):
        cross_validate(PAGES, 3, test_dataset="french", synthetic_per_direction=0)
