"""A Markdown model card for the winner of a comparison."""

from __future__ import annotations

from typing import Any

import numpy as np

from skdl.comparison._sentences import (
    budget_sentence,
    budget_warnings,
    explanation_sentence,
    flag_sentences,
    shuffle_sentence,
    task_sentence,
    verdict_sentence,
)
from skdl.comparison._tasks import fold_metrics
from skdl.metrics import bootstrap_metric


def _cell(value: float, spec: str = ".3g") -> str:
    """Format a number; an undefined one (NaN) reads "n/a"."""
    return "n/a" if not np.isfinite(value) else format(value, spec)


def comparison_rows(result: Any) -> list[list[str]]:
    """Cells of the paired-test table: one row per rival of the winner."""
    return [
        [
            row["candidate"],
            _cell(row["mean_difference"], ".3f"),
            _cell(row["pvalue"]),
            _cell(row["pvalue_holm"]),
            _cell(row["mcnemar_pvalue"]),
        ]
        for row in result.comparisons
    ]


#: Header of the paired-test table.
COMPARISON_HEADER = [
    "candidate",
    "mean difference",
    "p (corrected t)",
    "p (Holm)",
    "p (McNemar)",
]


def metric_intervals(
    result: Any, name: str, *, n_resamples: int = 1000, random_state: Any = 0
) -> dict[str, tuple[float, float, float]]:
    """Bootstrap 95% intervals of one candidate's pooled out-of-fold metrics.

    With ``groups`` in the comparison, whole groups are resampled.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.
    name : str
        Candidate name.
    n_resamples : int, default=1000
        Bootstrap resamples.
    random_state : int, RandomState instance or None, default=0
        Seed of the resampling.

    Returns
    -------
    intervals : dict
        ``{metric: (estimate, low, high)}`` for each metric of the task (auPRC,
        auROC and recall at each FDR level of a binary comparison). A metric
        undefined on the data (log loss of a candidate without probabilities)
        is left out.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.report import metric_intervals
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = compare({"logistic": LogisticRegression()}, X, y, random_state=0)
    >>> low, estimate, high = (metric_intervals(result, "logistic")["roc_auc"][i]
    ...                        for i in (1, 0, 2))
    >>> bool(low <= estimate <= high)
    True
    """
    out = {}
    metrics = fold_metrics(result.protocol["fdr"], result.task)
    for metric, (function, params) in metrics.items():
        try:
            boot = bootstrap_metric(
                function,
                result.y_true,
                result.oof_score[name],
                groups=result.groups,
                n_resamples=n_resamples,
                random_state=random_state,
                **params,
            )
        except ValueError:  # undefined on the data: no interval to give
            continue
        out[metric] = (boot.estimate, boot.low, boot.high)
    return out


