"""compare on multiclass and regression targets, with equal time or configurations."""

import re
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris, make_regression
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import average_precision_score, r2_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler, label_binarize

from skdl.callbacks import TimeLimit
from skdl.comparison import compare
from skdl.comparison._compare import _make_search, _time_limited, _TimeBudgetSearchCV
from skdl.comparison._tasks import resolve_task
from skdl.exceptions import SkdlWarning
from skdl.neural_net import MLPNetClassifier


@pytest.fixture(scope="module")
def iris_named():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    return X, names


@pytest.fixture(scope="module")
def regression():
    return make_regression(n_samples=240, n_features=8, noise=20.0, random_state=0)


@pytest.mark.parametrize(
    ("y", "task"),
    [
        ([0, 1, 0, 1], "binary"),
        (["a", "b", "c", "a"], "multiclass"),
        ([0.5, 1.7, 2.2, 3.1], "regression"),
        ([0.0, 1.0, 0.0, 1.0], "binary"),
    ],
)
def test_auto_follows_type_of_target_and_says_why(y, task):
    _, decided, reason = resolve_task(y, "auto")
    assert decided == task
    assert reason.startswith(f"task='auto' decided {task!r}")


@pytest.mark.parametrize(
    ("y", "task", "message"),
    [
        ([0, 1, 2, 0], "binary", "task='binary' needs a binary target"),
        ([0, 1, 0, 1], "multiclass", "needs three classes or more; got 2"),
        (["a", "b", "a", "b"], "regression", "task='regression' needs numeric"),
        ([0.5, 1.7, 2.2, 3.1], "multiclass", "but y holds continuous values"),
        ([1.0, np.nan, 2.0, 3.0], "auto", "y contains NaN or infinity"),
    ],
)
def test_explicit_task_is_checked_against_the_labels(y, task, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        resolve_task(y, task)


def test_many_integer_classes_warn_that_they_may_be_measurements():
    with pytest.warns(SkdlWarning, match="pass task='regression'"):
        resolve_task(np.arange(100) % 30, "auto")


def test_multiclass_compare(iris_named):
    X, y = iris_named
    result = compare(
        {
            "logistic": (
                make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
                {"logisticregression__C": [0.01, 0.1, 1.0]},
            ),
            "prior": (
                DummyClassifier(),
                {"strategy": ["prior", "stratified", "uniform"]},
            ),
        },
        X,
        y,
        n_iter=3,
        cv=3,
        n_permutations=2,
        random_state=0,
    )
    assert result.task == "multiclass"
    assert result.classes.tolist() == ["setosa", "versicolor", "virginica"]
    assert result.metrics == ["average_precision", "balanced_accuracy", "log_loss"]
    assert result.oof_score["logistic"].shape == (150, 3)
    assert np.array_equal(result.classes[result.y_true], y)
    # macro auPRC on probabilities, fold by fold
    for k in range(3):
        test = result.fold == k
        expected = average_precision_score(
            label_binarize(result.y_true[test], classes=[0, 1, 2]),
            result.oof_score["logistic"][test],
            average="macro",
        )
        assert result.scores["logistic"]["average_precision"][k] == pytest.approx(
            expected
        )
    assert result.winner == "logistic" and result.crowned
    assert np.isfinite(result.comparisons[0]["mcnemar_pvalue"])
    assert result.memorization.chance == pytest.approx(1 / 3)
    assert result.memorization.scoring == "average_precision"
    assert np.mean(result.memorization.permutation_scores) < 0.6
    assert "Task: multiclass. 3 classes ('setosa': 50" in result.summary()


def test_multiclass_refuses_pos_label(iris_named):
    X, y = iris_named
    with pytest.raises(ValueError, match="pos_label is for a binary target"):
        compare({"lr": LogisticRegression()}, X, y, pos_label="setosa")


def test_regression_compare(regression):
    X, y = regression
    groups = np.arange(len(y)) % 12
    result = compare(
        {
            "ridge": (Ridge(), {"alpha": [0.1, 1.0, 10.0]}),
            "mean": (DummyRegressor(), {"strategy": ["mean", "median", "mean"]}),
        },
        X,
        y,
        groups=groups,
        n_iter=3,
        cv=4,
        n_permutations=2,
        random_state=0,
    )
    assert result.task == "regression" and result.classes.size == 0
    assert result.metrics == ["r2", "mean_absolute_error", "spearman"]
    assert "GroupKFold" in result.protocol["outer_cv"]
    for k in range(4):
        test = result.fold == k
        assert result.scores["ridge"]["r2"][k] == pytest.approx(
            r2_score(y[test], result.oof_score["ridge"][test])
        )
        assert len(np.intersect1d(groups[test], groups[~test])) == 0
    assert result.winner == "ridge" and result.crowned
    assert np.isnan(result.comparisons[0]["mcnemar_pvalue"])
    assert result.memorization.chance == 0.0
    assert max(result.memorization.permutation_scores) < 0.2
    assert result.scores["mean"]["r2"].mean() < 0.05


def test_regression_refuses_a_classification_score(regression):
    X, y = regression
    with pytest.raises(ValueError, match="is a classification score"):
        compare({"ridge": Ridge()}, X, y, scoring="average_precision")


class _Sleeper(ClassifierMixin, BaseEstimator):
    """A classifier whose fit takes ``seconds``: a stand-in for a slow model."""

    def __init__(self, seconds=0.05, C=1.0):
        self.seconds = seconds
        self.C = C

    def fit(self, X, y):
        time.sleep(self.seconds)
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.full((len(X), 2), 0.5)

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_time_budget_search_stops_before_its_limit():
    X = np.zeros((60, 2))
    y = np.arange(60) % 2
    search = _TimeBudgetSearchCV(
        _Sleeper(0.1), {"C": list(range(50))}, max_time=1.2, n_iter=50, cv=3
    )
    start = time.perf_counter()
    search.fit(X, y)
    elapsed = time.perf_counter() - start
    n = len(search.cv_results_["params"])
    # a configuration is 3 fits (0.3 s) plus the refit: it stops when the next
    # configuration would end past the limit, not after it
    assert 1 < n < 5
    assert elapsed < 1.2 + 0.3 + 0.2
    assert not search.first_over_budget_


def test_time_budget_is_shared_equally_and_reported():
    X = np.random.RandomState(0).randn(60, 2)
    y = np.arange(60) % 2
    with pytest.warns(SkdlWarning) as record:
        result = compare(
            {
                "slow": (_Sleeper(0.5), {"C": [1, 2, 3, 4]}),
                "fast": (_Sleeper(0.0), {"C": [1, 2, 3, 4]}),
            },
            X,
            y,
            cv=2,
            n_iter=4,
            time_budget=2.0,
        )
        warnings.warn("sentinel", SkdlWarning)
    assert result.protocol["budget"] == "time"
    assert result.protocol["max_time"] == pytest.approx(0.5)
    assert result.n_configurations["slow"] == [1, 1]
    assert result.n_configurations["fast"] == [4, 4]
    assert result.protocol["over_budget"] == {"slow": 2, "fast": 0}
    summary = result.summary()
    assert "Budget: equal time, 2 s in all" in summary
    assert "slow: its first configuration alone took longer than its time share" in (
        summary
    )
    assert not any("unequal tuning budgets" in str(w.message) for w in record)


def test_time_limited_nets_get_an_equal_part_of_the_search():
    net = make_pipeline(StandardScaler(), MLPNetClassifier(callbacks=[]))
    search = _make_search(
        net,
        {"mlpnetclassifier__lr": [1e-3, 1e-2]},
        search="random",
        n_iter=2,
        max_time=8.0,
        scoring="average_precision",
        cv=3,
        n_jobs=None,
        random_state=0,
    )
    ((name, limit),) = search.estimator.named_steps["mlpnetclassifier"].callbacks
    assert name == "time_limit" and isinstance(limit, TimeLimit)
    assert limit.max_time == pytest.approx(2.0)  # 8 s / (3 inner fits + refit)
    assert net.named_steps["mlpnetclassifier"].callbacks == []  # a clone was changed
    twice = _time_limited(search.estimator, 1.0)
    assert len(twice.named_steps["mlpnetclassifier"].callbacks) == 1


def test_a_mixed_table_runs_with_the_default_panel_and_flags_its_id():
    rng = np.random.RandomState(0)
    n = 300
    signal = rng.randn(n)
    table = pd.DataFrame(
        {
            "age": np.where(rng.rand(n) < 0.1, np.nan, 50 + 10 * rng.randn(n)),
            "marker": signal + 0.5 * rng.randn(n),
            "sex": rng.choice(["male", "female", None], n),
            "clinic": rng.choice(["north", "south", "east", "west", "tiny"], n),
            "record": [f"R{i:04d}" for i in range(n)],
        }
    )
    y = (signal > 0.8).astype(int)
    patients = np.arange(n) // 3
    with pytest.warns(SkdlWarning, match="Column 'record' looks like an identifier"):
        result = compare(
            None,
            table,
            y,
            groups=patients,
            cv=3,
            inner_cv=2,
            n_iter=2,
            random_state=0,
        )
    assert [f.kind for f in result.flags] == ["id"]
    assert "HistGradientBoosting" in result.names
    assert min(result.mean_scores("roc_auc").values()) > 0.6
    assert "Warning: Column 'record' looks like an identifier" in result.summary()


@pytest.mark.parametrize("task", ["multiclass", "regression"])
def test_report_and_card_follow_the_task(task, iris_named, regression, tmp_path):
    from skdl.report import model_card, write_report
    from skdl.report._html import FIGURES

    if task == "multiclass":
        X, y = iris_named
        candidates = {
            "lr": LogisticRegression(max_iter=1000),
            "dummy": DummyClassifier(),
        }
    else:
        X, y = regression
        candidates = {"ridge": Ridge(), "mean": DummyRegressor()}
    result = compare(candidates, X, y, cv=3, n_permutations=1, random_state=0)
    page = write_report(result, tmp_path)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == sorted(
        [*FIGURES[task], "index.html", "model_card.md", "results.json"]
    )
    text = page.read_text()
    card = model_card(result)
    assert f"Task: {task}." in text and f"Task: {task}." in card
    assert "ositive class" not in text + card
    if task == "multiclass":
        assert "Recall at FDR per class (lr, one-vs-rest)" in text
        assert "<td>virginica</td><td>50</td>" in text
        assert "| log_loss |" in card
    else:
        assert "predicted_vs_observed.png" in text and "residuals.png" in text
        assert "<td>n/a</td>" in text  # McNemar is for labels
        assert "| r2 |" in card and "point estimates" in card


def test_float32_probabilities_give_log_loss_without_a_warning():
    from skdl.comparison._tasks import _log_loss

    rng = np.random.RandomState(0)
    proba = rng.dirichlet(np.ones(10), size=500).astype(np.float32)
    y = rng.randint(10, size=500)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = _log_loss(y, proba.astype(np.float64))
    assert value == pytest.approx(
        -np.mean(np.log(proba[np.arange(500), y].astype(np.float64))), rel=1e-5
    )
    assert np.isnan(_log_loss(y, 3 * proba.astype(np.float64)))  # not probabilities


def test_one_candidate_and_listed_folds_are_said_plainly(iris_named):
    X, y = iris_named
    folds = [
        (
            np.arange(150)[np.arange(150) % 3 != k],
            np.arange(150)[np.arange(150) % 3 == k],
        )
        for k in range(3)
    ]
    result = compare({"lr": LogisticRegression(max_iter=1000)}, X, y, cv=folds)
    assert "Only one candidate: lr; there is nothing to compare" in result.summary()
    assert result.protocol["outer_cv"] == (
        "3 folds given as a list of (train, test) indices"
    )


def test_a_class_missing_from_a_training_part_keeps_its_column():
    from skdl.comparison._tasks import _multiclass_scores, task_scorer

    rng = np.random.RandomState(0)
    X = rng.randn(120, 3)
    y = np.repeat([0, 1, 2, 3], 30)
    X[:, 0] += y
    model = LogisticRegression().fit(X[y != 1], y[y != 1])  # classes_ 0, 2, 3
    scores = _multiclass_scores(model, X, n_classes=4)
    assert scores.shape == (120, 4)
    np.testing.assert_array_equal(scores[:, 1], 0.0)
    np.testing.assert_allclose(scores[:, [0, 2, 3]], model.predict_proba(X))
    _, scorer = task_scorer("average_precision", "multiclass", n_classes=4)
    # column c is class c: scoring the padded scores, not the shifted ones
    shifted = np.zeros((120, 4))
    shifted[:, :3] = model.predict_proba(X)
    assert scorer(model, X, y) > _macro_ap(y, shifted) + 0.1


def _macro_ap(y, scores):
    from skdl.comparison._tasks import _macro_average_precision

    return _macro_average_precision(y, scores)


def test_rare_class_is_named_in_the_fold_error(iris_named):
    X, y = iris_named
    y = y.copy()
    y[0] = "doublet"
    with pytest.raises(ValueError, match=re.escape("class 'doublet' (1 in all)")):
        compare({"lr": LogisticRegression()}, X, y, cv=3)


def test_time_budget_needs_the_random_search(iris_named):
    X, y = iris_named
    with pytest.raises(ValueError, match="time_budget draws configurations at random"):
        compare({"lr": LogisticRegression()}, X, y, search="halving", time_budget=60)


def test_an_untuned_net_is_time_limited_and_a_cut_is_reported():
    X = np.random.RandomState(0).randn(3000, 5).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    net = MLPNetClassifier(max_epochs=100_000, batch_size=16, random_state=0)
    result = compare({"net": net}, X, y, cv=2, inner_cv=2, time_budget=3.0)
    assert result.protocol["cut_short"] == {"net": 2}
    assert "net: the time limit ended its final training in 2 of 2" in (
        result.summary()
    )
    assert max(result.fit_time["net"]) < 10  # 100,000 epochs, unbounded, take hours
