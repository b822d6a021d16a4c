"""Plots of attributions (a sequence logo) and in-silico mutagenesis (a heat map).

Figures are built with :class:`matplotlib.figure.Figure`, never with pyplot, so
no global backend or figure state is touched. The logo is drawn by logomaker
(``pip install skdl[report]``), the heat map by matplotlib alone. Both draw one
sequence of a result, over a window of positions, with positions counted from 0
as in the arrays.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from numbers import Integral
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skdl.utils._optional import import_logomaker, import_matplotlib
from skdl.utils._sklearn import Interval, validate_params

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Figure width per drawn position, and the clamp on the width (inches).
_INCH_PER_POSITION = 0.12
_MIN_WIDTH = 4.0
_MAX_WIDTH = 20.0

#: logomaker's "classic" colours for DNA/RNA; N and other letters are grey.
_CLASSIC = {
    "A": (0.0, 0.5, 0.0),
    "C": (0.0, 0.0, 1.0),
    "G": (1.0, 0.65, 0.0),
    "T": (1.0, 0.0, 0.0),
    "U": (1.0, 0.0, 0.0),
}
#: logomaker's "chemistry" colours for the 20 amino acids; X, * ... are grey.
_CHEMISTRY = {
    **dict.fromkeys("GSTYC", (0.0, 0.5, 0.0)),
    **dict.fromkeys("QN", (0.5, 0.0, 0.5)),
    **dict.fromkeys("KRH", (0.0, 0.0, 1.0)),
    **dict.fromkeys("DE", (1.0, 0.0, 0.0)),
    **dict.fromkeys("AVLIPWFM", (0.0, 0.0, 0.0)),
}
_OTHER_LETTER = (0.5, 0.5, 0.5)

#: Keys of an in-silico mutagenesis result that the heat map reads.
_ISM_KEYS = ("effects", "reference", "alphabet")

_WINDOW_CONSTRAINTS: dict[str, list[Any]] = {
    "index": [Interval(Integral, 0, None, closed="left")],
    "start": [Interval(Integral, 0, None, closed="left"), None],
    "stop": [Interval(Integral, 1, None, closed="left"), None],
    "title": [str, None],
}


def _width(n_positions: int) -> float:
    """Figure width in inches for ``n_positions`` drawn positions."""
    return float(np.clip(_INCH_PER_POSITION * n_positions, _MIN_WIDTH, _MAX_WIDTH))


def _as_float_array(caller: str, values: Any, name: str) -> NDArray[np.float64]:
    """Return ``values`` as a float64 array, or raise a ValueError naming them."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(
            f"{caller}: {name} must be numeric; got an array of "
            f"{np.asarray(values).dtype} values."
        ) from e


def _check_alphabet(caller: str, alphabet: Any, n_letters: int) -> str:
    """Return ``alphabet`` after checking it names the ``n_letters`` rows."""
    if not isinstance(alphabet, str):
        raise ValueError(
            f"{caller}: the alphabet must be a str with one letter per row, such "
            f"as 'ACGT'; got {alphabet!r}."
        )
    if len(alphabet) != n_letters:
        raise ValueError(
            f"{caller}: the alphabet {alphabet!r} has {len(alphabet)} letters but "
            f"the values have {n_letters} rows, one per letter."
        )
    if len(set(alphabet)) != len(alphabet) or any(c.isspace() for c in alphabet):
        raise ValueError(
            f"{caller}: the alphabet {alphabet!r} must be distinct, printable letters."
        )
    return alphabet


def _check_index(caller: str, index: int, n_samples: int) -> int:
    """Return ``index`` after checking that there is such a sequence."""
    if index >= n_samples:
        raise ValueError(
            f"{caller}: index={index} is out of range; there "
            f"{'is 1 sequence' if n_samples == 1 else f'are {n_samples} sequences'}, "
            f"so pass an index in [0, {n_samples})."
        )
    return int(index)


def _check_window(
    caller: str, start: int | None, stop: int | None, length: int
) -> tuple[int, int]:
    """Return ``(start, stop)``, defaulting to the whole length, checked."""
    start = 0 if start is None else int(start)
    stop = length if stop is None else int(stop)
    if start >= length:
        raise ValueError(
            f"{caller}: start={start} is past the end of the sequences (length "
            f"{length}); pass start < {length}."
        )
    if stop > length:
        raise ValueError(
            f"{caller}: stop={stop} is past the end of the sequences (length "
            f"{length}); pass stop <= {length}, or None for the end."
        )
    if start >= stop:
        raise ValueError(
            f"{caller}: the window [start, stop) = [{start}, {stop}) is empty; "
            f"pass start < stop (the sequences have length {length})."
        )
    return start, stop