def model_card(
    result: Any,
    *,
    data_description: str = "",
    sensitive_data: str | None = None,
    limitations: Any = (),
) -> str:
    """Write a Markdown model card for the winner of a comparison.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.
    data_description : str, default=""
        Where the data come from and what a sample and a label are.
    sensitive_data : str or None, default=None
        Set when the model was trained on sensitive data (patients, genotypes):
        the text is shown as a warning at the top of the card.
    limitations : sequence of str, default=()
        Known limitations to list next to the ones the card derives itself.

    Returns
    -------
    card : str
        Markdown with sections Model, Data, Splits, Tuning, Metrics,
        Comparison, Label-shuffle test, What the model learned (sequences
        only), Known limitations.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.report import model_card
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = compare({"logistic": LogisticRegression()}, X, y, random_state=0)
    >>> print(model_card(result).splitlines()[0])
    # Model card: logistic
    """
    protocol = result.protocol
    winner = result.winner
    lines = [f"# Model card: {winner}", ""]
    if sensitive_data:
        lines += [f"> **Warning: trained on sensitive data.** {sensitive_data}", ""]
    lines += [
        "## Model",
        f"- Candidate: `{winner}`, the best mean `{result.scoring}` of "
        f"{len(result.names)} candidates ({', '.join(result.names)}).",
        f"- Verdict: {verdict_sentence(result)}.",
        "",
        "## Data",
        f"- {task_sentence(result)}",
    ]
    if result.task == "binary":
        lines.append(
            f"- Prevalence {protocol['n_positive'] / protocol['n_samples']:.3f}."
        )
    if data_description:
        lines.append(f"- {data_description}")
    if result.groups is not None:
        lines.append(
            f"- {len(np.unique(result.groups))} groups, never split between "
            "training and test."
        )
    lines += [f"- Warning: {sentence}" for sentence in flag_sentences(result)]
    lines += [
        "",
        "## Splits",
        f"- Outer (test) folds: `{protocol['outer_cv']}`.",
        f"- Inner (tuning) folds: `{protocol['inner_cv']}`.",
        f"- Seed: {protocol['random_state']}.",
        "",
        "## Tuning",
        f"- Search: `{protocol['search']}`, scoring `{result.scoring}`.",
        f"- {budget_sentence(result)}",
        *(f"- Warning: {sentence}" for sentence in budget_warnings(result)),
        "- Chosen hyperparameters per outer fold:",
    ]
    lines += [
        f"  - fold {k + 1}: `{p}`" for k, p in enumerate(result.best_params[winner])
    ]
    gap = float(np.mean(result.train_score[winner] - result.tune_score[winner]))
    lines += [
        f"- Train-vs-tuning gap of the chosen configuration: {gap:.3f}.",
        "",
        "## Metrics",
        "Pooled out-of-fold predictions, 95% bootstrap intervals"
        + (" (groups resampled)" if result.groups is not None else "")
        + ".",
        "",
        "| metric | estimate | 95% interval | mean (sd) over folds |",
        "|---|---|---|---|",
    ]
    for metric, (estimate, low, high) in metric_intervals(result, winner).items():
        folds = result.scores[winner][metric]
        lines.append(
            f"| {metric} | {estimate:.3f} | [{low:.3f}, {high:.3f}] | "
            f"{np.mean(folds):.3f} ({np.std(folds):.3f}) |"
        )
    lines += [
        "",
        "## Comparison",
        f"| {' | '.join(COMPARISON_HEADER)} |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(cells)} |" for cells in comparison_rows(result)),
    ]
    lines += ["", "## Label-shuffle test", *_shuffle_lines(result)]
    learned = explanation_sentence(result)
    if learned:
        lines += ["", "## What the model learned", f"- {learned}"]
    lines += [
        "",
        "## Known limitations",
        *(f"- {t}" for t in [*limitations, *_derived_limitations(result)]),
    ]
    return "\n".join(lines) + "\n"


def _shuffle_lines(result: Any) -> list[str]:
    """Return the label-shuffle section: the shared sentence, and p's floor."""
    lines = [f"- {shuffle_sentence(result)}"]
    shuffle = result.memorization
    if shuffle is not None:
        lines.append(
            f"- The smallest possible p with {len(shuffle.permutation_scores)} "
            f"shuffles is {1 / (1 + len(shuffle.permutation_scores)):.3g}."
        )
    return lines


def _derived_limitations(result: Any) -> list[str]:
    """Return the limitations the card can tell from the comparison itself."""
    derived = [
        "Scores come from the data above: a new cohort, lab, batch or genome "
        "region may behave differently.",
        "Predictions are scores, not calibrated probabilities; use a conformal "
        "wrapper for guaranteed coverage."
        if result.task != "regression"
        else "Predictions are point estimates; use a conformal wrapper for "
        "intervals with guaranteed coverage.",
    ]
    n_positive = result.protocol.get("n_positive")
    if result.task == "binary" and n_positive < 100:
        derived.append(
            f"Only {n_positive} positives: intervals are wide and recall at a low "
            "FDR rests on few samples."
        )
    if result.groups is None:
        derived.append(
            "No groups were given: related samples (replicates, patients, "
            "homologous sequences) may sit on both sides of a split and inflate "
            "every score."
        )
    return derived
