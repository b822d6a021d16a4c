"""What the winner learned: in-silico mutagenesis of its best test sequences.

:func:`~skdl.comparison.compare` keeps each candidate's model of the last
outer fold when ``X`` holds sequences. Once the winner is known, its model is
mutated on the sequences that fold held out (never on its training data) that
it scored highest for the target, and the high-attribution segments of DNA
are matched to the JASPAR motifs shipped with skdl. In-silico mutagenesis
needs no gradient, so a k-mer baseline that wins is explained exactly as a
net is.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils import Bunch

#: Most sequences mutated, and most mutants scored, for the report.
MAX_SEQUENCES = 100
MAX_MUTANTS = 300_000
#: FDR screen of the seqlets matched to motifs, and the fewest it may leave.
SEQLET_FDR = 0.2
MIN_SEQLETS = 5
#: Sequences drawn as logos in the report.
N_LOGOS = 4


def _ranked_test_samples(
    test: NDArray[np.intp],
    y_test: NDArray[Any],
    output: NDArray[Any],
    task: str,
) -> tuple[NDArray[np.intp], NDArray[Any] | None]:
    """Test samples to explain, best first, and their targets (None: default)."""
    if task == "binary":
        keep = y_test == 1  # the positives, by the score of the positive class
        order = np.argsort(-np.asarray(output)[keep], kind="stable")
        return test[keep][order], None
    if task == "multiclass":
        # Each sequence explained for its own class, by that class's probability.
        own = np.asarray(output)[np.arange(len(y_test)), y_test.astype(np.intp)]
        order = np.argsort(-own, kind="stable")
        return test[order], y_test[order]
    order = np.argsort(-np.asarray(output, dtype=float).ravel(), kind="stable")
    return test[order], None


def _response(task: str, classes: NDArray[Any], response: str) -> str:
    """Name the response with the user's labels (candidates saw codes)."""
    if task == "binary":
        return f"log-odds of the positive class ({classes[-1]})"
    if task == "multiclass":
        return "log-probability of each sequence's own class against the others"
    return response


def explain_winner(
    model: Any,
    X: Any,
    test: NDArray[np.intp],
    y: NDArray[Any],
    output: NDArray[Any],
    task: str,
    name: str,
    fold: int,
    classes: NDArray[Any],
) -> Bunch | None:
    """Mutate the winner's top test sequences and match known motifs.

    Returns None when there is nothing to explain (no positive in the fold).
    """
    from skdl.inspection import attribute, extract_seqlets, match_motifs
    from skdl.model_selection._similarity import resolve_alphabet
    from skdl.preprocessing._alphabet import get_alphabet

    samples, targets = _ranked_test_samples(test, y[test], output, task)
    sequences = np.asarray(X)[samples].astype(str)  # object arrays from pandas
    if not len(sequences):
        return None
    length = int(max(len(s) for s in sequences))
    alphabet = resolve_alphabet("auto", sequences, "compare")
    n_letters = len(get_alphabet(alphabet, "compare").letters)
    budget = max(10, MAX_MUTANTS // max((n_letters - 1) * length, 1))
    n = min(MAX_SEQUENCES, budget, len(sequences))
    samples, sequences = samples[:n], sequences[:n]
    ism = attribute(
        model,
        sequences,
        method="ism",
        target=None if targets is None else targets[:n],
    )
    contributions = ism.attributions
    motifs = None
    fdr: float | None = SEQLET_FDR
    if ism.alphabet in ("ACGT", "ACGU"):
        # The contributions are on the sequences' own letters already.
        seqlets = extract_seqlets(contributions, fdr=fdr)
        if len(seqlets) < MIN_SEQLETS:
            # The screen takes the negated contributions as noise; a model
            # that separates two classes also reads strong negative evidence,
            # and then nothing passes. Match each sequence's best segments
            # instead, and say so.
            fdr = None
            seqlets = extract_seqlets(contributions, fdr=None)
        motifs = match_motifs(contributions, seqlets=seqlets)
    return Bunch(
        candidate=name,
        fold=fold,
        method="ism",
        samples=samples,
        sequences=sequences,
        attributions=contributions,
        alphabet=ism.alphabet,
        # The candidates saw the encoded target; name the user's labels.
        target=ism.target if task == "regression" else classes[ism.target],
        response=_response(task, classes, ism.response),
        motifs=motifs,
        seqlet_fdr=fdr,
    )
