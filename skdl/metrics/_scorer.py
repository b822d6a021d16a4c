"""Scorers for recall at FDR, usable as ``scoring=`` in any scikit-learn search."""

from __future__ import annotations

import re
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.metrics import get_scorer as sklearn_get_scorer
from sklearn.metrics import get_scorer_names as sklearn_get_scorer_names

from skdl.metrics._fdr import recall_at_fdr_score
from skdl.utils._sklearn import Interval, validate_params

#: skdl's scorer names: ``recall_at_<percent>pct_fdr``; any percent in (0, 100)
#: resolves, these four are listed by :func:`get_scorer_names`.
SCORER_NAMES = (
    "recall_at_5pct_fdr",
    "recall_at_10pct_fdr",
    "recall_at_25pct_fdr",
    "recall_at_50pct_fdr",
)
_NAME = re.compile(r"recall_at_(\d+(?:\.\d+)?)pct_fdr")


def _positive_scores(
    estimator: Any, X: Any, pos_label: Any
) -> tuple[NDArray[Any], Any]:
    """Score of the positive class (one-vs-rest), and the positive label used."""
    classes = getattr(estimator, "classes_", None)
    if classes is None:
        raise TypeError(
            "FDR scorers need a fitted classifier with classes_; got "
            f"{type(estimator).__name__}."
        )
    classes = list(classes)
    if pos_label is None:
        if len(classes) != 2:
            raise ValueError(
                f"FDR scorer: the estimator has {len(classes)} classes; declare the "
                "positive one with make_fdr_scorer(fdr, pos_label=...) (one-vs-rest)."
            )
        pos_label = classes[1]
    if pos_label not in classes:
        raise ValueError(
            f"FDR scorer: pos_label={pos_label!r} is not one of the estimator's "
            f"classes {classes!r}."
        )
    column = classes.index(pos_label)
    if hasattr(estimator, "decision_function"):
        decision = np.asarray(estimator.decision_function(X))
        if decision.ndim == 1:
            return (decision if column == 1 else -decision), pos_label
        return decision[:, column], pos_label
    if hasattr(estimator, "predict_proba"):
        return np.asarray(estimator.predict_proba(X))[:, column], pos_label
    raise TypeError(
        f"FDR scorers need decision_function or predict_proba; "
        f"{type(estimator).__name__} has neither."
    )


class FDRScorer:
    """Scorer ``(estimator, X, y_true) -> recall at a fixed FDR``; higher is better.

    Built by :func:`make_fdr_scorer`; see there.

    Parameters
    ----------
    fdr : float
        Largest acceptable false discovery rate, in (0, 1).
    pos_label : label or None, default=None
        Positive class; None means the second of two classes.
    ambiguous_label : int, float, str or None, default=-1
        Label of samples left out of scoring.

    Examples
    --------
    >>> from skdl.metrics import FDRScorer
    >>> FDRScorer(0.1)
    make_fdr_scorer(fdr=0.1)
    """

    def __init__(self, fdr: float, pos_label: Any = None, ambiguous_label: Any = -1):
        self.fdr = fdr
        self.pos_label = pos_label
        self.ambiguous_label = ambiguous_label

    def __call__(
        self,
        estimator: Any,
        X: ArrayLike,
        y_true: ArrayLike,
        sample_weight: ArrayLike | None = None,
    ) -> float:
        """Score a fitted classifier on ``X``, ``y_true``.

        Parameters
        ----------
        estimator : fitted classifier
            With ``classes_`` and ``decision_function`` or ``predict_proba``.
        X : array-like
            Input data.
        y_true : array-like of shape (n_samples,)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Recall at ``fdr``.
        """
        scores, pos_label = _positive_scores(estimator, X, self.pos_label)
        return recall_at_fdr_score(
            y_true,
            scores,
            fdr=self.fdr,
            pos_label=pos_label,
            ambiguous_label=self.ambiguous_label,
            sample_weight=sample_weight,
        )

    def __repr__(self) -> str:
        extra = "" if self.pos_label is None else f", pos_label={self.pos_label!r}"
        if self.ambiguous_label != -1:
            extra += f", ambiguous_label={self.ambiguous_label!r}"
        return f"make_fdr_scorer(fdr={self.fdr!r}{extra})"


