"""compare: equal tuning, the verdicts it must and must not give, its protocol."""

import re
import time
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, ShuffleSplit
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skdl.comparison import compare, corrected_resampled_ttest
from skdl.comparison._compare import _normalize
from skdl.datasets import simulate_motif_sequences
from skdl.exceptions import SkdlWarning
from skdl.neural_net import ConvNetClassifier, MLPNetClassifier
from skdl.preprocessing import SequenceOneHotEncoder


@pytest.fixture(scope="module")
def tabular():
    return make_classification(
        n_samples=400,
        n_features=20,
        n_informative=6,
        n_redundant=4,
        weights=[0.8],
        random_state=0,
    )


def _mlp():
    net = MLPNetClassifier(
        max_epochs=40, early_stopping=True, n_iter_no_change=5, random_state=0
    )
    grid = {
        "mlpnetclassifier__hidden_layer_sizes": [(32,), (128,)],
        "mlpnetclassifier__lr": [1e-3, 1e-2],
    }
    return make_pipeline(StandardScaler(), net), grid


def test_net_wins_only_through_extra_tuning_and_equal_budgets_do_not_crown_it(
    tabular,
):
    X, y = tabular
    net, grid = _mlp()
    svm = make_pipeline(StandardScaler(), SVC())
    # Unequal: 4 net configurations against an SVM left at a poor gamma.
    with pytest.warns(SkdlWarning, match=re.escape("unequal tuning budgets")):
        unequal = compare(
            {"MLPNet": (net, grid), "SVM": (svm, {"svc__gamma": [3.0]})},
            X,
            y,
            n_iter=4,
            random_state=0,
        )
    assert unequal.n_configurations == {"MLPNet": [4] * 5, "SVM": [1] * 5}
    assert unequal.winner == "MLPNet" and unequal.crowned
    # Equal: the SVM gets the same 4 configurations' worth of search.
    with warnings.catch_warnings():
        warnings.simplefilter("error", SkdlWarning)
        equal = compare(
            {
                "MLPNet": (net, grid),
                "SVM": (svm, {"svc__gamma": [3.0, 0.3, 0.03, 0.003]}),
            },
            X,
            y,
            n_iter=4,
            random_state=0,
        )
    assert equal.n_configurations == {"MLPNet": [4] * 5, "SVM": [4] * 5}
    assert not (equal.winner == "MLPNet" and equal.crowned)
    (row,) = equal.comparisons
    assert row["pvalue_holm"] >= 0.05
    # The net's own numbers did not change: only the baseline's tuning did.
    np.testing.assert_array_equal(
        equal.scores["MLPNet"]["average_precision"],
        unequal.scores["MLPNet"]["average_precision"],
    )


def test_positional_motif_net_genuinely_wins():
    data = simulate_motif_sequences(
        1200,
        length=60,
        prevalence=0.2,
        grammar="positional",
        decoy_fraction=0.8,
        random_state=0,
    )

    def kmers(model):
        counts = CountVectorizer(analyzer="char", ngram_range=(1, 3))
        return Pipeline([("kmers", counts), ("model", model)])

    conv = ConvNetClassifier(
        filters=(16,),
        kernel_size=11,
        max_epochs=30,
        early_stopping=True,
        n_iter_no_change=5,
        random_state=0,
    )
    result = compare(
        {
            "LR (k-mers)": (
                kmers(LogisticRegression(max_iter=2000)),
                {"model__C": [0.01, 0.1, 1.0, 10.0]},
            ),
            "NB (k-mers)": (kmers(MultinomialNB()), {"model__alpha": [0.1, 1, 3, 10]}),
            "ConvNet": (
                Pipeline([("onehot", SequenceOneHotEncoder()), ("model", conv)]),
                {"model__global_pool": ["max", "flatten"], "model__lr": [3e-3, 1e-2]},
            ),
        },
        data.sequences,
        data.target,
        groups=data.chromosome,
        cv=3,
        inner_cv=2,
        n_iter=4,
        random_state=0,
    )
    assert result.winner == "ConvNet" and result.crowned
    means = result.mean_scores()
    assert means["ConvNet"] > 0.7
    assert max(means["LR (k-mers)"], means["NB (k-mers)"]) < 0.35  # chance: 0.2
    # The search found the position-aware pooling on its own in every fold.
    assert {p["model__global_pool"] for p in result.best_params["ConvNet"]} == {
        "flatten"
    }


