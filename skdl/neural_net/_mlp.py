"""Multilayer-perceptron estimators with scikit-learn's flat hyperparameters."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
import torch
from sklearn.base import ClassifierMixin, RegressorMixin

from skdl.neural_net._base import (
    BaseNetEstimator,
    _NetClassifierMixin,
    _NetRegressorMixin,
)
from skdl.nn import MLP
from skdl.nn._mlp import ACTIVATIONS
from skdl.utils._docstring import shared_docstrings
from skdl.utils._sklearn import Interval, StrOptions

_MLP_CONSTRAINTS: dict[str, list[Any]] = {
    "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
    "activation": [StrOptions(set(ACTIVATIONS))],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "batch_norm": ["boolean"],
}


def _hidden_sizes(sizes: int | Sequence[int], caller: str) -> tuple[int, ...]:
    values = np.atleast_1d(np.asarray(sizes))
    if values.ndim != 1 or not np.issubdtype(values.dtype, np.integer):
        raise ValueError(
            f"{caller}: hidden_layer_sizes must be an int or a sequence of ints, "
            f"got {sizes!r}."
        )
    if np.any(values < 1):
        raise ValueError(
            f"{caller}: hidden_layer_sizes must be positive, got {sizes!r}."
        )
    return tuple(int(v) for v in values)


class _MLPSpecMixin:
    """Builds :class:`skdl.nn.MLP` from the flat hyperparameters."""

    hidden_layer_sizes: Any
    activation: str
    dropout: float
    batch_norm: bool

    def _module_spec(
        self, input_shape: tuple[int, ...], n_outputs: int
    ) -> tuple[type[torch.nn.Module], dict[str, Any]]:
        (n_features_in,) = input_shape
        return MLP, {
            "n_features_in": n_features_in,
            "n_outputs": n_outputs,
            "hidden_layer_sizes": _hidden_sizes(
                self.hidden_layer_sizes, type(self).__name__
            ),
            "activation": self.activation,
            "dropout": self.dropout,
            "batch_norm": self.batch_norm,
        }


@shared_docstrings
class MLPNetClassifier(
    _MLPSpecMixin, _NetClassifierMixin, ClassifierMixin, BaseNetEstimator
):
    """Multilayer-perceptron classifier trained with PyTorch (via skorch).

    A drop-in for :class:`sklearn.neural_network.MLPClassifier` with the same
    flat hyperparameters, so one ``GridSearchCV`` tunes it exactly like a
    classical model. It trains on mini-batches sliced from tensors, weights the
    loss by ``sample_weight`` and ``class_weight``, can stop early on a
    validation part that respects ``groups``, and is reproducible from
    ``random_state``.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int, default=(100,)
        Width of each hidden layer.

    activation : {"relu", "tanh", "logistic", "identity", "gelu"}, default="relu"
        Non-linearity after each hidden layer.

    dropout : float, default=0.0
        Dropout probability after each hidden layer, in ``[0, 1)``.

    batch_norm : bool, default=False
        Batch normalisation before each hidden activation.

    {training_params}

    {class_balance}

    {device}

    {random_state}

    {verbose_callbacks}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels seen in ``fit``.
    net_ : skorch.NeuralNetClassifier
        The trained skorch net (labels encoded as ``0 .. n_classes - 1``).
    history_ : skorch.History
        Per-epoch record: ``train_loss``, ``valid_loss``, ``valid_score``
        (accuracy), ``dur``.
    n_iter_ : int
        Number of epochs run.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    MLPNetRegressor : The regressor with the same hyperparameters.
    NetClassifier : The same estimator around your own ``torch.nn.Module``.
    sklearn.neural_network.MLPClassifier : scikit-learn's CPU-only MLP.

    Notes
    -----
    Determinism: the same integer ``random_state``, the same device and the same
    library versions give bitwise-identical predictions. On CUDA, ``fit`` and
    ``predict`` switch on deterministic kernels (and restore the previous global
    settings afterwards); a few torch operations have no deterministic CUDA
    kernel and then raise an error instead of silently varying. Results on CPU
    and GPU are not identical to each other.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdl.neural_net import MLPNetClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> clf = make_pipeline(
    ...     StandardScaler(),
    ...     MLPNetClassifier(hidden_layer_sizes=(32,), max_epochs=20, random_state=0),
    ... ).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> bool(clf.score(X, y) > 0.9)
    True
    """

    _parameter_constraints: dict[str, list[Any]] = {
        **BaseNetEstimator._parameter_constraints,
        **_MLP_CONSTRAINTS,
        "class_weight": _NetClassifierMixin._class_weight_constraint,
        "batch_sampling": _NetClassifierMixin._batch_sampling_constraint,
    }

    def __init__(
        self,
        hidden_layer_sizes: Any = (100,),
        *,
        activation: str = "relu",
        dropout: float = 0.0,
        batch_norm: bool = False,
        lr: float = 1e-3,
        optimizer: Any = "adam",
        weight_decay: float = 0.0,
        batch_size: int | str = "auto",
        max_epochs: int = 200,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        tol: float = 1e-4,
        class_weight: dict[Any, float] | str | None = None,
        batch_sampling: str = "shuffle",
        device: str = "cpu",
        random_state: Any = None,
        verbose: int = 0,
        callbacks: list[Any] | None = None,
        net_params: dict[str, Any] | None = None,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.class_weight = class_weight
        self.batch_sampling = batch_sampling
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.net_params = net_params


@shared_docstrings
class MLPNetRegressor(
    _MLPSpecMixin, _NetRegressorMixin, RegressorMixin, BaseNetEstimator
):
    """Multilayer-perceptron regressor trained with PyTorch (via skorch).

    A drop-in for :class:`sklearn.neural_network.MLPRegressor` with the same
    flat hyperparameters. It fits 1-D or 2-D (multi-output) targets on a
    squared-error loss weighted by ``sample_weight``. Scale the targets (for
    example with :class:`~sklearn.compose.TransformedTargetRegressor`) when
    they are far from unit scale.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int, default=(100,)
        Width of each hidden layer.

    activation : {"relu", "tanh", "logistic", "identity", "gelu"}, default="relu"
        Non-linearity after each hidden layer.

    dropout : float, default=0.0
        Dropout probability after each hidden layer, in ``[0, 1)``.

    batch_norm : bool, default=False
        Batch normalisation before each hidden activation.

    {training_params}

    {device}

    {random_state}

    {verbose_callbacks}

    Attributes
    ----------
    n_outputs_ : int
        Number of targets.
    net_ : skorch.NeuralNetRegressor
        The trained skorch net.
    history_ : skorch.History
        Per-epoch record: ``train_loss``, ``valid_loss``, ``valid_score`` (R^2),
        ``dur``.
    n_iter_ : int
        Number of epochs run.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    MLPNetClassifier : The classifier with the same hyperparameters.
    NetRegressor : The same estimator around your own ``torch.nn.Module``.

    Notes
    -----
    Determinism: the same integer ``random_state``, the same device and the same
    library versions give bitwise-identical predictions. On CUDA, deterministic
    kernels are switched on during ``fit`` and ``predict``; CPU and GPU results
    differ from each other.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.preprocessing import scale
    >>> from skdl.neural_net import MLPNetRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> reg = MLPNetRegressor(max_epochs=20, random_state=0).fit(scale(X), scale(y))
    >>> reg.predict(scale(X)[:3]).shape
    (3,)
    >>> bool(reg.score(scale(X), scale(y)) > 0.4)
    True
    """

    _parameter_constraints: dict[str, list[Any]] = {
        **BaseNetEstimator._parameter_constraints,
        **_MLP_CONSTRAINTS,
    }

    def __init__(
        self,
        hidden_layer_sizes: Any = (100,),
        *,
        activation: str = "relu",
        dropout: float = 0.0,
        batch_norm: bool = False,
        lr: float = 1e-3,
        optimizer: Any = "adam",
        weight_decay: float = 0.0,
        batch_size: int | str = "auto",
        max_epochs: int = 200,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        tol: float = 1e-4,
        device: str = "cpu",
        random_state: Any = None,
        verbose: int = 0,
        callbacks: list[Any] | None = None,
        net_params: dict[str, Any] | None = None,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.net_params = net_params