def _check_finite_window(
    caller: str, values: NDArray[np.float64], what: str, where: str
) -> None:
    """Refuse a window with infinite values or with nothing but NaN."""
    if np.isinf(values).any():
        raise ValueError(f"{caller}: the {what} {where} contain infinite values.")
    if np.isnan(values).all():
        raise ValueError(
            f"{caller}: the {what} {where} are all NaN: nothing to draw. Choose "
            "positions inside the sequence (and, for in-silico mutagenesis, "
            "inside the mutated window)."
        )


def _colors(alphabet: str) -> dict[str, Any]:
    """Return the colour of each letter, as a dict for ``logomaker.Logo``.

    DNA/RNA alphabets (letters among ACGTUN) take logomaker's "classic" colours
    and protein alphabets (15 or more of the 20 amino acids) its "chemistry"
    ones, with grey for the letters a scheme lacks, so logomaker never warns of
    a letter without colour. Other alphabets get one tab20 colour per letter.
    """
    letters = set(alphabet.upper())
    if letters <= set("ACGTUN"):
        scheme = _CLASSIC
    elif len(letters & set(_CHEMISTRY)) >= 15:
        scheme = _CHEMISTRY
    else:
        from matplotlib import colormaps

        tab20 = colormaps["tab20"]
        return {c: tab20(i % tab20.N)[:3] for i, c in enumerate(alphabet)}
    return {c: scheme.get(c.upper(), _OTHER_LETTER) for c in alphabet}


@validate_params(
    {**_WINDOW_CONSTRAINTS, "alphabet": [str, None]},
    prefer_skip_nested_validation=True,
)
def plot_attribution_logo(
    attributions: ArrayLike | Mapping[str, Any],
    index: int = 0,
    *,
    alphabet: str | None = None,
    start: int | None = None,
    stop: int | None = None,
    title: str | None = None,
) -> Figure:
    """Draw one sequence's attributions as a sequence logo.

    Each letter is drawn as tall as its attribution at that position: above the
    zero line when it pushes the score up, below it (upright) when it pushes
    the score down. Only the letter present in the sequence carries weight in
    gradient-times-input attributions, so the logo reads as the sequence with
    its important letters enlarged. NaN values (past the end of a shorter
    sequence) are drawn as zero. DNA/RNA letters take logomaker's "classic"
    colours, amino acids its "chemistry" ones, and letters outside those
    schemes (N, X) are grey.

    Parameters
    ----------
    attributions : Bunch or array-like of shape (n_samples, n_letters, length)
        The result of :func:`skdl.inspection.attribute` (a Bunch with keys
        ``attributions`` and ``alphabet``), or the attribution values
        themselves; an array of shape (n_letters, length) is one sequence.
    index : int, default=0
        Which sequence to draw.
    alphabet : str or None, default=None
        The letter of each row, such as ``"ACGT"``. None takes the Bunch's
        alphabet, or ``"ACGT"`` for an array with 4 rows; an array with another
        number of rows needs it. Given with a Bunch, it must equal the Bunch's.
    start : int or None, default=None
        First position drawn (counted from 0); None starts at 0.
    stop : int or None, default=None
        Position after the last one drawn; None draws to the end.
    title : str or None, default=None
        Axes title; None writes ``"sequence <index>"``.

    Returns
    -------
    figure : matplotlib.figure.Figure
        One panel with the logo, x axis "position" and y axis "attribution".
        Its width grows with the number of positions drawn (0.12 inch each,
        between 4 and 20 inches).

    Raises
    ------
    ImportError
        If matplotlib or logomaker is not installed.
    TypeError
        If ``index``, ``start`` or ``stop`` is not an integer.
    ValueError
        If the values do not have 2 or 3 dimensions, a Bunch has no
        ``attributions`` or ``alphabet``, the alphabet does not match the rows,
        ``index`` or the window ``[start, stop)`` is out of range or empty, or
        the window holds infinite values or nothing but NaN.

    See Also
    --------
    skdl.inspection.attribute : Compute the attributions drawn here.
    plot_ism_heatmap : Draw the effect of every single-letter substitution.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> from skdl.inspection import plot_attribution_logo
    >>> rng = np.random.default_rng(0)
    >>> result = Bunch(attributions=rng.normal(size=(2, 4, 30)), alphabet="ACGT")
    >>> figure = plot_attribution_logo(result, index=1, start=5, stop=25)
    >>> [ax.get_title() for ax in figure.axes]
    ['sequence 1']
    >>> figure.axes[0].get_xlabel(), figure.axes[0].get_ylabel()
    ('position', 'attribution')
    """
    caller = "plot_attribution_logo"
    import_matplotlib(caller)
    import_logomaker(caller)
    from matplotlib.figure import Figure

    if isinstance(attributions, Mapping):
        missing = [k for k in ("attributions", "alphabet") if k not in attributions]
        if missing:
            raise ValueError(
                f"{caller}: the Bunch has no {' or '.join(map(repr, missing))}; "
                "pass the result of skdl.inspection.attribute, or an array of "
                "attributions with alphabet=."
            )
        if alphabet is not None and alphabet != attributions["alphabet"]:
            raise ValueError(
                f"{caller}: alphabet={alphabet!r} differs from the result's "
                f"alphabet {attributions['alphabet']!r}; leave alphabet=None."
            )
        alphabet = attributions["alphabet"]
        values = _as_float_array(caller, attributions["attributions"], "attributions")
    else:
        values = _as_float_array(caller, attributions, "attributions")
    if values.ndim == 2:
        values = values[np.newaxis]
    if values.ndim != 3:
        raise ValueError(
            f"{caller}: attributions must have shape (n_samples, n_letters, "
            f"length) or (n_letters, length); got shape {values.shape}."
        )
    n_samples, n_letters, length = values.shape
    if alphabet is None:
        if n_letters != 4:
            raise ValueError(
                f"{caller}: the attributions have {n_letters} rows, so the "
                "letters cannot be guessed; pass alphabet= with one letter per "
                "row (only 4 rows default to 'ACGT')."
            )
        alphabet = "ACGT"
    alphabet = _check_alphabet(caller, alphabet, n_letters)
    index = _check_index(caller, index, n_samples)
    start, stop = _check_window(caller, start, stop, length)
    window = values[index, :, start:stop]
    _check_finite_window(
        caller, window, "attributions", f"of sequence {index} in [{start}, {stop})"
    )

    figure = Figure(figsize=(_width(stop - start), 2.6), layout="constrained")
    ax = figure.subplots()
    draw_logo(ax, window, alphabet, start)
    ax.set(
        title=f"sequence {index}" if title is None else title,
        xlabel="position",
        ylabel="attribution",
    )
    return figure


