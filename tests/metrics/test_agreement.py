import re

import numpy as np
import pytest

from skdl.metrics import (
    BootstrapResult,
    ambiguous_rank_correlation,
    bootstrap_metric,
    recall_at_fdr_score,
    replicate_upper_bound,
)


def test_ambiguous_rank_correlation():
    rng = np.random.RandomState(0)
    signal = rng.rand(200)
    y = np.where(signal > 0.8, 1, np.where(signal < 0.5, 0, -1))
    good = signal + 0.01 * rng.randn(200)
    bad = rng.rand(200)
    assert ambiguous_rank_correlation(y, good, signal) > 0.9
    assert abs(ambiguous_rank_correlation(y, bad, signal)) < 0.3
    with pytest.raises(
        ValueError, match=re.escape("needs at least 3 samples labelled -1; got 0")
    ):
        ambiguous_rank_correlation([0, 1], [0.1, 0.2], [1, 2])
    with pytest.raises(ValueError, match="constant"):
        ambiguous_rank_correlation([-1, -1, -1], [0.1, 0.1, 0.1], [1, 2, 3])


def test_replicate_upper_bound_binary_and_continuous():
    rng = np.random.RandomState(0)
    truth = rng.rand(2000) < 0.05
    # Each replicate misses or adds 10% of calls: agreement is imperfect.
    reps = np.array(
        [np.where(rng.rand(2000) < 0.1, ~truth, truth) for _ in range(3)]
    ).astype(int)
    bound = replicate_upper_bound(reps, fdr=[0.1, 0.5])
    assert bound.shape == (2,) and 0 <= bound[0] <= bound[1] <= 1
    perfect = replicate_upper_bound(np.array([truth, truth]).astype(int), fdr=0.1)
    assert perfect == 1.0
    signal = truth * 3.0 + rng.randn(3, 2000)
    assert 0 < replicate_upper_bound(signal, fdr=0.25, threshold=1.5) <= 1
    # Independent replicates: the bound is near zero at low FDR.
    noise = rng.rand(2, 2000)
    assert replicate_upper_bound(noise, fdr=0.1, threshold=0.95) < 0.2


def test_replicate_upper_bound_ambiguous_and_errors():
    reps = np.array([[1, 1, 0, -1, 0], [1, 0, 0, 1, 0]])
    assert 0 <= replicate_upper_bound(reps, fdr=0.3) <= 1
    with pytest.raises(ValueError, match="at least 2 replicates"):
        replicate_upper_bound([[1, 0, 1]], fdr=0.1)
    with pytest.raises(ValueError, match="binary labels"):
        replicate_upper_bound([[0.2, 0.7], [0.1, 0.5]], fdr=0.1)
    with pytest.raises(ValueError, match=re.escape("every fdr must be in (0, 1)")):
        replicate_upper_bound([[1, 0], [1, 0]], fdr=[0.1, 1.0])


def test_bootstrap_interval_covers_and_groups_widen_it():
    rng = np.random.RandomState(0)
    n_groups, per_group = 20, 100
    groups = np.repeat(np.arange(n_groups), per_group)
    # A group effect: some chromosomes are much easier than others.
    shift = rng.randn(n_groups)[groups] * 1.5
    y = (rng.rand(len(groups)) < 0.2).astype(int)
    s = y * (1.0 + shift) + rng.randn(len(groups))
    plain = bootstrap_metric(
        recall_at_fdr_score, y, s, n_resamples=300, random_state=0, fdr=0.2
    )
    grouped = bootstrap_metric(
        recall_at_fdr_score,
        y,
        s,
        groups=groups,
        n_resamples=300,
        random_state=0,
        fdr=0.2,
    )
    assert isinstance(grouped, BootstrapResult)
    assert plain.low <= plain.estimate <= plain.high
    assert (grouped.high - grouped.low) > (plain.high - plain.low)
    again = bootstrap_metric(
        recall_at_fdr_score,
        y,
        s,
        groups=groups,
        n_resamples=300,
        random_state=0,
        fdr=0.2,
    )
    np.testing.assert_array_equal(again.resamples, grouped.resamples)


def test_bootstrap_errors():
    y = np.array([0] * 20 + [1])
    s = np.arange(21.0)

    def undefined_on_resamples(y_true, y_score):
        if len(np.unique(y_score)) < len(y_score):  # any duplicate: a resample
            raise ValueError("undefined")
        return 0.5

    with pytest.raises(ValueError, match="the metric was undefined on"):
        bootstrap_metric(undefined_on_resamples, y, s, n_resamples=50, random_state=0)
    with pytest.raises(ValueError, match="at least 2 groups"):
        bootstrap_metric(recall_at_fdr_score, y, s, groups=np.zeros(21))
