"""Fit/predict plumbing shared by every skdl deep estimator.

One estimator's life (see DESIGN.md): ``fit`` validates the data
(``validate_data``), encodes labels, resolves ``random_state``, picks the
internal validation split (group-aware), builds the torch module from the data
shapes and a skorch net with skdl's fast batch iterator and named default
callbacks, trains it inside the determinism context and stores ``net_``.
``predict*`` check the fitted state, validate with ``reset=False`` and run
batched inference.

Classifier and regressor behaviour live in two private mixins so that every
architecture (MLP, user module, and later CNN/transformer) shares them without
a deeper class hierarchy.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator
from sklearn.utils import check_consistent_length
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data
from skorch.callbacks import Callback, EarlyStopping
from skorch.helper import predefined_split

from skdl.callbacks import EpochProgressBar, FiniteLossCheck
from skdl.neural_net._data import (
    BalancedBatchIterator,
    BatchIterator,
    FiniteRows,
    TensorDataset,
    as_tensor,
)
from skdl.neural_net._inference import PROBE_ROWS, inference_rows, row_bytes
from skdl.neural_net._skorch import (
    SkdlNeuralNetClassifier,
    SkdlNeuralNetMultilabel,
    SkdlNeuralNetRegressor,
)
from skdl.utils._groups import check_groups
from skdl.utils._holdout import holdout_split
from skdl.utils._parallel import torch_threads, worker_threads
from skdl.utils._seeding import DeterminismMixin, resolve_device
from skdl.utils._sklearn import (
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
)

OPTIMIZERS: dict[str, tuple[type[torch.optim.Optimizer], dict[str, Any]]] = {
    "adam": (torch.optim.Adam, {}),
    "adamw": (torch.optim.AdamW, {}),
    # scikit-learn's MLP uses Nesterov momentum 0.9 for "sgd".
    "sgd": (torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
    "rmsprop": (torch.optim.RMSprop, {}),
}


def _silent(*args: Any, **kwargs: Any) -> None:
    """Print nothing; a picklable sink for skorch callbacks."""


class BaseNetEstimator(DeterminismMixin, BaseEstimator):
    """Base class of skdl's deep estimators: an estimator holding a skorch net.

    Concrete estimators combine it with a classifier or regressor mixin and
    implement ``_module_spec(input_shape, n_outputs)``, which returns the torch
    module class and its keyword arguments. Parameters shared by all deep
    estimators are declared here; subclasses extend ``_parameter_constraints``.

    Do not instantiate it directly; see :class:`~skdl.neural_net.MLPNetClassifier`
    for a complete estimator.

    Attributes
    ----------
    net_ : skorch.NeuralNet
        The trained skorch net.
    history_ : skorch.History
        Per-epoch training record (losses, scores, durations).
    n_iter_ : int
        Number of epochs run.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column names.

    Examples
    --------
    >>> from skdl.base import BaseNetEstimator
    >>> from skdl.neural_net import MLPNetRegressor
    >>> issubclass(MLPNetRegressor, BaseNetEstimator)
    True
    """

    _parameter_constraints: dict[str, list[Any]] = {
        "lr": [Interval(Real, 0, None, closed="neither")],
        "optimizer": [StrOptions(set(OPTIMIZERS)), type],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [list, None],
        "net_params": [dict, None],
    }

    # Route ``groups`` to ``fit`` by default under metadata routing: the internal
    # validation split must never put one group on both sides (DESIGN principle 3).
    __metadata_request__fit = {"groups": True}

    # Set by the task mixins.
    _net_class: type
    _criterion: type[torch.nn.Module]

    def _module_spec(
        self, input_shape: tuple[int, ...], n_outputs: int
    ) -> tuple[type[torch.nn.Module], dict[str, Any]]:
        """Return the module class and its keyword arguments.

        ``input_shape`` is the shape of one sample (``(n_features,)`` for
        tabular data).
        """
        raise NotImplementedError  # pragma: no cover

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "net_")

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags

    # ---------------------------------------------------------------- fitting
    def _callbacks(self) -> list[Any]:
        """Named callbacks added after the net's defaults, then the user's."""
        early_stopping = EarlyStopping(
            monitor="valid_loss" if self.early_stopping else "train_loss",
            patience=self.n_iter_no_change,
            threshold=self.tol,
            threshold_mode="abs",
            lower_is_better=True,
            load_best=self.early_stopping,
            sink=_silent,
        )
        callbacks: list[Any] = [("finite_loss", FiniteLossCheck(type(self).__name__))]
        if self.verbose:
            callbacks.append(("progress_bar", EpochProgressBar()))
        callbacks.append(("early_stopping", early_stopping))
        # A new list: the user's parameter is never modified.
        for entry in self.callbacks or []:
            callback = (
                entry[1] if isinstance(entry, tuple) and len(entry) == 2 else entry
            )
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"{type(self).__name__}: callbacks must hold skorch callbacks "
                    "(instances of skorch.callbacks.Callback) or (name, callback) "
                    f"pairs; got {entry!r}."
                )
            callbacks.append(entry)
        return callbacks

    def _optimizer_params(self) -> dict[str, Any]:
        if isinstance(self.optimizer, str):
            optimizer, extra = OPTIMIZERS[self.optimizer]
        else:
            optimizer, extra = self.optimizer, {}
        params = {f"optimizer__{key}": value for key, value in extra.items()}
        params["optimizer"] = optimizer
        if "weight_decay" in _accepted_kwargs(optimizer, ("weight_decay",)):
            params["optimizer__weight_decay"] = self.weight_decay
        elif self.weight_decay:
            raise ValueError(
                f"{type(self).__name__}: the optimizer {optimizer.__name__} takes "
                f"no weight_decay, but weight_decay={self.weight_decay!r}; set "
                "weight_decay=0 or choose an optimizer that has it."
            )
        return params

    def _fit_net(
        self,
        X: NDArray[np.float32],
        y: NDArray[Any],
        *,
        n_outputs: int,
        sample_weight: NDArray[np.float32],
        groups: NDArray[Any] | None,
        stratify: bool,
        net_kwargs: dict[str, Any] | None = None,
        net_class: type | None = None,
    ) -> None:
        """Build the skorch net, train it deterministically, set fitted attributes."""
        rng, seed = self._resolve_randomness()
        device = resolve_device(self.device)
        n_samples = X.shape[0]
        # Equal weights give exactly the unweighted loss (the weighted mean divides
        # by their sum), so they are dropped: one code path, no per-batch cost.
        weight = None
        if sample_weight.size and np.ptp(sample_weight) > 0:
            weight = torch.from_numpy(sample_weight)
        dataset = TensorDataset(as_tensor(X), as_tensor(y), weight)
        train_split = None
        if self.early_stopping:
            train_idx, valid_idx = holdout_split(
                n_samples,
                self.validation_fraction,
                y=y,
                groups=groups,
                stratify=stratify,
                random_state=rng,
                caller=type(self).__name__,
                part="the early-stopping validation part",
                remedy="Pass more groups, or set early_stopping=False.",
            )
            valid = dataset.subset(valid_idx)
            dataset = dataset.subset(train_idx)
            train_split = predefined_split(valid)

        module, module_params = self._module_spec(X.shape[1:], n_outputs)
        # "auto" trains on min(200, n_samples) and predicts in batches of 200 (a
        # fixed inference shape that does not depend on the training set's size).
        auto = self.batch_size == "auto"
        params: dict[str, Any] = {
            "module": module,
            **{f"module__{key}": value for key, value in module_params.items()},
            "criterion": self._criterion,
            # Per-sample losses only where weights need them: a fused mean is
            # one kernel and one autograd node less per batch.
            "criterion__reduction": "mean" if weight is None else "none",
            **self._optimizer_params(),
            "lr": self.lr,
            "max_epochs": self.max_epochs,
            "batch_size": 200 if auto else self.batch_size,
            "iterator_train": BatchIterator,
            "iterator_train__shuffle": True,
            "iterator_train__batch_size": min(200, n_samples)
            if auto
            else self.batch_size,
            "iterator_valid": BatchIterator,
            "train_split": train_split,
            "callbacks": self._callbacks(),
            "device": str(device),
            "verbose": self.verbose,
            **(net_kwargs or {}),
        }
        _check_net_params(type(self).__name__, self.net_params or {}, params)
        params.update(self.net_params or {})
        if any(key.startswith("criterion__") for key in params.keys() - _WIRING):
            # A criterion argument (class weights of a multilabel net, or the
            # user's): keep the mean of per-sample losses, whatever the argument
            # does to a fused mean (CrossEntropyLoss(weight=...) would divide by
            # the weights' sum).
            params["criterion__reduction"] = "none"
        net = (net_class or self._net_class)(**params)
        with self._deterministic(seed, device), torch_threads(worker_threads()):
            net.fit(dataset, y=None)
        # The validation data lives inside ``train_split``; drop it so that a
        # pickled estimator does not carry a copy of the training data.
        net.train_split = None
        if "iterator_valid__batch_size" not in (self.net_params or {}):
            # One inference batch shape for this model, sized for the hardware
            # from what a row costs (skdl.neural_net._inference).
            probe = as_tensor(X[:PROBE_ROWS]).to(device)
            with torch_threads(worker_threads()):
                n_bytes = row_bytes(net.module_, probe)
            # skorch reads iterator_valid__* attributes when it builds an iterator
            # (its set_params would refuse a key that re-initialises nothing).
            net.iterator_valid__batch_size = inference_rows(n_bytes, device)
        self.net_ = net
        self.history_ = net.history
        self.n_iter_ = len(net.history)

    def _forward(
        self,
        X: NDArray[Any],
        transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    ) -> torch.Tensor:
        """Return the module's outputs for ``X``, batched, on the CPU.

        Each batch's inputs are checked for NaN and infinity as the batch is
        formed (:class:`~skdl.neural_net._data.FiniteRows`), and a row-wise
        ``transform`` (softmax) runs on each batch's outputs: both while the
        batch is in cache, instead of a pass of their own over all rows.
        """
        dataset = FiniteRows(as_tensor(X), caller=type(self).__name__)
        device = torch.device(self.net_.device)
        with self._deterministic(None, device), torch_threads(worker_threads()):
            outputs = [
                out if transform is None else transform(out)
                for out in self.net_.forward_iter(dataset, training=False)
            ]
        return torch.cat(outputs)

    def _predict_data(self, X: ArrayLike) -> NDArray[Any]:
        """Validate ``X`` for ``_forward``, which checks it for NaN itself."""
        check_is_fitted(self)
        return validate_data(
            self, X, dtype=np.float32, reset=False, ensure_all_finite=False
        )

    def _validate_fit_data(
        self, X: ArrayLike, y: ArrayLike, *, multi_output: bool, y_numeric: bool
    ) -> tuple[NDArray[np.float32], NDArray[Any]]:
        X_valid, y_valid = validate_data(
            self,
            X,
            y,
            dtype=np.float32,
            multi_output=multi_output,
            y_numeric=y_numeric,
        )
        return X_valid, y_valid

    def _validate_predict_data(self, X: ArrayLike) -> NDArray[np.float32]:
        check_is_fitted(self)
        return validate_data(self, X, dtype=np.float32, reset=False)

    def _check_sample_weight_and_groups(
        self,
        X: NDArray[np.float32],
        sample_weight: ArrayLike | None,
        groups: ArrayLike | None,
    ) -> tuple[NDArray[np.float32], NDArray[Any] | None]:
        weights = _check_sample_weight(
            sample_weight, X, dtype=np.float32, ensure_non_negative=True
        )
        if groups is None:
            return weights, None
        if np.ndim(groups) != 1:
            raise ValueError(
                f"{type(self).__name__}.fit: groups must be 1-D, got shape "
                f"{np.shape(groups)}."
            )
        group_array = check_groups(groups, f"{type(self).__name__}.fit")
        check_consistent_length(X, group_array)
        return weights, group_array


# net_params keys that a flat parameter controls: the parameter to set instead.
_FLAT_EQUIVALENTS = {
    "lr": "lr",
    "optimizer__lr": "lr",
    "optimizer": "optimizer",
    "optimizer__weight_decay": "weight_decay",
    "max_epochs": "max_epochs",
    "batch_size": "batch_size",
    "iterator_train__batch_size": "batch_size",
    "train_split": "early_stopping and validation_fraction",
    "callbacks": "callbacks",
    "callbacks__early_stopping__monitor": "early_stopping",
    "callbacks__early_stopping__patience": "n_iter_no_change",
    "callbacks__early_stopping__threshold": "tol",
    "device": "device",
    "verbose": "verbose",
}

# skorch parameters that carry skdl's own wiring (the fast batch path, the
# weighted loss, label encoding); net_params cannot replace them.
_WIRING = frozenset(
    {
        "module",
        "criterion",
        "criterion__reduction",
        "classes",
        "dataset",
        "iterator_train",
        "iterator_train__shuffle",
        "iterator_valid",
        "predict_nonlinearity",
    }
)


def _softmax(logits: torch.Tensor) -> torch.Tensor:
    return torch.softmax(logits, dim=1)


def _log_softmax(logits: torch.Tensor) -> torch.Tensor:
    return torch.log_softmax(logits, dim=1)


def _check_net_params(
    caller: str, net_params: dict[str, Any], skdl_params: dict[str, Any]
) -> None:
    """Refuse ``net_params`` keys that would silently override skdl's settings.

    A key that a flat parameter controls names that parameter; a key of skdl's
    wiring (the module, its arguments, the loss, the batch iterators, label
    encoding) or any other key skdl sets is refused. skorch keys that skdl does
    not set (``iterator_valid__batch_size``, ``optimizer__betas``,
    ``callbacks__<name>``) pass.
    """
    for key in net_params:
        if key in _FLAT_EQUIVALENTS:
            raise ValueError(
                f"{caller}: net_params key {key!r} would override the flat "
                f"parameter {_FLAT_EQUIVALENTS[key]!r}; set "
                f"{_FLAT_EQUIVALENTS[key]} on the estimator instead."
            )
        if key in _WIRING or key.startswith("module__") or key in skdl_params:
            raise ValueError(
                f"{caller}: net_params key {key!r} would replace skdl's own "
                "wiring of the skorch net, which skdl sets from the estimator's "
                "parameters (architecture parameters, module_params, "
                "class_weight, ...); net_params is for skorch settings skdl "
                "does not set, such as 'iterator_valid__batch_size'."
            )


if TYPE_CHECKING:
    # The task mixins are only ever combined with BaseNetEstimator; tell mypy.
    _MixinBase = BaseNetEstimator
else:
    _MixinBase = object


class _NetClassifierMixin(_MixinBase):
    """``fit``/``predict``/``predict_proba`` of skdl's deep classifiers."""

    _net_class: type = SkdlNeuralNetClassifier
    _criterion: type[torch.nn.Module] = torch.nn.CrossEntropyLoss
    class_weight: Any
    batch_sampling: str

    # The parameters are declared on each classifier; constraints shared here.
    _class_weight_constraint: list[Any] = [StrOptions({"balanced"}), dict, None]
    _batch_sampling_constraint: list[Any] = [StrOptions({"shuffle", "balanced"})]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        groups: ArrayLike | None = None,
    ) -> Any:
        """Train the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data: lists, float32/float64 arrays, memory maps or pandas
            DataFrames (whose column names are kept in ``feature_names_in_``).
            Sparse input is not supported.
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
            Class labels of any type (ints, bools, strings, ...), or a 0/1
            multilabel indicator matrix for several binary tasks per sample
            (multi-task output, trained with a binary cross-entropy per task).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative per-sample weights of the loss. None means equal weights.
            Multiplied by the weights from ``class_weight``.
        groups : array-like of shape (n_samples,), default=None
            Group labels (patients, batches, chromosomes, ...). With
            ``early_stopping=True``, no group is split between the training and
            validation parts. Requested by default under metadata routing.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X_valid, y_valid = self._validate_fit_data(
            X, y, multi_output=True, y_numeric=False
        )
        if y_valid.ndim == 2 and y_valid.shape[1] == 1:
            y_valid = column_or_1d(y_valid, warn=True)
        weights, group_array = self._check_sample_weight_and_groups(
            X_valid, sample_weight, groups
        )
        self._check_class_weight()
        if self.class_weight is not None and y_valid.ndim == 1:
            weights = weights * compute_sample_weight(
                self.class_weight, y_valid
            ).astype(np.float32)
            if not weights.any():
                raise ValueError(
                    f"{type(self).__name__}: class_weight {self.class_weight!r} "
                    "(times sample_weight) gives every sample zero weight; "
                    "nothing would be learned."
                )
        if y_valid.ndim == 2:
            if self.batch_sampling == "balanced":
                raise ValueError(
                    f"{type(self).__name__}: batch_sampling='balanced' needs one "
                    "label per sample; y is a multilabel matrix. Use class_weight "
                    "to weight rare labels instead."
                )
            self._fit_multilabel(X_valid, y_valid, weights, group_array)
            return self
        check_classification_targets(y_valid)
        classes, y_encoded = np.unique(y_valid, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in y; "
                f"got 1 class only: {classes[0]!r}."
            )
        self.classes_ = classes
        self._multilabel_dtype: np.dtype[Any] | None = None
        self._fit_net(
            X_valid,
            y_encoded.astype(np.int64),
            n_outputs=len(classes),
            sample_weight=weights,
            groups=group_array,
            stratify=True,
            net_kwargs={
                "classes": list(range(len(classes))),
                **(
                    {"iterator_train": BalancedBatchIterator}
                    if self.batch_sampling == "balanced"
                    else {}
                ),
            },
        )
        return self

    def _fit_multilabel(
        self,
        X: NDArray[np.float32],
        y: NDArray[Any],
        weights: NDArray[np.float32],
        groups: NDArray[Any] | None,
    ) -> None:
        """Several binary labels per sample: one sigmoid output per task."""
        if type_of_target(y) != "multilabel-indicator":
            raise ValueError(
                f"{type(self).__name__}: a 2-D y must be a multilabel indicator "
                "matrix (one 0/1 column per task, as for chromatin profiles); got "
                f"a target of type {type_of_target(y)!r}."
            )
        self.classes_ = np.arange(y.shape[1])
        self._multilabel_dtype = y.dtype
        self._fit_net(
            X,
            y.astype(np.float32),
            n_outputs=y.shape[1],
            sample_weight=weights,
            groups=groups,
            stratify=True,
            # No skorch output non-linearity: ``predict`` returns the logits.
            net_kwargs={
                "criterion": torch.nn.BCEWithLogitsLoss,
                **self._task_class_weights(y),
                "predict_nonlinearity": None,
            },
            net_class=SkdlNeuralNetMultilabel,
        )

    def _check_class_weight(self) -> None:
        """Refuse class weights that are not finite and non-negative, or all 0.

        Weighted like ``sample_weight``: a negative or infinite weight trains a
        NaN model, and NaN or all-zero weights would be silently dropped.
        """
        if not isinstance(self.class_weight, dict):
            return
        values = np.asarray(list(self.class_weight.values()), dtype=np.float64)
        if not np.isfinite(values).all() or (values < 0).any() or not values.any():
            raise ValueError(
                f"{type(self).__name__}: class_weight values must be finite, "
                "non-negative and not all zero, as sample weights are; got "
                f"{self.class_weight!r}."
            )

    def _task_class_weights(self, y: NDArray[Any]) -> dict[str, torch.Tensor]:
        """``class_weight`` of a multilabel ``y``, per task, as BCE arguments.

        Each task's loss weights its negatives by ``w0`` and its positives by
        ``w1``: ``weight=w0`` and ``pos_weight=w1 / w0`` of
        :class:`torch.nn.BCEWithLogitsLoss`. ``"balanced"`` uses
        ``n / (2 * count)`` per task, as scikit-learn does for one binary
        target; a task without positives (or negatives) keeps weight 1.
        """
        if self.class_weight is None:
            return {}
        n = len(y)
        positives = y.sum(axis=0).astype(np.float64)
        negatives = n - positives
        if isinstance(self.class_weight, str):  # "balanced"
            present = (positives > 0) & (negatives > 0)
            w1 = np.where(present, n / (2 * np.maximum(positives, 1)), 1.0)
            w0 = np.where(present, n / (2 * np.maximum(negatives, 1)), 1.0)
        else:
            unknown = set(self.class_weight) - {0, 1}
            if unknown:
                raise ValueError(
                    f"{type(self).__name__}: with a multilabel y, class_weight "
                    "keys are the indicator values 0 and 1 (applied to every "
                    f"task); got {sorted(unknown, key=repr)!r}."
                )
            w0 = np.full(y.shape[1], float(self.class_weight.get(0, 1.0)))
            w1 = np.full(y.shape[1], float(self.class_weight.get(1, 1.0)))
        return {
            "criterion__weight": torch.tensor(w0, dtype=torch.float32),
            "criterion__pos_weight": torch.tensor(w1 / w0, dtype=torch.float32),
        }

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities (softmax of the network's outputs).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``. For a
            multilabel ``y`` (several tasks), the probability of the positive
            label of each task (a sigmoid per task), as scikit-learn's MLP.
        """
        X_valid = self._predict_data(X)
        multilabel = self._multilabel_dtype is not None
        proba = self._forward(X_valid, torch.sigmoid if multilabel else _softmax)
        return proba.numpy().astype(np.float64)

    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Log of the class probabilities, computed stably from the logits.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class, in the order of ``classes_`` (of
            each task's positive label for a multilabel ``y``).
        """
        X_valid = self._predict_data(X)
        multilabel = self._multilabel_dtype is not None
        log_proba = self._forward(
            X_valid, torch.nn.functional.logsigmoid if multilabel else _log_softmax
        )
        return log_proba.numpy().astype(np.float64)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Most probable class for each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_tasks)
            Predicted labels, of the same type as the labels given to ``fit``
            (a 0/1 matrix for a multilabel ``y``).
        """
        logits = self._forward(self._predict_data(X))
        if self._multilabel_dtype is not None:
            return (logits > 0).numpy().astype(self._multilabel_dtype)
        return self.classes_[logits.argmax(dim=1).numpy()]


class _NetRegressorMixin(_MixinBase):
    """``fit``/``predict`` of skdl's deep regressors (1-D or 2-D targets)."""

    _net_class: type = SkdlNeuralNetRegressor
    _criterion: type[torch.nn.Module] = torch.nn.MSELoss

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        groups: ArrayLike | None = None,
    ) -> Any:
        """Train the network on a squared-error loss.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data: lists, float32/float64 arrays, memory maps or pandas
            DataFrames (whose column names are kept in ``feature_names_in_``).
            Sparse input is not supported.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Numeric targets. Predictions have the same number of dimensions.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative per-sample weights of the loss. None means equal weights.
        groups : array-like of shape (n_samples,), default=None
            Group labels. With ``early_stopping=True``, no group is split between
            the training and validation parts. Requested by default under
            metadata routing.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X_valid, y_valid = self._validate_fit_data(
            X, y, multi_output=True, y_numeric=True
        )
        weights, group_array = self._check_sample_weight_and_groups(
            X_valid, sample_weight, groups
        )
        targets = np.asarray(y_valid, dtype=np.float32)
        self._y_ndim = targets.ndim
        y2d = targets.reshape(len(targets), -1)
        self.n_outputs_ = y2d.shape[1]
        self._fit_net(
            X_valid,
            y2d,
            n_outputs=self.n_outputs_,
            sample_weight=weights,
            groups=group_array,
            stratify=False,
        )
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predicted targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions, 1-D when ``y`` was 1-D in ``fit``.
        """
        out = self._forward(self._predict_data(X)).numpy()
        out = out.astype(np.float64)
        return out.ravel() if self._y_ndim == 1 else out


def _accepted_kwargs(module: type, names: tuple[str, ...]) -> set[str]:
    """Which of ``names`` the module's constructor accepts."""
    try:
        parameters = inspect.signature(module).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins without signature
        return set()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return set(names)
    return {name for name in names if name in parameters}