def draw_logo(ax: Any, window: NDArray[np.float64], alphabet: str, start: int) -> None:
    """Draw the logo of one ``(n_letters, width)`` window on ``ax``.

    Letter heights are the values (NaN drawn as 0); negative letters hang
    upright below the zero line. The report draws several logos in one
    figure with it.
    """
    logomaker = import_logomaker("plot_attribution_logo")
    import pandas as pd  # a dependency of logomaker

    frame = pd.DataFrame(
        np.nan_to_num(window.T, nan=0.0),
        columns=list(alphabet),
        index=np.arange(start, start + window.shape[1]),
    )
    with warnings.catch_warnings():
        # An all-zero window gives equal y-limits; they are widened below.
        warnings.filterwarnings(
            "ignore", message="Attempting to set identical", category=UserWarning
        )
        logomaker.Logo(
            frame,
            ax=ax,
            color_scheme=_colors(alphabet),
            flip_below=False,
            baseline_width=0.8,
        )
    if not frame.to_numpy().any():
        ax.set_ylim(-1.0, 1.0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


@validate_params(_WINDOW_CONSTRAINTS, prefer_skip_nested_validation=True)
def plot_ism_heatmap(
    ism: Mapping[str, Any],
    index: int = 0,
    *,
    start: int | None = None,
    stop: int | None = None,
    title: str | None = None,
) -> Figure:
    """Draw one sequence's in-silico mutagenesis as a letters-by-positions heat map.

    Each cell is the change in the model's score when the letter at that
    position is replaced by the cell's letter: red where the substitution
    raises the score, blue where it lowers it, on a colour scale centred at 0
    and symmetric about it. Cells without a value (outside the mutated window
    or past the end of a shorter sequence) are grey. A black dot marks the
    letter of the sequence itself in each column (none where the letter is
    ambiguous, such as N, or is padding).

    Parameters
    ----------
    ism : Bunch
        The result of :func:`skdl.inspection.in_silico_mutagenesis`. The keys
        read are ``effects`` and ``reference`` (arrays of shape (n_samples,
        n_letters, length)), ``alphabet`` and, for the colour bar's label,
        ``response`` (``"score"`` when absent).
    index : int, default=0
        Which sequence to draw.
    start : int or None, default=None
        First position drawn (counted from 0); None starts at 0.
    stop : int or None, default=None
        Position after the last one drawn; None draws to the end.
    title : str or None, default=None
        Axes title; None writes ``"in-silico mutagenesis, sequence <index>"``.

    Returns
    -------
    figure : matplotlib.figure.Figure
        Two axes: the heat map (rows are the letters, x axis "position") and
        its colour bar, labelled ``"change in <response>"``.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    TypeError
        If ``ism`` is not a Bunch (a mapping), or ``index``, ``start`` or
        ``stop`` is not an integer.
    ValueError
        If ``ism`` lacks a key, its arrays do not have matching 3-dimensional
        shapes, the alphabet does not match the rows, ``index`` or the window
        ``[start, stop)`` is out of range or empty, or the window holds
        infinite values or nothing but NaN.

    See Also
    --------
    skdl.inspection.in_silico_mutagenesis : Compute the effects drawn here.
    plot_attribution_logo : Draw attributions as a sequence logo.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> from skdl.inspection import plot_ism_heatmap
    >>> sequence = "ACGTTGCA"
    >>> reference = np.zeros((1, 4, 8))
    >>> reference[0, ["ACGT".index(c) for c in sequence], range(8)] = 1.0
    >>> effects = np.random.default_rng(0).normal(size=(1, 4, 8))
    >>> effects[reference == 1] = 0.0
    >>> ism = Bunch(
    ...     effects=effects,
    ...     reference=reference,
    ...     alphabet="ACGT",
    ...     reference_scores=np.array([1.5]),
    ...     response="log-odds of class 1",
    ... )
    >>> figure = plot_ism_heatmap(ism)
    >>> [ax.get_title() for ax in figure.axes]
    ['in-silico mutagenesis, sequence 0', '']
    >>> figure.axes[1].get_ylabel()
    'change in log-odds of class 1'
    """
    caller = "plot_ism_heatmap"
    import_matplotlib(caller)
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    if not isinstance(ism, Mapping):
        raise TypeError(
            f"{caller}: ism must be the Bunch returned by "
            f"skdl.inspection.in_silico_mutagenesis; got {type(ism).__name__}."
        )
    missing = [k for k in _ISM_KEYS if k not in ism]
    if missing:
        raise ValueError(
            f"{caller}: ism has no {' or '.join(map(repr, missing))}; pass the "
            "Bunch returned by skdl.inspection.in_silico_mutagenesis."
        )
    effects = _as_float_array(caller, ism["effects"], "ism.effects")
    reference = _as_float_array(caller, ism["reference"], "ism.reference")
    if effects.ndim != 3:
        raise ValueError(
            f"{caller}: ism.effects must have shape (n_samples, n_letters, "
            f"length); got shape {effects.shape}."
        )
    if reference.shape != effects.shape:
        raise ValueError(
            f"{caller}: ism.reference has shape {reference.shape} but ism.effects "
            f"has shape {effects.shape}; they must match."
        )
    n_samples, n_letters, length = effects.shape
    alphabet = _check_alphabet(caller, ism["alphabet"], n_letters)
    index = _check_index(caller, index, n_samples)
    start, stop = _check_window(caller, start, stop, length)
    window = effects[index, :, start:stop]
    _check_finite_window(
        caller, window, "effects", f"of sequence {index} in [{start}, {stop})"
    )

    limit = float(np.nanmax(np.abs(window)))
    limit = limit if limit > 0 else 1.0  # all zero: any symmetric scale will do
    cmap = colormaps["RdBu_r"].with_extremes(bad="0.85")
    figure = Figure(
        figsize=(_width(stop - start) + 1.2, 1.3 + 0.25 * n_letters),
        layout="constrained",
    )
    ax = figure.subplots()
    image = ax.imshow(
        np.ma.masked_invalid(window),
        cmap=cmap,
        vmin=-limit,
        vmax=limit,
        aspect="auto",
        interpolation="nearest",
        extent=(start - 0.5, stop - 0.5, n_letters - 0.5, -0.5),
    )
    rows, columns = np.nonzero(np.isclose(reference[index, :, start:stop], 1.0))
    ax.scatter(
        columns + start,
        rows,
        s=8,
        c="black",
        marker="o",
        linewidths=0,
        label="reference letter",
    )
    ax.set_xlim(start - 0.5, stop - 0.5)
    ax.set_ylim(n_letters - 0.5, -0.5)
    ax.set_yticks(np.arange(n_letters), list(alphabet))
    ax.set(
        title=f"in-silico mutagenesis, sequence {index}" if title is None else title,
        xlabel="position",
        ylabel="substituted letter",
    )
    response = ism.get("response", "score")
    figure.colorbar(image, ax=ax, label=f"change in {response}")
    return figure
