"""The sentences that state a comparison's outcome, written once.

The plain-text summary, the HTML report, the model card and the command line
all say what was compared, who won and what the label-shuffle test found with
these functions, so that no two of them can disagree.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def task_sentence(result: Any) -> str:
    """State what was predicted: the task, its classes or target, and why.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    sentence : str

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.comparison._sentences import task_sentence
    >>> X, y = make_classification(n_samples=100, random_state=0)
    >>> print(task_sentence(compare({"lr": LogisticRegression()}, X, y, cv=3)))
    Task: binary. Positive class: 1 (50 of 100 samples); the scores are about it. \
task='auto' decided 'binary': scikit-learn's type_of_target of y is 'binary' \
(2 distinct values).
    """
    protocol = result.protocol
    reason = protocol.get("task_reason", "")
    n = len(result.y_true)
    if result.task == "binary":
        what = (
            f"Positive class: {result.classes.tolist()[1]!r} "
            f"({int(result.y_true.sum())} of {n} samples); the scores are about it."
        )
    elif result.task == "multiclass":
        counts = np.bincount(result.y_true, minlength=len(result.classes))
        shown = ", ".join(
            f"{c!r}: {k}" for c, k in zip(result.classes.tolist(), counts, strict=True)
        )
        what = f"{len(result.classes)} classes ({shown}); {n} samples."
    else:
        what = (
            f"{n} samples; target mean {np.mean(result.y_true):.3g} "
            f"(sd {np.std(result.y_true):.3g}); chance level R² ≈ 0."
        )
    return f"Task: {result.task}. {what} {reason}".strip()


def verdict_sentence(result: Any) -> str:
    """State who won, and whether the data separate the winner from every rival.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    sentence : str
    """
    if len(result.names) == 1:
        return f"Only one candidate: {result.winner}; there is nothing to compare"
    if result.crowned:
        return (
            f"Winner: {result.winner} (significantly better than every other "
            f"candidate, Holm-adjusted p < {result.alpha})"
        )
    return (
        f"Best mean {result.scoring}: {result.winner}, but not significantly "
        f"better than every other candidate (Holm-adjusted p >= {result.alpha})"
    )


def shuffle_sentence(result: Any) -> str:
    """State what the winner's protocol scores on shuffled labels, if it ran.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    sentence : str
    """
    shuffle = result.memorization
    if shuffle is None:
        return "Label-shuffle test: not run."
    chance = "unknown" if shuffle.chance is None else f"{shuffle.chance:.3f}"
    return (
        f"Label-shuffle test ({result.winner}, {shuffle.scoring}): real labels "
        f"{shuffle.score:.3f}; "
        f"shuffled labels {np.mean(shuffle.permutation_scores):.3f} on average "
        f"({len(shuffle.permutation_scores)} shuffles); chance {chance}; "
        f"p = {shuffle.pvalue:.3g}."
    )


def budget_sentence(result: Any) -> str:
    """State how each candidate was tuned: equal configurations or equal time.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    sentence : str
    """
    protocol = result.protocol
    tried = {name: sorted(set(result.n_configurations[name])) for name in result.names}
    shown = "; ".join(
        f"{name}: {'/'.join(str(k) for k in counts)}" for name, counts in tried.items()
    )
    if protocol.get("budget") == "time":
        return (
            f"Budget: equal time, {protocol['time_budget']:.0f} s in all, "
            f"{protocol['max_time']:.0f} s per search (candidate × outer fold). "
            f"Configurations tried per outer fold: {shown}."
        )
    return (
        f"Budget: equal configurations ({protocol['search']} search, "
        f"n_iter={protocol['n_iter']}). Configurations tried per outer fold: "
        f"{shown}."
    )


def flag_sentences(result: Any) -> list[str]:
    """Return one warning per column flagged before any fit (leak, ID, groups).

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    sentences : list of str
    """
    return [flag.message() for flag in result.flags]


def budget_warnings(result: Any) -> list[str]:
    """Warn of candidates whose first configuration alone outran their time share.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    sentences : list of str
    """
    cut = [
        f"{name}: the time limit ended its final training in {k} of "
        f"{len(result.n_configurations[name])} outer folds, so it was scored "
        "less trained than it could have been; give a larger time budget."
        for name, k in result.protocol.get("cut_short", {}).items()
        if k
    ]
    return cut + [
        f"{name}: its first configuration alone took longer than its time share "
        f"({result.protocol['max_time']:.0f} s) in {k} of "
        f"{len(result.n_configurations[name])} outer folds, so it was tuned less "
        "than planned; give a larger time budget or a smaller grid."
        for name, k in result.protocol.get("over_budget", {}).items()
        if k
    ]


def explanation_sentence(result: Any) -> str:
    """State what the winner's explanation found: its sequences and motifs.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    sentence : str
        Empty when the result holds no explanation (tables, ``explain=False``).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.comparison._sentences import explanation_sentence
    >>> X, y = make_classification(n_samples=100, random_state=0)
    >>> explanation_sentence(compare({"lr": LogisticRegression()}, X, y, cv=3))
    ''
    """
    explanation = getattr(result, "explanation", None)
    if explanation is None:
        return ""
    n = len(explanation.samples)
    which = "positive" if result.task == "binary" else "sequence"
    sentence = (
        f"In-silico mutagenesis of the {n} held-out {which}{'s' * (n != 1)} "
        f"that {explanation.candidate} scored highest in outer fold "
        f"{explanation.fold + 1} (by the model trained without them), "
        f"measuring the {explanation.response}."
    )
    motifs = explanation.motifs
    if motifs is None:
        return sentence
    found = motifs[motifs["n_seqlets"] > 0].head(3)
    if found.empty:
        return (
            f"{sentence} Its high-contribution segments match none of the "
            f"{len(motifs)} shipped JASPAR motifs (correlation >= 0.5)."
        )
    total = int(round(found["n_seqlets"].iloc[0] / found["fraction"].iloc[0]))
    matches = ", ".join(
        f"{row.motif} ({int(row.n_seqlets)} segments, mean correlation "
        f"{row.mean_correlation:.2f})"
        for row in found.itertuples()
    )
    screen = (
        f"high-contribution segments (screened at {explanation.seqlet_fdr:.0%} FDR "
        "against the negated contributions)"
        if explanation.seqlet_fdr is not None
        else "best segments (none passed the FDR screen, which takes negative "
        "contributions as noise: a model that also reads evidence against the "
        "target)"
    )
    return (
        f"{sentence} Of its {total} {screen}, the best-matched known motifs are "
        f"{matches}."
    )
