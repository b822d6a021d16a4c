"""scikit-learn transformers that turn biological sequences into net input."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from skdl.preprocessing._alphabet import (
    Alphabet,
    check_sequences,
    encode_codes,
    get_alphabet,
    resolve_length,
)
from skdl.utils._docstring import Substitution
from skdl.utils._sklearn import Interval, StrOptions, _fit_context

_COMMON_CONSTRAINTS: dict[str, list[Any]] = {
    "alphabet": [str],
    "length": [Interval(Integral, 1, None, closed="left"), None],
    "lowercase": [StrOptions({"upper", "error"})],
}

_SHARED_PARAMS = """alphabet : {"dna", "rna", "protein"} or str, default="dna"
        ``"dna"`` (``ACGT`` plus IUPAC codes ``N R Y S W K M B D H V``),
        ``"rna"`` (``ACGU`` plus the same codes), ``"protein"`` (the 20 amino
        acids plus ``X B Z J``), or a string of letters for a custom alphabet
        without ambiguity codes. Any other character raises a ``ValueError``
        naming the sequence and position.

    length : int or None, default=None
        Length every sequence is padded (with all-zero positions, at the end)
        or trimmed (at the end) to. None: all sequences in ``fit`` must have
        the same length, which ``transform`` then requires too.

    lowercase : {"upper", "error"}, default="upper"
        ``"upper"`` reads lower-case letters (soft-masked repeats in genome
        files) as upper case, so a model cannot learn the masking, which often
        differs between classes; ``"error"`` refuses them."""


class _SequenceTransformer(TransformerMixin, BaseEstimator):
    """Shared validation and fitting of the sequence encoders."""

    alphabet: str
    length: int | None
    lowercase: str

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: ArrayLike, y: Any = None) -> Any:
        """Check the sequences and fix the output length.

        Parameters
        ----------
        X : array-like of str of shape (n_samples,) or (n_samples, 1)
            Sequences (a list, an array, a pandas Series or one column).
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        name = type(self).__name__
        alphabet = get_alphabet(self.alphabet, name)
        sequences = check_sequences(X, name)
        self.length_ = resolve_length(sequences, self.length, name)
        self._fit_length(self.length_)
        # Validate every character now, not at the first transform.
        encode_codes(
            sequences,
            alphabet,
            length=self.length_,
            lowercase=self.lowercase,
            caller=name,
        )
        self.alphabet_ = alphabet.letters
        return self

    def _fit_length(self, length: int) -> None:
        """Raise if the fitted length does not suit the transformer.

        Subclasses also set the fitted attributes that follow from it.
        """

    def _codes(self, X: ArrayLike) -> tuple[NDArray[np.uint8], Alphabet]:
        check_is_fitted(self)
        name = type(self).__name__
        alphabet = get_alphabet(self.alphabet, name)
        sequences = check_sequences(X, name)
        if self.length is None:
            length = resolve_length(sequences, None, name)
            if length != self.length_:
                raise ValueError(
                    f"{name} was fitted on sequences of length {self.length_}; got "
                    f"length {length}. Set length=<int> to pad or trim."
                )
        codes = encode_codes(
            sequences,
            alphabet,
            length=self.length_,
            lowercase=self.lowercase,
            caller=name,
        )
        return codes, alphabet


