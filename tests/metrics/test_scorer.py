import re

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from skdl.metrics import (
    get_scorer,
    get_scorer_names,
    make_fdr_scorer,
    recall_at_fdr_score,
)
from skdl.neural_net import MLPNetClassifier


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), 1 - y  # malignant positive


def test_names_resolve_and_importing_skdl_changes_nothing_in_sklearn():
    import sklearn.metrics

    import skdl  # noqa: F401

    for pct in (5, 10, 25, 50):
        assert f"recall_at_{pct}pct_fdr" in get_scorer_names()
        assert get_scorer(f"recall_at_{pct}pct_fdr").fdr == pct / 100
    assert get_scorer("recall_at_2.5pct_fdr").fdr == 0.025
    assert "recall_at_10pct_fdr" not in sklearn.metrics.get_scorer_names()
    assert type(get_scorer("roc_auc")).__name__ == "_Scorer"
    with pytest.raises(ValueError, match=re.escape("needs a percentage in (0, 100)")):
        get_scorer("recall_at_100pct_fdr")
    with pytest.raises(ValueError, match="is not a valid scoring value"):
        get_scorer("recall_at_fdr")


@pytest.mark.parametrize("estimator", [LogisticRegression(), LinearSVC()])
def test_scorer_uses_decision_function_or_proba(cancer, estimator):
    X, y = cancer
    model = estimator.fit(X, y)
    scorer = get_scorer("recall_at_10pct_fdr")
    scores = model.decision_function(X)
    assert scorer(model, X, y) == recall_at_fdr_score(y, scores, fdr=0.1)


def test_scorer_with_string_labels_uses_second_class(cancer):
    X, y = cancer
    labels = np.array(["benign", "malignant"])[y]
    model = LogisticRegression().fit(X, labels)
    expected = recall_at_fdr_score(
        labels, model.predict_proba(X)[:, 1], fdr=0.05, pos_label="malignant"
    )
    assert make_fdr_scorer(0.05)(model, X, labels) == expected
    flipped = make_fdr_scorer(0.05, pos_label="benign")(model, X, labels)
    assert flipped == recall_at_fdr_score(
        labels, -model.decision_function(X), fdr=0.05, pos_label="benign"
    )


def test_multiclass_one_vs_rest():
    X, y = load_digits(return_X_y=True)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(X, y)
    score = make_fdr_scorer(0.1, pos_label=3)(model, X, y)
    assert score == recall_at_fdr_score(
        y, model.decision_function(X)[:, 3], fdr=0.1, pos_label=3
    )
    with pytest.raises(
        ValueError,
        match=re.escape(
            "declare the positive one with make_fdr_scorer(fdr, pos_label=...)"
        ),
    ):
        make_fdr_scorer(0.1)(model, X, y)
    with pytest.raises(
        ValueError,
        match=re.escape("pos_label=11 is not one of the estimator's classes"),
    ):
        make_fdr_scorer(0.1, pos_label=11)(model, X, y)


def test_scoring_strings_in_grid_search_and_multimetric_cross_validate(cancer):
    X, y = cancer
    groups = np.arange(len(y)) % 6
    search = GridSearchCV(
        LogisticRegression(),
        {"C": [0.01, 1.0]},
        scoring=get_scorer("recall_at_5pct_fdr"),
        cv=GroupKFold(3),
    ).fit(X, y, groups=groups)
    assert 0.5 < search.best_score_ <= 1
    names = ["recall_at_10pct_fdr", "recall_at_50pct_fdr", "average_precision"]
    result = cross_validate(
        MLPNetClassifier(max_epochs=5, random_state=0),
        X,
        y,
        cv=3,
        scoring={name: get_scorer(name) for name in names},
    )
    assert np.all(
        result["test_recall_at_10pct_fdr"] <= result["test_recall_at_50pct_fdr"]
    )
    assert np.all(result["test_recall_at_10pct_fdr"] > 0.5)


def test_scorer_in_skorch_epoch_scoring(cancer):
    from skorch.callbacks import EpochScoring

    X, y = cancer
    callback = EpochScoring(
        make_fdr_scorer(0.1), lower_is_better=False, name="valid_recall_10pct_fdr"
    )
    clf = MLPNetClassifier(
        max_epochs=3, early_stopping=True, random_state=0, callbacks=[callback]
    ).fit(X, y)
    assert 0 <= clf.history_[-1, "valid_recall_10pct_fdr"] <= 1


def test_rare_outcome_scores_zero_not_nan():
    # Like ACTG 320 deaths (2.3% events): an uninformative model cannot reach
    # 10% FDR, and the scorer must say 0.0, which a search can compare.
    rng = np.random.RandomState(0)
    X = rng.randn(1000, 5)
    y = (rng.rand(1000) < 0.023).astype(int)
    model = LogisticRegression().fit(X, y)
    assert get_scorer("recall_at_10pct_fdr")(model, X[::-1], y) == 0.0


def test_scorer_repr_and_bad_estimator():
    assert (
        repr(make_fdr_scorer(0.25, pos_label="tf"))
        == "make_fdr_scorer(fdr=0.25, pos_label='tf')"
    )
    with pytest.raises(TypeError, match="need a fitted classifier with classes_"):
        make_fdr_scorer(0.1)(object(), [[0]], [0])
    with pytest.raises(ValueError, match="The 'fdr' parameter of make_fdr_scorer"):
        make_fdr_scorer(2.0)
