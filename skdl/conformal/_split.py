"""Split conformal prediction as scikit-learn estimators, with mapie v1 inside.

``fit`` splits the data once: the estimator is trained on one part and mapie's
``SplitConformalClassifier`` / ``SplitConformalRegressor`` (``prefit=True``) is
conformalized on the other. The split keeps groups whole and is checked after
the fact, so a user-supplied ``cv`` that leaks a group is refused rather than
trusted. Class-conditional ("Mondrian") sets, which mapie v1 does not offer, are
the one computation written here: per-class quantiles of mapie's own LAC
conformity scores, with mapie's finite-sample rule.
"""

from __future__ import annotations

import importlib
import math
from decimal import Decimal
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    clone,
)
from sklearn.utils import check_consistent_length, check_random_state, indexable
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d

from skdl.utils._docstring import (
    conformal_classifier_docstring,
    conformal_regressor_docstring,
)
from skdl.utils._groups import check_groups
from skdl.utils._holdout import holdout_split, merge_copies
from skdl.utils._optional import import_mapie
from skdl.utils._routing import routed_fit
from skdl.utils._sklearn import HasMethods, Interval, _fit_context, _num_samples
from skdl.utils._sklearn import _safe_indexing as take

# mapie's tolerance when comparing a LAC score with its quantile (EPSILON in
# mapie._machine_precision); the Mondrian sets use the same rule.
_EPSILON = 1e-8


def _alpha(level: float) -> float:
    """``1 - level`` computed as mapie does (decimal), so 0.9 gives exactly 0.1."""
    return float(Decimal("1") - Decimal(str(level)))


def _min_calibration_size(levels: NDArray[np.float64]) -> int:
    """Fewest calibration samples mapie accepts for every level.

    A split-conformal quantile at level ``1 - alpha`` is the
    ``ceil((1 - alpha)(n + 1))``-th smallest of ``n`` scores, which exists only
    when ``n >= 1 / alpha - 1``; mapie asks for ``n >= max(1/alpha, 1/(1-alpha))``.
    """
    alphas = np.array([_alpha(level) for level in levels])
    return math.ceil(float(np.max(np.maximum(1 / alphas, 1 / (1 - alphas)))))


def _estimator_has(attr: str) -> Any:
    """``available_if`` check: the fitted (or given) estimator has ``attr``."""

    def check(self: Any) -> bool:
        # No truth test: a fitted ensemble's bool() is its length.
        fitted = hasattr(self, "estimator_")
        estimator = self.estimator_ if fitted else self._get_estimator()
        getattr(estimator, attr)
        return True

    return check


