"""Write a comparison's HTML report, PNG plots, model card, JSON results and model."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
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
from skdl.report._card import COMPARISON_HEADER, comparison_rows, model_card
from skdl.report._model_file import (
    MODEL_FILE,
    model_file_section,
    write_model_file,
)
from skdl.report._plots import (
    per_class_recall_at_fdr,
    plot_confusion_matrix,
    plot_curves,
    plot_fold_scores,
    plot_learned,
    plot_memorization,
    plot_predicted_vs_observed,
    plot_residuals,
    plot_tuning_gap,
)
from skdl.utils._optional import import_skops

#: File name and plotting function of each figure in the report, per task.
FIGURES = {
    "binary": {
        "curves.png": plot_curves,
        "fold_scores.png": plot_fold_scores,
        "tuning_gap.png": plot_tuning_gap,
        "memorization.png": plot_memorization,
    },
    "multiclass": {
        "confusion_matrix.png": plot_confusion_matrix,
        "fold_scores.png": plot_fold_scores,
        "tuning_gap.png": plot_tuning_gap,
        "memorization.png": plot_memorization,
    },
    "regression": {
        "predicted_vs_observed.png": plot_predicted_vs_observed,
        "residuals.png": plot_residuals,
        "fold_scores.png": plot_fold_scores,
        "tuning_gap.png": plot_tuning_gap,
        "memorization.png": plot_memorization,
    },
}
_REPORT_FILES = sorted(
    {name for figures in FIGURES.values() for name in figures}
    | {"index.html", "model_card.md", "results.json", "learned.png", MODEL_FILE}
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return repr(value)


def results_dict(result: Any) -> dict[str, Any]:
    """Return the comparison's fold-level results as JSON-ready Python objects.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    results : dict
        Protocol, per-fold scores, tuning scores, chosen hyperparameters, fit
        times, comparisons and the label-shuffle test; no per-sample arrays.

    Examples
    --------
    >>> import json
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.report import results_dict
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = compare({"logistic": LogisticRegression()}, X, y, random_state=0)
    >>> sorted(json.loads(json.dumps(results_dict(result))))[:3]
    ['alpha', 'best_params', 'comparisons']
    """
    shuffle = result.memorization
    return _jsonable(
        {
            "protocol": result.protocol,
            "task": result.task,
            "flags": flag_sentences(result),
            "winner": result.winner,
            "crowned": result.crowned,
            "alpha": result.alpha,
            "scoring": result.scoring,
            "metrics": result.metrics,
            "scores": result.scores,
            "train_score": result.train_score,
            "tune_score": result.tune_score,
            "best_params": result.best_params,
            "n_configurations": result.n_configurations,
            "fit_time": result.fit_time,
            "comparisons": result.comparisons,
            "explanation": _explanation_dict(result),
            "memorization": None
            if shuffle is None
            else {
                "score": shuffle.score,
                "permutation_scores": shuffle.permutation_scores,
                "pvalue": shuffle.pvalue,
                "chance": shuffle.chance,
                "scoring": shuffle.scoring,
            },
        }
    )


def _explanation_dict(result: Any) -> dict[str, Any] | None:
    explanation = getattr(result, "explanation", None)
    if explanation is None:
        return None
    motifs = explanation.motifs
    return {
        "candidate": explanation.candidate,
        "fold": explanation.fold,
        "method": explanation.method,
        "response": explanation.response,
        "samples": explanation.samples,
        "sentence": explanation_sentence(result),
        "motifs": None if motifs is None else motifs.to_dict(orient="records"),
    }


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _learned_section(result: Any, out: Path, title: str) -> str:
    """Write the logos of "What the winner learned"; return its HTML."""
    explanation = getattr(result, "explanation", None)
    if explanation is None:
        return ""
    _save(plot_learned(result), out / "learned.png", f"{title}: learned")
    motifs = ""
    table = explanation.motifs
    top = None if table is None else table[table["n_seqlets"] > 0].head(5)
    if top is not None and len(top):
        motifs = "<h3>Best-matching known motifs (JASPAR 2024)</h3>" + _table(
            ["motif", "matrix", "segments", "fraction", "mean correlation"],
            [
                [
                    str(row.motif),
                    str(row.matrix_id),
                    str(int(row.n_seqlets)),
                    f"{row.fraction:.2f}",
                    f"{row.mean_correlation:.2f}",
                ]
                for row in top.itertuples()
            ],
        )
    return (
        f"<h2>What the winner learned ({html.escape(explanation.candidate)})</h2>"
        f"<p>{html.escape(explanation_sentence(result))} Each letter's height "
        "is its contribution: the drop in the response when it is replaced "
        "(the mean over the other letters).</p>"
        '<figure><img src="learned.png" alt="learned.png"></figure>' + motifs
    )


def _save(figure: Any, path: Path, title: str) -> None:
    panels = "; ".join(ax.get_title() for ax in figure.axes if ax.get_title())
    figure.savefig(
        path, dpi=100, metadata={"Title": title, "Description": f"panels: {panels}"}
    )


def _with_model_file(result: Any, card: str, record: dict[str, Any]) -> tuple[str, str]:
    """Return the card with its "Model file" section, and the page's sentence.

    The section follows the card's "Model" section.
    """
    head, data, tail = card.partition("\n## Data\n")
    section = "\n".join(model_file_section(result, record))
    card = f"{head.rstrip()}\n\n{section}\n{data}{tail}"
    sentence = (
        f'; the winner refitted on all the data: <a href="{MODEL_FILE}">'
        f"{MODEL_FILE}</a> (SHA-256 <code>{record['sha256']}</code>, load it "
        "with <code>skdl.report.load_model</code>)"
    )
    return card, sentence


def write_report(
    result: Any,
    directory: str | os.PathLike[str],
    *,
    title: str = "skdl comparison",
    data_description: str = "",
    sensitive_data: str | None = None,
    limitations: Any = (),
    model_file: bool = False,
) -> Path:
    """Write ``index.html``, the PNG plots, ``model_card.md`` and ``results.json``.

    A comparison of sequences also gets the section "What the winner
    learned": the logos of the winner's top held-out sequences
    (``learned.png``, see :func:`plot_learned`) and the known motifs their
    high-contribution segments match (``result.explanation``).

    With ``model_file=True`` the winner refitted on all the data
    (``result.final_estimator``) is saved beside the card as ``model.skops``
    (see :func:`save_model`); ``results.json`` records its name and SHA-256,
    and the card says how to load it.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.
    directory : str or path-like
        Output folder; created if missing. The report files of an earlier
        report in it are replaced (none is left stale); other files are kept.
    title : str, default="skdl comparison"
        Title of the HTML page.
    data_description : str, default=""
        One sentence on the data, shown in the page and the model card.
    sensitive_data : str or None, default=None
        Warning for a model trained on sensitive data (see :func:`model_card`).
    limitations : sequence of str, default=()
        Known limitations for the model card.
    model_file : bool, default=False
        Also write the model file ``model.skops``. Needs a result of
        ``compare(..., refit=True)`` and skops (``pip install skdl[share]``).

    Returns
    -------
    path : pathlib.Path
        Path of ``index.html``.

    Raises
    ------
    ValueError
        If ``model_file=True`` and the result holds no refitted winner
        (``result.final_estimator`` is None); nothing is written then.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.report import write_report
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = compare({"logistic": LogisticRegression()}, X, y, random_state=0)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = write_report(result, folder)
    ...     sorted(p.name for p in page.parent.iterdir())
    ['curves.png', 'fold_scores.png', 'index.html', 'model_card.md', 'results.json', \
'tuning_gap.png']

    The winner itself, refitted, beside the card:

    >>> result = compare({"logistic": LogisticRegression()}, X, y,
    ...                  refit=True, random_state=0)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = write_report(result, folder, model_file=True)
    ...     stored = json.loads((page.parent / "results.json").read_text())
    >>> stored["model_file"]["name"]
    'model.skops'
    """
    if model_file:  # checked before anything is written
        if getattr(result, "final_estimator", None) is None:
            raise ValueError(
                "write_report(model_file=True) saves the winner refitted on all "
                "the data, but result.final_estimator is None: run compare(..., "
                "refit=True), or pass model_file=False."
            )
        import_skops("write_report(model_file=True)")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    # An older report's files go first, so that none is left stale beside the
    # new ones (a label-shuffle plot from a run that had one, say).
    for name in _REPORT_FILES:
        (out / name).unlink(missing_ok=True)
    images = []
    for filename, plot in FIGURES[result.task].items():
        if plot is plot_memorization and result.memorization is None:
            continue
        figure = plot(result)
        _save(figure, out / filename, f"{title}: {filename.removesuffix('.png')}")
        images.append(filename)
    learned = _learned_section(result, out, title)
    card = model_card(
        result,
        data_description=data_description,
        sensitive_data=sensitive_data,
        limitations=limitations,
    )
    results = results_dict(result)
    results["model_file"] = None
    model_html = ""
    if model_file:
        results["model_file"] = write_model_file(result.final_estimator, out)
        card, model_html = _with_model_file(result, card, results["model_file"])
    (out / "model_card.md").write_text(card, encoding="utf-8")
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")

    scores = _table(
        ["candidate", *result.metrics, "train-tune gap", "search s", "configurations"],
        [
            [*result.score_row(name), str(sorted(set(result.n_configurations[name])))]
            for name in result.names
        ],
    )
    comparisons = _table(COMPARISON_HEADER, comparison_rows(result))
    params = _table(
        ["candidate", *(f"fold {k + 1}" for k in range(int(result.fold.max()) + 1))],
        [[name, *(str(p) for p in result.best_params[name])] for name in result.names],
    )
    shuffle_text = f"<p>{html.escape(shuffle_sentence(result))}</p>"
    per_class = ""
    if result.task == "multiclass":
        rows = per_class_recall_at_fdr(result)
        per_class = (
            f"<h2>Recall at FDR per class ({html.escape(result.winner)}, "
            "one-vs-rest)</h2>" + _table(rows[0], rows[1:])
        )
    warnings_html = "".join(
        f'<p class="warning">{html.escape(s)}</p>'
        for s in [*flag_sentences(result), *budget_warnings(result)]
    )
    protocol = result.protocol
    figures = "".join(
        f'<figure><img src="{name}" alt="{name}"></figure>' for name in images
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 80em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
img {{ max-width: 100%; }}
.warning {{ background: #fff3cd; padding: 0.8em; border: 1px solid #e0c060; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
{f'<p class="warning">{html.escape(sensitive_data)}</p>' if sensitive_data else ""}
<p>{html.escape(data_description)}</p>
<p>{html.escape(task_sentence(result))}</p>
{warnings_html}
<p>Every candidate was tuned with the same search on the same inner folds
(<code>{html.escape(protocol["inner_cv"])}</code>) and scored once per outer
fold (<code>{html.escape(protocol["outer_cv"])}</code>).
{html.escape(budget_sentence(result))}</p>
<h2>Verdict</h2><p>{html.escape(verdict_sentence(result))}.</p>
<h2>Scores: mean (sd) over outer folds</h2>{scores}
<h2>Paired tests against the winner</h2>{comparisons}
{per_class}
<h2>Label-shuffle test ({html.escape(result.winner)})</h2>{shuffle_text}
<h2>Plots</h2>{figures}
{learned}
<h2>Chosen hyperparameters</h2>{params}
<p>Model card: <a href="model_card.md">model_card.md</a>; all numbers:
<a href="results.json">results.json</a>{model_html}.</p>
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
