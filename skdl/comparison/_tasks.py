"""What :func:`~skdl.comparison.compare` measures for each task.

A task is ``"binary"``, ``"multiclass"`` or ``"regression"``. It decides the
labels the candidates are fitted on, the primary score that tunes them, the
scores measured on every outer fold and the out-of-fold outputs kept for the
report. Everything task-specific lives here, so that the nested protocol
itself (:mod:`skdl.comparison._compare`) is the same for all three.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    log_loss,
    mean_absolute_error,
    r2_score,
    roc_auc_score,
)
from sklearn.preprocessing import label_binarize
from sklearn.utils import column_or_1d
from sklearn.utils.multiclass import type_of_target

from skdl.exceptions import SkdlWarning
from skdl.metrics import get_scorer, recall_at_fdr_score
from skdl.metrics._scorer import _positive_scores

TASKS = ("binary", "multiclass", "regression")

#: Primary score of each task when ``scoring`` is None.
DEFAULT_SCORING = {
    "binary": "average_precision",
    "multiclass": "average_precision",
    "regression": "r2",
}

#: Above this many classes, ``task="auto"`` warns that the target may be a
#: measurement (integer counts, ages) rather than class labels.
_MANY_CLASSES = 20


def fdr_metric_name(fdr: float) -> str:
    """Scorer name of recall at ``fdr``, as :func:`skdl.metrics.get_scorer` reads it.

    Parameters
    ----------
    fdr : float
        False discovery rate in (0, 1).

    Returns
    -------
    name : str

    Examples
    --------
    >>> from skdl.comparison._tasks import fdr_metric_name
    >>> fdr_metric_name(0.1), fdr_metric_name(0.025)
    ('recall_at_10pct_fdr', 'recall_at_2.5pct_fdr')
    """
    return f"recall_at_{round(100 * fdr, 6):g}pct_fdr"


def resolve_task(y: ArrayLike, task: str) -> tuple[NDArray[Any], str, str]:
    """Return ``(y, task, reason)``: the task decided and one sentence on why.

    ``"auto"`` follows :func:`sklearn.utils.multiclass.type_of_target`:
    ``"binary"`` → binary, ``"multiclass"`` → multiclass, ``"continuous"`` →
    regression. An explicit task is checked against the labels.
    """
    y_arr = np.asarray(column_or_1d(y, warn=True))
    if y_arr.dtype.kind in "fc" and not np.isfinite(y_arr).all():
        raise ValueError("compare: y contains NaN or infinity; drop those samples.")
    kind = type_of_target(y_arr)
    n_classes = len(np.unique(y_arr))
    if n_classes < 2:
        raise ValueError(
            f"compare: y holds a single value ({np.unique(y_arr).tolist()!r}); "
            "it needs two classes or more, or targets that vary."
        )
    if task == "auto":
        decided = {"binary": "binary", "multiclass": "multiclass"}.get(kind)
        decided = "regression" if kind == "continuous" else decided
        if decided is None:
            raise ValueError(
                "compare: cannot tell the task from y (scikit-learn's "
                f"type_of_target says {kind!r}); pass task='binary', "
                "'multiclass' or 'regression'."
            )
        reason = (
            f"task='auto' decided {decided!r}: scikit-learn's type_of_target of "
            f"y is {kind!r} ({n_classes} distinct values)."
        )
        if decided == "multiclass" and n_classes > _MANY_CLASSES:
            warnings.warn(
                f"compare: y has {n_classes} distinct integer values, so it is "
                "compared as that many classes; if these are measurements (counts, "
                "ages), pass task='regression'.",
                SkdlWarning,
                stacklevel=4,
            )
        return y_arr, decided, reason
    reason = f"task={task!r}, as asked."
    if task == "regression":
        if y_arr.dtype.kind not in "biuf":
            raise ValueError(
                f"compare: task='regression' needs numeric targets; y holds "
                f"{y_arr.dtype} values such as {y_arr[:3].tolist()!r}."
            )
        return y_arr.astype(np.float64), task, reason
    if task == "binary" and n_classes != 2:
        raise ValueError(
            "compare: task='binary' needs a binary target (a positive and a "
            f"negative class); got {n_classes} distinct label(s): "
            f"{np.unique(y_arr)[:5].tolist()!r}."
        )
    if task == "multiclass" and n_classes < 3:
        raise ValueError(
            f"compare: task='multiclass' needs three classes or more; got "
            f"{n_classes}. Use task='binary'."
        )
    if kind == "continuous":
        raise ValueError(
            f"compare: task={task!r} needs class labels, but y holds continuous "
            "values; use task='regression'."
        )
    return y_arr, task, reason


def _macro_average_precision(y: ArrayLike, proba: NDArray[Any]) -> float:
    """Mean one-vs-rest average precision over the classes present in ``y``."""
    y_arr = np.asarray(y)
    onehot = label_binarize(y_arr, classes=np.arange(proba.shape[1]))
    if proba.shape[1] == 2:  # label_binarize gives one column for two classes
        onehot = np.column_stack([1 - onehot[:, 0], onehot[:, 0]])
    present = onehot.sum(axis=0) > 0
    return float(
        np.mean(
            [
                average_precision_score(onehot[:, c], proba[:, c])
                for c in np.flatnonzero(present)
            ]
        )
    )


def _balanced_accuracy(y: ArrayLike, proba: NDArray[Any]) -> float:
    with warnings.catch_warnings():
        # a class absent from a bootstrap resample is a documented warning
        warnings.simplefilter("ignore", UserWarning)
        return float(balanced_accuracy_score(y, np.argmax(proba, axis=1)))


def _log_loss(y: ArrayLike, proba: NDArray[Any]) -> float:
    """Log loss; NaN when the candidate gave scores, not probabilities."""
    is_proba = (
        np.all(proba >= 0) and np.all(proba <= 1) and np.allclose(proba.sum(1), 1)
    )
    if not is_proba:
        return float("nan")
    # float32 probabilities sum to 1 within float32 rounding only, which
    # sklearn's float64 check warns about: renormalize what passed the check.
    proba = proba / proba.sum(axis=1, keepdims=True)
    return float(log_loss(y, proba, labels=np.arange(proba.shape[1])))


def _spearman(y: ArrayLike, prediction: NDArray[Any]) -> float:
    """Spearman's rank correlation; NaN for a constant prediction."""
    if np.ptp(np.asarray(prediction)) == 0 or np.ptp(np.asarray(y)) == 0:
        return float("nan")
    return float(stats.spearmanr(y, prediction).statistic)


