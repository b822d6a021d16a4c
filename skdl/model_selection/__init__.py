"""Splitters that keep related samples together, and tests that compare models.

Leave-one-batch-out needs no new code: it is
:class:`sklearn.model_selection.LeaveOneGroupOut` with the batch as ``groups``.
"""

from skdl.model_selection._audit import FoldLeakage, LeakageReport, audit_leakage
from skdl.model_selection._candidates import default_candidates
from skdl.model_selection._chromosome import ChromosomeKFold, ChromosomeSplit
from skdl.model_selection._compare import ComparisonResult, compare
from skdl.model_selection._memorization import LabelShuffleResult, label_shuffle_test
from skdl.model_selection._scaffold import ScaffoldKFold
from skdl.model_selection._similarity import (
    SimilarityGroupKFold,
    sequence_identity_groups,
)
from skdl.model_selection._stats import (
    PairedTestResult,
    corrected_resampled_ttest,
    mcnemar_test,
    paired_ttest_5x2cv,
    ttest_5x2cv,
)
from skdl.model_selection._train_tune_test import TrainTuneTestSplit

__all__ = [
    "ChromosomeKFold",
    "ChromosomeSplit",
    "ComparisonResult",
    "FoldLeakage",
    "LabelShuffleResult",
    "LeakageReport",
    "PairedTestResult",
    "ScaffoldKFold",
    "SimilarityGroupKFold",
    "TrainTuneTestSplit",
    "audit_leakage",
    "compare",
    "corrected_resampled_ttest",
    "default_candidates",
    "label_shuffle_test",
    "mcnemar_test",
    "paired_ttest_5x2cv",
    "sequence_identity_groups",
    "ttest_5x2cv",
]
