import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score, cross_validate

from skdl.model_selection import ChromosomeKFold, ChromosomeSplit

CHROMS = [f"chr{i}" for i in range(1, 23)] + ["chrX"]


@st.composite
def genome(draw):
    n_chrom = draw(st.integers(2, 12))
    sizes = draw(st.lists(st.integers(1, 40), min_size=n_chrom, max_size=n_chrom))
    chrom = np.repeat(np.array(CHROMS[:n_chrom]), sizes)
    order = np.random.RandomState(draw(st.integers(0, 1000))).permutation(len(chrom))
    chrom = chrom[order]
    y = np.array(
        draw(st.lists(st.integers(0, 1), min_size=len(chrom), max_size=len(chrom)))
    )
    return chrom, y


@settings(max_examples=80, deadline=None)
@given(genome(), st.integers(2, 6), st.sampled_from(["positives", "samples"]))
def test_kfold_properties(data, n_splits, balance):
    chrom, y = data
    n_chrom = len(np.unique(chrom))
    cv = ChromosomeKFold(n_splits=n_splits, balance=balance)
    if n_chrom < n_splits:
        with pytest.raises(ValueError, match="needs at least as many groups"):
            list(cv.split(chrom, y, groups=chrom))
        return
    folds = list(cv.split(chrom, y, groups=chrom))
    assert len(folds) == n_splits == cv.get_n_splits()
    tested = np.concatenate([test for _, test in folds])
    assert sorted(tested) == list(range(len(chrom)))  # every sample tested once
    for train, test in folds:
        assert not set(chrom[train]) & set(chrom[test])  # no chromosome on both sides
        assert len(train) + len(test) == len(chrom)
    # Greedy balance: the fold loads differ by at most the heaviest chromosome.
    weight = (y == 1) if balance == "positives" else np.ones(len(y), bool)
    loads = [weight[test].sum() for _, test in folds]
    heaviest = max(weight[chrom == c].sum() for c in np.unique(chrom))
    assert max(loads) - min(loads) <= heaviest
    # Deterministic.
    again = list(cv.split(chrom, y, groups=chrom))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, again))


@settings(max_examples=60, deadline=None)
@given(genome(), st.data())
def test_split_properties(data, draw):
    chrom, _ = data
    names = sorted(set(chrom))
    test_names = draw.draw(
        st.lists(
            st.sampled_from(names), min_size=1, max_size=len(names) - 1, unique=True
        )
    )
    rest = [n for n in names if n not in test_names]
    excluded = draw.draw(
        st.lists(st.sampled_from(rest), max_size=len(rest) - 1, unique=True)
    )
    ((train, test),) = ChromosomeSplit(test_names, exclude_chromosomes=excluded).split(
        chrom, groups=chrom
    )
    assert set(chrom[test]) == set(test_names)
    assert set(chrom[train]) == set(names) - set(test_names) - set(excluded)
    assert len(train) + len(test) + np.isin(chrom, excluded).sum() == len(chrom)


def test_positive_balance_keeps_every_fold_scorable():
    # 1% positives concentrated on a few chromosomes: balancing by samples can
    # leave a fold without positives; balancing by positives does not.
    rng = np.random.RandomState(0)
    chrom = np.repeat(CHROMS[:10], 100)
    y = np.zeros(1000, int)
    y[rng.choice(np.flatnonzero(np.isin(chrom, CHROMS[:3])), 10, replace=False)] = 1
    by_pos = [
        y[test].sum() for _, test in ChromosomeKFold(3).split(chrom, y, groups=chrom)
    ]
    assert min(by_pos) > 0 and sum(by_pos) == 10
    by_size = [
        y[test].sum()
        for _, test in ChromosomeKFold(3, balance="samples").split(
            chrom, y, groups=chrom
        )
    ]
    assert min(by_size) == 0  # a fold on which recall at FDR cannot be computed


def _chromosome_confounded_data(seed=0):
    # Each chromosome has its own feature signature and its own label rate, as
    # when sequence context and local chromatin state travel together.
    rng = np.random.RandomState(seed)
    chrom = np.repeat(CHROMS[:12], 80)
    code = {c: rng.randn(6) * 2 for c in CHROMS[:12]}
    rate = {c: rng.choice([0.1, 0.9]) for c in CHROMS[:12]}
    X = np.array([code[c] for c in chrom]) + rng.randn(len(chrom), 6)
    y = (rng.rand(len(chrom)) < np.array([rate[c] for c in chrom])).astype(int)
    return X, y, chrom


def test_random_split_leaks_chromosome_identity():
    X, y, chrom = _chromosome_confounded_data()
    model = RandomForestClassifier(n_estimators=50, random_state=0)
    leaky = cross_val_score(
        model, X, y, cv=KFold(4, shuffle=True, random_state=0), scoring="roc_auc"
    )
    honest = cross_val_score(
        model, X, y, groups=chrom, cv=ChromosomeKFold(4), scoring="roc_auc"
    )
    assert leaky.mean() > 0.8
    assert honest.mean() < 0.7
    assert leaky.mean() - honest.mean() > 0.2