def fold_metrics(
    fdr_levels: Any, task: str = "binary"
) -> dict[str, tuple[Callable[..., float], dict]]:
    """Metrics measured on every outer fold: ``{name: (function, params)}``.

    Each is called as ``function(y_true, output, **params)`` on the encoded
    labels and the out-of-fold output of :func:`predict_outputs`.

    Parameters
    ----------
    fdr_levels : sequence of float
        FDR levels in (0, 1) (binary only; the per-class recall at FDR of a
        multiclass comparison is a table of the report).
    task : {"binary", "multiclass", "regression"}, default="binary"
        Binary: auPRC, auROC and recall at each FDR level. Multiclass: macro
        one-vs-rest auPRC, balanced accuracy and log loss (lower is better;
        NaN for a candidate without probabilities). Regression: R², mean
        absolute error (lower is better) and Spearman's ρ.

    Returns
    -------
    metrics : dict

    Examples
    --------
    >>> from skdl.comparison._tasks import fold_metrics
    >>> list(fold_metrics([0.1]))
    ['average_precision', 'roc_auc', 'recall_at_10pct_fdr']
    >>> list(fold_metrics([0.1], "regression"))
    ['r2', 'mean_absolute_error', 'spearman']
    """
    if task == "multiclass":
        return {
            "average_precision": (_macro_average_precision, {}),
            "balanced_accuracy": (_balanced_accuracy, {}),
            "log_loss": (_log_loss, {}),
        }
    if task == "regression":
        return {
            "r2": (r2_score, {}),
            "mean_absolute_error": (mean_absolute_error, {}),
            "spearman": (_spearman, {}),
        }
    return {
        "average_precision": (average_precision_score, {}),
        "roc_auc": (roc_auc_score, {}),
        **{fdr_metric_name(q): (recall_at_fdr_score, {"fdr": q}) for q in fdr_levels},
    }


