import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from skdl.exceptions import SkdlWarning
from skdl.model_selection import TrainTuneTestSplit


@settings(max_examples=60, deadline=None)
@given(
    n_groups=st.integers(6, 40),
    per_group=st.integers(1, 8),
    tune=st.floats(0.1, 0.4),
    test=st.floats(0.1, 0.4),
    seed=st.integers(0, 1000),
    use_groups=st.booleans(),
)
def test_partition_properties(n_groups, per_group, tune, test, seed, use_groups):
    rng = np.random.RandomState(seed)
    groups = np.repeat(np.arange(n_groups), per_group)
    y = rng.randint(0, 2, len(groups))
    X = np.zeros((len(groups), 1))
    protocol = TrainTuneTestSplit(tune, test, random_state=seed)
    g = groups if use_groups else None
    ((train, tune_part),) = protocol.split(X, y, groups=g)
    test_part = protocol.test_indices(X, y, groups=g)
    parts = [train, tune_part, test_part]
    assert sorted(np.concatenate(parts)) == list(range(len(y)))  # a partition
    assert all(len(p) > 0 for p in parts)
    if use_groups:
        sets = [set(groups[p]) for p in parts]
        assert not sets[0] & sets[1] and not sets[0] & sets[2] and not sets[1] & sets[2]
    # Same seed, same partition.
    ((train2, tune2),) = TrainTuneTestSplit(tune, test, random_state=seed).split(
        X, y, groups=g
    )
    assert np.array_equal(train, train2) and np.array_equal(tune_part, tune2)


def test_sizes_and_stratification_without_groups():
    y = np.r_[np.zeros(900, int), np.ones(100, int)]
    X = np.zeros((1000, 1))
    protocol = TrainTuneTestSplit(0.2, 0.1, random_state=0)
    ((train, tune),) = protocol.split(X, y)
    test = protocol.test_indices(X, y)
    assert (len(train), len(tune), len(test)) == (700, 200, 100)
    for part in (train, tune, test):
        assert y[part].mean() == pytest.approx(0.1, abs=0.01)


def test_second_look_at_the_test_part_warns():
    X, y = np.zeros((50, 1)), np.tile([0, 1], 25)
    protocol = TrainTuneTestSplit(random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = protocol.test_indices(X, y)
    with pytest.warns(SkdlWarning, match="handed out 2 times in this analysis"):
        second = protocol.test_indices(X, y)
    assert np.array_equal(first, second) and protocol.n_test_requests_ == 2


def test_search_never_sees_the_test_part():
    rng = np.random.RandomState(0)
    X = rng.randn(200, 3)
    y = (X[:, 0] > 0).astype(int)
    patients = np.repeat(np.arange(40), 5)
    protocol = TrainTuneTestSplit(random_state=1)
    search = GridSearchCV(
        LogisticRegression(), {"C": [0.1, 1.0]}, cv=protocol, refit=False
    )
    search.fit(X, y, groups=patients)
    ((train, tune),) = protocol.split(X, y, groups=patients)
    test = protocol.test_indices(X, y, groups=patients)
    assert search.n_splits_ == 1
    assert not set(test) & (set(train) | set(tune))


@pytest.mark.parametrize(
    "params, groups, message",
    [
        (
            {"tune_size": 0.5, "test_size": 0.5},
            None,
            "tune_size + test_size must be below 1; got 0.5 + 0.5",
        ),
        (
            {"random_state": None},
            None,
            "The 'random_state' parameter of TrainTuneTestSplit must be",
        ),
        (
            {"test_size": 1.5},
            None,
            "The 'test_size' parameter of TrainTuneTestSplit must be",
        ),
        ({}, np.r_[np.zeros(5), np.ones(5)], "at least 3 distinct groups"),
    ],
)
def test_bad_input(params, groups, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        list(TrainTuneTestSplit(**params).split(np.zeros((10, 1)), groups=groups))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        list(TrainTuneTestSplit().split(np.zeros((10, 1)), groups=np.arange(9)))


def test_test_part_must_come_from_the_data_split_saw():
    # split with groups, test_indices without: 13 of 20 test samples were
    # training samples (skdl issue 19).
    X = np.zeros((100, 1))
    y = np.tile([0, 1], 50)
    patients = np.repeat(np.arange(20), 5)
    protocol = TrainTuneTestSplit(random_state=0)
    ((train, tune),) = protocol.split(X, y, groups=patients)
    msg = "TrainTuneTestSplit.test_indices: got other data than split did"
    for args in [(X, y), (X, 1 - y, patients), (X[:90], y[:90], patients[:90])]:
        with pytest.raises(ValueError, match=re.escape(msg)):
            protocol.test_indices(*args)
    test = protocol.test_indices(X, y, groups=patients)
    assert not set(test) & (set(train) | set(tune))
    assert protocol.n_test_requests_ == 1  # refused requests do not count
