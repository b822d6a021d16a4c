"""FDR-oriented metrics and scorers: recall at the FDR a lab can afford.

Naming contract: ``*_score`` is higher-is-better. Every metric leaves out the
samples labelled ``ambiguous_label`` (default -1).
"""

from skdl.metrics._ambiguous import ambiguous_rank_correlation
from skdl.metrics._bootstrap import BootstrapResult, bootstrap_metric
from skdl.metrics._fdr import (
    fdr_recall_curve,
    precision_at_recall_score,
    recall_at_fdr_score,
    threshold_at_fdr,
)
from skdl.metrics._replicate import replicate_upper_bound
from skdl.metrics._scorer import (
    FDRScorer,
    get_scorer,
    get_scorer_names,
    make_fdr_scorer,
)
from skdl.metrics._streaming import StreamingFDR

__all__ = [
    "BootstrapResult",
    "FDRScorer",
    "StreamingFDR",
    "ambiguous_rank_correlation",
    "bootstrap_metric",
    "fdr_recall_curve",
    "get_scorer",
    "get_scorer_names",
    "make_fdr_scorer",
    "precision_at_recall_score",
    "recall_at_fdr_score",
    "replicate_upper_bound",
    "threshold_at_fdr",
]
