"""Splitters that keep related samples together, and the leakage audit.

Leave-one-batch-out needs no new code: it is
:class:`sklearn.model_selection.LeaveOneGroupOut` with the batch as ``groups``.

The comparison harness (``compare``, the default panels, the statistical tests
and the label-shuffle test) lives in :mod:`skdl.comparison`, which builds on
these splitters. Its names are still reachable here, imported on first use, so
that code written against earlier releases keeps working.
"""

from typing import Any

from skdl.model_selection._audit import FoldLeakage, LeakageReport, audit_leakage
from skdl.model_selection._chromosome import ChromosomeKFold, ChromosomeSplit
from skdl.model_selection._scaffold import ScaffoldKFold
from skdl.model_selection._similarity import (
    SimilarityGroupKFold,
    sequence_identity_groups,
)
from skdl.model_selection._train_tune_test import TrainTuneTestSplit

__all__ = [
    "ChromosomeKFold",
    "ChromosomeSplit",
    "FoldLeakage",
    "LeakageReport",
    "ScaffoldKFold",
    "SimilarityGroupKFold",
    "TrainTuneTestSplit",
    "audit_leakage",
    "sequence_identity_groups",
]

# Moved to skdl.comparison; the old names stay importable from here.
_MOVED = frozenset(
    {
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
    }
)


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import skdl.comparison

        return getattr(skdl.comparison, name)
    raise AttributeError(f"module 'skdl.model_selection' has no attribute {name!r}")
