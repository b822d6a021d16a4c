import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata
from sklearn.metrics import precision_recall_curve

from skdl.metrics import (
    fdr_recall_curve,
    precision_at_recall_score,
    recall_at_fdr_score,
    threshold_at_fdr,
)

Y = np.array([1, 1, 0, 1, 0, 0, 1, 0, 0, 0])
S = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0])


# ------------------------------------------------------------ hand-worked cases
@pytest.mark.parametrize(
    "fdr, expected",
    [
        (0.01, 0.5),  # top 2: TP 2, FP 0
        (0.25, 0.75),  # top 4: TP 3, FP 1 -> FDR exactly 0.25 counts
        (0.24, 0.5),
        (3 / 7, 1.0),  # top 7: TP 4, FP 3
        (0.42, 0.75),
    ],
)
def test_hand_worked(fdr, expected):
    assert recall_at_fdr_score(Y, S, fdr=fdr) == expected


@pytest.mark.parametrize("n_true", [2, 20, 2000])
def test_fdr_equal_to_a_ratio_admits_that_ratio(n_true):
    # FDR is FP / (TP + FP) rounded once; fdr=1/3 must admit one false call in
    # three, on the sorting path and on the two-pass path alike (hypothesis found
    # the float64 boundary: 1 - 2/3 > 1/3).
    from skdl.metrics._fdr_fast import two_pass_recall_at_fdr

    n_false = n_true // 2  # called with every true hit: FDR exactly 1/3
    y = np.r_[np.zeros(n_false + 5), np.ones(n_true)].astype(int)
    s = np.r_[np.zeros(5), np.ones(n_false + n_true)]
    assert recall_at_fdr_score(y, s, fdr=1 / 3) == 1.0
    assert two_pass_recall_at_fdr(y, s, 1 / 3, 1, -1, "test") == 1.0


def test_ties_are_one_threshold():
    # The top score is shared by a positive and a negative: calling one means
    # calling both (FDR 0.5). Breaking the tie in the positive's favour would
    # wrongly report recall 0.5 at FDR 0.
    y = np.array([1, 0, 0, 1])
    s = np.array([0.9, 0.9, 0.5, 0.1])
    assert recall_at_fdr_score(y, s, fdr=0.4) == 0.0
    assert recall_at_fdr_score(y, s, fdr=0.5) == 1.0
    assert threshold_at_fdr(y, s, fdr=0.5) == 0.1
    assert precision_at_recall_score(y, s, recall=0.5) == 0.5


def test_no_threshold_reaches_fdr_gives_zero_not_nan():
    y = np.array([0, 0, 1, 1])
    s = np.array([0.9, 0.8, 0.2, 0.1])  # every threshold has FDR >= 0.5
    assert recall_at_fdr_score(y, s, fdr=0.3) == 0.0
    assert threshold_at_fdr(y, s, fdr=0.3) == np.inf