class _SplitConformalBase(MetaEstimatorMixin, BaseEstimator):
    """Shared ``fit`` of the split-conformal adapters (train, then conformalize)."""

    _parameter_constraints: dict[str, list[Any]] = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "confidence_level": [Interval(Real, 0, 1, closed="neither"), list, tuple],
        "conformity_score": [str, object],
        "prefit": ["boolean"],
        "conformalize_size": [
            Interval(Real, 0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "cv": [HasMethods(["split"]), list, tuple, None],
        "random_state": ["random_state"],
    }

    # Route ``groups`` to ``fit`` under metadata routing: the calibration part
    # must never share a group with the training part.
    __metadata_request__fit = {"groups": True}

    _stratify: bool = False

    # Set by the task classes: the default model and mapie's class, by name.
    _default_estimator: str
    _mapie_name: tuple[str, str]

    def _get_estimator(self) -> Any:
        if self.estimator is not None:
            return self.estimator
        import skdl.neural_net

        return getattr(skdl.neural_net, self._default_estimator)()

    def _mapie_class(self) -> Any:
        module, name = self._mapie_name
        return getattr(importlib.import_module(module), name)

    def _levels(self) -> NDArray[np.float64]:
        levels = np.atleast_1d(np.asarray(self.confidence_level, dtype=float))
        bad = levels[~((levels > 0) & (levels < 1))]
        if levels.ndim != 1 or levels.size == 0 or bad.size:
            raise ValueError(
                f"{type(self).__name__}: every confidence_level must lie strictly "
                f"between 0 and 1 (0.9 asks for sets or intervals that hold the "
                f"truth 90% of the time); got {self.confidence_level!r}."
            )
        return levels

    def _calibration_split(
        self, X: Any, y: NDArray[Any], groups: NDArray[Any] | None
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        n_samples = _num_samples(X)
        if self.cv is not None:
            splits = (
                self.cv.split(X, y, groups) if hasattr(self.cv, "split") else self.cv
            )
            train, calibration = next(iter(splits))
        else:
            fraction = self.conformalize_size
            if isinstance(fraction, Integral):
                if fraction >= n_samples:
                    raise ValueError(
                        f"{type(self).__name__}: conformalize_size={fraction} "
                        f"leaves no training data out of {n_samples} samples; "
                        "pass a smaller number or a fraction such as 0.2."
                    )
                fraction = fraction / n_samples
            rng = check_random_state(self.random_state)
            train, calibration = holdout_split(
                n_samples,
                fraction,
                y=y,
                groups=groups,
                stratify=self._stratify,
                random_state=rng,
                caller=type(self).__name__,
                part="the calibration part",
            )
        train, calibration = np.asarray(train), np.asarray(calibration)
        if np.intersect1d(train, calibration).size:
            raise ValueError(
                f"{type(self).__name__}: cv put the same samples in the training "
                "and calibration parts; conformal guarantees need disjoint parts. "
                "Pass a splitter whose parts do not overlap."
            )
        if groups is not None:
            shared = np.intersect1d(groups[train], groups[calibration])
            if shared.size:
                raise ValueError(
                    f"{type(self).__name__}: cv put groups {shared[:5].tolist()} in "
                    "both the training and calibration parts, which inflates "
                    "coverage estimates. Pass a group-aware splitter (for example "
                    "GroupShuffleSplit or skdl's ChromosomeSplit), or cv=None."
                )
        return train, calibration

    def _check_calibration_size(
        self, y_calibration: NDArray[Any], levels: NDArray[np.float64]
    ) -> None:
        needed = _min_calibration_size(levels)
        if len(y_calibration) < needed:
            raise ValueError(
                f"{type(self).__name__}: the calibration part has "
                f"{len(y_calibration)} samples; confidence_level="
                f"{self.confidence_level!r} needs at least {needed}. Increase "
                "conformalize_size, pass more data, or lower confidence_level."
            )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: Any,
        groups: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
    ) -> Any:
        """Train the estimator on one part and conformalize on the other.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples,)
            Training data, in whatever form the estimator accepts (sequences
            too, when it is a pipeline that encodes them).
        y : array-like of shape (n_samples,)
            Targets.
        groups : array-like of shape (n_samples,), default=None
            Group labels (patients, batches, chromosomes, homology clusters).
            No group is split between training and calibration; when ``X``
            holds sequences, identical ones (ignoring case) count as one group
            too. Passed on to
            every split inside the estimator that consumes them (a skdl net's
            early stopping, inside a pipeline or a search too), through
            scikit-learn's metadata routing switched on for this call only.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the training part's loss; calibration is unweighted.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        import_mapie(type(self).__name__)
        levels = self._levels()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        X, y_in = indexable(X, y)
        y = np.asarray(column_or_1d(y_in, warn=True))
        self._check_target(y)
        group_array = (
            None if groups is None else check_groups(groups, type(self).__name__)
        )
        check_consistent_length(X, y, *(() if groups is None else (group_array,)))
        # Identical sequences are one group, for the calibration split and for
        # every split inside the estimator.
        group_array, _ = merge_copies(X, group_array)
        if self.prefit:
            estimator = self._prefitted_estimator(sample_weight)
            train = np.empty(0, dtype=np.intp)
            calibration = np.arange(_num_samples(X))
            self._check_calibration_size(y, levels)
        else:
            train, calibration = self._calibration_split(X, y, group_array)
            self._check_calibration_size(y[calibration], levels)
            estimator = clone(self._get_estimator())
            fit_params: dict[str, Any] = {}
            if sample_weight is not None:
                check_consistent_length(y, sample_weight)
                fit_params["sample_weight"] = np.asarray(sample_weight)[train]
            # Routing on: the groups reach the estimator's own splits (a net's
            # early stopping), inside a pipeline or a search too.
            routed_fit(
                estimator,
                take(X, train),
                y[train],
                groups=None if group_array is None else group_array[train],
                **fit_params,
            )
        self.estimator_ = estimator
        self.train_indices_ = train
        self.calibration_indices_ = calibration
        conformal = self._mapie_class()(
            estimator=estimator,
            confidence_level=levels.tolist(),
            conformity_score=self.conformity_score,
            prefit=True,
        )
        # With prefit every row is calibration: no copy of X.
        X_cal, y_cal = (X, y) if self.prefit else (take(X, calibration), y[calibration])
        self._check_calibration_labels(y_cal)
        self.conformal_ = conformal.conformalize(self._mapie_rows(X_cal), y_cal)
        self._conformalize_extra(y_cal, levels)
        if hasattr(estimator, "n_features_in_"):
            self.n_features_in_ = estimator.n_features_in_
        if hasattr(estimator, "feature_names_in_"):
            self.feature_names_in_ = estimator.feature_names_in_
        return self

    def _mapie_rows(self, X: Any) -> Any:
        """Give mapie 2-D rows when ``X`` holds 3-D or 4-D samples.

        mapie checks ``X.shape[1] == estimator.n_features_in_``; skdl's sequence
        and image nets count the features of the flattened sample and accept
        flat rows (reshaped by ``input_shape_``), so a view is passed instead.
        """
        n_features = getattr(self.estimator_, "n_features_in_", None)
        if (
            isinstance(X, np.ndarray)
            and X.ndim > 2
            and n_features == int(np.prod(X.shape[1:]))
        ):
            return X.reshape(len(X), -1)
        return X

    def _prefitted_estimator(self, sample_weight: ArrayLike | None) -> Any:
        """Return the given estimator, checked to be trained (``prefit=True``)."""
        name = type(self).__name__
        if self.estimator is None:
            raise ValueError(
                f"{name}: prefit=True needs a trained estimator; got estimator=None."
                " Pass the trained model, or set prefit=False to train one."
            )
        check_is_fitted(
            self.estimator,
            msg=(
                f"{name}: prefit=True but the estimator is not fitted. Fit it "
                "first (and wrap it in sklearn.frozen.FrozenEstimator to keep it "
                "fitted through clone), or set prefit=False."
            ),
        )
        if sample_weight is not None:
            raise ValueError(
                f"{name}: sample_weight weights training, and prefit=True does "
                "no training; drop it, or set prefit=False."
            )
        return self.estimator

    def _check_target(self, y: NDArray[Any]) -> None:
        """Task-specific checks of ``y``; none by default."""

    def _check_calibration_labels(self, y_calibration: NDArray[Any]) -> None:
        """Check the calibration labels against ``estimator_``; none by default."""

    def _conformalize_extra(
        self, y_calibration: NDArray[Any], levels: NDArray[np.float64]
    ) -> None:
        """Work beyond mapie's conformalization; none by default."""

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Point predictions of the trained estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples,)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predictions.
        """
        check_is_fitted(self)
        return np.asarray(self.estimator_.predict(X))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        inner = self._get_estimator().__sklearn_tags__()
        tags.input_tags = inner.input_tags
        return tags


@conformal_classifier_docstring
class SplitConformalNetClassifier(ClassifierMixin, _SplitConformalBase):
    """Prediction sets with a coverage guarantee, calibrated on held-out groups.

    ``fit`` trains a clone of ``estimator`` on one part of the data and
    conformalizes it on the other (the *calibration* part) with mapie's
    :class:`~mapie.classification.SplitConformalClassifier`. Then
    :meth:`predict_set` returns, for each sample, a set of labels that holds the
    true label with probability at least ``confidence_level`` over new samples
    exchangeable with the calibration part. Works with any classifier that has
    ``predict_proba``: skdl's nets, a pipeline, a random forest.

    The calibration part is chosen as a held-out part would be: whole groups
    (with ``groups``), stratified on the labels when possible, and verified not
    to share a sample or a group with training. With ``mondrian=True`` the
    guarantee holds for each class separately, so a 1% class gets its own 90%
    instead of being traded against the majority.

    Parameters
    ----------
    estimator : classifier, default=None
        A classifier with ``fit`` and ``predict_proba``; cloned in ``fit``.
        None means :class:`~skdl.neural_net.MLPNetClassifier` with its defaults.
    confidence_level : float or list of float, default=0.9
        Target coverage, in (0, 1). A list gives one set per level, along the
        last axis of :meth:`predict_set`'s output (mapie's convention).
    conformity_score : str or mapie conformity score, default="lac"
        mapie's conformity score: ``"lac"``, ``"aps"``, ``"raps"``, ``"top_k"``
        or a ``BaseClassificationScore`` instance. Only ``"lac"`` supports
        ``mondrian=True``.
    {calibration_params}

    Attributes
    ----------
    estimator_ : estimator
        The estimator trained on the training part.
    conformal_ : mapie.classification.SplitConformalClassifier
        mapie's object, conformalized on the calibration part.
    class_thresholds_ : ndarray of shape (n_classes, n_levels)
        With ``mondrian=True``: the per-class LAC thresholds; a label ``k`` is in
        the set when ``1 - p_k(x)`` is at most its class's threshold.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    {calibration_attributes}

    See Also
    --------
    SplitConformalNetRegressor : Prediction intervals for regression.
    mapie.classification.CrossConformalClassifier : Cross-conformal sets, which
        also accept skdl's estimators and splitters directly.

    Notes
    -----
    The guarantee is marginal over the randomness of the calibration part and
    of the new sample, and needs them to be exchangeable: a test chromosome
    unlike every calibration chromosome is not covered by it. Sets can be empty
    (the model is confident and wrong about every label) or hold every label.

    References
    ----------
    .. [1] Sadinle, Lei and Wasserman (2019). "Least ambiguous set-valued
       classifiers with bounded error levels." JASA 114(525).
    .. [2] Vovk et al. (2005). "Algorithmic Learning in a Random World", ch. 4
       (Mondrian conformal prediction).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skdl.conformal import SplitConformalNetClassifier
    >>> X, y = make_classification(n_samples=300, random_state=0)
    >>> clf = SplitConformalNetClassifier(
    ...     RandomForestClassifier(random_state=0), confidence_level=0.9,
    ...     random_state=0,
    ... ).fit(X[:200], y[:200])
    >>> y_pred, y_set = clf.predict_set(X[200:])
    >>> y_set.shape  # (n_samples, n_classes, n_confidence_levels)
    (100, 2, 1)
    >>> bool(y_set[np.arange(100), y[200:], 0].mean() >= 0.8)
    True
    """

    _parameter_constraints: dict[str, list[Any]] = {
        **_SplitConformalBase._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "mondrian": ["boolean"],
    }
    _stratify = True
    _default_estimator = "MLPNetClassifier"
    _mapie_name = ("mapie.classification", "SplitConformalClassifier")

    def __init__(
        self,
        estimator: Any = None,
        *,
        confidence_level: float | list[float] = 0.9,
        conformity_score: Any = "lac",
        prefit: bool = False,
        mondrian: bool = False,
        conformalize_size: float | int = 0.2,
        cv: Any = None,
        random_state: Any = None,
    ) -> None:
        self.estimator = estimator
        self.confidence_level = confidence_level
        self.conformity_score = conformity_score
        self.prefit = prefit
        self.mondrian = mondrian
        self.conformalize_size = conformalize_size
        self.cv = cv
        self.random_state = random_state

    def _check_target(self, y: NDArray[Any]) -> None:
        check_classification_targets(y)
        if self.mondrian and not (
            isinstance(self.conformity_score, str) and self.conformity_score == "lac"
        ):
            raise ValueError(
                f"{type(self).__name__}: mondrian=True supports "
                f"conformity_score='lac' only; got {self.conformity_score!r}. Use "
                "'lac', or mondrian=False."
            )

    def _check_calibration_size(
        self, y_calibration: NDArray[Any], levels: NDArray[np.float64]
    ) -> None:
        super()._check_calibration_size(y_calibration, levels)
        if not self.mondrian:
            return
        needed = _min_calibration_size(levels)
        labels, counts = np.unique(y_calibration, return_counts=True)
        small = [
            f"{label!r} ({count})"
            for label, count in zip(labels.tolist(), counts.tolist(), strict=True)
            if count < needed
        ]
        if small:
            raise ValueError(
                f"{type(self).__name__}: mondrian=True calibrates each class on "
                f"its own samples, and confidence_level={self.confidence_level!r} "
                f"needs at least {needed} per class; the calibration part has "
                f"{', '.join(small)}. Increase conformalize_size, lower "
                "confidence_level, or set mondrian=False."
            )

    def _check_calibration_labels(self, y_calibration: NDArray[Any]) -> None:
        self.classes_ = self.estimator_.classes_
        if not self.mondrian:
            return
        missing = np.setdiff1d(self.classes_, y_calibration)
        if missing.size:
            raise ValueError(
                f"{type(self).__name__}: mondrian=True needs calibration samples of "
                f"every class; none of {missing.tolist()}. Increase "
                "conformalize_size or set mondrian=False."
            )

    def _conformalize_extra(
        self, y_calibration: NDArray[Any], levels: NDArray[np.float64]
    ) -> None:
        if not self.mondrian:
            return
        # mapie's LAC scores are 1 - p(true class); take each class's quantile
        # with mapie's rule: the ceil((1 - alpha)(n + 1))-th smallest score.
        scores = np.asarray(self.conformal_.conformity_scores).ravel()
        thresholds = np.empty((len(self.classes_), len(levels)))
        for k, label in enumerate(self.classes_):
            class_scores = scores[y_calibration == label]
            n = len(class_scores)
            ranks = [
                min(math.ceil((1 - _alpha(level)) * (n + 1)), n) - 1 for level in levels
            ]
            # The k-th smallest by selection, O(n): no full sort of the scores.
            thresholds[k] = np.partition(class_scores, ranks)[ranks]
        self.class_thresholds_ = thresholds

    def predict_set(self, X: ArrayLike) -> tuple[NDArray[Any], NDArray[np.bool_]]:
        """Predicted labels and conformal prediction sets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples,)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The estimator's predicted labels.
        y_pred_set : ndarray of bool, shape (n_samples, n_classes, n_levels)
            ``y_pred_set[i, k, j]`` is True when ``classes_[k]`` is in sample
            ``i``'s set at ``confidence_level`` number ``j``.
        """
        check_is_fitted(self)
        if not self.mondrian:
            y_pred, y_set = self.conformal_.predict_set(self._mapie_rows(X))
            return y_pred, y_set.astype(bool)
        proba = np.asarray(self.estimator_.predict_proba(X), dtype=float)
        y_pred = self.classes_[np.argmax(proba, axis=1)]
        scores = 1 - proba
        y_set = scores[:, :, None] - self.class_thresholds_[None] <= _EPSILON
        return y_pred, y_set

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities of the trained estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples,)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``.
        """
        check_is_fitted(self)
        return np.asarray(self.estimator_.predict_proba(X))

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """Decision values of the trained estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples,)
            Input data.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The estimator's decision values.
        """
        check_is_fitted(self)
        return np.asarray(self.estimator_.decision_function(X))


