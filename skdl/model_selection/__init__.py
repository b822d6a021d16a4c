"""Splitters that keep related samples together.

Leave-one-batch-out needs no new code: it is
:class:`sklearn.model_selection.LeaveOneGroupOut` with the batch as ``groups``.
"""

from skdl.model_selection._audit import FoldLeakage, LeakageReport, audit_leakage
from skdl.model_selection._chromosome import ChromosomeKFold, ChromosomeSplit
from skdl.model_selection._scaffold import ScaffoldKFold
from skdl.model_selection._similarity import SimilarityGroupKFold
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
]
