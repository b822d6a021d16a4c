"""Transformer-encoder estimators for sequences (tokens or one-hot channels)."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray
from sklearn.base import ClassifierMixin, RegressorMixin

from skdl.neural_net._base import (
    BaseNetEstimator,
    _NetClassifierMixin,
    _NetRegressorMixin,
)
from skdl.neural_net._shaped import (
    FITTED_ATTRIBUTES_DOC,
    INPUT_SHAPE_DOC,
    REVERSE_COMPLEMENT_DOC,
    _ShapedInputMixin,
)
from skdl.nn import TransformerEncoderNet
from skdl.nn._transformer import POOLINGS
from skdl.utils._docstring import Substitution, shared_docstrings
from skdl.utils._sklearn import Interval, StrOptions

_TRANSFORMER_CONSTRAINTS: dict[str, list[Any]] = {
    **_ShapedInputMixin._shape_constraints,
    "d_model": [Interval(Integral, 1, None, closed="left")],
    "n_heads": [Interval(Integral, 1, None, closed="left")],
    "n_layers": [Interval(Integral, 1, None, closed="left")],
    "dim_feedforward": [Interval(Integral, 1, None, closed="left")],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "pooling": [StrOptions(set(POOLINGS))],
    "vocab_size": [Interval(Integral, 2, None, closed="left"), None],
    "mask_padding": ["boolean"],
}

_ARCHITECTURE_DOC = """d_model : int, default=64
        Embedding size; must be divisible by ``n_heads``.

    n_heads : int, default=4
        Attention heads per layer.

    n_layers : int, default=2
        Number of encoder layers.

    dim_feedforward : int, default=128
        Width of each layer's feed-forward block.

    dropout : float, default=0.1
        Dropout in attention, feed-forward blocks and after the embedding.

    pooling : {"mean", "cls"}, default="mean"
        Mean over non-padding positions, or a learned CLS token.

    vocab_size : int or None, default=None
        None: ``X`` holds channels, ``(n_samples, channels, length)`` (for
        example one-hot DNA) or 2-D rows (one channel, or reshaped by
        ``input_shape``). An int: ``X`` holds integer tokens in
        ``[0, vocab_size)``, shape ``(n_samples, length)``, with ``0`` as
        padding, as :class:`~skdl.preprocessing.KmerTokenizer` produces (its
        ``vocab_size`` is the value to pass here).

    mask_padding : bool, default=True
        Mask padding out of attention and pooling: token ``0``, or a position
        whose channels are all exactly zero (the padding of
        :class:`~skdl.preprocessing.SequenceOneHotEncoder`). Turn off for dense
        channel data in which an all-zero position is real.

    {input_shape}

    {reverse_complement}"""


class _TransformerSpecMixin(_ShapedInputMixin):
    """Builds :class:`skdl.nn.TransformerEncoderNet` from flat hyperparameters."""

    d_model: int
    n_heads: int
    n_layers: int
    dim_feedforward: int
    dropout: float
    pooling: str
    vocab_size: int | None
    mask_padding: bool

    def _default_shape(self, n_features: int) -> tuple[int, ...]:
        return (n_features,) if self.vocab_size is not None else (1, n_features)

    def _check_shape(self, shape: tuple[int, ...]) -> None:
        name = type(self).__name__
        if self.vocab_size is not None and len(shape) != 1:
            raise ValueError(
                f"{name} with vocab_size={self.vocab_size} takes tokens of shape "
                f"(n_samples, length); got samples of shape {shape}. Set "
                "vocab_size=None for one-hot or other channel input."
            )
        if self.vocab_size is None and len(shape) != 2:
            raise ValueError(
                f"{name} takes samples of shape (channels, length), or tokens "
                f"with vocab_size set; got samples of shape {shape}."
            )
        if self.d_model % self.n_heads:
            raise ValueError(
                f"{name}: d_model={self.d_model} must be divisible by "
                f"n_heads={self.n_heads}."
            )

    def _check_values(self, X: NDArray[np.float32]) -> None:
        if self.vocab_size is None or X.size == 0:
            return
        if X.min() < 0 or X.max() >= self.vocab_size or np.any(X != np.rint(X)):
            raise ValueError(
                f"{type(self).__name__}: tokens must be integers in [0, "
                f"vocab_size={self.vocab_size}); got values from {X.min():g} to "
                f"{X.max():g}. Pass the tokenizer's vocab_size."
            )

    def _module_spec(
        self, input_shape: tuple[int, ...], n_outputs: int
    ) -> tuple[type[torch.nn.Module], dict[str, Any]]:
        params = {
            "input_shape": input_shape,
            "n_outputs": n_outputs,
            "vocab_size": self.vocab_size,
            "d_model": self.d_model,
            "n_heads": self.n_heads,
            "n_layers": self.n_layers,
            "dim_feedforward": self.dim_feedforward,
            "dropout": self.dropout,
            "pooling": self.pooling,
            "mask_padding": self.mask_padding,
        }
        return self._wrap_strands(TransformerEncoderNet, params)


@Substitution(
    architecture=_ARCHITECTURE_DOC,
    input_shape=INPUT_SHAPE_DOC,
    reverse_complement=REVERSE_COMPLEMENT_DOC,
    fitted_attributes=FITTED_ATTRIBUTES_DOC,
)
@shared_docstrings
class TransformerNetClassifier(
    _TransformerSpecMixin, _NetClassifierMixin, ClassifierMixin, BaseNetEstimator
):
    """Transformer-encoder classifier for biological sequences.

    Self-attention over the positions of a sequence, given as integer tokens
    (:class:`~skdl.preprocessing.KmerTokenizer`) or as one-hot channels
    (:class:`~skdl.preprocessing.SequenceOneHotEncoder`), with padding masked,
    sinusoidal positions and mean or CLS pooling. Flat hyperparameters and
    every guarantee of :class:`MLPNetClassifier`: label encoding, sample and
    class weights, group-aware early stopping, multi-task output (a 0/1
    matrix ``y``), determinism and fast tensor batches.

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
        Shape of one sample: ``(length,)`` for tokens, ``(channels, length)``
        for channels.
    net_ : skorch.NeuralNet
        The trained skorch net.
    {fitted_attributes}

    See Also
    --------
    TransformerNetRegressor : The regressor with the same hyperparameters.
    ConvNetClassifier : A convolutional network, usually the first thing to try.

    Notes
    -----
    Determinism: the same integer ``random_state``, the same device and the
    same library versions give bitwise-identical predictions. Attention costs
    memory quadratic in the sequence length; k-mer tokens with ``stride > 1``
    shorten long sequences.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdl.datasets import simulate_motif_sequences
    >>> from skdl.neural_net import TransformerNetClassifier
    >>> from skdl.preprocessing import KmerTokenizer
    >>> data = simulate_motif_sequences(
    ...     n_samples=600, length=60, prevalence=0.3, random_state=0
    ... )
    >>> tokens = KmerTokenizer(k=3)
    >>> clf = make_pipeline(
    ...     tokens,
    ...     TransformerNetClassifier(d_model=32, n_layers=1, max_epochs=10,
    ...                              vocab_size=tokens.vocab_size, random_state=0),
    ... ).fit(data.sequences[:400], data.target[:400])
    >>> clf.predict_proba(data.sequences[400:]).shape
    (200, 2)
    """

    _parameter_constraints: dict[str, list[Any]] = {
        **BaseNetEstimator._parameter_constraints,
        **_TRANSFORMER_CONSTRAINTS,
        "class_weight": _NetClassifierMixin._class_weight_constraint,
        "batch_sampling": _NetClassifierMixin._batch_sampling_constraint,
    }

    def __init__(
        self,
        d_model: int = 64,
        *,
        n_heads: int = 4,
        n_layers: int = 2,
        dim_feedforward: int = 128,
        dropout: float = 0.1,
        pooling: str = "mean",
        vocab_size: int | None = None,
        mask_padding: bool = True,
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
        self.d_model = d_model
        self.n_heads = n_heads
        self.n_layers = n_layers
        self.dim_feedforward = dim_feedforward
        self.dropout = dropout
        self.pooling = pooling
        self.vocab_size = vocab_size
        self.mask_padding = mask_padding
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
class TransformerNetRegressor(
    _TransformerSpecMixin, _NetRegressorMixin, RegressorMixin, BaseNetEstimator
):
    """Transformer-encoder regressor for biological sequences.

    The regression counterpart of :class:`TransformerNetClassifier`, on a
    squared-error loss weighted by ``sample_weight``, with 1-D or 2-D targets.

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
    TransformerNetClassifier : The classifier with the same hyperparameters.
    ConvNetRegressor : A convolutional network.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.neural_net import TransformerNetRegressor
    >>> from skdl.preprocessing import SequenceOneHotEncoder
    >>> rng = np.random.RandomState(0)
    >>> seqs = ["".join(rng.choice(list("ACGT"), 30)) for _ in range(300)]
    >>> gc = np.array([(s.count("G") + s.count("C")) / 30 for s in seqs])
    >>> X = SequenceOneHotEncoder().fit_transform(seqs)
    >>> reg = TransformerNetRegressor(d_model=16, n_heads=2, n_layers=1,
    ...                               max_epochs=20, random_state=0)
    >>> reg.fit(X, (gc - gc.mean()) / gc.std()).input_shape_
    (4, 30)
    >>> reg.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict[str, list[Any]] = {
        **BaseNetEstimator._parameter_constraints,
        **_TRANSFORMER_CONSTRAINTS,
    }

    def __init__(
        self,
        d_model: int = 64,
        *,
        n_heads: int = 4,
        n_layers: int = 2,
        dim_feedforward: int = 128,
        dropout: float = 0.1,
        pooling: str = "mean",
        vocab_size: int | None = None,
        mask_padding: bool = True,
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
        self.d_model = d_model
        self.n_heads = n_heads
        self.n_layers = n_layers
        self.dim_feedforward = dim_feedforward
        self.dropout = dropout
        self.pooling = pooling
        self.vocab_size = vocab_size
        self.mask_padding = mask_padding
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