def test_curve_and_threshold_agree():
    fdr, recall, thresholds = fdr_recall_curve(Y, S)
    np.testing.assert_array_equal(thresholds, [0.9, 0.8, 0.6, 0.3])
    np.testing.assert_array_equal(recall, [0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(fdr, [0, 0, 0.25, 3 / 7])
    t = threshold_at_fdr(Y, S, fdr=0.3)
    called = S >= t
    assert np.sum(called & (Y == 1)) / 4 == recall_at_fdr_score(Y, S, fdr=0.3)


def test_precision_at_recall_hand_worked():
    assert precision_at_recall_score(Y, S, recall=0.5) == 1.0
    assert precision_at_recall_score(Y, S, recall=0.75) == 0.75
    assert precision_at_recall_score(Y, S, recall=1.0) == 4 / 7
    assert precision_at_recall_score(Y, S, recall=0.3) == 1.0  # 0.3 <= 2/4


def test_string_labels_one_vs_rest_and_weights():
    y = np.array(["tf", "tf", "bg", "tf", "other", "bg"])
    s = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    assert recall_at_fdr_score(y, s, fdr=0.25, pos_label="tf") == 1.0
    # Weight 0 on the false positive removes it; weights 2 everywhere change nothing.
    w = np.array([1, 1, 0, 1, 1, 1])
    assert recall_at_fdr_score(y, s, fdr=0.01, pos_label="tf", sample_weight=w) == 1.0
    assert recall_at_fdr_score(
        Y, S, fdr=0.25, sample_weight=np.full(10, 2.0)
    ) == recall_at_fdr_score(Y, S, fdr=0.25)


# -------------------------------------------------- agreement with scikit-learn
def _sklearn_recall_at_fdr(y, s, fdr):
    # The thresholds and counts are scikit-learn's; the FDR is FP / (TP + FP) as
    # documented. ``1 - precision`` would round differently at the boundary
    # (fdr=1/3 with one false call in three: 1 - 2/3 > 1/3 in float64).
    precision, recall, _ = precision_recall_curve(y, s)
    tp = np.rint(recall * np.sum(y == 1))
    called = tp > 0  # recall 0 is always reachable; its FDR does not matter
    fp = np.rint(tp[called] / precision[called] - tp[called])
    fdr_curve = np.zeros_like(tp)
    fdr_curve[called] = fp / (tp[called] + fp)
    return recall[fdr_curve <= fdr].max()


def _sklearn_precision_at_recall(y, s, target):
    precision, recall, _ = precision_recall_curve(y, s)
    return precision[recall >= target].max()


@pytest.mark.parametrize("seed", range(30))
def test_agrees_exactly_with_precision_recall_curve(seed):
    rng = np.random.RandomState(seed)
    n = rng.randint(20, 3000)
    y = (rng.rand(n) < rng.uniform(0.01, 0.5)).astype(int)
    if y.sum() in (0, n):
        y[:2] = [0, 1]
    # Quantised scores give many ties between positives and negatives.
    levels = rng.choice([5, 50, 10_000])
    s = np.round(rng.rand(n) + y * rng.uniform(0, 1), int(np.log10(levels)))
    for fdr in rng.uniform(0.01, 0.99, size=5):
        assert recall_at_fdr_score(y, s, fdr=fdr) == _sklearn_recall_at_fdr(y, s, fdr)
    for target in rng.uniform(0.01, 1.0, size=5):
        assert precision_at_recall_score(y, s, recall=target) == pytest.approx(
            _sklearn_precision_at_recall(y, s, target), abs=0, rel=1e-15
        )


@pytest.mark.parametrize("seed", range(5))
def test_weighted_agrees_with_sklearn(seed):
    rng = np.random.RandomState(seed)
    y = (rng.rand(400) < 0.2).astype(int)
    s = np.round(rng.rand(400) + y * 0.5, 2)
    w = rng.randint(1, 4, 400).astype(float)
    precision, recall, _ = precision_recall_curve(y, s, sample_weight=w)
    for fdr in (0.05, 0.13, 0.31):
        expected = recall[(1 - precision) <= fdr].max()
        assert recall_at_fdr_score(y, s, fdr=fdr, sample_weight=w) == pytest.approx(
            expected, rel=1e-12
        )


# ----------------------------------------------------------------- properties
labels_and_scores = st.integers(min_value=4, max_value=60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
        st.lists(st.integers(0, 6), min_size=n, max_size=n),
    )
)


@settings(max_examples=60, deadline=None)
@given(labels_and_scores, st.floats(0.01, 0.98), st.floats(0.01, 0.98))
def test_monotone_in_fdr(data, f1, f2):
    y, s = map(np.asarray, data)
    assume(0 < y.sum() < len(y))
    low, high = sorted((f1, f2))
    assert recall_at_fdr_score(y, s, fdr=low) <= recall_at_fdr_score(y, s, fdr=high)


@settings(max_examples=60, deadline=None)
@given(labels_and_scores, st.floats(0.01, 0.98))
def test_invariant_to_monotone_transforms(data, fdr):
    y, s = map(np.asarray, data)
    assume(0 < y.sum() < len(y))
    expected = recall_at_fdr_score(y, s, fdr=fdr)
    for transformed in (
        rankdata(s, method="dense"),
        4.0 * s - 3.0,
        np.exp(s / 3.0),
        s.astype(np.float32),
    ):
        assert recall_at_fdr_score(y, transformed, fdr=fdr) == expected


@settings(max_examples=60, deadline=None)
@given(
    labels_and_scores,
    st.lists(st.integers(0, 6), min_size=1, max_size=20),
    st.floats(0.01, 0.98),
)
def test_ambiguous_samples_have_no_effect(data, ambiguous_scores, fdr):
    y, s = map(np.asarray, data)
    assume(0 < y.sum() < len(y))
    y_with = np.r_[y, np.full(len(ambiguous_scores), -1)]
    s_with = np.r_[s, ambiguous_scores]
    order = np.random.RandomState(len(y)).permutation(len(y_with))
    for metric, kwargs in (
        (recall_at_fdr_score, {"fdr": fdr}),
        (precision_at_recall_score, {"recall": max(fdr, 0.05)}),
        (threshold_at_fdr, {"fdr": fdr}),
    ):
        assert metric(y_with[order], s_with[order], **kwargs) == metric(y, s, **kwargs)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "y, s, kwargs, error, message",
    [
        ([0, 1, 1], [0.1, 0.2], {}, ValueError, "inconsistent numbers of samples"),
        (
            [1, 1, 1],
            [0.1, 0.2, 0.3],
            {},
            ValueError,
            "y_true has only positive samples (pos_label=1)",
        ),
        ([0, 0, 0], [0.1, 0.2, 0.3], {}, ValueError, "y_true has no positive samples"),
        ([0, 1, 1], [0.1, np.nan, 0.3], {}, ValueError, "y_score contains NaN"),
        ([0, 1], ["a", "b"], {}, TypeError, "y_score must be numeric"),
        ([-1, -1], [0.1, 0.2], {}, ValueError, "every sample is ambiguous (label -1)"),
        (
            [0, 1],
            [0.1, 0.2],
            {"fdr": 0.0},
            ValueError,
            "The 'fdr' parameter of recall_at_fdr_score must be a float in the range",
        ),
        (
            [0, 1],
            [0.1, 0.2],
            {"fdr": 1.0},
            ValueError,
            "The 'fdr' parameter of recall_at_fdr_score must be a float in the range",
        ),
    ],
)
def test_bad_input(y, s, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        recall_at_fdr_score(y, s, **kwargs)


@pytest.mark.parametrize(
    "metric",
    [
        recall_at_fdr_score,
        threshold_at_fdr,
        precision_at_recall_score,
        fdr_recall_curve,
    ],
)
def test_every_public_metric_validates_parameters(metric):
    # imbalanced-learn's test_public_functions: unknown or invalid parameters raise.
    with pytest.raises(ValueError, match="The 'pos_label' parameter"):
        metric([0, 1], [0.1, 0.2], pos_label=[1])
    with pytest.raises(TypeError):
        metric([0, 1], [0.1, 0.2], not_a_parameter=1)


def test_real_data_breast_cancer():
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True)
    y = 1 - y  # malignant (212 of 569) is the positive class
    s = cross_val_predict(
        make_pipeline(StandardScaler(), LogisticRegression()),
        X,
        y,
        cv=5,
        method="decision_function",
    )
    recalls = [recall_at_fdr_score(y, s, fdr=f) for f in (0.01, 0.05, 0.1, 0.25)]
    assert recalls == sorted(recalls) and 0.5 < recalls[0] and recalls[-1] > 0.95
    assert recalls[2] == _sklearn_recall_at_fdr(y, s, 0.1)