@Substitution(shared=_SHARED_PARAMS)
class SequenceOneHotEncoder(_SequenceTransformer):
    """One-hot encode DNA, RNA or protein sequences for a sequence network.

    Each sequence becomes a ``(n_letters, length)`` float32 matrix (channels
    first, as ``Conv1d`` expects) with a 1 in the row of its letter. The rules
    are declared, not guessed:

    - ambiguity codes (``N``, IUPAC ``R``, ``Y``, ...; ``X`` for proteins) are
      spread evenly over the letters they stand for (``N`` is ``0.25``
      everywhere), or refused with ``ambiguous="error"``;
    - positions added by padding are all zero, which
      :class:`~skdl.neural_net.TransformerNetClassifier` masks out;
    - lower case is read as upper case unless ``lowercase="error"``;
    - any other character raises a ``ValueError`` naming it.

    With the DNA channel order ``A, C, G, T``, the reverse complement is the
    array reversed along both axes, which the networks'
    ``reverse_complement`` option relies on.

    Parameters
    ----------
    {shared}

    ambiguous : {"uniform", "error"}, default="uniform"
        How ambiguity codes are encoded (see above).

    flatten : bool, default=False
        Return 2-D rows ``(n_samples, n_letters * length)`` instead of 3-D
        ``(n_samples, n_letters, length)``, for steps that need 2-D input
        (scalers, imbalanced-learn samplers). The network then needs
        ``input_shape=(n_letters, length)``.

    Attributes
    ----------
    length_ : int
        Length of every encoded sequence.
    alphabet_ : str
        Letters of the channels, in order.

    See Also
    --------
    KmerTokenizer : Integer k-mer tokens for a transformer.
    skdl.neural_net.ConvNetClassifier : A network for this encoding.

    Examples
    --------
    >>> from skdl.preprocessing import SequenceOneHotEncoder
    >>> enc = SequenceOneHotEncoder(length=4)
    >>> X = enc.fit_transform(["ACGT", "acN"])
    >>> X.shape
    (2, 4, 4)
    >>> X[1]  # "ACN" then one padding position
    array([[1.  , 0.  , 0.25, 0.  ],
           [0.  , 1.  , 0.25, 0.  ],
           [0.  , 0.  , 0.25, 0.  ],
           [0.  , 0.  , 0.25, 0.  ]], dtype=float32)
    """

    _parameter_constraints: dict[str, list[Any]] = {
        **_COMMON_CONSTRAINTS,
        "ambiguous": [StrOptions({"uniform", "error"})],
        "flatten": ["boolean"],
    }

    def __init__(
        self,
        alphabet: str = "dna",
        *,
        length: int | None = None,
        lowercase: str = "upper",
        ambiguous: str = "uniform",
        flatten: bool = False,
    ) -> None:
        self.alphabet = alphabet
        self.length = length
        self.lowercase = lowercase
        self.ambiguous = ambiguous
        self.flatten = flatten

    def transform(self, X: ArrayLike) -> NDArray[np.float32]:
        """One-hot encode sequences.

        Parameters
        ----------
        X : array-like of str of shape (n_samples,) or (n_samples, 1)
            Sequences.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_letters, length_)
            float32 one-hot encoding; ``(n_samples, n_letters * length_)``
            when ``flatten=True``.
        """
        codes, alphabet = self._codes(X)
        n_letters = len(alphabet.letters)
        if self.ambiguous == "error" and (codes > n_letters).any():
            row, col = np.argwhere(codes > n_letters)[0]
            symbol = alphabet.symbols[codes[row, col] - 1]
            raise ValueError(
                f"{type(self).__name__}: sequence {row} has the ambiguity code "
                f"{symbol!r} at position {col}; ambiguous='error' refuses it. "
                "Use ambiguous='uniform' to spread it over its letters."
            )
        table = np.zeros((len(alphabet.symbols) + 1, n_letters), dtype=np.float32)
        table[1 : n_letters + 1] = np.eye(n_letters, dtype=np.float32)
        for offset, meaning in enumerate(alphabet.ambiguity.values()):
            for letter in meaning:
                table[n_letters + 1 + offset, alphabet.letters.index(letter)] = 1.0
            table[n_letters + 1 + offset] /= len(meaning)
        encoded = np.ascontiguousarray(table[codes].transpose(0, 2, 1))
        return encoded.reshape(len(encoded), -1) if self.flatten else encoded

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[np.object_]:
        """Names of the flattened output values, ``"A0", "C0", ..., "T{L-1}"``.

        Parameters
        ----------
        input_features : None
            Ignored; sequences have no feature names.

        Returns
        -------
        names : ndarray of str of shape (n_letters * length_,)
            Letter then position, in the order of the flattened output.
        """
        check_is_fitted(self)
        return np.asarray(
            [
                f"{letter}{pos}"
                for letter in self.alphabet_
                for pos in range(self.length_)
            ],
            dtype=object,
        )


