"""Real JASPAR motifs and a simulator that plants them in random DNA."""

from __future__ import annotations

import json
from importlib import resources
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils import Bunch, check_random_state

from skdl.utils._sklearn import Interval, StrOptions, validate_params

_PFM_FILE = "jaspar2024_pfms.json"

#: GRCh38 primary-assembly lengths (bp) of chr1..chr22 and chrX.
GRCH38_LENGTHS: dict[str, int] = {
    "chr1": 248956422,
    "chr2": 242193529,
    "chr3": 198295559,
    "chr4": 190214555,
    "chr5": 181538259,
    "chr6": 170805979,
    "chr7": 159345973,
    "chr8": 145138636,
    "chr9": 138394717,
    "chr10": 133797422,
    "chr11": 135086622,
    "chr12": 133275309,
    "chr13": 114364328,
    "chr14": 107043718,
    "chr15": 101991189,
    "chr16": 90338345,
    "chr17": 83257441,
    "chr18": 80373285,
    "chr19": 58617616,
    "chr20": 64444167,
    "chr21": 46709983,
    "chr22": 50818468,
    "chrX": 156040895,
}

GRAMMARS = ("presence", "spaced", "positional")
_DEFAULT_MOTIFS = {
    "presence": ("CTCF",),
    # The SOX2-POU5F1 (Sox-Oct) composite element: two motifs at a fixed spacing.
    "spaced": ("SOX2", "POU5F1"),
    "positional": ("HNF4A",),
}


def _read_pfm_file() -> dict[str, Any]:
    text = resources.files("skdl.datasets").joinpath(f"data/{_PFM_FILE}").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


