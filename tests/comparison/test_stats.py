"""Paired tests checked against mlxtend and hand-worked examples."""

import re

import numpy as np
import pytest
from scipy import stats
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

from skdl.comparison import (
    corrected_resampled_ttest,
    mcnemar_test,
    paired_ttest_5x2cv,
    ttest_5x2cv,
)


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=300, n_features=10, n_informative=4, random_state=0
    )


def _mlxtend_halving_scores(est1, est2, X, y, seed, scoring="accuracy"):
    """Fold scores on exactly the halvings mlxtend's paired_ttest_5x2cv draws."""
    rng = np.random.RandomState(seed)
    scorer = get_scorer(scoring)
    scores = np.empty((2, 5, 2))
    for i in range(5):
        randint = rng.randint(low=0, high=32767)
        X1, X2, y1, y2 = train_test_split(X, y, test_size=0.5, random_state=randint)
        for j, (Xa, ya, Xb, yb) in enumerate([(X1, y1, X2, y2), (X2, y2, X1, y1)]):
            for k, est in enumerate([est1, est2]):
                scores[k, i, j] = scorer(clone(est).fit(Xa, ya), Xb, yb)
    return scores


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_ttest_5x2cv_agrees_with_mlxtend(data, seed):
    mlxtend = pytest.importorskip("mlxtend.evaluate")
    X, y = data
    est1, est2 = LogisticRegression(), GaussianNB()
    t_ref, p_ref = mlxtend.paired_ttest_5x2cv(est1, est2, X, y, random_seed=seed)
    scores = _mlxtend_halving_scores(est1, est2, X, y, seed)
    result = ttest_5x2cv(scores[0], scores[1])
    np.testing.assert_allclose(result.statistic, t_ref, rtol=1e-12)
    np.testing.assert_allclose(result.pvalue, p_ref, rtol=1e-12)
    assert result.df == 5


@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("correction", [True, False])
def test_mcnemar_agrees_with_mlxtend(data, exact, correction):
    mlxtend = pytest.importorskip("mlxtend.evaluate")
    X, y = data
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
    pred1 = LogisticRegression().fit(X_tr, y_tr).predict(X_te)
    pred2 = GaussianNB().fit(X_tr, y_tr).predict(X_te)
    table = mlxtend.mcnemar_table(y_te, pred1, pred2)
    stat_ref, p_ref = mlxtend.mcnemar(table, exact=exact, corrected=correction)
    result = mcnemar_test(y_te, pred1, pred2, exact=exact, correction=correction)
    np.testing.assert_allclose(result.pvalue, p_ref, rtol=1e-12)
    if not exact:
        np.testing.assert_allclose(result.statistic, stat_ref, rtol=1e-12)


def test_corrected_resampled_ttest_hand_worked():
    # d = (0.02, 0.03, 0.01, 0.04, 0.01): mean 0.022, sample variance 1.7e-4.
    # Corrected variance (1/5 + 20/80) * 1.7e-4 = 7.65e-5,
    # t = 0.022 / 0.0087464 = 2.5153.
    result = corrected_resampled_ttest(
        [0.82, 0.85, 0.80, 0.84, 0.83],
        [0.80, 0.82, 0.79, 0.80, 0.82],
        n_train=80,
        n_test=20,
    )
    assert result.statistic == pytest.approx(0.022 / np.sqrt(0.45 * 1.7e-4))
    assert result.statistic == pytest.approx(2.51531, abs=1e-5)
    assert result.pvalue == pytest.approx(2 * stats.t.sf(2.51531, 4), abs=1e-5)
    assert result.df == 4


def test_correction_is_more_conservative_than_plain_paired_ttest():
    rng = np.random.RandomState(0)
    a = 0.8 + 0.02 * rng.randn(10)
    b = a - 0.01 + 0.01 * rng.randn(10)
    plain = stats.ttest_rel(a, b)
    corrected = corrected_resampled_ttest(a, b, n_train=90, n_test=10)
    # With n_test / n_train = 0 the correction vanishes and the plain test returns.
    uncorrected = corrected_resampled_ttest(a, b, n_train=10**12, n_test=1)
    assert uncorrected.pvalue == pytest.approx(plain.pvalue, rel=1e-6)
    assert corrected.pvalue > plain.pvalue


def test_identical_models_give_pvalue_one():
    scores = np.full((5, 2), 0.7)
    assert ttest_5x2cv(scores, scores).pvalue == 1.0
    assert (
        corrected_resampled_ttest([0.7] * 5, [0.7] * 5, n_train=4, n_test=1).pvalue == 1
    )
    assert mcnemar_test([0, 1, 1], [0, 1, 0], [0, 1, 0]).pvalue == 1.0