# ------------------------------------------------ the two-pass exact algorithm
@settings(max_examples=150, deadline=None)
@given(labels_and_scores, st.floats(0.01, 0.98))
def test_two_pass_equals_sklearn_with_heavy_ties(data, fdr):
    from skdl.metrics._fdr_fast import two_pass_recall_at_fdr

    y, s = map(np.asarray, data)
    assume(0 < y.sum() < len(y))
    expected = _sklearn_recall_at_fdr(y, s, fdr)
    # Small inputs take the sorting path; call the two-pass algorithm directly too.
    assert two_pass_recall_at_fdr(y, s, fdr, 1, -1, "test") == expected
    assert recall_at_fdr_score(y, s, fdr=fdr) == expected
    assert recall_at_fdr_score(y, s * 1e-3 + 7.25, fdr=fdr) == _sklearn_recall_at_fdr(
        y, s, fdr
    )
    # Seven distinct scores in one bin: the refinement resolves inside bins.
    assert two_pass_recall_at_fdr(y, s * 1e-3 + 7.25, fdr, 1, -1, "test") == expected
    assert two_pass_recall_at_fdr(y, 0.5 - s * 1e-3, fdr, 1, -1, "test") == (
        _sklearn_recall_at_fdr(y, -s, fdr)
    )