@validate_params(
    {
        "names": ["array-like", None],
        "pseudocount": [Interval(Real, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def load_jaspar_motifs(names: Any = None, *, pseudocount: float = 0.5) -> Bunch:
    """Load the real vertebrate motifs shipped with skdl (JASPAR 2024).

    Eight position frequency matrices from the JASPAR 2024 CORE vertebrate
    collection: CTCF (MA0139.2), POU5F1 (MA1115.1), MAFK (MA0496.4), SPI1
    (MA0080.7), HNF4A (MA0114.5), GATA1 (MA0035.5), FOXA2 (MA0047.4) and SOX2
    (MA0143.5). The counts are reproduced unchanged under CC BY 4.0; cite
    Rauluseviciute et al., *Nucleic Acids Research* 52:D174 (2024).

    Parameters
    ----------
    names : list of str or None, default=None
        Motifs to load, by transcription-factor name; None loads all.
    pseudocount : float, default=0.5
        Added to every count before normalising, so no base has probability 0.

    Returns
    -------
    motifs : :class:`~sklearn.utils.Bunch`
        ``pwms`` (dict name -> ndarray of shape (4, motif_length), base
        probabilities per position, rows ``A, C, G, T``), ``counts`` (the raw
        counts, same layout), ``matrix_ids``, ``source``, ``citation`` and
        ``licence``.

    Examples
    --------
    >>> from skdl.datasets import load_jaspar_motifs
    >>> motifs = load_jaspar_motifs(["CTCF"])
    >>> motifs.pwms["CTCF"].shape
    (4, 15)
    >>> motifs.matrix_ids["CTCF"]
    'MA0139.2'
    """
    data = _read_pfm_file()
    available = data["motifs"]
    wanted = list(available) if names is None else [str(n) for n in names]
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise ValueError(
            f"load_jaspar_motifs: unknown motif {unknown[0]!r}; available: "
            f"{sorted(available)}."
        )
    counts = {
        name: np.asarray(available[name]["counts"], dtype=float) for name in wanted
    }
    pwms = {
        name: (c + pseudocount) / (c + pseudocount).sum(axis=0, keepdims=True)
        for name, c in counts.items()
    }
    return Bunch(
        pwms=pwms,
        counts=counts,
        matrix_ids={name: available[name]["matrix_id"] for name in wanted},
        source=data["source"],
        citation=data["citation"],
        licence=data["licence"],
    )


def _sample_instances(
    pwm: NDArray[np.float64], n: int, rng: np.random.RandomState
) -> NDArray[np.uint8]:
    """``n`` motif instances as base indices ``(n, motif_length)``."""
    cumulative = np.cumsum(pwm, axis=0)  # (4, L)
    draws = rng.random_sample((n, pwm.shape[1]))
    return (draws[:, None, :] > cumulative[None, :3, :]).sum(axis=1).astype(np.uint8)


def _reverse_complement_codes(codes: NDArray[np.uint8]) -> NDArray[np.uint8]:
    return (3 - codes)[:, ::-1]


def _free_starts(
    n: int, length: int, width: int, rng: np.random.RandomState
) -> NDArray[np.intp]:
    return rng.randint(0, length - width + 1, size=n)


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "length": [Interval(Integral, 1, None, closed="left")],
        "prevalence": [Interval(Real, 0, 1, closed="neither")],
        "grammar": [StrOptions(set(GRAMMARS))],
        "motifs": ["array-like", None],
        "spacing": [Interval(Integral, 0, None, closed="left")],
        "position": [Interval(Integral, 0, None, closed="left"), None],
        "decoy_fraction": [Interval(Real, 0, 1, closed="both")],
        "gc_content": [Interval(Real, 0, 1, closed="neither")],
        "both_strands": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def simulate_motif_sequences(
    n_samples: int = 5000,
    *,
    length: int = 200,
    prevalence: float = 0.01,
    grammar: str = "presence",
    motifs: Any = None,
    spacing: int = 5,
    position: int | None = None,
    decoy_fraction: float = 0.5,
    gc_content: float = 0.41,
    both_strands: bool = True,
    random_state: Any = None,
) -> Bunch:
    """Plant real transcription-factor motifs in random DNA, with coordinates.

    Background bases are drawn independently with the given GC content (41%
    is the human genome's). Motif instances are sampled base by base from
    JASPAR position weight matrices (:func:`load_jaspar_motifs`), on either
    strand when ``both_strands=True``. Exactly ``round(prevalence *
    n_samples)`` sequences are positive (at least one). Three grammars decide
    what makes a positive:

    - ``"presence"``: one instance of ``motifs[0]`` anywhere. A k-mer count
      model can learn it.
    - ``"spaced"``: ``motifs[0]`` followed by ``motifs[1]`` exactly
      ``spacing`` bp after its end (a composite element such as Sox-Oct).
      ``decoy_fraction`` of the negatives carry the same two motifs at another
      spacing (differing by at least 3 bp) or order, so their k-mer content
      matches the positives' and only the arrangement tells them apart.
    - ``"positional"``: ``motifs[0]`` starting at ``position`` (default: the
      centre); decoy negatives carry it at least one motif length away.

    Each sequence also gets a chromosome (chr1..chr22, chrX, drawn in
    proportion to GRCh38 lengths) and a start coordinate, for chromosome
    splits (:class:`~skdl.model_selection.ChromosomeKFold`).

    Parameters
    ----------
    n_samples : int, default=5000
        Number of sequences.
    length : int, default=200
        Length of every sequence.
    prevalence : float, default=0.01
        Fraction of positive sequences, in ``(0, 1)``.
    grammar : {"presence", "spaced", "positional"}, default="presence"
        What makes a sequence positive (see above).
    motifs : list of str or None, default=None
        Motif names from :func:`load_jaspar_motifs`. None: ``["CTCF"]`` for
        presence, ``["SOX2", "POU5F1"]`` for spaced, ``["HNF4A"]`` for
        positional.
    spacing : int, default=5
        Gap in bp between the two motifs of the spaced grammar.
    position : int or None, default=None
        Start of the motif in the positional grammar; None is the centre.
    decoy_fraction : float, default=0.5
        Fraction of negatives carrying decoy motifs (spaced and positional
        grammars; ignored for presence).
    gc_content : float, default=0.41
        Probability of G or C in the background.
    both_strands : bool, default=True
        Plant each positive or decoy on a random strand (the reverse
        complement of the whole motif arrangement).
    random_state : int, RandomState instance or None, default=None
        Seed of every random choice. Pass an int for reproducible data.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``sequences`` (ndarray of str, shape (n_samples,)), ``target``
        (ndarray of int 0/1), ``chromosome`` (ndarray of str), ``start``
        (ndarray of int, 0-based), ``motif_start`` (start of the first planted
        motif, -1 if none), ``decoy`` (bool, negatives with decoy motifs),
        ``strand`` (``"+"``, ``"-"`` or ``""``), ``pwms`` (dict of the motifs
        used) and ``description``.

    See Also
    --------
    load_jaspar_motifs : The motifs planted here.
    skdl.preprocessing.SequenceOneHotEncoder : Encode the sequences.

    Examples
    --------
    >>> from skdl.datasets import simulate_motif_sequences
    >>> data = simulate_motif_sequences(1000, length=100, random_state=0)
    >>> data.sequences.shape, int(data.target.sum())
    ((1000,), 10)
    >>> sorted(set(data.chromosome.tolist()))[:3]
    ['chr1', 'chr10', 'chr11']
    >>> spaced = simulate_motif_sequences(
    ...     500, length=80, grammar="spaced", prevalence=0.1, random_state=0
    ... )
    >>> int(spaced.decoy.sum())
    225
    """
    rng = check_random_state(random_state)
    names = list(_DEFAULT_MOTIFS[grammar] if motifs is None else motifs)
    needed = 2 if grammar == "spaced" else 1
    if len(names) != needed:
        raise ValueError(
            f"simulate_motif_sequences: grammar={grammar!r} needs {needed} "
            f"motif(s); got {names}."
        )
    pwms = load_jaspar_motifs(names).pwms
    widths = [pwms[name].shape[1] for name in names]
    span = sum(widths) + spacing if grammar == "spaced" else widths[0]
    if grammar == "positional":
        position = (length - span) // 2 if position is None else position
        if position + span > length:
            raise ValueError(
                f"simulate_motif_sequences: position={position} + motif length "
                f"{span} exceeds length={length}."
            )
    if span + (3 if grammar == "spaced" else 0) > length:
        raise ValueError(
            f"simulate_motif_sequences: the motifs need {span} bp or more; "
            f"length={length} is too short."
        )

    at, cg = (1 - gc_content) / 2, gc_content / 2
    codes = rng.choice(4, size=(n_samples, length), p=[at, cg, cg, at]).astype(np.uint8)
    n_pos = max(1, int(round(prevalence * n_samples)))
    target = np.zeros(n_samples, dtype=int)
    target[rng.permutation(n_samples)[:n_pos]] = 1
    negatives = np.flatnonzero(target == 0)
    decoy = np.zeros(n_samples, dtype=bool)
    if grammar != "presence":
        decoy[
            rng.permutation(negatives)[: int(round(decoy_fraction * len(negatives)))]
        ] = True
    motif_start = np.full(n_samples, -1)
    strand = np.full(n_samples, "", dtype="<U1")

    def plant(rows: NDArray[np.intp], layouts: list[tuple[str, Any]]) -> None:
        """Write motif instances at per-row offsets; layouts = (name, offsets)."""
        block_start = np.min([offsets for _, offsets in layouts], axis=0)
        block_end = np.max(
            [offsets + pwms[name].shape[1] for name, offsets in layouts], axis=0
        )
        flip = (
            rng.random_sample(len(rows)) < 0.5
            if both_strands
            else np.zeros(len(rows), bool)
        )
        for name, offsets in layouts:
            instances = _sample_instances(pwms[name], len(rows), rng)
            width = instances.shape[1]
            # On the minus strand the whole arrangement is reverse complemented.
            starts = np.where(flip, block_start + block_end - offsets - width, offsets)
            instances = np.where(
                flip[:, None], _reverse_complement_codes(instances), instances
            )
            columns = starts[:, None] + np.arange(width)
            codes[rows[:, None], columns] = instances
        motif_start[rows] = block_start
        strand[rows] = np.where(flip, "-", "+")

    positives = np.flatnonzero(target == 1)
    decoys = np.flatnonzero(decoy)
    if grammar == "presence":
        plant(positives, [(names[0], _free_starts(n_pos, length, span, rng))])
    elif grammar == "positional":
        plant(positives, [(names[0], np.full(n_pos, position))])
        # Decoys: anywhere at least one motif length away from ``position``.
        assert position is not None  # set above for this grammar
        allowed = np.array(
            [s for s in range(length - span + 1) if abs(s - position) >= span]
        )
        if len(decoys) and not len(allowed):
            raise ValueError(
                "simulate_motif_sequences: no room for decoy motifs away from "
                f"position={position} in length={length}; use longer sequences "
                "or decoy_fraction=0."
            )
        plant(decoys, [(names[0], rng.choice(allowed, size=len(decoys)))])
    else:
        first, second = names
        start = _free_starts(n_pos, length, span, rng)
        plant(positives, [(first, start), (second, start + widths[0] + spacing)])
        # Decoys: same two motifs, another gap (at least 3 bp off) or swapped order.
        max_gap = length - sum(widths)
        gaps = np.array([g for g in range(max_gap + 1) if abs(g - spacing) >= 3])
        if len(decoys) and not len(gaps):
            raise ValueError(
                "simulate_motif_sequences: no room for decoys at another spacing "
                f"in length={length}; use longer sequences or decoy_fraction=0."
            )
        gap = rng.choice(gaps, size=len(decoys))
        swapped = rng.random_sample(len(decoys)) < 0.5
        first_w = np.where(swapped, widths[1], widths[0])
        block = sum(widths) + gap
        start = (rng.random_sample(len(decoys)) * (length - block + 1)).astype(int)
        second_start = start + first_w + gap
        plant(
            decoys,
            [
                (first, np.where(swapped, second_start, start)),
                (second, np.where(swapped, start, second_start)),
            ],
        )

    letters = np.frombuffer(b"ACGT", dtype=np.uint8)
    sequences = letters[codes].view(f"S{length}").ravel().astype(str)
    chromosomes = np.array(list(GRCH38_LENGTHS))
    sizes = np.array(list(GRCH38_LENGTHS.values()), dtype=float)
    chromosome = chromosomes[
        rng.choice(len(sizes), size=n_samples, p=sizes / sizes.sum())
    ]
    limits = np.array([GRCH38_LENGTHS[c] for c in chromosome]) - length
    start_coordinate = (rng.random_sample(n_samples) * limits).astype(np.int64)
    description = (
        f"{n_samples} random DNA sequences of {length} bp (GC {gc_content:.0%}); "
        f"{n_pos} positives ({grammar} grammar, motifs {names}"
        + (f", spacing {spacing} bp" if grammar == "spaced" else "")
        + (f", position {position}" if grammar == "positional" else "")
        + f"); {int(decoy.sum())} decoy negatives. Motifs: JASPAR 2024, CC BY 4.0."
    )
    return Bunch(
        sequences=sequences,
        target=target,
        chromosome=chromosome,
        start=start_coordinate,
        motif_start=motif_start,
        decoy=decoy,
        strand=strand,
        pwms=pwms,
        description=description,
    )