@conformal_regressor_docstring
class SplitConformalNetRegressor(RegressorMixin, _SplitConformalBase):
    """Prediction intervals with a coverage guarantee, calibrated on held-out groups.

    ``fit`` trains a clone of ``estimator`` on one part of the data and
    conformalizes it on the other with mapie's
    :class:`~mapie.regression.SplitConformalRegressor`; :meth:`predict_interval`
    returns intervals that hold the true value with probability at least
    ``confidence_level`` over new samples exchangeable with the calibration
    part. The calibration part is chosen and checked as in
    :class:`SplitConformalNetClassifier`: whole groups, never shared with
    training.

    Parameters
    ----------
    estimator : regressor, default=None
        A regressor with ``fit`` and ``predict``; cloned in ``fit``. None means
        :class:`~skdl.neural_net.MLPNetRegressor` with its defaults.
    confidence_level : float or list of float, default=0.9
        Target coverage, in (0, 1). A list gives one interval per level.
    conformity_score : str or mapie conformity score, default="absolute"
        mapie's conformity score: ``"absolute"``, ``"gamma"``,
        ``"residual_normalized"`` or a ``BaseRegressionScore`` instance.
    {calibration_params}

    Attributes
    ----------
    estimator_ : estimator
        The estimator trained on the training part.
    conformal_ : mapie.regression.SplitConformalRegressor
        mapie's object, conformalized on the calibration part.
    {calibration_attributes}

    See Also
    --------
    SplitConformalNetClassifier : Prediction sets for classification.
    mapie.regression.CrossConformalRegressor : Cross-conformal intervals, which
        also accept skdl's estimators and splitters directly.

    Notes
    -----
    With the default absolute-residual score every interval has the same
    width; ``"residual_normalized"`` or a quantile model adapts it per sample.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_regression
    >>> from sklearn.linear_model import LinearRegression
    >>> from skdl.conformal import SplitConformalNetRegressor
    >>> X, y = make_regression(n_samples=300, noise=10, random_state=0)
    >>> reg = SplitConformalNetRegressor(
    ...     LinearRegression(), confidence_level=0.9, random_state=0
    ... ).fit(X[:200], y[:200])
    >>> y_pred, y_pis = reg.predict_interval(X[200:])
    >>> y_pis.shape  # (n_samples, lower/upper, n_confidence_levels)
    (100, 2, 1)
    >>> inside = (y_pis[:, 0, 0] <= y[200:]) & (y[200:] <= y_pis[:, 1, 0])
    >>> bool(inside.mean() >= 0.8)
    True
    """

    _default_estimator = "MLPNetRegressor"
    _mapie_name = ("mapie.regression", "SplitConformalRegressor")

    def __init__(
        self,
        estimator: Any = None,
        *,
        confidence_level: float | list[float] = 0.9,
        conformity_score: Any = "absolute",
        prefit: bool = False,
        conformalize_size: float | int = 0.2,
        cv: Any = None,
        random_state: Any = None,
    ) -> None:
        self.estimator = estimator
        self.confidence_level = confidence_level
        self.conformity_score = conformity_score
        self.prefit = prefit
        self.conformalize_size = conformalize_size
        self.cv = cv
        self.random_state = random_state

    def predict_interval(
        self,
        X: ArrayLike,
        minimize_interval_width: bool = False,
        allow_infinite_bounds: bool = False,
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Point predictions and conformal prediction intervals.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples,)
            Input data.
        minimize_interval_width : bool, default=False
            Passed to mapie: shift the quantiles to narrow asymmetric intervals.
        allow_infinite_bounds : bool, default=False
            Passed to mapie: allow infinite bounds when the calibration part is
            too small for a level.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The estimator's predictions.
        y_pis : ndarray of shape (n_samples, 2, n_levels)
            Lower (``[:, 0]``) and upper (``[:, 1]``) bounds per level.
        """
        check_is_fitted(self)
        y_pred, y_pis = self.conformal_.predict_interval(
            self._mapie_rows(X),
            minimize_interval_width=minimize_interval_width,
            allow_infinite_bounds=allow_infinite_bounds,
        )
        return np.asarray(y_pred), np.asarray(y_pis)
