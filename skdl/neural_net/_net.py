"""Estimators around a user's own ``torch.nn.Module``."""

from __future__ import annotations

from typing import Any

import torch
from sklearn.base import ClassifierMixin, RegressorMixin

from skdl.neural_net._base import (
    BaseNetEstimator,
    _accepted_kwargs,
    _NetClassifierMixin,
    _NetRegressorMixin,
)
from skdl.utils._docstring import Substitution, shared_docstrings

_SIZE_NAMES = ("n_features_in", "n_outputs")

_MODULE_DOC = """module : subclass of torch.nn.Module
        The network class (not an instance); skdl instantiates it inside ``fit``
        so that weight initialisation follows ``random_state``. Its ``forward``
        takes a float32 batch of shape ``(batch, n_features)`` and returns
        ``(batch, n_outputs)`` raw scores (logits for a classifier). If its
        constructor accepts ``n_features_in`` and/or ``n_outputs``, skdl passes
        the sizes derived from the data (unless ``module_params`` sets them).

    module_params : dict, default=None
        Keyword arguments for the module's constructor."""


class _UserModuleSpecMixin:
    module: Any
    module_params: dict[str, Any] | None

    def _module_spec(
        self, input_shape: tuple[int, ...], n_outputs: int
    ) -> tuple[type[torch.nn.Module], dict[str, Any]]:
        (n_features_in,) = input_shape
        name = type(self).__name__
        if not (
            isinstance(self.module, type) and issubclass(self.module, torch.nn.Module)
        ):
            raise TypeError(
                f"{name}: module must be a torch.nn.Module subclass (the class, "
                f"not an instance), got {self.module!r}."
            )
        sizes = {"n_features_in": n_features_in, "n_outputs": n_outputs}
        params = {key: sizes[key] for key in _accepted_kwargs(self.module, _SIZE_NAMES)}
        params.update(self.module_params or {})
        return self.module, params


_NET_CONSTRAINTS: dict[str, list[Any]] = {
    "module": [type],
    "module_params": [dict, None],
}


@Substitution(module=_MODULE_DOC)
@shared_docstrings
class NetClassifier(
    _UserModuleSpecMixin, _NetClassifierMixin, ClassifierMixin, BaseNetEstimator
):
    """Classifier around your own ``torch.nn.Module``, a full scikit-learn citizen.

    Everything :class:`MLPNetClassifier` guarantees (label encoding, sample and
    class weights, group-aware early stopping, determinism, fast batches) for
    any architecture whose ``forward`` maps a 2-D float batch to logits.

    Parameters
    ----------
    {module}

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
        The trained skorch net; ``net_.module_`` is your module.
    history_ : skorch.History
        Per-epoch training record.
    n_iter_ : int
        Number of epochs run.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    MLPNetClassifier : The same with a ready-made MLP and flat hyperparameters.
    NetRegressor : The regressor counterpart.

    Notes
    -----
    Determinism: the same integer ``random_state``, the same device and the same
    library versions give bitwise-identical predictions, provided the module
    draws its randomness from torch's global generator (as ``torch.nn`` layers
    do).

    Examples
    --------
    >>> import numpy as np
    >>> from torch import nn
    >>> from skdl.neural_net import NetClassifier
    >>> class Linear(nn.Module):
    ...     def __init__(self, n_features_in, n_outputs, width=8):
    ...         super().__init__()
    ...         self.net = nn.Sequential(nn.Linear(n_features_in, width), nn.ReLU(),
    ...                                  nn.Linear(width, n_outputs))
    ...     def forward(self, X):
    ...         return self.net(X)
    >>> X = np.random.RandomState(0).randn(60, 4)
    >>> y = np.where(X[:, 0] > 0, "up", "down")
    >>> clf = NetClassifier(Linear, module_params={"width": 16}, max_epochs=3,
    ...                     random_state=0).fit(X, y)
    >>> clf.classes_
    array(['down', 'up'], dtype='<U4')
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _required_parameters = ["module"]
    _parameter_constraints: dict[str, list[Any]] = {
        **BaseNetEstimator._parameter_constraints,
        **_NET_CONSTRAINTS,
        "class_weight": _NetClassifierMixin._class_weight_constraint,
        "batch_sampling": _NetClassifierMixin._batch_sampling_constraint,
    }

    def __init__(
        self,
        module: type[torch.nn.Module],
        *,
        module_params: dict[str, Any] | None = None,
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
        self.module = module
        self.module_params = module_params
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


@Substitution(module=_MODULE_DOC)
@shared_docstrings
class NetRegressor(
    _UserModuleSpecMixin, _NetRegressorMixin, RegressorMixin, BaseNetEstimator
):
    """Regressor around your own ``torch.nn.Module``, a full scikit-learn citizen.

    Everything :class:`MLPNetRegressor` guarantees for any architecture whose
    ``forward`` maps a 2-D float batch to ``(batch, n_outputs)`` predictions.

    Parameters
    ----------
    {module}

    {training_params}

    {device}

    {random_state}

    {verbose_callbacks}

    Attributes
    ----------
    n_outputs_ : int
        Number of targets.
    net_ : skorch.NeuralNetRegressor
        The trained skorch net; ``net_.module_`` is your module.
    history_ : skorch.History
        Per-epoch training record.
    n_iter_ : int
        Number of epochs run.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    MLPNetRegressor : The same with a ready-made MLP and flat hyperparameters.
    NetClassifier : The classifier counterpart.

    Notes
    -----
    Determinism: as for :class:`NetClassifier`.

    Examples
    --------
    >>> import numpy as np
    >>> from torch import nn
    >>> from skdl.neural_net import NetRegressor
    >>> class Affine(nn.Module):
    ...     def __init__(self, n_features_in, n_outputs):
    ...         super().__init__()
    ...         self.linear = nn.Linear(n_features_in, n_outputs)
    ...     def forward(self, X):
    ...         return self.linear(X)
    >>> X = np.random.RandomState(0).randn(100, 3)
    >>> Y = np.c_[X @ [1.0, 2.0, 0.0], X[:, 2]]
    >>> reg = NetRegressor(Affine, lr=0.05, max_epochs=50, random_state=0).fit(X, Y)
    >>> reg.predict(X[:4]).shape
    (4, 2)
    >>> bool(reg.score(X, Y) > 0.9)
    True
    """

    _required_parameters = ["module"]
    _parameter_constraints: dict[str, list[Any]] = {
        **BaseNetEstimator._parameter_constraints,
        **_NET_CONSTRAINTS,
    }

    def __init__(
        self,
        module: type[torch.nn.Module],
        *,
        module_params: dict[str, Any] | None = None,
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
        self.module = module
        self.module_params = module_params
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