def test_two_pass_across_chunks_and_with_ambiguous_samples():
    from skdl.metrics._keys import CHUNK

    rng = np.random.RandomState(0)
    n = 3 * CHUNK + 123
    y = (rng.rand(n) < 0.01).astype(np.int8)
    s = (rng.randn(n) + 2.5 * y).astype(np.float32)
    y_amb = y.copy()
    y_amb[rng.rand(n) < 0.05] = -1
    for fdr in (0.02, 0.1, 0.4):
        assert recall_at_fdr_score(y, s, fdr=fdr) == _sklearn_recall_at_fdr(y, s, fdr)
        keep = y_amb != -1
        assert recall_at_fdr_score(y_amb, s, fdr=fdr) == _sklearn_recall_at_fdr(
            y_amb[keep], s[keep], fdr
        )
    s64 = s.astype(np.float64) + rng.rand(n) * 1e-9  # distinct float64, tied float32
    assert recall_at_fdr_score(y, s64, fdr=0.1) == _sklearn_recall_at_fdr(y, s64, 0.1)


special_floats = st.sampled_from(
    [0.0, -0.0, 1e-45, -1e-45, 1e-300, -1e-300, 3.4028235e38, -3.4028235e38, 1e300]
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-1, 2),
            st.one_of(special_floats, st.floats(allow_nan=False, allow_infinity=False)),
        ),
        min_size=1,
        max_size=300,
    ),
    st.sampled_from([np.float64, np.float32, np.float16]),
    st.sampled_from([8, 16, 20]),
)
def test_fused_histograms_count_score_bins_per_class(rows, dtype, n_bits):
    # The fused pass must bin exactly like score_bins (a float64 that rounds to
    # -0.0, or beyond float32's range, included) and leave ambiguous samples out.
    from skdl.metrics._keys import class_histograms, class_masks, score_bins

    y = np.array([label for label, _ in rows])
    with np.errstate(over="ignore"):
        s = np.array([score for _, score in rows]).astype(dtype)
    assume(np.isfinite(s).all())
    positives, negatives = class_histograms(y, s, n_bits, 1, -1, "test")
    bins = score_bins(s, n_bits)
    positive, negative = class_masks(y, 1, -1)
    n_bins = 1 << n_bits
    np.testing.assert_array_equal(
        positives, np.bincount(bins[positive], minlength=n_bins)
    )
    np.testing.assert_array_equal(
        negatives, np.bincount(bins[negative], minlength=n_bins)
    )


@pytest.mark.parametrize("n_bits", [8, 16, 24])
def test_bin_lower_edge_is_the_smallest_score_of_its_bin(n_bits):
    from skdl.metrics._keys import bin_lower_edge, score_bins

    rng = np.random.RandomState(n_bits)
    for b in rng.randint(1, 1 << n_bits, 200):
        edge = np.float32(bin_lower_edge(int(b), n_bits))
        if not np.isfinite(edge):
            continue  # bins of infinity and NaN bit patterns
        below = np.nextafter(edge, np.float32(-np.inf))
        if edge == 0:
            below = np.nextafter(np.float32(-0.0), np.float32(-1))  # -0.0 is 0.0
        assert score_bins(np.array([edge]), n_bits)[0] == b
        assert score_bins(np.array([below]), n_bits)[0] == b - 1


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("label", [1, 0, -1])
def test_non_finite_scores_are_refused_whatever_the_label(bad, label):
    # The fused pass checks finiteness through the histogram's outer bins and
    # the ambiguous samples' scores: each path must catch it.
    from skdl.metrics._keys import CHUNK

    rng = np.random.RandomState(0)
    n = 2 * CHUNK + 7
    y = (rng.rand(n) < 0.05).astype(int)
    s = rng.randn(n)
    s[CHUNK + 3], y[CHUNK + 3] = bad, label
    with pytest.raises(ValueError, match="NaN or infinity"):
        recall_at_fdr_score(y, s, fdr=0.1)
    with pytest.raises(ValueError, match="NaN or infinity"):
        recall_at_fdr_score(y, s.astype(np.float32), fdr=0.1)