@validate_params(
    {
        "fdr": [Interval(Real, 0, 1, closed="neither")],
        "pos_label": [Real, str, "boolean", None],
        "ambiguous_label": [Real, str, None],
    },
    prefer_skip_nested_validation=True,
)
def make_fdr_scorer(
    fdr: float, *, pos_label: Any = None, ambiguous_label: Any = -1
) -> FDRScorer:
    """Make a scorer of recall at a fixed false discovery rate.

    The scorer takes ``decision_function`` when the estimator has one and
    ``predict_proba`` otherwise; for more than two classes it scores the
    ``pos_label`` class against the rest. Pass it as ``scoring=`` to
    ``GridSearchCV``, ``cross_validate`` (also inside a dict of several
    scorers) or skorch's ``EpochScoring``. :func:`get_scorer` builds the same
    scorers from names such as ``"recall_at_10pct_fdr"``.

    Parameters
    ----------
    fdr : float
        Largest acceptable false discovery rate, in (0, 1).
    pos_label : int, float, bool, str or None, default=None
        Positive class; None means the second of ``classes_`` for two classes
        and is an error for more.
    ambiguous_label : int, float, str or None, default=-1
        Label of samples left out of scoring.

    Returns
    -------
    scorer : FDRScorer
        A callable ``scorer(estimator, X, y_true)``; higher is better.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdl.metrics import make_fdr_scorer
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), LogisticRegression())
    >>> scores = cross_val_score(model, X, y, cv=3, scoring=make_fdr_scorer(0.05))
    >>> bool(scores.min() > 0.8)
    True
    """
    return FDRScorer(fdr, pos_label=pos_label, ambiguous_label=ambiguous_label)


def get_scorer(scoring: Any) -> Any:
    """Scorer from a name: skdl's ``"recall_at_<N>pct_fdr"`` or any scikit-learn name.

    scikit-learn validates ``scoring`` strings against the names it knew when
    each of its modules was imported, so skdl cannot add names to it without
    patching scikit-learn. Pass the scorer object instead:
    ``GridSearchCV(..., scoring=get_scorer("recall_at_10pct_fdr"))``, or a dict
    for several metrics: ``{name: get_scorer(name) for name in names}``.

    Parameters
    ----------
    scoring : str or callable
        ``"recall_at_<N>pct_fdr"`` with ``0 < N < 100`` (for example
        ``"recall_at_10pct_fdr"`` or ``"recall_at_2.5pct_fdr"``), any name of
        :func:`sklearn.metrics.get_scorer_names`, or a callable (returned as is).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y_true)``, higher is better.

    Examples
    --------
    >>> from skdl.metrics import get_scorer
    >>> get_scorer("recall_at_10pct_fdr")
    make_fdr_scorer(fdr=0.1)
    >>> get_scorer("average_precision")
    make_scorer(average_precision_score, ...)
    """
    if isinstance(scoring, str):
        match = _NAME.fullmatch(scoring)
        if match:
            percent = float(match.group(1))
            if not 0 < percent < 100:
                raise ValueError(
                    f"get_scorer: {scoring!r} needs a percentage in (0, 100)."
                )
            return make_fdr_scorer(round(percent / 100, 10))
    return sklearn_get_scorer(scoring)


def get_scorer_names() -> list[str]:
    """Names accepted by :func:`get_scorer`: skdl's and scikit-learn's.

    Returns
    -------
    names : list of str
        skdl's listed FDR names (any ``recall_at_<N>pct_fdr`` also works),
        then scikit-learn's, sorted.

    Examples
    --------
    >>> from skdl.metrics import get_scorer_names
    >>> "recall_at_25pct_fdr" in get_scorer_names()
    True
    """
    return sorted({*SCORER_NAMES, *sklearn_get_scorer_names()})
