"""label_shuffle_test: which labels it shuffles, and with which folds."""

import re

import numpy as np
import pytest
from sklearn import config_context
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score

from skdl.comparison import compare, label_shuffle_test


def _patients(seed=0, n_patients=60, per_patient=5):
    """Samples from patients whose diagnosis is every sample's label."""
    rng = np.random.RandomState(seed)
    patients = np.repeat(np.arange(n_patients), per_patient)
    y = (rng.rand(n_patients) < 0.3).astype(int)[patients]
    X = rng.randn(len(y), 5) + y[:, None]
    return X, y, patients


def test_patient_level_labels_are_shuffled_across_samples():
    # Shuffling within patients would leave these labels as they are, and the
    # "shuffled" score would equal the real one: the protocol would look like
    # it scores just as well on noise.
    X, y, patients = _patients()
    result = label_shuffle_test(
        LogisticRegression(),
        X,
        y,
        groups=patients,
        cv=GroupKFold(5),
        n_permutations=6,
        random_state=0,
    )
    assert result.score > 0.8
    assert abs(result.permutation_scores.mean() - result.chance) < 0.1
    assert result.pvalue == pytest.approx(1 / 7)
    # The real score is the one of the grouped folds: the groups reached cv.
    grouped = cross_val_score(
        LogisticRegression(),
        X,
        y,
        groups=patients,
        cv=GroupKFold(5),
        scoring="average_precision",
    )
    assert result.score == pytest.approx(grouped.mean())


def test_within_groups_asks_whether_signal_goes_beyond_group_rates():
    # The only feature is each batch's positive rate: a confounder. Shuffling
    # within batches keeps those rates, so the protocol scores as well as on
    # the real labels; shuffling across samples takes them away.
    rng = np.random.RandomState(0)
    batches = np.repeat(np.arange(20), 30)
    rate = rng.uniform(0.05, 0.95, 20)[batches]
    y = (rng.rand(len(batches)) < rate).astype(int)
    X = rate[:, None]
    kwargs = {
        "groups": batches,
        "cv": GroupKFold(4),
        "n_permutations": 5,
        "random_state": 0,
    }
    within = label_shuffle_test(
        LogisticRegression(), X, y, within_groups=True, **kwargs
    )
    across = label_shuffle_test(LogisticRegression(), X, y, **kwargs)
    assert within.margin < 0.05
    assert across.margin > 0.2
    assert within.score == across.score


def test_within_groups_refuses_what_it_cannot_do():
    X, y, patients = _patients()
    with pytest.raises(ValueError, match="every group has a single label"):
        label_shuffle_test(
            LogisticRegression(), X, y, groups=patients, cv=3, within_groups=True
        )
    with pytest.raises(ValueError, match="within_groups=True needs groups"):
        label_shuffle_test(LogisticRegression(), X, y, cv=3, within_groups=True)
    varying = np.arange(len(y)) % 7
    with config_context(enable_metadata_routing=True):
        with pytest.raises(ValueError, match=re.escape("metadata routing disabled")):
            label_shuffle_test(
                LogisticRegression(), X, y, groups=varying, cv=3, within_groups=True
            )


def test_groups_reach_the_inner_search_under_metadata_routing():
    X, y, patients = _patients(seed=1)
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(3))
    kwargs = {
        "groups": patients,
        "cv": GroupKFold(4),
        "n_permutations": 3,
        "random_state": 0,
        "params": {"groups": patients},
    }
    plain = label_shuffle_test(search, X, y, **kwargs)
    with config_context(enable_metadata_routing=True):
        routed = label_shuffle_test(search, X, y, **kwargs)
    assert routed.score == plain.score
    np.testing.assert_array_equal(routed.permutation_scores, plain.permutation_scores)


def test_compare_runs_its_shuffle_test_under_metadata_routing():
    X, y, patients = _patients(seed=2)
    candidates = {"logistic": (LogisticRegression(), {"C": [0.1, 1.0]})}
    kwargs = {
        "groups": patients,
        "n_permutations": 3,
        "random_state": 0,
        "verbose": False,
    }
    plain = compare(candidates, X, y, **kwargs)
    with config_context(enable_metadata_routing=True):
        routed = compare(candidates, X, y, **kwargs)
    assert routed.memorization.score == plain.memorization.score
    np.testing.assert_array_equal(
        routed.memorization.permutation_scores, plain.memorization.permutation_scores
    )
    assert (
        abs(routed.memorization.permutation_scores.mean() - plain.memorization.chance)
        < 0.1
    )


