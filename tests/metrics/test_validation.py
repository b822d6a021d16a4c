"""Bad labels, scores and weights never give a number silently (skdl issue 19)."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from skdl.exceptions import SkdlWarning
from skdl.metrics import (
    StreamingFDR,
    bootstrap_metric,
    fdr_recall_curve,
    precision_at_recall_score,
    recall_at_fdr_score,
    replicate_upper_bound,
    threshold_at_fdr,
)
from skdl.metrics._fdr import _TWO_PASS_MIN

METRICS = {
    "recall_at_fdr_score": lambda y, s, **kw: recall_at_fdr_score(y, s, **kw),
    "threshold_at_fdr": lambda y, s, **kw: threshold_at_fdr(y, s, **kw),
    "precision_at_recall_score": lambda y, s, **kw: precision_at_recall_score(
        y, s, **kw
    ),
    "fdr_recall_curve": lambda y, s, **kw: fdr_recall_curve(y, s, **kw)[0],
    "StreamingFDR": lambda y, s, **kw: StreamingFDR().update(y, s).recall_at(0.1),
}


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(METRICS)),
    where=st.sampled_from(["y_true", "y_score", "sample_weight"]),
    bad=st.sampled_from([np.nan, np.inf, -np.inf]),
    position=st.integers(0, 19),
    large=st.booleans(),
)
def test_nan_or_inf_never_gives_a_finite_score(name, where, bad, position, large):
    if name == "StreamingFDR" and where == "sample_weight":
        return  # the streaming accumulator takes no weights
    n = _TWO_PASS_MIN if large and name == "recall_at_fdr_score" else 20
    rng = np.random.RandomState(position)
    y = np.tile([0.0, 1.0], n // 2)
    score = rng.rand(n)
    weight = None
    if where == "y_true":
        y[position] = bad
    elif where == "y_score":
        score[position] = bad
    else:
        if large:
            return  # weights take the sorting path; covered by the small case
        weight = np.ones(n)
        weight[position] = bad
    kwargs = {} if weight is None else {"sample_weight": weight}
    with pytest.raises(ValueError, match="NaN or infinity"):
        METRICS[name](y, score, **kwargs)


@pytest.mark.parametrize(
    "weight, message",
    [
        ([1, 1, -1, 1], "sample_weight contains negative values"),
        ([0, 0, 0, 0], "sample_weight is zero everywhere"),
        ([0, 1, 0, 1], "the positives have zero total sample_weight"),
    ],
)
def test_bad_weights_are_refused(weight, message):
    # Each of these returned 0.0 (or a numpy reduction error) before.
    y, score = [1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]
    for metric in (recall_at_fdr_score, precision_at_recall_score):
        with pytest.raises(ValueError, match=re.escape(message)):
            metric(y, score, sample_weight=weight)


def test_string_minus_one_is_ambiguous_and_string_one_positive():
    # Labels read from a CSV file are strings; "-1" used to count as a negative.
    y_text = np.array(["1", "-1", "0", "1", "-1", "0"])
    y_num = np.array([1, -1, 0, 1, -1, 0])
    score = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.1])
    for fdr in (0.1, 0.4):
        assert recall_at_fdr_score(y_text, score, fdr=fdr) == recall_at_fdr_score(
            y_num, score, fdr=fdr
        )
    assert recall_at_fdr_score(y_text, score, fdr=0.1) == 0.5
    streaming = StreamingFDR().update(y_text, score)
    assert streaming.n_positives_ == 2 and streaming.n_negatives_ == 2


def test_bootstrap_checks_the_metric_parameters_like_a_direct_call():
    rng = np.random.RandomState(0)
    y = (rng.rand(200) < 0.3).astype(int)
    score = y + rng.rand(200)
    message = "must be a float in the range (0.0, 1.0). Got 5 instead."
    with pytest.raises(ValueError, match=re.escape(message)):
        recall_at_fdr_score(y, score, fdr=5)
    with pytest.raises(ValueError, match=re.escape(message)):  # (1, 1, 1) before
        bootstrap_metric(recall_at_fdr_score, y, score, n_resamples=20, fdr=5)


def test_bootstrap_counts_undefined_resamples_instead_of_nan_intervals():
    # Two groups, one holding every positive: resamples of a single group have
    # one class, where roc_auc_score returns NaN (and used to poison the
    # interval without a word).
    y = np.r_[np.ones(10), np.zeros(30)].astype(int)
    score = np.random.RandomState(0).rand(40) + y
    groups = np.r_[np.zeros(10), np.ones(10), np.full(10, 2), np.full(10, 3)]
    with pytest.warns(SkdlWarning, match=r"undefined on \d+ of 200 resamples"):
        result = bootstrap_metric(
            roc_auc_score, y, score, groups=groups, n_resamples=200, random_state=0
        )
    assert np.isfinite([result.low, result.high]).all()
    assert np.isfinite(result.resamples).all()


def test_bootstrap_refuses_missing_and_sorts_mixed_groups():
    y = np.tile([0, 1], 10)
    score = np.linspace(0, 1, 20)
    groups = np.array([None] + [f"p{i % 5}" for i in range(19)], dtype=object)
    with pytest.raises(ValueError, match="groups has a missing value"):
        bootstrap_metric(roc_auc_score, y, score, groups=groups, n_resamples=10)
    groups[0] = 3  # an int among strings: compared as text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkdlWarning)
        result = bootstrap_metric(
            roc_auc_score, y, score, groups=groups, n_resamples=10, random_state=0
        )
    assert 0 <= result.low <= result.high <= 1


@pytest.mark.parametrize(
    "replicates, message",
    [
        ([[1, 0, 1], [1, 0]], "rows that do not line up"),
        (np.zeros((50, 2)), "got 50 replicates of 2 samples"),
        ([[1, 0, np.inf], [1, 0, 1]], "replicates contain NaN or infinity"),
    ],
)
def test_replicate_upper_bound_refuses_ragged_and_transposed(replicates, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        replicate_upper_bound(replicates, fdr=0.1)


def test_bootstrap_refuses_a_metric_undefined_on_the_data():
    y = np.ones(20, dtype=int)  # one class: roc_auc_score is NaN, with a warning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="the metric is undefined on the data"):
            bootstrap_metric(roc_auc_score, y, np.linspace(0, 1, 20), n_resamples=10)
