"""compare and skdl compare on real tables: clinical, cell types, molecules (#15).

Each dataset ships inside a wheel that ``make setup`` installs (see
``tests/_real_data.py``); nothing is downloaded.
"""

import json

import numpy as np
import pytest
from sklearn.model_selection import KFold

from skdl.cli import main
from skdl.comparison import compare, default_candidates
from tests._real_data import load_actg320, load_huuskonen, load_pbmc68k


def _subset(kind, task, X, names, random_state=0):
    panel = default_candidates(kind, task=task, X=X, random_state=random_state)
    return {name: panel[name] for name in names}


def test_actg320_mixed_columns_binary():
    data = load_actg320()
    X, y, strata = data.X, data.y.to_numpy(), data.groups.to_numpy()
    assert (X.dtypes == "category").sum() == 8  # nominal columns, as text
    panel = _subset(
        "tabular", "binary", X, ["LogisticRegression", "HistGradientBoosting"]
    )
    # The trial has two CD4 strata: leaving one out leaves a single stratum to
    # tune on, which grouped inner folds cannot split. That is refused by name.
    with pytest.raises(ValueError, match="holds 1 group.s., too few for 2 inner"):
        compare(panel, X, y, groups=strata, cv=2, inner_cv=2, n_iter=2)
    # One row per patient: plain stratified folds keep every patient whole.
    result = compare(panel, X, y, cv=3, inner_cv=2, n_iter=2, random_state=0)
    assert result.task == "binary" and result.classes.tolist() == [0, 1]
    # 8% events: every candidate beats the prevalence, none is near perfect
    for name in result.names:
        assert 0.1 < result.mean_scores()[name] < 0.6
    assert result.flags == []


def test_pbmc68k_ten_cell_types_multiclass():
    data = load_pbmc68k()
    result = compare(
        _subset("tabular", "multiclass", data.X, ["LogisticRegression", "KNeighbors"]),
        data.X,
        data.y.to_numpy(),
        cv=3,
        inner_cv=2,
        n_iter=2,
        random_state=0,
    )
    assert result.task == "multiclass" and len(result.classes) == 10
    assert "CD56+ NK" in result.classes.tolist()
    assert result.oof_score["LogisticRegression"].shape == (700, 10)
    # chance macro auPRC is 0.1; cell types are well separated by expression
    assert min(result.mean_scores().values()) > 0.5


def test_huuskonen_regression_random_folds_beat_scaffold_folds():
    data = load_huuskonen()
    X, y, scaffolds = data.X, data.y.to_numpy(), data.groups.to_numpy()
    panel = _subset("tabular", "regression", X, ["Ridge", "HistGradientBoosting"])
    common = {"inner_cv": 2, "n_iter": 2, "random_state": 0}
    grouped = compare(panel, X, y, groups=scaffolds, cv=5, **common)
    shuffled = compare(panel, X, y, cv=KFold(5, shuffle=True, random_state=0), **common)
    assert grouped.task == "regression" and "GroupKFold" in grouped.protocol["outer_cv"]
    best = grouped.winner
    assert grouped.mean_scores()[best] > 0.5
    # molecules that share a scaffold make random folds optimistic
    assert shuffled.mean_scores()[best] > grouped.mean_scores()[best]


def test_skdl_compare_on_the_real_clinical_table(tmp_path, capsys):
    data = load_actg320()
    table = data.X.copy()
    table["patient"] = [f"P{i:04d}" for i in range(len(table))]
    table["event"] = data.y.to_numpy()
    table.loc[table.index[::9], "cd4"] = np.nan
    path = tmp_path / "actg320.tsv.gz"
    table.to_csv(path, sep="\t", index=False)
    out = tmp_path / "report"
    common = ["compare", "--data", str(path), "--target", "event", "--out", str(out)]
    fast = ["--models", "LogisticRegression,HistGradientBoosting", "--cv", "2"]
    assert main([*common, *fast, "--n-iter", "2", "--time-budget", "none"]) == 0
    captured = capsys.readouterr()
    assert "Column 'patient' looks like an identifier" in captured.out
    assert "Plan: 1151 samples, no groups, task binary." in captured.err
    results = json.loads((out / "results.json").read_text())
    assert results["task"] == "binary"
    assert any("'patient'" in flag for flag in results["flags"])
    assert "patient" in (out / "model_card.md").read_text()
    # --drop leaves it out: nothing flagged, and the run completes
    assert main([*common, *fast, "--n-iter", "2", "--drop", "patient", "--force"]) == 0
    results = json.loads((out / "results.json").read_text())
    assert results["flags"] == []
    assert results["protocol"]["budget"] == "time"


@pytest.mark.parametrize("task", ["multiclass", "regression"])
def test_skdl_compare_other_tasks(task, tmp_path, capsys):
    if task == "multiclass":
        data = load_pbmc68k()
        table = data.X.iloc[:, :40].copy()
        table["cell type"] = data.y.to_numpy()
        target, models = "cell type", "LogisticRegression,KNeighbors"
    else:
        data = load_huuskonen()
        table = data.X.copy()
        table["scaffold"] = data.groups.to_numpy()
        table["logS"] = data.y.to_numpy()
        target, models = "logS", "Ridge,KNeighbors"
    path = tmp_path / "table.csv"
    table.to_csv(path, index=False)
    out = tmp_path / "report"
    argv = ["compare", "--data", str(path), "--target", target, "--out", str(out)]
    argv += ["--models", models, "--cv", "3", "--n-iter", "2", "--task", task]
    if task == "regression":
        argv += ["--groups", "scaffold"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert f"Task: {task}." in captured.out
    figure = "confusion_matrix.png" if task == "multiclass" else "residuals.png"
    assert (out / figure).exists()
