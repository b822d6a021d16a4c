"""Input handling for estimators whose samples are sequences or images.

scikit-learn validates 2-D arrays. A sample of a sequence or image net has a
shape of its own: ``(channels, length)``, ``(channels, height, width)`` or
``(length,)`` for tokens. These estimators accept that shape directly (3-D or
4-D ``X``) and also 2-D ``X`` with one row per sample, reshaped by the declared
``input_shape``, so that pipelines and scikit-learn's checks, which hand 2-D
arrays, still work. Either way the data is validated as the 2-D view
``(n_samples, prod(input_shape))`` (a reshape, no copy): ``n_features_in_`` is
the number of values per sample, and the shape of one sample is kept in
``input_shape_``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray
from sklearn.utils.validation import check_is_fitted, validate_data

from skdl.nn import ReverseComplementNet
from skdl.nn._reverse_complement import RC_MODES
from skdl.utils._sklearn import StrOptions

if TYPE_CHECKING:
    from skdl.neural_net._base import BaseNetEstimator

    _MixinBase = BaseNetEstimator
else:
    _MixinBase = object

FITTED_ATTRIBUTES_DOC = """history_ : skorch.History
        Per-epoch training record.
    n_iter_ : int
        Number of epochs run.
    n_features_in_ : int
        Number of values per sample (``prod(input_shape_)``).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` is a DataFrame with
        string column names."""

INPUT_SHAPE_DOC = """input_shape : tuple of int or None, default=None
        Shape of one sample, used to reshape 2-D ``X`` (one flattened sample
        per row, as pipelines and
        :class:`~skdl.preprocessing.SequenceOneHotEncoder` with
        ``flatten=True`` produce). None means: 3-D or 4-D ``X`` gives its own
        shape, and 2-D ``X`` of shape ``(n_samples, n_features)`` is one
        channel of length ``n_features``."""

REVERSE_COMPLEMENT_DOC = (
    'reverse_complement : {"augment", "average", "both"}, default=None\n'
    """        Strand handling for one-hot DNA input of shape ``(4, length)`` in
        ``A, C, G, T`` order: ``"augment"`` replaces each training sequence by
        its reverse complement with probability 1/2 in every batch;
        ``"average"`` averages the raw outputs on both strands in training and
        prediction; ``"both"`` augments in training and averages in prediction.
        With averaging, a sequence and its reverse complement get identical
        predictions. See :class:`skdl.nn.ReverseComplementNet`."""
)


def _sample_shape(X: Any) -> tuple[Any, tuple[int, ...] | None]:
    """2-D view of ``X`` and the shape of one sample when ``X`` has more axes."""
    if getattr(X, "ndim", None) is None and isinstance(X, list | tuple):
        array = np.asarray(X)
        if array.ndim > 2:
            X = array
    if getattr(X, "ndim", 0) > 2:
        return X.reshape(len(X), -1), tuple(int(s) for s in X.shape[1:])
    return X, None


class _ShapedInputMixin(_MixinBase):
    """Validation of sequence/image input; see the module docstring."""

    input_shape: Any
    reverse_complement: str | None

    _shape_constraints: dict[str, list[Any]] = {
        "input_shape": [tuple, list, None],
        "reverse_complement": [StrOptions(set(RC_MODES)), None],
    }

    def _default_shape(self, n_features: int) -> tuple[int, ...]:
        return (1, n_features)

    def _check_shape(self, shape: tuple[int, ...]) -> None:
        """Raise if one sample's shape does not suit the architecture."""
        raise NotImplementedError  # pragma: no cover

    def _check_values(self, X: NDArray[np.float32]) -> None:
        """Raise if the values do not suit the architecture (tokens)."""

    def _declared_shape(
        self, n_features: int, given: tuple[int, ...] | None
    ) -> tuple[int, ...]:
        name = type(self).__name__
        if self.input_shape is None:
            return given or self._default_shape(n_features)
        declared = tuple(int(s) for s in self.input_shape)
        if given is not None and given != declared:
            raise ValueError(
                f"{name}: X has samples of shape {given} but input_shape="
                f"{declared}; pass X as 2-D rows or fix input_shape."
            )
        if int(np.prod(declared)) != n_features or min(declared) < 1:
            raise ValueError(
                f"{name}: input_shape={declared} holds {int(np.prod(declared))} "
                f"values per sample but X has {n_features} columns."
            )
        return declared

    def _refuse_text(self, X: Any) -> None:
        """Point raw sequences to an encoder instead of a float conversion error."""
        array = X if isinstance(X, np.ndarray) else None
        if array is None and isinstance(X, list | tuple) and X:
            array = np.asarray(X[:1])
        if array is not None and array.dtype.kind in "OUS" and array.size:
            first = array.flat[0]
            if isinstance(first, str | bytes):
                name = type(self).__name__
                raise ValueError(
                    f"{name} takes encoded sequences (numbers), not text such as "
                    f"{str(first)[:20]!r}; put an encoder before it, for example "
                    f"make_pipeline(SequenceOneHotEncoder(), {name}()) (or "
                    "KmerTokenizer for a transformer), from skdl.preprocessing."
                )

    def _validate_fit_data(
        self, X: ArrayLike, y: ArrayLike, *, multi_output: bool, y_numeric: bool
    ) -> tuple[NDArray[np.float32], NDArray[Any]]:
        self._refuse_text(X)
        flat, given = _sample_shape(X)
        X_valid, y_valid = super()._validate_fit_data(
            flat, y, multi_output=multi_output, y_numeric=y_numeric
        )
        shape = self._declared_shape(X_valid.shape[1], given)
        self._check_shape(shape)
        if self.reverse_complement is not None and (len(shape) != 2 or shape[0] != 4):
            raise ValueError(
                f"{type(self).__name__}: reverse_complement="
                f"{self.reverse_complement!r} needs one-hot DNA samples of shape "
                f"(4, length) in A, C, G, T order; got samples of shape {shape}. "
                "Encode with SequenceOneHotEncoder(alphabet='dna') or set "
                "reverse_complement=None."
            )
        self.input_shape_ = shape
        X_valid = X_valid.reshape(len(X_valid), *shape)
        self._check_values(X_valid)
        return X_valid, y_valid

    def _validate_predict_data(self, X: ArrayLike) -> NDArray[np.float32]:
        check_is_fitted(self)
        self._refuse_text(X)
        flat, given = _sample_shape(X)
        if given is not None and given != self.input_shape_:
            raise ValueError(
                f"{type(self).__name__} was fitted on samples of shape "
                f"{self.input_shape_}; got samples of shape {given}."
            )
        X_valid = validate_data(self, flat, dtype=np.float32, reset=False)
        X_valid = X_valid.reshape(len(X_valid), *self.input_shape_)
        self._check_values(X_valid)
        return X_valid

    def _predict_data(self, X: ArrayLike) -> NDArray[np.float32]:
        # The shape, text and value checks of sequence and token inputs.
        return self._validate_predict_data(X)

    def _wrap_strands(
        self, module: type[torch.nn.Module], params: dict[str, Any]
    ) -> tuple[type[torch.nn.Module], dict[str, Any]]:
        if self.reverse_complement is None:
            return module, params
        return ReverseComplementNet, {
            "module": module,
            "module_params": params,
            "mode": self.reverse_complement,
        }
