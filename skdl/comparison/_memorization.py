"""Label-shuffle memorization test: how well does the protocol score on noise."""

from __future__ import annotations

import os
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn import config_context, get_config
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv, cross_validate
from sklearn.utils import check_random_state
from sklearn.utils.metadata_routing import MetadataRequest, get_routing_for_object
from sklearn.utils.parallel import Parallel, delayed

from skdl.comparison._cache import (
    MISSING,
    ResultCache,
    fingerprint,
    stable_fingerprint,
)
from skdl.metrics import get_scorer
from skdl.utils._groups import check_groups
from skdl.utils._routing import consumes_groups
from skdl.utils._sklearn import HasMethods, Interval, _safe_indexing, validate_params


@dataclass(frozen=True)
class LabelShuffleResult:
    """Score of a protocol on the real labels and on shuffled labels.

    Parameters
    ----------
    score : float
        Cross-validated score on the real labels.
    permutation_scores : ndarray of shape (n_permutations,)
        The same protocol's score after each shuffle of the labels.
    pvalue : float
        ``(1 + #{permutation score >= score}) / (1 + n_permutations)``; it can
        never be below ``1 / (1 + n_permutations)``.
    chance : float or None
        The score a model without information gets on average (the positive
        fraction for ``average_precision``, 0.5 for ``roc_auc``), when known.
    scoring : str
        Name of the score.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.comparison import LabelShuffleResult
    >>> r = LabelShuffleResult(0.9, np.array([0.5, 0.52]), 1 / 3, 0.5, "roc_auc")
    >>> round(r.margin, 2)
    0.39
    """

    score: float
    permutation_scores: NDArray[np.float64]
    pvalue: float
    chance: float | None
    scoring: str

    @property
    def margin(self) -> float:
        """How far the real score is above the mean shuffled score."""
        return float(self.score - np.mean(self.permutation_scores))


def chance_score(scoring: str, y: ArrayLike) -> float | None:
    """Return the expected score of an uninformative model, where it is known.

    Parameters
    ----------
    scoring : str
        A scorer name.
    y : array-like of shape (n_samples,)
        Class labels (the positive class of two is the greater label), or the
        targets of a regression for ``"r2"``.

    Returns
    -------
    chance : float or None
        For ``"average_precision"``, the positive fraction (binary) or the mean
        class fraction, ``1 / n_classes`` (macro one-vs-rest, multiclass); for
        ``"roc_auc"`` 0.5; for ``"balanced_accuracy"`` ``1 / n_classes``; for
        ``"accuracy"`` the majority fraction; for ``"r2"`` 0 (the training
        mean predicts no better than the test mean); None otherwise.

    Examples
    --------
    >>> from skdl.comparison._memorization import chance_score
    >>> chance_score("average_precision", [0, 0, 0, 1])
    0.25
    >>> chance_score("balanced_accuracy", [0, 1, 2, 2])
    0.3333333333333333
    """
    if scoring == "r2":
        return 0.0
    _, counts = np.unique(np.asarray(y), return_counts=True)
    if scoring == "average_precision":
        return float(counts[-1] / counts.sum()) if len(counts) == 2 else 1 / len(counts)
    if scoring == "roc_auc":
        return 0.5
    if scoring == "balanced_accuracy":
        return 1 / len(counts)
    if scoring == "accuracy":
        return float(counts.max() / counts.sum())
    return None


