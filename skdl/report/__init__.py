"""Reports of a comparison, and model files that travel.

An HTML page, PNG plots, a Markdown model card and JSON results; the winner
saved as a skops model file that loads without pickle.

Needs matplotlib (``pip install skdl[report]``) for the plots, and skops
(``pip install skdl[share]``) for the model files.
"""

from skdl.report._card import metric_intervals, model_card
from skdl.report._html import results_dict, write_report
from skdl.report._model_file import load_model, save_model, skdl_trusted_types
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
    "load_model",
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
    "save_model",
    "skdl_trusted_types",
    "write_report",
]
