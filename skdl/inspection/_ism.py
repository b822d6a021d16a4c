"""In-silico mutagenesis: every single-letter substitution, scored exactly."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn import get_config
from sklearn.utils import Bunch

from skdl.inspection._common import (
    first_encoder,
    resolve_response,
    response_scores,
    split_pipeline,
)
from skdl.model_selection._similarity import resolve_alphabet
from skdl.preprocessing import SequenceOneHotEncoder
from skdl.preprocessing._alphabet import check_sequences, get_alphabet
from skdl.utils._holdout import sequence_array
from skdl.utils._sklearn import Interval, StrOptions, validate_params

_CALLER = "in_silico_mutagenesis"

#: Bytes of one mutant row counted as this many copies (the mutant, the
#: encoded copy the estimator makes, the network's input tensor, slack).
_COPIES = 4
#: Most mutants per call: large enough that the per-call cost vanishes.
_MAX_ROWS = 2**14


def _check_window(window: Any, length: int) -> tuple[int, int]:
    if window is None:
        return 0, length
    if (
        not isinstance(window, tuple | list)
        or len(window) != 2
        or not all(isinstance(w, Integral) for w in window)
    ):
        raise ValueError(
            f"{_CALLER}: window must be None or (start, stop) positions; got "
            f"{window!r}."
        )
    start, stop = int(window[0]), int(window[1])
    if not 0 <= start < stop <= length:
        raise ValueError(
            f"{_CALLER}: window=({start}, {stop}) must satisfy 0 <= start < stop "
            f"<= {length} (the sequence length)."
        )
    return start, stop


def _chunk_rows(batch_size: Any, bytes_per_row: int) -> int:
    """Mutants scored per call: ``batch_size``, or what ``working_memory`` holds."""
    if batch_size != "auto":
        return int(batch_size)
    budget = get_config()["working_memory"] * 2**20
    return int(np.clip(budget // (_COPIES * max(bytes_per_row, 1)), 1, _MAX_ROWS))


class _OneHot:
    """Mutants of one-hot sequences ``(n, letters, length)``."""

    def __init__(self, X: NDArray[np.float32], score: Any) -> None:
        self.X = X
        self.score = score

    def reference(self) -> NDArray[np.float32]:
        return self.X

    def lengths(self) -> NDArray[np.intp]:
        # A sequence ends where its all-zero padding starts.
        filled = np.asarray(np.any(self.X != 0, axis=1))
        last = filled.shape[1] - np.argmax(filled[:, ::-1], axis=1)
        return np.where(filled.any(axis=1), last, 0).astype(np.intp)

    def bytes_per_row(self) -> int:
        return int(self.X[0].nbytes)

    def mutants(self, seq: NDArray[np.intp], pos: NDArray[np.intp], letter: Any) -> Any:
        out = self.X[seq]  # fancy indexing copies already
        rows = np.arange(len(seq))
        out[rows, :, pos] = 0.0
        out[rows, letter, pos] = 1.0
        return out


class _Text:
    """Mutants of sequences given as text, through the estimator's whole path."""

    def __init__(
        self, sequences: NDArray[np.str_], alphabet: str, letters: str, score: Any
    ) -> None:
        self.sequences = sequences
        self.alphabet = alphabet
        width = max(int(np.char.str_len(sequences).max(initial=0)), 1)
        # Fixed-width ASCII bytes: numpy drops the trailing NUL padding of a
        # shorter sequence when the rows are read back as strings.
        self.bytes = np.char.encode(sequences, "ascii").astype(f"S{width}")
        self.bytes = self.bytes.view(np.uint8).reshape(len(sequences), width)
        self.codes = np.frombuffer(letters.upper().encode("ascii"), dtype=np.uint8)
        self.lower = np.frombuffer(letters.lower().encode("ascii"), dtype=np.uint8)
        self.letters = letters
        self.score = score

    def reference(self) -> NDArray[np.str_]:
        return self.sequences

    def lengths(self) -> NDArray[np.intp]:
        return np.char.str_len(self.sequences).astype(np.intp)

    def bytes_per_row(self) -> int:
        return int(self.bytes.shape[1] * len(self.letters) * 4)

    def mutants(self, seq: NDArray[np.intp], pos: NDArray[np.intp], letter: Any) -> Any:
        out = self.bytes[seq]  # fancy indexing copies already
        rows = np.arange(len(seq))
        # A soft-masked (lower-case) letter is replaced in lower case: a
        # case-sensitive model then sees one change, not two.
        was_lower = (out[rows, pos] >= ord("a")) & (out[rows, pos] <= ord("z"))
        out[rows, pos] = np.where(was_lower, self.lower[letter], self.codes[letter])
        width = out.shape[1]
        return out.view(f"S{width}").ravel().astype(str)

    def one_hot(self) -> NDArray[np.float64]:
        """Return the reference sequences as one-hot rows (ambiguity codes spread)."""
        encoder = SequenceOneHotEncoder(self.alphabet, length=self.bytes.shape[1])
        return encoder.fit_transform(self.sequences).astype(np.float64)


