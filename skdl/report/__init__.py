"""Reports of a comparison: HTML page, PNG plots and a Markdown model card.

Needs matplotlib (``pip install skdl[report]``) for the plots.
"""

from skdl.report._card import metric_intervals, model_card
from skdl.report._html import results_dict, write_report
from skdl.report._plots import (
    per_class_recall_at_fdr,
    plot_confusion_matrix,
    plot_curves,
    plot_fold_scores,
    plot_learned,
    plot_memorization,
    plot_predicted_vs_observed,
    plot_residuals,
    plot_tuning_gap,
)

__all__ = [
    "metric_intervals",
    "model_card",
    "per_class_recall_at_fdr",
    "plot_confusion_matrix",
    "plot_curves",
    "plot_fold_scores",
    "plot_learned",
    "plot_memorization",
    "plot_predicted_vs_observed",
    "plot_residuals",
    "plot_tuning_gap",
    "results_dict",
    "write_report",
]
