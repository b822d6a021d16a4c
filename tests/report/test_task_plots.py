"""The task-specific views: regression panels, confusion matrix, per-class recall."""

import re

import numpy as np
import pytest
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import confusion_matrix, r2_score

from skdl.comparison import compare
from skdl.metrics import recall_at_fdr_score
from skdl.report import (
    per_class_recall_at_fdr,
    plot_confusion_matrix,
    plot_curves,
    plot_fold_scores,
    plot_memorization,
    plot_predicted_vs_observed,
    plot_residuals,
    plot_tuning_gap,
)

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def regression():
    X, y = make_regression(n_samples=120, n_features=5, noise=10, random_state=0)
    return compare(
        {"ridge": Ridge(), "mean": DummyRegressor()},
        X,
        y,
        cv=3,
        n_permutations=3,
        random_state=0,
    )


@pytest.fixture(scope="module")
def multiclass():
    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    return compare(
        {
            "logistic": LogisticRegression(max_iter=1000),
            "dummy": DummyClassifier(),
        },
        X,
        labels,
        cv=3,
        n_permutations=3,
        random_state=0,
    )


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(n_samples=150, random_state=0)
    return compare({"logistic": LogisticRegression()}, X, y, cv=3, random_state=0)


def test_predicted_vs_observed_panels_and_r2(regression):
    figure = plot_predicted_vs_observed(regression)
    assert [ax.get_title() for ax in figure.axes] == ["ridge", "mean"]
    for ax, name in zip(figure.axes, regression.names):
        r2 = r2_score(regression.y_true, regression.oof_pred[name])
        assert [t.get_text() for t in ax.texts] == [f"R² = {r2:.3f}"]
        x, y = ax.collections[0].get_offsets().T
        np.testing.assert_array_equal(x, regression.y_true)
        np.testing.assert_array_equal(y, regression.oof_pred[name])
        identity = ax.lines[0].get_xydata()
        np.testing.assert_array_equal(identity[:, 0], identity[:, 1])


def test_regression_grid_wraps_after_four_columns():
    X, y = make_regression(n_samples=60, n_features=3, noise=5, random_state=0)
    candidates = {
        "ridge": Ridge(),
        "ridge_strong": Ridge(alpha=100.0),
        "linear": LinearRegression(),
        "mean": DummyRegressor(),
        "median": DummyRegressor(strategy="median"),
    }
    result = compare(candidates, X, y, cv=3, random_state=0)
    for plot in (plot_predicted_vs_observed, plot_residuals):
        figure = plot(result)
        assert [ax.get_title() for ax in figure.axes] == list(candidates)
        rows_columns = {ax.get_subplotspec().get_geometry()[:2] for ax in figure.axes}
        assert rows_columns == {(2, 4)}


def test_residuals(regression):
    figure = plot_residuals(regression)
    assert [ax.get_title() for ax in figure.axes] == ["ridge", "mean"]
    for ax, name in zip(figure.axes, regression.names):
        x, y = ax.collections[0].get_offsets().T
        predicted = regression.oof_pred[name]
        np.testing.assert_array_equal(x, predicted)
        np.testing.assert_allclose(y, regression.y_true - predicted)
        assert list(ax.lines[0].get_ydata()) == [0.0, 0.0]  # the zero line
    # One residual scale for every candidate.
    assert len({ax.get_ylim() for ax in figure.axes}) == 1


@pytest.mark.parametrize("name", [None, "dummy"])
def test_confusion_matrix(multiclass, name):
    shown = multiclass.winner if name is None else name
    figure = plot_confusion_matrix(multiclass, name=name)
    (ax,) = figure.axes
    assert ax.get_title() == f"Confusion matrix: {shown}"
    share = np.asarray(ax.images[0].get_array())
    np.testing.assert_allclose(share.sum(axis=1), 1.0)
    expected = confusion_matrix(multiclass.y_true, multiclass.oof_pred[shown])
    counts = np.array([int(t.get_text().split("\n")[0]) for t in ax.texts])
    np.testing.assert_array_equal(counts.reshape(expected.shape), expected)
    np.testing.assert_allclose(share, expected / expected.sum(axis=1, keepdims=True))
    labels = ["setosa", "versicolor", "virginica"]
    assert [t.get_text() for t in ax.get_xticklabels()] == labels
    assert [t.get_text() for t in ax.get_yticklabels()] == labels


