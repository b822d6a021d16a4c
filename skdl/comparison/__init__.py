"""Fair comparison of deep and classical models: the same folds, search and budget.

:func:`compare` runs nested cross-validation with every candidate tuned alike,
tests the differences and, on request, reruns the winner's protocol on shuffled
labels. This package sits above the splitters (:mod:`skdl.model_selection`)
and the metrics, and below the report.
"""

from skdl.comparison._candidates import default_candidates
from skdl.comparison._compare import ComparisonResult, compare
from skdl.comparison._guards import ColumnFlag, screen_columns
from skdl.comparison._memorization import LabelShuffleResult, label_shuffle_test
from skdl.comparison._stats import (
    PairedTestResult,
    corrected_resampled_ttest,
    mcnemar_test,
    paired_ttest_5x2cv,
    ttest_5x2cv,
)
from skdl.comparison._tabular import (
    make_tabular_preprocessor,
    native_categorical_mask,
    tabular_column_types,
)

__all__ = [
    "ColumnFlag",
    "ComparisonResult",
    "LabelShuffleResult",
    "PairedTestResult",
    "compare",
    "corrected_resampled_ttest",
    "default_candidates",
    "label_shuffle_test",
    "make_tabular_preprocessor",
    "mcnemar_test",
    "native_categorical_mask",
    "paired_ttest_5x2cv",
    "screen_columns",
    "tabular_column_types",
    "ttest_5x2cv",
]