@validate_params(
    {
        "estimator": [HasMethods(["fit"])],
        "X": ["array-like"],
        "y": ["array-like"],
        "groups": ["array-like", None],
        "cv": ["cv_object"],
        "scoring": [str, callable],
        "n_permutations": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "params": [dict, None],
        "within_groups": ["boolean"],
        "score": [Real, None],
        "memory": [str, os.PathLike, None],
    },
    prefer_skip_nested_validation=False,
)
def label_shuffle_test(
    estimator: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    groups: ArrayLike | None = None,
    cv: Any = None,
    scoring: Any = "average_precision",
    n_permutations: int = 10,
    n_jobs: int | None = None,
    random_state: Any = None,
    params: dict[str, Any] | None = None,
    within_groups: bool = False,
    score: float | None = None,
    memory: str | os.PathLike[str] | None = None,
) -> LabelShuffleResult:
    """Run a whole protocol on shuffled labels to measure what it memorizes.

    A model that scores well above chance with shuffled labels is reading the
    sample identity (duplicates across folds, leaked groups), not biology. This
    is :func:`sklearn.model_selection.permutation_test_score`, run on the folds
    that ``cv`` makes with ``groups``; pass a search object
    (``RandomizedSearchCV(...)``) as ``estimator`` to shuffle under the same
    tuning protocol as the real run; its inner folds and the nets inside it
    get ``groups`` too.

    Labels are shuffled across all samples by default. ``within_groups=True``
    asks scikit-learn's narrower question instead, shuffling only inside each
    group: is there signal beyond each group's label rate? When labels are a
    property of the group (a patient's diagnosis), that shuffle changes nothing,
    so it is refused there.

    Parameters
    ----------
    estimator : estimator object
        The model or search to evaluate (cloned for each run).
    X : array-like of shape (n_samples, ...)
        Input data.
    y : array-like of shape (n_samples,)
        Labels.
    groups : array-like of shape (n_samples,) or None, default=None
        Group labels for ``cv``'s ``split``, so that the outer folds keep
        groups whole, and for every split inside the estimator that consumes
        them (a search's inner folds, a skdl net's early stopping, inside a
        pipeline too), through scikit-learn's metadata routing switched on for
        this call only. Also the groups of ``within_groups``.
    cv : int, cross-validation generator, iterable or None, default=None
        Outer cross-validation, as in ``cross_val_score``.
    scoring : str or callable, default="average_precision"
        Score; skdl names such as ``"recall_at_10pct_fdr"`` are accepted.
    n_permutations : int, default=10
        Number of shuffles.
    n_jobs : int or None, default=None
        Parallel runs over the permutations.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffles.
    params : dict or None, default=None
        Other metadata for the estimator's ``fit`` (sliced to each training
        part), routed as in ``permutation_test_score`` under metadata routing
        (a ``sample_weight`` must be requested, for example with
        ``set_fit_request``). ``groups`` need not be repeated here.
    within_groups : bool, default=False
        Shuffle labels only among samples of the same group (needs ``groups``,
        labels that vary inside some group, and scikit-learn's metadata routing
        disabled, as ``permutation_test_score`` requires).
    score : float or None, default=None
        The protocol's score on the real labels when it is already known: the
        mean over the folds of ``cv`` of ``scoring`` (what
        ``cross_val_score(...).mean()`` returns on those folds). The real run
        is then skipped and only the shuffles are fitted. None runs it.
    memory : str, path-like or None, default=None
        A folder where each shuffle's score is saved as it finishes; a rerun
        with the same arguments loads those and fits only the rest (see
        :func:`~skdl.comparison.compare`). None saves nothing.

    Returns
    -------
    result : LabelShuffleResult

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import label_shuffle_test
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = label_shuffle_test(LogisticRegression(), X, y, scoring="roc_auc",
    ...                             n_permutations=5, random_state=0)
    >>> bool(result.score > 0.9), bool(result.margin > 0.3)
    (True, True)

    Four samples per patient, the label a property of the patient: the folds
    keep patients whole, the shuffle moves labels between patients.

    >>> import numpy as np
    >>> from sklearn.model_selection import GroupKFold
    >>> patients = np.arange(200) // 4
    >>> y_patient = y[::4][patients]
    >>> result = label_shuffle_test(LogisticRegression(), X, y_patient,
    ...                             groups=patients, cv=GroupKFold(5),
    ...                             scoring="roc_auc", n_permutations=5,
    ...                             random_state=0)
    >>> bool(abs(result.permutation_scores.mean() - 0.5) < 0.15)
    True

    A real score already measured on the same folds is reused, not refitted;
    the shuffles are the same.

    >>> again = label_shuffle_test(LogisticRegression(), X, y_patient,
    ...                            groups=patients, cv=GroupKFold(5),
    ...                            scoring="roc_auc", n_permutations=5,
    ...                            random_state=0, score=result.score)
    >>> bool((again.permutation_scores == result.permutation_scores).all())
    True
    """
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    if groups is not None:
        groups = check_groups(groups, "label_shuffle_test")
    if within_groups:
        _check_within_groups(y, groups, estimator)
    # The folds are made here, with the groups, so that the shuffle itself can
    # ignore them: permutation_test_score uses one ``groups`` for both.
    splits = list(
        check_cv(cv, y, classifier=is_classifier(estimator)).split(X, y, groups)
    )
    fit_params = dict(params or {})
    if groups is not None and "groups" not in fit_params and consumes_groups(estimator):
        # Every split inside the estimator (a search's inner folds, a net's
        # early stopping) keeps the groups whole too.
        fit_params["groups"] = groups
    # This is permutation_test_score (same shuffles from the same seed, same
    # scores, same p-value: a test holds it to that), with the real run
    # skipped when its score is known. The fold loop is cross_validate's.
    # Routing is on for this call only, except for the within-group shuffle,
    # which scikit-learn runs with routing off (the estimator then takes the
    # groups directly; _check_within_groups refused those it cannot reach).
    rng = check_random_state(random_state)
    shuffle_groups = groups if within_groups else None
    n_samples = np.shape(y)[0]
    shuffles = [_shuffle(n_samples, shuffle_groups, rng) for _ in range(n_permutations)]
    with config_context(enable_metadata_routing=not within_groups):
        if score is None:
            score = _mean_score(clone(estimator), X, y, splits, scorer, fit_params)
        saved = _SavedShuffles(memory, estimator, X, y, splits, scorer, fit_params)
        found = [saved.load(order) for order in shuffles]
        missing = [i for i, value in enumerate(found) if value is MISSING]
        computed = Parallel(n_jobs=n_jobs)(
            delayed(saved.compute)(
                clone(estimator),
                X,
                _safe_indexing(y, shuffles[i]),
                splits,
                scorer,
                fit_params,
                shuffles[i],
            )
            for i in missing
        )
        for i, value in zip(missing, computed, strict=True):
            found[i] = value
    permutation_scores = np.asarray(found, dtype=float)
    pvalue = (np.sum(permutation_scores >= score) + 1.0) / (n_permutations + 1)
    name = scoring if isinstance(scoring, str) else "score"
    return LabelShuffleResult(
        float(score),
        np.asarray(permutation_scores, dtype=float),
        float(pvalue),
        chance_score(name, y),
        name,
    )


