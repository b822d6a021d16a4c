"""Convolutional-network estimators for sequences (1-D) and images (2-D)."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
import torch
from sklearn.base import ClassifierMixin, RegressorMixin

from skdl.neural_net._base import (
    BaseNetEstimator,
    _NetClassifierMixin,
    _NetRegressorMixin,
)
from skdl.neural_net._mlp import _MLP_CONSTRAINTS, _hidden_sizes
from skdl.neural_net._shaped import (
    FITTED_ATTRIBUTES_DOC,
    INPUT_SHAPE_DOC,
    REVERSE_COMPLEMENT_DOC,
    _ShapedInputMixin,
)
from skdl.nn import ConvNet
from skdl.nn._cnn import GLOBAL_POOLS
from skdl.utils._docstring import Substitution, shared_docstrings
from skdl.utils._sklearn import Interval, StrOptions

_CONV_CONSTRAINTS: dict[str, list[Any]] = {
    **_MLP_CONSTRAINTS,
    **_ShapedInputMixin._shape_constraints,
    "filters": ["array-like", Interval(Integral, 1, None, closed="left")],
    "kernel_size": ["array-like", Interval(Integral, 1, None, closed="left")],
    "pool_size": [Interval(Integral, 1, None, closed="left")],
    "global_pool": [StrOptions(set(GLOBAL_POOLS))],
}

_ARCHITECTURE_DOC = """filters : int or array-like of int, default=(32, 32)
        Number of filters of each convolution block; its length is the number
        of blocks.

    kernel_size : int or array-like of int, default=7
        Kernel size of every block, or one per block (square in 2-D). For DNA,
        a kernel a little longer than the motif you expect is a good start.

    pool_size : int, default=2
        Max-pooling window after each block (skipped once the maps are shorter
        than the window); ``1`` disables pooling.

    global_pool : {"max", "avg", "flatten"}, default="max"
        How the last feature maps become one vector: ``"max"`` or ``"avg"``
        over positions (a motif counts wherever it is), or ``"flatten"``,
        which keeps positions (for effects that depend on where a motif is).

    hidden_layer_sizes : array-like of int, default=()
        Hidden layers of the dense head after pooling; empty gives a linear
        head.

    activation : {"relu", "tanh", "logistic", "identity", "gelu"}, default="relu"
        Non-linearity of the conv blocks and the head.

    dropout : float, default=0.0
        Dropout probability after each block and hidden layer, in ``[0, 1)``.

    batch_norm : bool, default=False
        Batch normalisation after each convolution and hidden layer.

    {input_shape}

    {reverse_complement}"""


def _ints(value: Any, caller: str, name: str) -> int | tuple[int, ...]:
    if isinstance(value, Integral):
        return int(value)
    return _hidden_sizes(value, f"{caller} ({name})")


class _ConvSpecMixin(_ShapedInputMixin):
    """Builds :class:`skdl.nn.ConvNet` from the flat hyperparameters."""

    filters: Any
    kernel_size: Any
    pool_size: int
    global_pool: str
    hidden_layer_sizes: Any
    activation: str
    dropout: float
    batch_norm: bool

    def _check_shape(self, shape: tuple[int, ...]) -> None:
        if len(shape) not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} needs samples of shape (channels, length) "
                f"or (channels, height, width); got {shape}. Pass 3-D or 4-D X, "
                "or 2-D X with input_shape."
            )

    def _module_spec(
        self, input_shape: tuple[int, ...], n_outputs: int
    ) -> tuple[type[torch.nn.Module], dict[str, Any]]:
        name = type(self).__name__
        filters = _ints(self.filters, name, "filters")
        params = {
            "input_shape": input_shape,
            "n_outputs": n_outputs,
            "filters": (filters,) if isinstance(filters, int) else filters,
            "kernel_size": _ints(self.kernel_size, name, "kernel_size"),
            "pool_size": self.pool_size,
            "global_pool": self.global_pool,
            "hidden_layer_sizes": ()
            if np.size(self.hidden_layer_sizes) == 0
            else _hidden_sizes(self.hidden_layer_sizes, name),
            "activation": self.activation,
            "dropout": self.dropout,
            "batch_norm": self.batch_norm,
        }
        return self._wrap_strands(ConvNet, params)


@Substitution(
    architecture=_ARCHITECTURE_DOC,
    input_shape=INPUT_SHAPE_DOC,
    reverse_complement=REVERSE_COMPLEMENT_DOC,
    fitted_attributes=FITTED_ATTRIBUTES_DOC,
)
@shared_docstrings
class ConvNetClassifier(
    _ConvSpecMixin, _NetClassifierMixin, ClassifierMixin, BaseNetEstimator
):
    """Convolutional-network classifier for sequences and images.

    A 1-D CNN on ``(n_samples, channels, length)`` input (one-hot DNA, RNA or
    protein from :class:`~skdl.preprocessing.SequenceOneHotEncoder`) or a 2-D
    CNN on ``(n_samples, channels, height, width)`` images, with the flat
    hyperparameters and every guarantee of :class:`MLPNetClassifier`: label
    encoding, sample and class weights, group-aware early stopping, multi-task
    output (a 0/1 matrix ``y``), determinism and fast tensor batches.

    Parameters
    ----------
    {architecture}

    {training_params}

    {class_balance}

    {device}

    {random_state}

    {verbose_callbacks}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels seen in ``fit`` (task indices for multi-task ``y``).
    input_shape_ : tuple of int
        Shape of one sample, ``(channels, length)`` or ``(channels, height,
        width)``.
    net_ : skorch.NeuralNet
        The trained skorch net.
    {fitted_attributes}

    See Also
    --------
    ConvNetRegressor : The regressor with the same hyperparameters.
    TransformerNetClassifier : A transformer encoder for sequences.
    skdl.preprocessing.SequenceOneHotEncoder : Turns sequences into input.

    Notes
    -----
    Determinism: the same integer ``random_state``, the same device and the
    same library versions give bitwise-identical predictions.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdl.datasets import simulate_motif_sequences
    >>> from skdl.neural_net import ConvNetClassifier
    >>> from skdl.preprocessing import SequenceOneHotEncoder
    >>> data = simulate_motif_sequences(
    ...     n_samples=600, length=60, prevalence=0.3, random_state=0
    ... )
    >>> clf = make_pipeline(
    ...     SequenceOneHotEncoder(),
    ...     ConvNetClassifier(filters=(16,), kernel_size=15, max_epochs=30, lr=1e-2,
    ...                       reverse_complement="both", random_state=0),
    ... ).fit(data.sequences[:400], data.target[:400])
    >>> clf.predict_proba(data.sequences[400:]).shape
    (200, 2)
    >>> bool(clf.score(data.sequences[400:], data.target[400:]) > 0.8)
    True
    """

    _parameter_constraints: dict[str, list[Any]] = {
        **BaseNetEstimator._parameter_constraints,
        **_CONV_CONSTRAINTS,
        "class_weight": _NetClassifierMixin._class_weight_constraint,
        "batch_sampling": _NetClassifierMixin._batch_sampling_constraint,
    }

    def __init__(
        self,
        filters: Any = (32, 32),
        *,
        kernel_size: Any = 7,
        pool_size: int = 2,
        global_pool: str = "max",
        hidden_layer_sizes: Any = (),
        activation: str = "relu",
        dropout: float = 0.0,
        batch_norm: bool = False,
        input_shape: Any = None,
        reverse_complement: str | None = None,
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
        self.filters = filters
        self.kernel_size = kernel_size
        self.pool_size = pool_size
        self.global_pool = global_pool
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.input_shape = input_shape
        self.reverse_complement = reverse_complement
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


@Substitution(
    architecture=_ARCHITECTURE_DOC,
    input_shape=INPUT_SHAPE_DOC,
    reverse_complement=REVERSE_COMPLEMENT_DOC,
    fitted_attributes=FITTED_ATTRIBUTES_DOC,
)
@shared_docstrings
class ConvNetRegressor(
    _ConvSpecMixin, _NetRegressorMixin, RegressorMixin, BaseNetEstimator
):
    """Convolutional-network regressor for sequences and images.

    The regression counterpart of :class:`ConvNetClassifier` (for example
    binding strength or expression from sequence), on a squared-error loss
    weighted by ``sample_weight``, with 1-D or 2-D targets.

    Parameters
    ----------
    {architecture}

    {training_params}

    {device}

    {random_state}

    {verbose_callbacks}

    Attributes
    ----------
    n_outputs_ : int
        Number of targets.
    input_shape_ : tuple of int
        Shape of one sample.
    net_ : skorch.NeuralNetRegressor
        The trained skorch net.
    {fitted_attributes}

    See Also
    --------
    ConvNetClassifier : The classifier with the same hyperparameters.
    TransformerNetRegressor : A transformer encoder for sequences.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.neural_net import ConvNetRegressor
    >>> rng = np.random.RandomState(0)
    >>> images = rng.rand(200, 1, 8, 8).astype("float32")
    >>> brightness = images.mean(axis=(1, 2, 3))
    >>> reg = ConvNetRegressor(filters=(8,), kernel_size=3, global_pool="avg",
    ...                        max_epochs=50, lr=1e-2, random_state=0)
    >>> reg.fit(images, (brightness - brightness.mean()) / brightness.std())
    ConvNetRegressor(...)
    >>> reg.input_shape_
    (1, 8, 8)
    >>> reg.predict(images[:3]).shape
    (3,)
    """

    _parameter_constraints: dict[str, list[Any]] = {
        **BaseNetEstimator._parameter_constraints,
        **_CONV_CONSTRAINTS,
    }

    def __init__(
        self,
        filters: Any = (32, 32),
        *,
        kernel_size: Any = 7,
        pool_size: int = 2,
        global_pool: str = "max",
        hidden_layer_sizes: Any = (),
        activation: str = "relu",
        dropout: float = 0.0,
        batch_norm: bool = False,
        input_shape: Any = None,
        reverse_complement: str | None = None,
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
        self.filters = filters
        self.kernel_size = kernel_size
        self.pool_size = pool_size
        self.global_pool = global_pool
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.input_shape = input_shape
        self.reverse_complement = reverse_complement
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
