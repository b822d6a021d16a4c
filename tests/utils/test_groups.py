"""Group labels with None or mixed types (skdl issue 19)."""

import re
import warnings

import numpy as np
import pytest

from skdl.comparison import compare
from skdl.conformal import SplitConformalNetClassifier
from skdl.exceptions import SkdlWarning
from skdl.model_selection import (
    ChromosomeKFold,
    SimilarityGroupKFold,
    TrainTuneTestSplit,
)
from skdl.neural_net import MLPNetClassifier
from skdl.utils._groups import check_groups

rng = np.random.RandomState(0)
X = rng.randn(40, 3)
y = np.tile([0, 1], 20)
SEQS = np.array(["".join(rng.choice(list("ACGT"), 20)) for _ in range(40)])

ENTRY_POINTS = {
    "MLPNetClassifier.fit": lambda g: MLPNetClassifier(
        max_epochs=1, early_stopping=True
    ).fit(X, y, groups=g),
    "SplitConformalNetClassifier": lambda g: SplitConformalNetClassifier(
        MLPNetClassifier(max_epochs=1), confidence_level=0.5
    ).fit(X, y, groups=g),
    "compare": lambda g: compare(
        {"net": MLPNetClassifier(max_epochs=1)}, X, y, groups=g, cv=2, inner_cv=2
    ),
    "TrainTuneTestSplit": lambda g: list(TrainTuneTestSplit().split(X, y, g)),
    "SimilarityGroupKFold": lambda g: list(
        SimilarityGroupKFold(2, k=10).split(SEQS, y, g)
    ),
    "ChromosomeKFold": lambda g: list(ChromosomeKFold(2).split(X, y, g)),
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_missing_group_is_refused_clearly(name):
    # numpy's "'<' not supported between 'NoneType' and 'str'" before.
    groups = np.array([f"p{i % 8}" for i in range(40)], dtype=object)
    groups[5] = None
    msg = f"{name}: groups has a missing value (None or NaN) at position 5 (1 in all)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        ENTRY_POINTS[name](groups)


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_mixed_group_types_are_compared_as_text(name):
    groups = np.array([f"p{i % 8}" for i in range(40)], dtype=object)
    groups[groups == "p3"] = 3  # an int patient id among strings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkdlWarning)
        ENTRY_POINTS[name](groups)  # no TypeError from sorting


def test_numeric_nan_group_is_missing_and_numbers_stay_numbers():
    with pytest.raises(ValueError, match=re.escape("at position 1 (1 in all)")):
        check_groups([1.0, np.nan, 2.0], "cv")
    assert check_groups(np.array([1, 2.5], dtype=object), "cv").dtype.kind == "f"