def test_scores_beyond_float32_are_scored_exactly():
    # float64 scores beyond float32's range share infinity's bin: refused only
    # if really infinite, and still resolved exactly.
    from skdl.metrics._keys import CHUNK

    rng = np.random.RandomState(3)
    n = 2 * CHUNK
    y = (rng.rand(n) < 0.1).astype(int)
    s = (rng.randn(n) + 2 * y) * 1e300
    for fdr in (0.05, 0.2):
        assert recall_at_fdr_score(y, s, fdr=fdr) == _sklearn_recall_at_fdr(y, s, fdr)


def test_many_ambiguous_samples_between_the_edges_fall_back():
    from skdl.metrics._fdr_fast import _gather

    s = np.linspace(0, 1, 1000, dtype=np.float32)
    y = np.zeros(1000, dtype=int)
    kept_scores, kept_truth = _gather(s, y, 0.25, 0.5, limit=1000)
    np.testing.assert_array_equal(kept_scores, s[(s >= 0.25) & (s < 0.5)])
    assert _gather(s, y, 0.25, 0.5, limit=100) is None


def test_concentrated_scores_fall_back_to_sorting():
    from skdl.metrics._fdr_fast import two_pass_recall_at_fdr
    from skdl.metrics._keys import CHUNK

    rng = np.random.RandomState(1)
    n = 2 * CHUNK
    y = (rng.rand(n) < 0.3).astype(int)
    # Every score in one histogram bin: the refinement would gather everything.
    s = 0.5 + (rng.rand(n) * 0.3 + 0.05 * y) * 1e-3
    assert two_pass_recall_at_fdr(y, s, 0.3, 1, -1, "test") is None
    assert recall_at_fdr_score(y, s, fdr=0.3) == _sklearn_recall_at_fdr(y, s, 0.3)


def test_all_public_functions_validate_their_parameters():
    import skdl.metrics as metrics

    calls = {
        "ambiguous_rank_correlation": ([-1, -1, -1], [1, 2, 3], [1, 2, 3]),
        "bootstrap_metric": (recall_at_fdr_score, [0, 1], [0.1, 0.2]),
        "fdr_recall_curve": ([0, 1], [0.1, 0.2]),
        "make_fdr_scorer": (0.1,),
        "precision_at_recall_score": ([0, 1], [0.1, 0.2]),
        "recall_at_fdr_score": ([0, 1], [0.1, 0.2]),
        "replicate_upper_bound": ([[0, 1], [0, 1]],),
        "threshold_at_fdr": ([0, 1], [0.1, 0.2]),
    }
    functions = {
        name
        for name in metrics.__all__
        if callable(getattr(metrics, name))
        and name[0].islower()
        and name not in ("get_scorer", "get_scorer_names")
    }
    assert functions == set(calls)
    bad = {
        "ambiguous_rank_correlation": {"ambiguous_label": [1]},
        "bootstrap_metric": {"n_resamples": 1},
        "make_fdr_scorer": {"pos_label": [1]},
        "fdr_recall_curve": {"pos_label": [1]},
        "precision_at_recall_score": {"recall": 0.0},
    }
    for name, args in calls.items():
        function = getattr(metrics, name)
        with pytest.raises(ValueError, match=f"parameter of {name} must be"):
            function(*args, **bad.get(name, {"fdr": 7.0}))
