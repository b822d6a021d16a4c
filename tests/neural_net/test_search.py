"""Deep and classical estimators tuned by the same search objects."""

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skdl.neural_net import MLPNetClassifier


def _grouped_breast_cancer():
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    groups = np.arange(len(y)) % 12  # e.g. 12 patients or batches
    return X, y, groups


def test_one_grid_search_tunes_net_pipeline_and_random_forest():
    X, y, groups = _grouped_breast_cancer()
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("model", MLPNetClassifier(max_epochs=5, lr=0.01, random_state=0)),
        ]
    )
    # One GridSearchCV, one parameter grid per candidate, one scoring and one
    # group-aware splitter: both models get exactly the same tuning protocol.
    grid = [
        {
            "model": [MLPNetClassifier(max_epochs=5, lr=0.01, random_state=0)],
            "model__hidden_layer_sizes": [(8,), (32,)],
            "model__dropout": [0.0, 0.2],
        },
        {
            "model": [RandomForestClassifier(n_estimators=20, random_state=0)],
            "model__max_depth": [3, None],
            "scale": ["passthrough"],
        },
    ]
    search = GridSearchCV(pipe, grid, scoring="average_precision", cv=GroupKFold(3))
    search.fit(X, y, groups=groups)
    kinds = [type(p["model"]).__name__ for p in search.cv_results_["params"]]
    assert (
        kinds.count("MLPNetClassifier") == 4
        and kinds.count("RandomForestClassifier") == 2
    )
    scores = search.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(scores)) and np.all(scores > 0.9)
    assert search.best_estimator_.predict_proba(X).shape == (len(y), 2)


def _search(n_jobs):
    X, y, groups = _grouped_breast_cancer()
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("net", MLPNetClassifier(max_epochs=4, random_state=0)),
        ]
    )
    search = GridSearchCV(
        pipe,
        {"net__hidden_layer_sizes": [(8,), (16,)], "net__dropout": [0.0, 0.3]},
        scoring="neg_log_loss",
        cv=GroupKFold(3),
        n_jobs=n_jobs,
    )
    search.fit(X, y, groups=groups)
    return search.cv_results_[
        "split0_test_score"
    ], search.best_estimator_.predict_proba(X)


def test_grid_search_is_reproducible_with_two_workers():
    scores_a, proba_a = _search(n_jobs=2)
    scores_b, proba_b = _search(n_jobs=2)
    np.testing.assert_array_equal(scores_a, scores_b)
    np.testing.assert_array_equal(proba_a, proba_b)
    # Same results as one process, whose torch uses both cores.
    scores_c, proba_c = _search(n_jobs=1)
    np.testing.assert_array_equal(scores_a, scores_c)
    np.testing.assert_array_equal(proba_a, proba_c)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_cross_validate_with_groups(n_jobs):
    X, y, groups = _grouped_breast_cancer()
    net = Pipeline(
        [
            ("scale", StandardScaler()),
            ("net", MLPNetClassifier(max_epochs=3, random_state=0)),
        ]
    )
    result = cross_validate(
        net,
        X,
        y,
        groups=groups,
        cv=GroupKFold(4),
        scoring=["average_precision", "roc_auc"],
        n_jobs=n_jobs,
    )
    assert result["test_average_precision"].shape == (4,)
    assert np.all(result["test_roc_auc"] > 0.9)