def test_shuffled_labels_score_near_chance(tabular):
    X, y = tabular
    result = compare(
        {"logistic": (LogisticRegression(), {"C": [0.01, 1.0]})},
        X,
        y,
        n_permutations=8,
        random_state=0,
    )
    shuffle = result.memorization
    assert shuffle.chance == pytest.approx(np.mean(y == 1))
    assert abs(np.mean(shuffle.permutation_scores) - shuffle.chance) < 0.1
    assert shuffle.score == pytest.approx(
        np.mean(result.scores["logistic"]["average_precision"])
    )
    assert shuffle.margin > 0.4
    assert shuffle.pvalue == pytest.approx(1 / 9)


class _Recorder(ClassifierMixin, BaseEstimator):
    """Logistic regression on all columns but the last, which holds the group."""

    calls: list = []

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        _Recorder.calls.append(("fit", frozenset(X[:, -1])))
        self.model_ = LogisticRegression(C=self.C).fit(X[:, :-1], y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        _Recorder.calls.append(("predict", frozenset(X[:, -1])))
        return self.model_.predict_proba(X[:, :-1])

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def test_groups_stay_whole_in_outer_and_inner_folds(tabular):
    X, y = tabular
    groups = np.arange(len(y)) % 37
    Xg = np.c_[X, groups]
    _Recorder.calls = []
    compare(
        {"a": (_Recorder(), {"C": [0.1, 1.0]}), "b": (_Recorder(), {"C": [1.0, 10.0]})},
        Xg,
        y,
        groups=groups,
        n_iter=2,
        random_state=0,
    )
    fitted = None
    n_fits = 0
    for kind, seen in _Recorder.calls:
        if kind == "fit":
            fitted, n_fits = seen, n_fits + 1
        else:
            assert seen == fitted or not (seen & fitted)
    # 2 candidates x 5 outer folds x (2 configurations x 3 inner folds + refit)
    assert n_fits == 2 * 5 * (2 * 3 + 1)


def test_every_candidate_sees_the_same_folds(tabular):
    X, y = tabular
    groups = np.arange(len(y)) % 37
    _Recorder.calls = []
    compare(
        {"a": (_Recorder(), {"C": [0.1, 1.0]}), "b": (_Recorder(), {"C": [1.0, 10.0]})},
        np.c_[X, groups],
        y,
        groups=groups,
        n_iter=2,
        random_state=0,
    )
    fits = [seen for kind, seen in _Recorder.calls if kind == "fit"]
    per_search = 2 * 3 + 1
    for fold in range(5):
        a = fits[(2 * fold) * per_search : (2 * fold + 1) * per_search]
        b = fits[(2 * fold + 1) * per_search : (2 * fold + 2) * per_search]
        assert a == b


def test_result_statistics_match_the_tests(tabular):
    X, y = tabular
    result = compare(
        {"logistic": LogisticRegression(), "dummy": DummyClassifier()},
        X,
        y,
        random_state=0,
    )
    assert result.winner == "logistic" and result.crowned
    (row,) = result.comparisons
    expected = corrected_resampled_ttest(
        result.scores["logistic"]["average_precision"],
        result.scores["dummy"]["average_precision"],
        n_train=320,
        n_test=80,
    )
    assert row["pvalue"] == pytest.approx(expected.pvalue)
    assert row["pvalue_holm"] == row["pvalue"]  # a single comparison
    assert "Winner: logistic" in result.summary()
    # Every sample is scored once, by the fold that held it out.
    assert np.bincount(result.fold).tolist() == [80] * 5


def test_holm_adjustment_with_several_rivals(tabular):
    X, y = tabular
    result = compare(
        {
            "logistic": LogisticRegression(),
            "nb": GaussianNB(),
            "dummy": DummyClassifier(),
        },
        X,
        y,
        random_state=0,
    )
    raw = sorted(row["pvalue"] for row in result.comparisons)
    holm = sorted(row["pvalue_holm"] for row in result.comparisons)
    assert holm[0] == pytest.approx(min(1, 2 * raw[0]))
    assert all(h >= r for h, r in zip(holm, raw))


@pytest.mark.parametrize(
    ("search", "expected"), [("grid", [6] * 3), ("halving", [4] * 3)]
)
def test_search_strategies(tabular, search, expected):
    X, y = tabular
    result = compare(
        {"logistic": (LogisticRegression(), {"C": [0.001, 0.01, 0.1, 1, 10, 100]})},
        X,
        y,
        cv=3,
        search=search,
        n_iter=4,
        random_state=0,
    )
    assert result.n_configurations["logistic"] == expected
    assert result.protocol["search"] == search


class _Slow(LogisticRegression):
    def fit(self, X, y):
        time.sleep(0.05)
        return super().fit(X, y)


def test_wall_clock_budget_stops_the_search(tabular):
    X, y = tabular
    result = compare(
        {"slow": (_Slow(), {"C": list(np.logspace(-3, 3, 12))})},
        X,
        y,
        cv=2,
        inner_cv=2,
        n_iter=12,
        max_time=0.01,
        random_state=0,
    )
    # The first configuration always runs; no second batch starts after max_time.
    assert result.n_configurations["slow"] == [1, 1]


def test_refit_gives_a_final_model(tabular):
    X, y = tabular
    result = compare(
        {"logistic": (LogisticRegression(), {"C": [0.1, 1.0]})},
        X,
        y,
        refit=True,
        random_state=0,
    )
    assert result.final_estimator.best_estimator_.n_features_in_ == X.shape[1]
    assert result.final_estimator.predict(X).shape == y.shape


def test_string_labels_and_positive_class(tabular):
    X, y = tabular
    labels = np.where(y == 1, "tumour", "normal")
    result = compare(
        {"logistic": LogisticRegression()}, X, labels, pos_label="tumour", cv=3
    )
    assert result.classes.tolist() == ["normal", "tumour"]
    np.testing.assert_array_equal(result.y_true, y)


@pytest.mark.parametrize(
    "labels, positive",
    [
        # "5" > "10" as text: the smaller number used to be the positive class.
        (("5", "10"), "10"),
        ((5, 10), 10),
        (("False", "True"), "True"),
        ((False, True), True),
        (("0", "1"), "1"),
    ],
)
def test_evident_positive_labels(tabular, labels, positive):
    X, y = tabular
    named = np.where(y == 1, labels[1], labels[0])
    result = compare({"logistic": LogisticRegression()}, X, named, cv=2, inner_cv=2)
    assert result.classes[1] == positive
    np.testing.assert_array_equal(result.y_true, y)
    assert result.protocol["pos_label"] == positive


@pytest.mark.parametrize(
    "negative, positive", [("healthy", "disease"), ("inactive", "active")]
)
def test_named_labels_need_pos_label_and_are_named(tabular, negative, positive):
    # "inactive" > "active" and "healthy" > "disease" as text: the wrong class
    # was positive, and nothing named it.
    X, y = tabular
    named = np.where(y == 1, positive, negative)
    msg = (
        f"compare: cannot tell which of the labels {sorted([negative, positive])[0]!r}"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        compare({"logistic": LogisticRegression()}, X, named, cv=2)
    result = compare(
        {"logistic": LogisticRegression()}, X, named, pos_label=positive, cv=2
    )
    assert result.classes.tolist() == [negative, positive]
    assert f"Positive class: {positive!r}" in result.summary()
    with pytest.raises(ValueError, match=re.escape("pos_label='sick' is not one")):
        compare({"logistic": LogisticRegression()}, X, named, pos_label="sick")


def test_custom_scoring_is_primary_and_tunes(tabular):
    X, y = tabular
    result = compare(
        {"logistic": (LogisticRegression(), {"C": [0.01, 1.0]})},
        X,
        y,
        scoring="recall_at_10pct_fdr",
        fdr=[0.1],
        random_state=0,
    )
    assert result.metrics == ["recall_at_10pct_fdr", "average_precision", "roc_auc"]
    balanced = compare(
        {"logistic": LogisticRegression()},
        X,
        y,
        scoring="balanced_accuracy",
        random_state=0,
    )
    assert balanced.metrics[0] == "balanced_accuracy"
    assert 0.5 < balanced.mean_scores()["logistic"] <= 1


def test_default_panel_follows_the_input():
    seqs = np.array(["ACGT" * 5, "TTGA" * 5])
    assert "ConvNet" in _normalize(None, seqs, "binary", 0)
    assert "MLPNet" in _normalize(None, np.zeros((2, 3)), "binary", 0)
    assert "Ridge" in _normalize(None, np.zeros((2, 3)), "regression", 0)
    assert "Ridge (k-mers)" in _normalize(None, seqs, "regression", 0)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"y": np.arange(400) % 3, "task": "binary"},
            ValueError,
            "compare: task='binary' needs a binary target (a positive and a negative "
            "class); got 3",
        ),
        (
            {"y": np.ones(400)},
            ValueError,
            "compare: y holds a single value ([1.0]); it needs two classes or more",
        ),
        (
            {"candidates": {"x": (LogisticRegression(), {}, 3)}},
            ValueError,
            "compare: candidate 'x' must be an estimator or an (estimator, "
            "param_grid) pair; got a tuple of 3.",
        ),
        (
            {"candidates": {"x": "LogisticRegression"}},
            TypeError,
            "compare: candidate 'x' is not an estimator (no fit method); got str.",
        ),
        (
            {"candidates": {}},
            ValueError,
            "compare needs at least one candidate; got an empty dict.",
        ),
        (
            {"cv": ShuffleSplit(3, test_size=0.2, random_state=0)},
            ValueError,
            "compare: the outer cv must put every sample in exactly one test fold",
        ),
        (
            {"fdr": [0.1, 1.5]},
            ValueError,
            "compare: every fdr level must be in (0, 1); got [0.1, 1.5].",
        ),
    ],
)
def test_bad_input(tabular, kwargs, error, message):
    X, y = tabular
    args = {"candidates": {"logistic": LogisticRegression()}, "X": X, "y": y}
    args.update(kwargs)
    with pytest.raises(error, match=re.escape(message)):
        compare(
            args.pop("candidates"), args.pop("X"), args.pop("y"), random_state=0, **args
        )