def _multiclass_scores(
    estimator: Any, X: Any, n_classes: int | None = None
) -> NDArray[Any]:
    """Class probabilities (or decision scores), one column per class index.

    A candidate fitted on a training part that lacked a rare class has fewer
    columns than there are classes: its columns are placed by ``classes_``, and
    the absent classes get probability 0 (or the lowest score), so that column
    ``c`` is always class ``c``.
    """
    is_proba = False
    if hasattr(estimator, "predict_proba"):
        try:
            scores = np.asarray(estimator.predict_proba(X), dtype=np.float64)
            is_proba = True
        except AttributeError:  # SVC(probability=False) hides it at call time
            pass
    if not is_proba:
        scores = np.asarray(estimator.decision_function(X), dtype=np.float64)
        if scores.ndim == 1:  # two classes seen: the score is for classes_[1]
            scores = np.column_stack([-scores, scores])
    fitted = getattr(estimator, "classes_", None)
    if n_classes is None or fitted is None or len(fitted) == n_classes:
        return scores
    full = np.full((len(scores), n_classes), 0.0 if is_proba else scores.min() - 1)
    full[:, np.asarray(fitted, dtype=np.intp)] = scores
    return full


def predict_outputs(
    estimator: Any, X: Any, task: str, n_classes: int | None = None
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Return ``(output, predicted)`` of a fitted candidate on ``X``.

    ``output`` is the positive-class score (binary), the class probabilities of
    shape (n, n_classes) (multiclass) or the prediction (regression);
    ``predicted`` the predicted label (or value).
    """
    predicted = np.asarray(estimator.predict(X))
    if task == "binary":
        output, _ = _positive_scores(estimator, X, None)
        return np.asarray(output, dtype=np.float64), predicted
    if task == "multiclass":
        return _multiclass_scores(estimator, X, n_classes), predicted
    return predicted.astype(np.float64), predicted


def measured_scorer(
    function: Callable[..., float], params: dict, task: str, n_classes: int | None
) -> Callable[..., float]:
    """Scorer ``(estimator, X, y)`` that scores as the outer folds are scored.

    ``function(y, output, **params)`` on the output of :func:`predict_outputs`:
    the label-shuffle test's scores are then the comparison table's, computed
    the same way (a picklable ``functools.partial``).
    """
    return functools.partial(
        _measured_score,
        function=function,
        params=params,
        task=task,
        n_classes=n_classes,
    )


def _measured_score(
    estimator: Any,
    X: Any,
    y: ArrayLike,
    *,
    function: Callable[..., float],
    params: dict,
    task: str,
    n_classes: int | None,
) -> float:
    output, _ = predict_outputs(estimator, X, task, n_classes)
    return float(function(y, output, **params))


def _macro_ap_score(
    estimator: Any, X: Any, y: ArrayLike, *, n_classes: int | None
) -> float:
    return _macro_average_precision(y, _multiclass_scores(estimator, X, n_classes))


def _macro_ap_scorer(n_classes: int | None) -> Callable[..., float]:
    # A partial of a module-level function, not a closure: a search holding
    # it pickles (compare's memory=) and saves as a model file.
    return functools.partial(_macro_ap_score, n_classes=n_classes)


def task_scorer(
    scoring: Any, task: str, n_classes: int | None = None
) -> tuple[str, Any]:
    """Return ``(name, scorer)`` of the primary score for ``task``.

    For a multiclass task, ``"average_precision"`` is the macro one-vs-rest
    auPRC on class probabilities. scikit-learn's scorer of that name ranks by
    the decision function where there is one, and a multinomial model's
    per-class logits do not rank samples as its probabilities do.
    """
    if scoring is None:
        scoring = DEFAULT_SCORING[task]
    if not isinstance(scoring, str):
        return "score", scoring
    if task == "multiclass" and scoring == "average_precision":
        return scoring, _macro_ap_scorer(n_classes)
    if task == "regression" and scoring in ("average_precision", "roc_auc"):
        raise ValueError(
            f"compare: scoring={scoring!r} is a classification score, but the "
            "task is regression; use 'r2' (the default) or another regression "
            "score."
        )
    return scoring, get_scorer(scoring)