def test_works_as_cv_in_grid_search_and_cross_validate():
    X, y, chrom = _chromosome_confounded_data()
    search = GridSearchCV(
        LogisticRegression(), {"C": [0.1, 1.0]}, cv=ChromosomeSplit(["chr1", "chr2"])
    )
    search.fit(X, y, groups=chrom)
    assert search.n_splits_ == 1
    result = cross_validate(
        LogisticRegression(),
        X,
        y,
        groups=chrom,
        cv=ChromosomeKFold(3),
        return_indices=True,
    )
    for test in result["indices"]["test"]:
        train = np.setdiff1d(np.arange(len(y)), test)
        assert not set(chrom[train]) & set(chrom[test])


@pytest.mark.parametrize(
    "cv, groups, y, message",
    [
        (
            ChromosomeSplit("chr8"),
            None,
            None,
            "ChromosomeSplit.split needs groups=<the chromosome of each sample>",
        ),
        (
            ChromosomeSplit("chr23"),
            ["chr1", "chr2"],
            None,
            "unknown chromosome name(s) 'chr23' (did you mean 'chr2'?)",
        ),
        (
            ChromosomeSplit("chr1", exclude_chromosomes="chrM"),
            ["chr1", "chr8"],
            None,
            "unknown chromosome name(s) 'chrM'",
        ),
        (
            ChromosomeSplit(["chr1"], exclude_chromosomes=["chr1"]),
            ["chr1", "chr8"],
            None,
            "['chr1'] are both test and excluded",
        ),
        (
            ChromosomeSplit(["chr1", "chr8"]),
            ["chr1", "chr8"],
            None,
            "no training samples are left",
        ),
        (ChromosomeSplit([]), ["chr1", "chr8"], None, "test_chromosomes is empty"),
        (
            ChromosomeKFold(3),
            ["chr1", "chr2"],
            [0, 1],
            "n_splits=3 needs at least as many groups; got 2",
        ),
        (ChromosomeKFold(2), ["chr1", "chr2"], None, "balance='positives' needs y"),
        (
            ChromosomeKFold(2, balance="sizes"),
            ["chr1", "chr2"],
            None,
            "The 'balance' parameter of ChromosomeKFold must be",
        ),
        (
            ChromosomeKFold(1),
            ["chr1", "chr2"],
            None,
            "The 'n_splits' parameter of ChromosomeKFold must be",
        ),
    ],
)
def test_bad_input(cv, groups, y, message):
    X = np.zeros((2, 1))
    with pytest.raises(ValueError, match=re.escape(message)):
        list(cv.split(X, y, groups=groups))


def test_groups_of_wrong_length():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        list(
            ChromosomeKFold(2, balance="samples").split(
                np.zeros((3, 1)), groups=["chr1", "chr2"]
            )
        )


def test_chromosome_kfold_works_as_mapie_cv():
    # Cross-conformal needs every sample out-of-fold once: ChromosomeKFold is such
    # a splitter (ChromosomeSplit, a single hold-out, is not).
    mapie_regression = pytest.importorskip("mapie.regression")
    from sklearn.linear_model import LinearRegression

    X, _, chrom = _chromosome_confounded_data()
    y = X[:, 0] * 2 + np.random.RandomState(0).randn(len(X))
    model = mapie_regression.CrossConformalRegressor(
        LinearRegression(),
        confidence_level=0.9,
        cv=ChromosomeKFold(4, balance="samples"),
    )
    model.fit_conformalize(X, y, groups=chrom)
    _, intervals = model.predict_interval(X)
    inside = (y >= intervals[:, 0, 0]) & (y <= intervals[:, 1, 0])
    assert inside.mean() >= 0.85


def test_one_chromosome_however_it_is_spelled():
    # chr1, Chr1 and 1 used to be three chromosomes: one chromosome on both
    # sides of a fold.
    chrom = np.array(["chr1", "Chr1", "1", "chr2", "2", "chrX", "X", "chrM", "MT"])
    y = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1])
    folds = list(ChromosomeKFold(2).split(chrom, y, groups=chrom))
    assert len(folds) == 2
    key = {"chr1": 1, "Chr1": 1, "1": 1, "chr2": 2, "2": 2, "chrX": "x", "X": "x"}
    key |= {"chrM": "m", "MT": "m"}
    for train, test in folds:
        assert not {key[c] for c in chrom[train]} & {key[c] for c in chrom[test]}
    ((train, test),) = ChromosomeSplit("1", exclude_chromosomes="chrMT").split(
        chrom, groups=chrom
    )
    assert test.tolist() == [0, 1, 2] and train.tolist() == [3, 4, 5, 6]