def _shuffle(n: int, groups: Any, rng: np.random.RandomState) -> NDArray[np.intp]:
    """One shuffle of ``n`` labels, as ``permutation_test_score`` draws it."""
    if groups is None:
        return rng.permutation(n)
    groups = np.asarray(groups)
    order = np.arange(n)
    for group in np.unique(groups):
        inside = groups == group
        order[inside] = rng.permutation(order[inside])
    return order


class _SavedShuffles:
    """Each shuffle's score, saved in ``memory`` as it finishes (or not at all)."""

    def __init__(
        self,
        memory: Any,
        estimator: Any,
        X: Any,
        y: Any,
        splits: Any,
        scorer: Any,
        fit_params: Any,
    ) -> None:
        self.cache = None if memory is None else ResultCache(memory)
        if self.cache is not None:
            self.shared = (
                stable_fingerprint(estimator),
                fingerprint(X, y, splits),
                stable_fingerprint(scorer),
                stable_fingerprint(fit_params),
            )

    def _key(self, order: Any) -> str:
        assert self.cache is not None
        return self.cache.key("shuffle", self.shared, fingerprint(order))

    def load(self, order: Any) -> Any:
        if self.cache is None:
            return MISSING
        return self.cache.load("shuffle", self._key(order))

    def compute(self, *args: Any) -> float:
        """``_mean_score(*args[:-1])``, saved under the shuffle ``args[-1]``."""
        score = _mean_score(*args[:-1])
        if self.cache is not None:
            self.cache.save("shuffle", self._key(args[-1]), score)
        return score


def _mean_score(
    estimator: Any,
    X: Any,
    y: Any,
    splits: list[Any],
    scorer: Any,
    fit_params: dict[str, Any],
) -> float:
    """Mean test score of ``estimator`` over ``splits``, fitted one fold at a time."""
    scores = cross_validate(
        estimator,
        X,
        y,
        cv=splits,
        scoring=scorer,
        params=fit_params,
        error_score="raise",
    )["test_score"]
    return float(np.mean(scores))


def _check_within_groups(
    y: ArrayLike, groups: ArrayLike | None, estimator: Any
) -> None:
    """Refuse a within-group shuffle that cannot run or cannot change ``y``."""
    if groups is None:
        raise ValueError(
            "label_shuffle_test: within_groups=True needs groups; pass groups or "
            "leave within_groups=False."
        )
    if get_config()["enable_metadata_routing"]:
        raise ValueError(
            "label_shuffle_test: scikit-learn's permutation_test_score shuffles "
            "within groups only with metadata routing disabled; call it outside "
            "sklearn.config_context(enable_metadata_routing=True), or leave "
            "within_groups=False."
        )
    nested = _nested_group_consumers(estimator)
    if nested:
        raise ValueError(
            "label_shuffle_test: within_groups=True runs with metadata routing "
            f"off, which cannot pass groups to {nested[0]!r} inside "
            f"{type(estimator).__name__}, so its own split (early stopping) "
            "would put one group on both sides. Use within_groups=False, or "
            "pass the estimator itself rather than a pipeline or search."
        )
    y_arr, groups_arr = np.asarray(y), np.asarray(groups)
    _, group_index = np.unique(groups_arr, return_inverse=True)
    _, label_index = np.unique(y_arr, return_inverse=True)
    pairs = np.unique(np.column_stack([group_index, label_index]), axis=0)
    if len(pairs) == group_index.max() + 1:
        raise ValueError(
            "label_shuffle_test: every group has a single label, so shuffling "
            "within groups leaves the labels unchanged; use within_groups=False "
            "to shuffle across samples (the folds still keep groups whole)."
        )


def _nested_group_consumers(estimator: Any) -> list[str]:
    """Parameters of ``estimator`` that are estimators requesting ``groups`` in fit.

    These are reached only by metadata routing, not by a plain ``fit`` call.
    """
    names = []
    with config_context(enable_metadata_routing=True):
        for name, value in estimator.get_params(deep=True).items():
            if isinstance(value, type) or not hasattr(value, "get_metadata_routing"):
                continue
            routing = get_routing_for_object(value)
            if isinstance(routing, MetadataRequest) and routing.consumes(
                "fit", ["groups"]
            ):
                names.append(name)
    return names