def test_confusion_matrix_binary(binary):
    (ax,) = plot_confusion_matrix(binary).axes
    counts = np.array([int(t.get_text().split("\n")[0]) for t in ax.texts])
    expected = confusion_matrix(binary.y_true, binary.oof_pred["logistic"])
    np.testing.assert_array_equal(counts.reshape(2, 2), expected)


def test_unknown_candidate(multiclass):
    msg = (
        "plot_confusion_matrix: no candidate named 'forest'; the result compares "
        "['logistic', 'dummy']."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot_confusion_matrix(multiclass, name="forest")


@pytest.mark.parametrize("name", [None, "dummy"])
def test_per_class_recall_at_fdr(multiclass, name):
    shown = multiclass.winner if name is None else name
    table = per_class_recall_at_fdr(multiclass, name=name)
    assert table[0] == [
        "class",
        "samples",
        "recall at 5% FDR",
        "recall at 10% FDR",
        "recall at 20% FDR",
    ]
    assert len(table) == 1 + len(multiclass.classes)
    score = multiclass.oof_score[shown]
    for c, row in enumerate(table[1:]):
        positive = multiclass.y_true == c
        expected = [
            f"{recall_at_fdr_score(positive, score[:, c], fdr=q):.3f}"
            for q in multiclass.protocol["fdr"]
        ]
        assert row == [multiclass.classes[c], str(positive.sum()), *expected]


def test_per_class_recall_at_fdr_binary(binary):
    table = per_class_recall_at_fdr(binary)
    score = binary.oof_score["logistic"]
    q = binary.protocol["fdr"][0]
    assert table[2][2] == f"{recall_at_fdr_score(binary.y_true, score, fdr=q):.3f}"
    negative = 1 - binary.y_true
    assert table[1][2] == f"{recall_at_fdr_score(negative, -score, fdr=q):.3f}"


WRONG_TASK = [
    (
        plot_curves,
        "multiclass",
        "plot_curves: the result is a multiclass comparison; FDR-recall and "
        "precision-recall curves need a binary one. Use plot_confusion_matrix or "
        "per_class_recall_at_fdr instead.",
    ),
    (
        plot_curves,
        "regression",
        "plot_curves: the result is a regression comparison; FDR-recall and "
        "precision-recall curves need a binary one. Use plot_predicted_vs_observed "
        "or plot_residuals instead.",
    ),
    (
        plot_confusion_matrix,
        "regression",
        "plot_confusion_matrix: the result is a regression comparison; confusion "
        "matrices need a multiclass or binary one. Use plot_predicted_vs_observed "
        "or plot_residuals instead.",
    ),
    (
        per_class_recall_at_fdr,
        "regression",
        "per_class_recall_at_fdr: the result is a regression comparison; "
        "per-class recall tables need a multiclass or binary one. Use "
        "plot_predicted_vs_observed or plot_residuals instead.",
    ),
    (
        plot_predicted_vs_observed,
        "multiclass",
        "plot_predicted_vs_observed: the result is a multiclass comparison; "
        "predicted-vs-observed plots need a regression one. Use "
        "plot_confusion_matrix or per_class_recall_at_fdr instead.",
    ),
    (
        plot_residuals,
        "binary",
        "plot_residuals: the result is a binary comparison; residual plots need a "
        "regression one. Use plot_curves or plot_confusion_matrix instead.",
    ),
]


@pytest.mark.parametrize(("plot", "task", "msg"), WRONG_TASK)
def test_wrong_task(plot, task, msg, request):
    result = request.getfixturevalue(task)
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot(result)


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_shared_plots_every_task(task, request):
    result = request.getfixturevalue(task)
    titles = [ax.get_title() for ax in plot_fold_scores(result).axes]
    expected_second = {
        "binary": "recall_at_5pct_fdr",
        "multiclass": "balanced_accuracy",
        "regression": "mean_absolute_error",
    }
    assert titles == [result.scoring, expected_second[task]]
    (ax,) = plot_tuning_gap(result).axes
    assert ax.get_title() == "Train vs tuning score"
    assert ax.get_ylabel() == result.scoring


@pytest.mark.parametrize("task", ["multiclass", "regression"])
def test_memorization_shows_every_shuffle(task, request):
    result = request.getfixturevalue(task)
    (ax,) = plot_memorization(result).axes
    shuffle = result.memorization
    # Every shuffled score lands in the histogram, even an R² far below zero.
    heights = [patch.get_height() for patch in ax.patches]
    assert sum(heights) == len(shuffle.permutation_scores)
    low, high = ax.get_xlim()
    assert low <= min(shuffle.permutation_scores) and high >= shuffle.score
