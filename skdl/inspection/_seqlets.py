"""Seqlets: the DNA segments a net relies on, and the known motifs they match.

:func:`extract_seqlets` finds the high-attribution segments (seqlets) of each
sequence; :func:`match_motifs` compares each seqlet with known position weight
matrices (the JASPAR motifs of :func:`skdl.datasets.load_jaspar_motifs` by
default) and ranks the motifs by how many seqlets they explain, so a biologist
sees at a glance whether the net rediscovered known biology. Both read the
attributions of :func:`skdl.inspection.attribute` (``method="ism"`` for
in-silico mutagenesis): an array of shape
``(n_samples, 4, length)``, rows ``A, C, G, T``, or the Bunch holding it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

from skdl.datasets import load_jaspar_motifs
from skdl.exceptions import SkdlWarning
from skdl.preprocessing import SequenceOneHotEncoder
from skdl.utils._sklearn import Interval, validate_params

if TYPE_CHECKING:
    import pandas as pd

_SEQLET_COLUMNS = ("sequence", "start", "end", "score")
_NUCLEIC_ALPHABETS = {"ACGT": "dna", "ACGU": "rna", "dna": "dna", "rna": "rna"}
#: Motif probabilities are floored here before the logarithm (no -inf scores).
_MIN_PROBABILITY = 1e-3
#: The defaults of extract_seqlets, which match_motifs uses without seqlets.
_EXTRACT_DEFAULTS: dict[str, Any] = {
    "window": 10,
    "flank": 5,
    "max_per_sequence": 3,
    "min_fraction": 0.5,
    "fdr": 0.2,
}


def _check_attributions(attributions: Any, caller: str) -> tuple[NDArray[Any], str]:
    """Attributions as a float array ``(n, 4, length)`` and their alphabet name."""
    alphabet = "dna"
    if isinstance(attributions, Mapping):
        if "attributions" not in attributions:
            raise ValueError(
                f"{caller}: the Bunch has no 'attributions' key; pass the result "
                "of skdl.inspection.attribute or an array of shape "
                "(n_samples, 4, length)."
            )
        letters = str(attributions.get("alphabet", "ACGT"))
        if letters not in _NUCLEIC_ALPHABETS:
            raise ValueError(
                f"{caller}: attributions over the alphabet {letters!r} cannot be "
                "matched to DNA motifs; only 'ACGT' (DNA) or 'ACGU' (RNA) "
                "attributions can."
            )
        alphabet = _NUCLEIC_ALPHABETS[letters]
        attributions = attributions["attributions"]
    try:
        values = np.asarray(attributions, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{caller}: attributions must be numbers of shape (n_samples, 4, "
            f"length); got {type(attributions).__name__}."
        ) from exc
    if values.ndim == 3 and values.shape[1] != 4:
        raise ValueError(
            f"{caller}: attributions have {values.shape[1]} letter rows; only DNA "
            "or RNA attributions (4 rows: A, C, G, T/U) can be matched to motifs."
        )
    if values.ndim != 3 or 0 in values.shape:
        hint = " For one sequence pass attributions[None]." if values.ndim == 2 else ""
        raise ValueError(
            f"{caller}: attributions must have shape (n_samples, 4, length); got "
            f"shape {values.shape}.{hint}"
        )
    if not np.isfinite(values).all():
        raise ValueError(
            f"{caller}: attributions contain NaN or infinite values; recompute "
            "them or replace those values before extracting seqlets."
        )
    return values, alphabet


def _one_hot(
    sequences: Any, shape: tuple[int, ...], alphabet: str, caller: str
) -> NDArray[Any]:
    """One-hot sequences ``(n, 4, length)`` matching attributions of ``shape``."""
    array = np.asarray(sequences)
    if array.dtype.kind in "biuf":
        if array.shape != shape:
            raise ValueError(
                f"{caller}: one-hot sequences have shape {array.shape}, the "
                f"attributions {shape}; pass the encoded input the attributions "
                "were computed for, or the sequences as strings."
            )
        return array.astype(float)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array.ravel()
    if array.ndim != 1 or len(array) != shape[0]:
        raise ValueError(
            f"{caller}: got {array.shape[0] if array.ndim else 1} sequences for "
            f"attributions of {shape[0]} sequences; pass one string per row of "
            "the attributions."
        )
    if alphabet == "dna":
        joined = "".join(map(str, array)).upper()
        if "U" in joined and "T" not in joined:
            alphabet = "rna"
    encoder = SequenceOneHotEncoder(alphabet, length=shape[2])
    return np.asarray(encoder.fit_transform(array), dtype=float)


def _contributions(attributions: Any, sequences: Any, caller: str) -> NDArray[Any]:
    """Attributions times the one-hot sequences (or as they are without them)."""
    values, alphabet = _check_attributions(attributions, caller)
    if sequences is None:
        return values
    return values * _one_hot(sequences, values.shape, alphabet, caller)


def _greedy_windows(
    sums: NDArray[Any], width: int, max_per_sequence: int, min_fraction: float
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[Any]]:
    """Best non-overlapping windows of each row: rows, starts, scores.

    A window qualifies with a positive score of at least ``min_fraction`` times
    the best window of its row.
    """
    n_rows, n_windows = sums.shape
    work = sums.copy()
    floor = min_fraction * sums.max(axis=1)
    positions = np.arange(n_windows)
    every = np.arange(n_rows)
    rows, starts, scores = [], [], []
    for _ in range(min(max_per_sequence, n_windows)):
        start = work.argmax(axis=1)
        score = work[every, start]
        keep = (score > 0) & (score >= floor)
        rows.append(every[keep])
        starts.append(start[keep])
        scores.append(score[keep])
        # Suppress every window overlapping the one just taken.
        work[np.abs(positions - start[:, None]) < width] = -np.inf
    return np.concatenate(rows), np.concatenate(starts), np.concatenate(scores)


def _fdr_threshold(scores: NDArray[Any], null: NDArray[Any], fdr: float) -> float:
    """Lowest score t with (1 + #null >= t) / #scores >= t at most ``fdr``."""
    ranked = np.sort(scores)[::-1]
    null = np.sort(null)
    n_null = len(null) - np.searchsorted(null, ranked, side="left")
    estimate = (1 + n_null) / np.arange(1, len(ranked) + 1)
    passing = np.flatnonzero(estimate <= fdr)
    return float(ranked[passing[-1]]) if len(passing) else np.inf


def _seqlets_from_contributions(
    contributions: NDArray[Any],
    window: int,
    flank: int,
    max_per_sequence: int,
    min_fraction: float,
    fdr: float | None,
) -> pd.DataFrame:
    """Apply the rules of :func:`extract_seqlets` to checked contributions."""
    import pandas as pd

    length = contributions.shape[2]
    width = min(window, length)
    cumulative = np.zeros((len(contributions), length + 1))
    np.cumsum(contributions.sum(axis=1), axis=1, out=cumulative[:, 1:])
    sums = cumulative[:, width:] - cumulative[:, :-width]
    rows, starts, scores = _greedy_windows(sums, width, max_per_sequence, min_fraction)
    if fdr is not None:
        # Mirror-image null: the same search on the negated scores finds what
        # noise alone reaches (TF-MoDISco builds its null from the negative tail).
        _, _, null = _greedy_windows(-sums, width, max_per_sequence, min_fraction)
        keep = scores >= _fdr_threshold(scores, null, fdr)
        rows, starts, scores = rows[keep], starts[keep], scores[keep]
    order = np.lexsort((-scores, rows))
    rows, starts, scores = rows[order], starts[order], scores[order]
    return pd.DataFrame(
        {
            "sequence": rows.astype(np.int64),
            "start": np.maximum(starts - flank, 0).astype(np.int64),
            "end": np.minimum(starts + width + flank, length).astype(np.int64),
            "score": scores.astype(float),
        },
        columns=list(_SEQLET_COLUMNS),
    )


@validate_params(
    {
        "attributions": ["array-like", Mapping],
        "sequences": ["array-like", None],
        "window": [Interval(Integral, 1, None, closed="left")],
        "flank": [Interval(Integral, 0, None, closed="left")],
        "max_per_sequence": [Interval(Integral, 1, None, closed="left")],
        "min_fraction": [Interval(Real, 0, 1, closed="both")],
        "fdr": [Interval(Real, 0, 1, closed="right"), None],
    },
    prefer_skip_nested_validation=True,
)
def extract_seqlets(
    attributions: ArrayLike | Mapping[str, Any],
    sequences: ArrayLike | None = None,
    *,
    window: int = 10,
    flank: int = 5,
    max_per_sequence: int = 3,
    min_fraction: float = 0.5,
    fdr: float | None = 0.2,
) -> pd.DataFrame:
    """Find the segments of each DNA sequence with the highest attribution.

    The contribution of each position is the sum of its row of
    ``attributions × one-hot(sequences)`` (the attributions as they are when
    ``sequences`` is None). The rules, in order:

    1. Sum the contributions over every window of ``window`` positions (the
       whole sequence when it is shorter).
    2. In each sequence, take the best window, then the best window not
       overlapping it, and so on, at most ``max_per_sequence`` times; keep a
       window if its score (sum) is positive and at least ``min_fraction``
       times the best window of its sequence.
    3. With ``fdr`` set, keep only the windows scoring at least the lowest
       threshold ``t`` at which the estimated false discovery rate,
       ``(1 + windows that rules 1-2 find in the negated contributions with a
       score >= t) / (windows with a score >= t)``, is at most ``fdr``. Noise
       gives as many negative windows as positive ones, so this drops the best
       window of a sequence without signal.
    4. A seqlet is the window widened by ``flank`` positions on both sides,
       clipped to the sequence.

    Parameters
    ----------
    attributions : array-like of shape (n_samples, 4, length) or Bunch
        Attributions of a fitted DNA model, rows ``A, C, G, T``: from
        :func:`skdl.inspection.attribute` (``method="ism"`` for in-silico
        mutagenesis), or the Bunch holding them (keys ``attributions`` and,
        optionally, ``alphabet``, which must be ``"ACGT"`` or ``"ACGU"``).
    sequences : array-like of str of shape (n_samples,), ndarray of shape \
(n_samples, 4, length) or None, default=None
        The sequences the attributions were computed for, as strings (padded
        or trimmed at the end to ``length``, as
        :class:`~skdl.preprocessing.SequenceOneHotEncoder` does) or one-hot.
        Needed for attributions with a value at every letter (saliency);
        "× input" attributions (integrated gradients, DeepLIFT/SHAP,
        in-silico mutagenesis) can do without.
    window : int, default=10
        Width of the core window, in positions.
    flank : int, default=5
        Positions added on each side of the core window.
    max_per_sequence : int, default=3
        Most seqlets taken from one sequence.
    min_fraction : float, default=0.5
        A seqlet's score must be at least this fraction of the best window of
        its sequence.
    fdr : float or None, default=0.2
        Target false discovery rate of rule 3, in ``(0, 1]`` (TF-MoDISco's
        default too); it keeps nothing unless at least ``1 / fdr`` windows
        pass. On simulated attributions (noise 0.3 to 0.5 times the motif's
        signal) 86-91% of the seqlets lay on a planted site, against 25%
        without it, and a seqlet was found at 99-100% of the sites. None keeps
        every window of rule 2: for attributions of one sign only, a handful of
        sequences, or a model that also relies on strong negative evidence
        (repressor motifs), which raises the estimated noise.

    Returns
    -------
    seqlets : pandas.DataFrame
        One row per seqlet, sorted by sequence then by descending score:
        ``sequence`` (row of ``attributions``), ``start`` and ``end``
        (half-open, 0-based) and ``score`` (sum of the core window's
        contributions). Empty, with these columns, when nothing qualifies.

    See Also
    --------
    match_motifs : Which known motifs the seqlets look like.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.datasets import simulate_motif_sequences
    >>> from skdl.inspection import extract_seqlets
    >>> from skdl.preprocessing import SequenceOneHotEncoder
    >>> data = simulate_motif_sequences(
    ...     100, length=60, prevalence=0.5, motifs=["GATA1"], random_state=0
    ... )
    >>> X = SequenceOneHotEncoder().fit_transform(data.sequences)
    >>> start, pos = data.motif_start[:, None], np.arange(60)  # start -1: no site
    >>> site = (start >= 0) & (pos >= start) & (pos < start + 7)  # GATA1 is 7 bp
    >>> noise = np.random.default_rng(0).normal(0, 0.3, X.shape)
    >>> attributions = X * (site[:, None, :] + noise)  # "x input" attributions
    >>> seqlets = extract_seqlets(attributions)
    >>> list(seqlets.columns)
    ['sequence', 'start', 'end', 'score']
    >>> len(seqlets), int(data.target[seqlets["sequence"]].sum())  # 50 with a site
    (54, 50)
    """
    contributions = _contributions(attributions, sequences, "extract_seqlets")
    return _seqlets_from_contributions(
        contributions,
        window=window,
        flank=flank,
        max_per_sequence=max_per_sequence,
        min_fraction=min_fraction,
        fdr=fdr,
    )


def _check_pwm(name: str, matrix: Any, caller: str) -> NDArray[Any]:
    """Return a (4, m) matrix of base probabilities, or raise saying why not."""
    try:
        probabilities = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{caller}: motif {name!r} is not a numeric matrix; pass a (4, "
            "motif_length) array of base probabilities, rows A, C, G, T."
        ) from exc
    shape = probabilities.shape
    if len(shape) != 2 or shape[0] != 4 or shape[1] == 0:
        hint = " Transpose it." if len(shape) == 2 and shape[1] == 4 else ""
        raise ValueError(
            f"{caller}: motif {name!r} has shape {shape}; a motif is a (4, "
            f"motif_length) matrix of base probabilities, rows A, C, G, T.{hint}"
        )
    if not np.isfinite(probabilities).all() or (probabilities < 0).any():
        raise ValueError(
            f"{caller}: motif {name!r} has negative or non-finite entries; pass "
            "base probabilities, not log-odds."
        )
    sums = probabilities.sum(axis=0)
    if not np.allclose(sums, 1, rtol=0, atol=1e-3):
        raise ValueError(
            f"{caller}: the columns of motif {name!r} sum to {sums.min():.4g} to "
            f"{sums.max():.4g}, not 1; for counts, add a pseudocount and divide "
            "each column by its sum, as load_jaspar_motifs does."
        )
    return probabilities


def _motif_profiles(
    motifs: Any, background: Any, caller: str
) -> tuple[list[str], list[str], list[NDArray[Any]]]:
    """Names, matrix ids and column-centred log-odds matrices of the motifs."""
    bg = np.asarray(background, dtype=float)
    if bg.shape != (4,) or not (bg > 0).all() or abs(bg.sum() - 1) > 1e-3:
        raise ValueError(
            f"{caller}: background must be 4 positive probabilities of A, C, G, "
            f"T summing to 1; got {background!r}."
        )
    if motifs is None:
        motifs = load_jaspar_motifs()
    ids: Mapping[str, Any] = {}
    if isinstance(motifs.get("pwms"), Mapping):
        ids = motifs.get("matrix_ids") or {}
        motifs = motifs["pwms"]
    if not motifs:
        raise ValueError(
            f"{caller}: motifs is empty; pass a dict name -> (4, motif_length) "
            "matrix, or None for the motifs shipped with skdl."
        )
    names, matrix_ids, profiles = [], [], []
    for name, matrix in motifs.items():
        probabilities = _check_pwm(str(name), matrix, caller)
        log_odds = np.log2(np.maximum(probabilities, _MIN_PROBABILITY) / bg[:, None])
        names.append(str(name))
        matrix_ids.append(str(ids.get(name, "")))
        profiles.append(log_odds - log_odds.mean(axis=0))
    return names, matrix_ids, profiles


def _check_seqlets(
    seqlets: Any, shape: tuple[int, ...], caller: str
) -> tuple[pd.DataFrame, NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Check the seqlet table against ``shape``; return it, its rows, starts, ends."""
    import pandas as pd

    missing = [
        c
        for c in ("sequence", "start", "end")
        if not isinstance(seqlets, pd.DataFrame) or c not in seqlets.columns
    ]
    if missing:
        raise ValueError(
            f"{caller}: seqlets must be a DataFrame with columns 'sequence', "
            f"'start' and 'end' (from extract_seqlets); {missing[0]!r} is missing."
        )
    columns = [
        np.asarray(seqlets[c], dtype=float) for c in ("sequence", "start", "end")
    ]
    rows, starts, ends = columns
    bad = (
        (np.mod(np.stack(columns), 1) != 0).any(axis=0)
        | (rows < 0)
        | (rows >= shape[0])
        | (starts < 0)
        | (ends > shape[2])
        | (starts >= ends)
    )
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{caller}: seqlet {i} (sequence {rows[i]:g}, {starts[i]:g} to "
            f"{ends[i]:g}) does not lie in attributions of shape {shape}; pass "
            "seqlets extracted from these attributions."
        )
    return seqlets, rows.astype(np.intp), starts.astype(np.intp), ends.astype(np.intp)


def _match_profile(
    segments: NDArray[Any], norms: NDArray[Any], profile: NDArray[Any]
) -> tuple[NDArray[Any], NDArray[np.bool_], NDArray[np.intp]]:
    """Best correlation of each segment with one motif: value, minus strand, offset.

    ``profile`` has columns summing to 0, so with zeros (background) outside the
    motif the Pearson correlation is a dot product over the norms.
    """
    n_segments, _, width = segments.shape
    motif_length = profile.shape[1]
    best = np.full(n_segments, -np.inf)
    minus = np.zeros(n_segments, dtype=bool)
    offset = np.zeros(n_segments, dtype=np.intp)
    for is_minus, oriented in ((False, profile), (True, profile[::-1, ::-1])):
        if motif_length <= width:
            windows = sliding_window_view(segments, motif_length, axis=2)
            dots = np.einsum("nlom,lm->no", windows, oriented)
            profile_norms = np.full(dots.shape[1], np.linalg.norm(oriented))
            offsets = np.arange(dots.shape[1])
        else:  # the segment slides inside the longer motif
            windows = sliding_window_view(oriented, width, axis=1)
            dots = np.einsum("nlw,low->no", segments, windows)
            profile_norms = np.sqrt((windows**2).sum(axis=(0, 2)))
            offsets = -np.arange(dots.shape[1])
        denominator = norms[:, None] * profile_norms
        valid = denominator > 0
        corr = np.divide(
            dots, denominator, out=np.full(dots.shape, -np.inf), where=valid
        )
        pick = corr.argmax(axis=1)
        value = corr[np.arange(n_segments), pick]
        better = value > best
        best[better] = value[better]
        minus[better] = is_minus
        offset[better] = offsets[pick[better]]
    return best, minus, offset


def _best_matches(
    contributions: NDArray[Any],
    rows: NDArray[np.intp],
    starts: NDArray[np.intp],
    ends: NDArray[np.intp],
    profiles: list[NDArray[Any]],
) -> tuple[NDArray[Any], NDArray[np.bool_], NDArray[np.intp]]:
    """Correlation, strand and offset of every seqlet x motif best alignment."""
    shape = (len(rows), len(profiles))
    corr = np.full(shape, -np.inf)
    minus = np.zeros(shape, dtype=bool)
    offset = np.zeros(shape, dtype=np.intp)
    widths = ends - starts
    for width in np.unique(widths):
        members = np.flatnonzero(widths == width)
        columns = starts[members, None] + np.arange(width)
        segments = contributions[rows[members, None], :, columns].transpose(0, 2, 1)
        centred = segments - segments.mean(axis=(1, 2), keepdims=True)
        norms = np.sqrt((centred**2).sum(axis=(1, 2)))
        # A constant segment has no correlation: drop the rounding residue.
        norms[norms <= 1e-9 * np.sqrt((segments**2).sum(axis=(1, 2)))] = 0.0
        for j, profile in enumerate(profiles):
            best, is_minus, where = _match_profile(segments, norms, profile)
            corr[members, j] = best
            minus[members, j] = is_minus
            offset[members, j] = where
    return corr, minus, offset


@validate_params(
    {
        "attributions": ["array-like", Mapping],
        "sequences": ["array-like", None],
        "motifs": [Mapping, None],
        "seqlets": ["array-like", None],
        "min_correlation": [Interval(Real, -1, 1, closed="both")],
        "background": ["array-like"],
        "return_seqlets": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def match_motifs(
    attributions: ArrayLike | Mapping[str, Any],
    sequences: ArrayLike | None = None,
    *,
    motifs: Mapping[str, Any] | None = None,
    seqlets: pd.DataFrame | None = None,
    min_correlation: float = 0.5,
    background: ArrayLike = (0.25, 0.25, 0.25, 0.25),
    return_seqlets: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Rank known motifs by how many high-attribution seqlets look like them.

    Each seqlet's contribution matrix ``C`` (4 × width,
    ``attributions × one-hot(sequences)``) is compared with each motif's
    log-odds ``Q = log2(P / background)``, centred in each column (``Q``
    minus its mean over the four letters, so that only the preference between
    letters counts), and with its reverse complement (rows and columns
    reversed). The score is the Pearson correlation of ``C`` with the motif
    placed at an offset in an all-zero (background) 4 × width matrix, so every
    motif is compared over the whole seqlet: a motif that explains only part
    of it scores lower. Offsets keep the motif inside the seqlet; a motif
    longer than the seqlet slides the seqlet inside itself instead. The best
    offset and strand give each motif's score; a seqlet is assigned to its
    best motif when that score is at least ``min_correlation``.

    Parameters
    ----------
    attributions : array-like of shape (n_samples, 4, length) or Bunch
        Attributions of a fitted DNA model, rows ``A, C, G, T`` (or the Bunch
        of :func:`skdl.inspection.attribute`, whose ``alphabet`` must be
        ``"ACGT"`` or ``"ACGU"``); see :func:`extract_seqlets`.
    sequences : array-like of str of shape (n_samples,), ndarray of shape \
(n_samples, 4, length) or None, default=None
        The sequences the attributions were computed for; see
        :func:`extract_seqlets`. Needed for saliency (a value at every
        letter).
    motifs : dict or Bunch or None, default=None
        The known motifs: None for all those shipped with skdl
        (:func:`~skdl.datasets.load_jaspar_motifs`), the Bunch of
        ``load_jaspar_motifs(...)``, or a dict name -> ndarray of shape (4,
        motif_length) of base probabilities (rows ``A, C, G, T``, columns
        summing to 1 within 0.001; counts are refused rather than guessed).
        Probabilities are floored at 0.001 before the logarithm.
    seqlets : pandas.DataFrame or None, default=None
        Seqlets of these attributions from :func:`extract_seqlets`; None
        extracts them with its defaults.
    min_correlation : float, default=0.5
        Lowest correlation for which a seqlet is assigned to its best motif.
        On simulated attributions (noise of 0.3 to 0.5 times the motif's
        signal), 0.5 assigned 71-95% of the seqlets at planted sites to the
        planted motif; with the planted motif left out of ``motifs``, the
        motif ranked first got only 3-6% of the seqlets (30-35% at 0.3).
    background : array-like of shape (4,), default=(0.25, 0.25, 0.25, 0.25)
        Probabilities of ``A, C, G, T`` outside motifs.
    return_seqlets : bool, default=False
        Also return the seqlet table with each seqlet's best match.

    Returns
    -------
    ranking : pandas.DataFrame
        One row per motif, best first (most seqlets, then highest mean
        correlation): ``motif``, ``matrix_id`` (``""`` when unknown),
        ``n_seqlets`` (seqlets assigned to it), ``fraction`` (of all seqlets)
        and ``mean_correlation`` (over its seqlets; NaN when it has none).
    seqlets : pandas.DataFrame
        Only with ``return_seqlets=True``: the seqlets with ``motif`` (the
        assigned motif, ``""`` when none reaches ``min_correlation``), and the
        ``correlation``, ``strand`` (``"+"`` or ``"-"``) and ``offset``
        (motif start minus seqlet start) of the best match, also when it is
        below the threshold (correlation NaN for an all-constant seqlet).

    Warns
    -----
    SkdlWarning
        When there are no seqlets to match.

    See Also
    --------
    extract_seqlets : The seqlets matched here.
    skdl.datasets.load_jaspar_motifs : The motifs shipped with skdl.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.datasets import simulate_motif_sequences
    >>> from skdl.inspection import match_motifs
    >>> from skdl.preprocessing import SequenceOneHotEncoder
    >>> data = simulate_motif_sequences(
    ...     100, length=60, prevalence=0.5, motifs=["GATA1"], random_state=0
    ... )
    >>> X = SequenceOneHotEncoder().fit_transform(data.sequences)
    >>> start, pos = data.motif_start[:, None], np.arange(60)  # start -1: no site
    >>> site = (start >= 0) & (pos >= start) & (pos < start + 7)  # GATA1 is 7 bp
    >>> noise = np.random.default_rng(0).normal(0, 0.3, X.shape)
    >>> attributions = X * (site[:, None, :] + noise)
    >>> ranking = match_motifs(attributions)
    >>> ranking.loc[0, ["motif", "matrix_id"]].tolist()
    ['GATA1', 'MA0035.5']
    >>> list(ranking.columns)
    ['motif', 'matrix_id', 'n_seqlets', 'fraction', 'mean_correlation']
    """
    import pandas as pd

    caller = "match_motifs"
    contributions = _contributions(attributions, sequences, caller)
    names, matrix_ids, profiles = _motif_profiles(motifs, background, caller)
    if seqlets is None:
        seqlets = _seqlets_from_contributions(contributions, **_EXTRACT_DEFAULTS)
    table, rows, starts, ends = _check_seqlets(seqlets, contributions.shape, caller)
    if not len(table):
        warnings.warn(
            "match_motifs: there are no seqlets to match; no segment of the "
            "attributions stands out from the noise. Pass seqlets="
            "extract_seqlets(..., fdr=None) to match every sequence's best "
            "windows anyway.",
            SkdlWarning,
            stacklevel=3,  # the user's call, above validate_params' wrapper
        )
    corr, minus, offset = _best_matches(contributions, rows, starts, ends, profiles)
    best = corr.argmax(axis=1)
    every = np.arange(len(best))
    best_corr = corr[every, best]
    assigned = best_corr >= min_correlation
    counts = np.bincount(best[assigned], minlength=len(names))
    totals = np.bincount(
        best[assigned], weights=best_corr[assigned], minlength=len(names)
    )
    ranking = pd.DataFrame(
        {
            "motif": names,
            "matrix_id": matrix_ids,
            "n_seqlets": counts.astype(np.int64),
            "fraction": counts / max(len(best), 1),
            "mean_correlation": np.divide(
                totals, counts, out=np.full(len(names), np.nan), where=counts > 0
            ),
        }
    )
    ranking = ranking.sort_values(
        ["n_seqlets", "mean_correlation"],
        ascending=False,
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    if not return_seqlets:
        return ranking
    matched = table.copy()
    matched["motif"] = np.where(assigned, np.asarray(names, dtype=object)[best], "")
    matched["correlation"] = np.where(np.isfinite(best_corr), best_corr, np.nan)
    matched["strand"] = np.where(minus[every, best], "-", "+")
    matched["offset"] = offset[every, best].astype(np.int64)
    return ranking, matched