def test_within_groups_refuses_nets_it_cannot_reach():
    # Routing must be off for scikit-learn's within-group shuffle, and then a
    # pipeline or search cannot pass groups to the net's early stopping.
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skdl.neural_net import MLPNetClassifier

    rng = np.random.RandomState(0)
    X, y = rng.randn(40, 3), rng.randint(0, 2, 40)
    groups = np.repeat(np.arange(8), 5)
    pipe = make_pipeline(StandardScaler(), MLPNetClassifier(early_stopping=True))
    msg = (
        "label_shuffle_test: within_groups=True runs with metadata routing off, "
        "which cannot pass groups to 'mlpnetclassifier' inside Pipeline"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        label_shuffle_test(
            pipe, X, y, groups=groups, cv=GroupKFold(2), within_groups=True
        )


@pytest.mark.parametrize("routing", [False, True])
def test_same_shuffles_scores_and_pvalue_as_permutation_test_score(routing):
    # label_shuffle_test is permutation_test_score on skdl's folds: from the
    # same seed it draws the same shuffles, so every score and the p-value
    # match exactly (a GroupKFold list of folds, groups routed to the search).
    from sklearn.model_selection import permutation_test_score

    X, y, patients = _patients(seed=3)
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(3))
    splits = list(GroupKFold(4).split(X, y, patients))
    with config_context(enable_metadata_routing=routing):
        mine = label_shuffle_test(
            search,
            X,
            y,
            groups=patients,
            cv=splits,
            n_permutations=4,
            random_state=7,
            params={"groups": patients},
        )
        score, scores, pvalue = permutation_test_score(
            search,
            X,
            y,
            cv=splits,
            n_permutations=4,
            random_state=7,
            scoring="average_precision",
            params={"groups": patients},
        )
    assert mine.score == score
    np.testing.assert_array_equal(mine.permutation_scores, scores)
    assert mine.pvalue == pvalue


def test_within_group_shuffles_are_permutation_test_scores():
    from sklearn.model_selection import permutation_test_score

    rng = np.random.RandomState(0)
    batches = np.repeat(np.arange(10), 12)
    X, y = rng.randn(120, 3), rng.randint(0, 2, 120)
    X[:, 0] += y
    splits = list(GroupKFold(3).split(X, y, batches))
    mine = label_shuffle_test(
        LogisticRegression(),
        X,
        y,
        groups=batches,
        cv=splits,
        n_permutations=5,
        random_state=np.random.RandomState(1),
        within_groups=True,
    )
    score, scores, pvalue = permutation_test_score(
        LogisticRegression(),
        X,
        y,
        groups=batches,
        cv=splits,
        n_permutations=5,
        random_state=np.random.RandomState(1),
        scoring="average_precision",
    )
    assert mine.score == score and mine.pvalue == pvalue
    np.testing.assert_array_equal(mine.permutation_scores, scores)


class _CountingLogistic(LogisticRegression):
    fits = 0

    def fit(self, X, y, sample_weight=None):
        type(self).fits += 1
        return super().fit(X, y, sample_weight=sample_weight)


def test_a_known_real_score_is_reused_not_refitted():
    X, y, patients = _patients(seed=4)
    kwargs = {
        "groups": patients,
        "cv": GroupKFold(5),
        "n_permutations": 3,
        "random_state": 0,
    }
    _CountingLogistic.fits = 0
    full = label_shuffle_test(_CountingLogistic(), X, y, **kwargs)
    assert _CountingLogistic.fits == 5 * 4  # the real run and 3 shuffles
    _CountingLogistic.fits = 0
    reused = label_shuffle_test(_CountingLogistic(), X, y, score=full.score, **kwargs)
    assert _CountingLogistic.fits == 5 * 3  # the shuffles only
    assert reused.score == full.score and reused.pvalue == full.pvalue
    np.testing.assert_array_equal(reused.permutation_scores, full.permutation_scores)
    # The p-value counts the shuffles against the score it is given.
    low = label_shuffle_test(_CountingLogistic(), X, y, score=0.0, **kwargs)
    assert low.score == 0.0 and low.pvalue == 1.0


def test_compare_shuffles_the_winner_without_refitting_its_real_run():
    # compare already has the winner's score on the outer folds: the shuffle
    # test fits the winner's search n_permutations times per outer fold, not
    # once more, and its real score is the table's to the last bit.
    X, y, patients = _patients(seed=5)
    candidates = {"logistic": (_CountingLogistic(), {"C": [0.1, 1.0]})}
    kwargs = {"groups": patients, "n_iter": 2, "random_state": 0, "verbose": False}
    _CountingLogistic.fits = 0
    compare(candidates, X, y, n_permutations=0, **kwargs)
    real_run = _CountingLogistic.fits
    _CountingLogistic.fits = 0
    result = compare(candidates, X, y, n_permutations=2, **kwargs)
    assert _CountingLogistic.fits == 3 * real_run  # real run + 2 shuffles
    assert result.memorization.score == result.mean_scores()["logistic"]
