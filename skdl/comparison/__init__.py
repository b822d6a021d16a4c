"""Fair comparison of deep and classical models: the same folds, search and budget.

:func:`compare` runs nested cross-validation with every candidate tuned alike,
tests the differences and, on request, reruns the winner's protocol on shuffled
labels. This package sits above the splitters (:mod:`skdl.model_selection`)
and the metrics, and below the report.
"""

from skdl.comparison._candidates import default_candidates
from skdl.comparison._compare import ComparisonResult, compare
from skdl.comparison._memorization import LabelShuffleResult, label_shuffle_test
from skdl.comparison._stats import (
    PairedTestResult,
    corrected_resampled_ttest,
    mcnemar_test,
    paired_ttest_5x2cv,
    ttest_5x2cv,
)

__all__ = [
    "ComparisonResult",
    "LabelShuffleResult",
    "PairedTestResult",
    "compare",
    "corrected_resampled_ttest",
    "default_candidates",
    "label_shuffle_test",
    "mcnemar_test",
    "paired_ttest_5x2cv",
    "ttest_5x2cv",
]