def test_constant_difference_has_no_pvalue():
    # Every fold shows the same difference: no variance to weigh it with. The
    # p-value used to be 0, so two identical fold differences crowned a winner.
    result = corrected_resampled_ttest([0.9, 0.8], [0.7, 0.6], n_train=4, n_test=1)
    assert np.isnan(result.pvalue) and result.statistic == np.inf


def test_compare_never_crowns_on_an_undefined_pvalue():
    from skdl.comparison._compare import ComparisonResult, _holm, _test_differences

    y = np.tile([0, 1], 10)
    result = ComparisonResult(
        names=["a", "b"],
        scoring="average_precision",
        metrics=["average_precision"],
        scores={
            "a": {"average_precision": np.array([0.9, 0.8])},
            "b": {"average_precision": np.array([0.7, 0.6])},
        },
        train_score={},
        tune_score={},
        best_params={},
        n_configurations={},
        fit_time={},
        oof_score={},
        oof_pred={"a": y.copy(), "b": 1 - y},
        y_true=y,
        fold=np.repeat([0, 1], 10),
        classes=np.array([0, 1]),
        protocol={},
    )
    _test_differences(result, [(np.arange(10), np.arange(10, 20))] * 2)
    (row,) = result.comparisons
    assert np.isnan(row["pvalue"]) and np.isnan(row["pvalue_holm"])
    assert result.winner == "a" and not result.crowned
    # NaN stays NaN and ranks last in Holm's adjustment.
    assert _holm([0.01, float("nan"), 0.02]) == pytest.approx(
        [0.03, float("nan"), 0.04], nan_ok=True
    )


@pytest.mark.parametrize(
    "pred, message",
    [
        ([0.1, 0.9, 0.8, 0.2], "holds values that are not labels of y_true"),
        ([0.0, 1.0, np.nan, 0.0], "y_pred1 contains NaN or infinity"),
    ],
)
def test_mcnemar_refuses_probabilities_and_nan(pred, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        mcnemar_test([0, 1, 1, 0], pred, [0, 1, 0, 0])


def test_mcnemar_auto_switches_to_chi2_for_many_discordant():
    y = np.zeros(100, dtype=int)
    a = np.r_[np.zeros(60), np.ones(40)].astype(int)  # 40 wrong
    b = np.r_[np.ones(10), np.zeros(90)].astype(int)  # 10 wrong, disjoint
    result = mcnemar_test(y, a, b)
    assert result.df == 1.0
    assert result.statistic == pytest.approx((abs(40 - 10) - 1) ** 2 / 50)
    small = mcnemar_test(y[:20], a[:20], b[:20])
    assert small.df is None


def test_paired_ttest_5x2cv_detects_a_real_difference_and_is_seeded(data):
    X, y = data
    good = paired_ttest_5x2cv(
        LogisticRegression(), DummyClassifier(), X, y, random_state=0
    )
    assert good.pvalue < 0.05 and good.statistic > 0
    again = paired_ttest_5x2cv(
        LogisticRegression(), DummyClassifier(), X, y, random_state=0
    )
    assert again == good


def test_paired_ttest_5x2cv_keeps_groups_whole(data):
    X, y = data
    groups = np.arange(len(y)) // 10

    class Recorder(LogisticRegression):
        seen: list = []

        def fit(self, X, y):
            Recorder.seen.append(set(X[:, -1].astype(int)))
            return super().fit(X[:, :-1], y)

        def predict(self, X):
            return super().predict(X[:, :-1])

    Xg = np.c_[X, groups]
    paired_ttest_5x2cv(Recorder(), Recorder(), Xg, y, groups=groups, random_state=0)
    assert len(Recorder.seen) == 20
    for i in range(0, 20, 4):  # each halving: two estimators on each half
        first, second = Recorder.seen[i], Recorder.seen[i + 2]
        assert not first & second
        assert first | second == set(groups)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: ttest_5x2cv(np.zeros((5, 2)), np.zeros((5, 3))),
            "scores1 and scores2 must have the same shape; got (5, 2) and (5, 3).",
        ),
        (
            lambda: ttest_5x2cv(np.zeros((4, 2)), np.zeros((4, 2))),
            "ttest_5x2cv needs scores of shape (5, 2), one row per halving; "
            "got (4, 2).",
        ),
        (
            lambda: corrected_resampled_ttest([1.0], [0.0], n_train=9, n_test=1),
            "corrected_resampled_ttest needs at least 2 paired scores",
        ),
        (
            lambda: ttest_5x2cv(np.full((5, 2), np.nan), np.zeros((5, 2))),
            "scores1 and scores2 must be finite.",
        ),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()