def _reference_letters(one_hot: NDArray[Any]) -> NDArray[np.intp]:
    """Index of each position's letter; -1 where it is ambiguous or padding."""
    is_letter = np.isclose(one_hot.max(axis=1), 1.0) & np.isclose(
        one_hot.sum(axis=1), 1.0
    )
    return np.where(is_letter, one_hot.argmax(axis=1), -1).astype(np.intp)


@validate_params(
    {
        "estimator": [object],
        "X": ["array-like"],
        "window": [tuple, list, None],
        "target": [object, None],
        "alphabet": [str, None],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
    },
    prefer_skip_nested_validation=True,
)
def in_silico_mutagenesis(
    estimator: Any,
    X: Any,
    *,
    window: Any = None,
    target: Any = None,
    alphabet: str | None = None,
    batch_size: Any = "auto",
) -> Bunch:
    """Score every single-letter substitution of each sequence.

    Each mutant differs from its sequence at one position. The mutants are
    stacked into batches and scored through the estimator's own prediction
    path (``predict_log_proba``, ``predict_proba`` or ``predict``), so any
    fitted estimator that reads sequences can be mutated: a skdl net, a
    :class:`~sklearn.pipeline.Pipeline` from text to a net, or a k-mer
    baseline. The result is exact: the same scores, to rounding, as
    predicting each mutant alone.

    Memory is bounded by the batch of mutants, not by ``n_samples x length x
    n_letters``: a pipeline that starts with a
    :class:`~skdl.preprocessing.SequenceOneHotEncoder` encodes the sequences
    once and mutates the encoding; other text pipelines get the mutants as
    text.

    Parameters
    ----------
    estimator : estimator or Pipeline
        A fitted estimator whose input is ``X``.
    X : array-like
        Sequences as text (1-D), or one-hot ``(n_samples, n_letters, length)``
        for a bare network (2-D rows are reshaped by its ``input_shape_``).
    window : (int, int) or None, default=None
        Mutate only positions ``start <= j < stop``; other entries of the
        result are NaN. None mutates every position of each sequence.
    target : label, array-like of labels or None, default=None
        Class (or task) whose response is measured, one for all sequences or
        one per sequence; for a regressor, the index of an output. None means
        the positive class ``classes_[1]`` of a binary classifier and the only
        output of a regressor; with more classes it must be given (for
        example ``estimator.predict(X)``).
    alphabet : str or None, default=None
        Letters to substitute (``"dna"``, ``"rna"``, ``"protein"`` or a string
        of letters). None means the alphabet of the pipeline's sequence
        encoder; for other text, read from the letters as the homology
        splitters do: DNA when all are in ``ACGTN``, RNA in ``ACGUN``, else
        protein.
        Lower-case (soft-masked) letters are replaced in lower case.
    batch_size : int or "auto", default="auto"
        Mutants scored per call of the estimator. ``"auto"`` fits them in
        scikit-learn's ``working_memory`` (see :func:`sklearn.set_config`).

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``reference_scores``: ndarray of shape (n_samples,), the response of
          each sequence as given;
        - ``mutant_scores``: ndarray of shape (n_samples, n_letters, length),
          the response with position ``j`` set to letter ``b``; the reference
          letter's entry is the reference score; NaN outside the window or
          past a sequence's end;
        - ``effects``: ``mutant_scores - reference_scores``;
        - ``position_effects``: ndarray of shape (n_samples, length), the mean
          effect of the substitutions at each position (negative where the
          sequence's letter supports the target);
        - ``reference``: ndarray of shape (n_samples, n_letters, length), the
          sequences one-hot (ambiguity codes spread over their letters);
        - ``alphabet``, ``window``, ``target`` (per sequence) and
          ``response`` (what the scores measure: for a classifier, the
          target's log-probability minus the mean log-probability of the
          other classes, which is the log-odds for two classes).

    See Also
    --------
    attribute : Gradient attributions, and this function as ``method="ism"``.
    plot_ism_heatmap : The effects of one sequence as a heat map.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdl.preprocessing import SequenceOneHotEncoder
    >>> from skdl.inspection import in_silico_mutagenesis
    >>> rng = np.random.RandomState(0)
    >>> seqs = np.array(["".join(rng.choice(list("ACGT"), 12)) for _ in range(60)])
    >>> y = np.array([s[5] == "G" for s in seqs])  # position 5 decides
    >>> model = make_pipeline(SequenceOneHotEncoder(flatten=True),
    ...                       LogisticRegression()).fit(seqs, y)
    >>> ism = in_silico_mutagenesis(model, seqs[:3])
    >>> ism.mutant_scores.shape
    (3, 4, 12)
    >>> int(np.abs(ism.position_effects).mean(axis=0).argmax())
    5
    """
    pre, model = split_pipeline(estimator, _CALLER)
    encoder = first_encoder(estimator)
    if getattr(X, "ndim", None) == 1 and hasattr(X, "to_numpy"):
        X = X.to_numpy()  # a pandas Series of sequences
    text = sequence_array(X)
    if text is not None:
        text = check_sequences(text, _CALLER)
        if alphabet is None:
            alphabet = (
                encoder.alphabet
                if encoder is not None
                else resolve_alphabet("auto", text, _CALLER)
            )
        letters = get_alphabet(alphabet, _CALLER).letters
        if encoder is not None:
            if set(letters) != set(encoder.alphabet_):
                raise ValueError(
                    f"{_CALLER}: alphabet {letters!r} differs from the pipeline "
                    f"encoder's {encoder.alphabet_!r}; leave alphabet=None."
                )
            letters = encoder.alphabet_  # the order of the encoding's channels
        if encoder is not None:
            # Encode once and mutate the encoding: the same input the rest of
            # the pipeline would get from mutated text, without re-encoding.
            rest = estimator[1:]
            onehot = encoder.transform(text)
            onehot = onehot.reshape(len(text), len(letters), -1)
            flat = bool(encoder.flatten)

            def prepare(batch: Any) -> Any:
                return batch.reshape(len(batch), -1) if flat else batch

            predictor: Any = rest

            def score(batch: Any, rows: Any) -> NDArray[np.float64]:
                return response_scores(rest, prepare(batch), response, rows)

            source: Any = _OneHot(onehot, score)
            reference_one_hot = onehot.astype(np.float64)
            lengths = np.char.str_len(text).astype(np.intp)
            lengths = np.minimum(lengths, onehot.shape[2])
        else:

            def prepare(batch: Any) -> Any:
                return batch

            predictor = estimator

            def score(batch: Any, rows: Any) -> NDArray[np.float64]:
                return response_scores(estimator, batch, response, rows)

            source = _Text(text, alphabet, letters, score)
            reference_one_hot = source.one_hot()
            lengths = source.lengths()
    else:
        if pre is not None:
            raise ValueError(
                f"{_CALLER}: X must hold sequences as text when the estimator is "
                "a pipeline; pass the raw sequences."
            )
        onehot = _one_hot_input(model, X)
        letters = get_alphabet(
            alphabet if alphabet is not None else _default_letters(onehot.shape[1]),
            _CALLER,
        ).letters
        if len(letters) != onehot.shape[1]:
            raise ValueError(
                f"{_CALLER}: X has {onehot.shape[1]} channels but the alphabet "
                f"{letters!r} has {len(letters)} letters."
            )

        def prepare(batch: Any) -> Any:
            return batch

        predictor = model

        def score(batch: Any, rows: Any) -> NDArray[np.float64]:
            return response_scores(model, batch, response, rows)

        source = _OneHot(onehot, score)
        reference_one_hot = onehot.astype(np.float64)
        lengths = source.lengths()
    n, n_letters, length = reference_one_hot.shape
    response = resolve_response(
        estimator,
        model,
        target,
        n,
        _CALLER,
        probe=lambda: predictor.predict(prepare(source.reference()[:1])),
    )
    start, stop = _check_window(window, length)
    all_rows = np.arange(n)
    reference_scores = np.asarray(
        source.score(source.reference(), all_rows), dtype=np.float64
    )
    ref_letter = _reference_letters(reference_one_hot)

    # Every (sequence, position, letter) to score, in row-major order.
    positions = np.arange(start, stop)
    inside = positions[None, :] < lengths[:, None]  # (n, window)
    seq_idx, pos_off = np.nonzero(inside)
    pos_idx = positions[pos_off]
    seq_all = np.repeat(seq_idx, n_letters)
    pos_all = np.repeat(pos_idx, n_letters)
    letter_all = np.tile(np.arange(n_letters), len(seq_idx))
    keep = letter_all != ref_letter[seq_all, pos_all]
    seq_all, pos_all, letter_all = seq_all[keep], pos_all[keep], letter_all[keep]

    mutant_scores = np.full((n, n_letters, length), np.nan)
    mutant_scores[seq_idx, :, pos_idx] = reference_scores[seq_idx, None]
    chunk = _chunk_rows(batch_size, source.bytes_per_row())
    for begin in range(0, len(seq_all), chunk):
        part = slice(begin, begin + chunk)
        seq, pos, letter = seq_all[part], pos_all[part], letter_all[part]
        mutant_scores[seq, letter, pos] = source.score(
            source.mutants(seq, pos, letter), seq
        )
    effects = mutant_scores - reference_scores[:, None, None]
    alternatives = np.where(
        reference_one_hot == 1.0, np.nan, effects
    )  # the substitutions only
    with np.errstate(invalid="ignore"):
        counts = np.sum(~np.isnan(alternatives), axis=1)
        position_effects = np.where(
            counts > 0, np.nansum(alternatives, axis=1) / np.maximum(counts, 1), np.nan
        )
    return Bunch(
        reference_scores=reference_scores,
        mutant_scores=mutant_scores,
        effects=effects,
        position_effects=position_effects,
        reference=reference_one_hot,
        alphabet=letters,
        window=(start, stop),
        target=response.labels,
        response=response.describe(),
    )


def _default_letters(n_channels: int) -> str:
    if n_channels == 4:
        return "dna"
    if n_channels == 20:
        return "protein"
    raise ValueError(
        f"{_CALLER}: X has {n_channels} channels; pass alphabet=<letters> to name "
        "them (4 channels are read as DNA, 20 as protein)."
    )


def _one_hot_input(model: Any, X: Any) -> NDArray[np.float32]:
    """One-hot sequences ``(n, letters, length)`` for a bare network."""
    array = np.asarray(X, dtype=np.float32)
    shape = getattr(model, "input_shape_", None)
    if array.ndim == 2 and shape is not None and len(shape) == 2:
        array = array.reshape(len(array), *shape)
    if array.ndim != 3:
        raise ValueError(
            f"{_CALLER}: X must be sequences as text, or one-hot of shape "
            f"(n_samples, n_letters, length); got shape {np.shape(X)}."
        )
    if array.size and (array.min() < 0 or array.max() > 1):
        raise ValueError(
            f"{_CALLER}: X must be one-hot sequences (values in [0, 1]); got "
            f"values from {array.min():g} to {array.max():g}."
        )
    return np.ascontiguousarray(array)