@Substitution(shared=_SHARED_PARAMS)
class KmerTokenizer(_SequenceTransformer):
    """Turn sequences into integer k-mer tokens for a transformer network.

    A sequence of length ``L`` becomes ``(L - k) // stride + 1`` tokens, one
    per k-mer starting at ``0, stride, 2 * stride, ...``. Token ``0`` is
    padding (a k-mer that reaches into padding added by ``length``), ``1``
    stands for a k-mer holding an ambiguity code such as ``N``, and the
    ``n_letters ** k`` k-mers are ``2 ..`` in lexicographic order
    (``AA..A`` is 2). Lower case is read as upper case unless
    ``lowercase="error"``; other characters raise a ``ValueError``.

    Parameters
    ----------
    k : int, default=3
        k-mer size. The vocabulary has ``n_letters ** k + 2`` tokens.

    stride : int, default=1
        Step between k-mer starts; ``stride=k`` gives non-overlapping k-mers
        and a sequence ``k`` times shorter.

    {shared}

    Attributes
    ----------
    length_ : int
        Length, in letters, every sequence is padded or trimmed to.
    alphabet_ : str
        The alphabet's letters.
    n_tokens_ : int
        Number of tokens per sequence.

    See Also
    --------
    SequenceOneHotEncoder : One-hot channels for a convolutional network.
    skdl.neural_net.TransformerNetClassifier : A network for these tokens.

    Examples
    --------
    >>> from skdl.preprocessing import KmerTokenizer
    >>> tok = KmerTokenizer(k=2, stride=2)
    >>> tok.vocab_size  # 16 dinucleotides + padding + unknown
    18
    >>> tok.fit_transform(["AAAC", "ACNT"])
    array([[2, 3],
           [3, 1]])
    """

    _parameter_constraints: dict[str, list[Any]] = {
        **_COMMON_CONSTRAINTS,
        "k": [Interval(Integral, 1, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        k: int = 3,
        *,
        stride: int = 1,
        alphabet: str = "dna",
        length: int | None = None,
        lowercase: str = "upper",
    ) -> None:
        self.k = k
        self.stride = stride
        self.alphabet = alphabet
        self.length = length
        self.lowercase = lowercase

    @property
    def vocab_size(self) -> int:
        """Number of distinct tokens, padding and unknown included.

        Known before fitting, so it can be passed to the network's
        ``vocab_size`` in the same pipeline.
        """
        return len(get_alphabet(self.alphabet, "KmerTokenizer").letters) ** self.k + 2

    def _fit_length(self, length: int) -> None:
        n_letters = len(get_alphabet(self.alphabet, "KmerTokenizer").letters)
        if n_letters**self.k + 2 > np.iinfo(np.int64).max:
            largest = int(np.log(np.iinfo(np.int64).max - 2) / np.log(n_letters))
            raise ValueError(
                f"KmerTokenizer: k={self.k} gives {n_letters}**{self.k} k-mers, more "
                f"than 64-bit tokens can number; use k <= {largest} (far smaller "
                "in practice: the network learns one embedding per k-mer)."
            )
        if length < self.k:
            raise ValueError(
                f"KmerTokenizer: sequences of length {length} are shorter than "
                f"k={self.k}; set length >= k or a smaller k."
            )
        self.n_tokens_ = (length - self.k) // self.stride + 1

    def transform(self, X: ArrayLike) -> NDArray[np.int64]:
        """Tokenize sequences.

        Parameters
        ----------
        X : array-like of str of shape (n_samples,) or (n_samples, 1)
            Sequences.

        Returns
        -------
        tokens : ndarray of int64 of shape (n_samples, n_tokens_)
            Tokens in ``[0, vocab_size)``.
        """
        codes, alphabet = self._codes(X)
        n_letters = len(alphabet.letters)
        starts = np.arange(self.n_tokens_) * self.stride
        windows = codes[:, starts[:, None] + np.arange(self.k)].astype(np.int64)
        padding = (windows == 0).any(axis=2)
        ambiguous = (windows > n_letters).any(axis=2)
        powers = n_letters ** np.arange(self.k - 1, -1, -1, dtype=np.int64)
        digits = np.clip(windows - 1, 0, n_letters - 1)
        tokens = (digits * powers).sum(axis=2) + 2
        tokens[ambiguous] = 1
        tokens[padding] = 0
        return tokens