def test_kfold_outer_cv_is_accepted(tabular):
    X, y = tabular
    result = compare(
        {"logistic": LogisticRegression()},
        X,
        y,
        cv=KFold(4, shuffle=True, random_state=0),
        random_state=0,
    )
    assert len(result.scores["logistic"]["roc_auc"]) == 4


def test_top_level_entry_point_is_lazy():
    import subprocess
    import sys

    import skdl

    assert skdl.compare is compare
    code = "import sys, skdl; assert 'torch' not in sys.modules; print(skdl.compare)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0 and "function compare" in run.stdout
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        skdl.nothing  # noqa: B018


@pytest.mark.parametrize(
    ("scoring", "expected"),
    [
        ("average_precision", 0.25),
        ("roc_auc", 0.5),
        ("balanced_accuracy", 0.5),
        ("accuracy", 0.75),
        ("recall_at_10pct_fdr", None),
    ],
)
def test_chance_scores(scoring, expected):
    from skdl.comparison._memorization import chance_score

    assert chance_score(scoring, [0, 0, 0, 1]) == expected


def test_default_tabular_panel_on_real_data_crowns_nobody(breast_cancer):
    # Wisconsin breast cancer (569 tumours): nearly linearly separable, so an
    # equally tuned MLP cannot be told apart from the best classical models.
    X, y = breast_cancer
    result = compare(None, X, y, cv=3, n_iter=2, random_state=0)
    assert result.names == [
        "LogisticRegression",
        "RandomForest",
        "HistGradientBoosting",
        "KNeighbors",
        "GaussianNB",
        "SVM",
        "MLPNet",
    ]
    assert all(n == [2, 2, 2] for n in result.n_configurations.values())
    assert not result.crowned
    assert min(result.mean_scores().values()) > 0.95


def test_outer_fold_without_positives_is_named(tabular):
    X, y = tabular
    y = np.zeros_like(y)
    y[:4] = 1  # every positive in the first fold of an unshuffled KFold
    msg = "compare: outer fold 1 of 5 has no positive sample in its training part"
    with pytest.raises(ValueError, match=re.escape(msg)):
        compare({"logistic": LogisticRegression()}, X, y, cv=KFold(5))
