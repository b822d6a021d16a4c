import re

import numpy as np
import pytest

from skdl.metrics import StreamingFDR, fdr_recall_curve, recall_at_fdr_score


def _data(n, seed, quantise=None):
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) < 0.02).astype(np.int8)
    s = (rng.randn(n) + 2.0 * y).astype(np.float32)
    if quantise is not None:
        s = s.astype(quantise)
    return y, s


def _stream(y, s, chunks=7, **params):
    acc = StreamingFDR(**params)
    for idx in np.array_split(np.arange(len(y)), chunks):
        acc.update(y[idx], s[idx])
    return acc


@pytest.mark.parametrize("seed", range(5))
def test_exact_for_float16_quantised_scores(seed):
    y, s = _data(50_000, seed, quantise=np.float16)
    acc = _stream(y, s)
    for fdr in (0.05, 0.1, 0.25, 0.5, 0.77):
        assert acc.recall_at_fdr(fdr) == recall_at_fdr_score(y, s, fdr=fdr)
        low, high = acc.recall_at_fdr_bounds(fdr)
        assert low == high or low == recall_at_fdr_score(y, s, fdr=fdr)


@pytest.mark.parametrize("seed", range(5))
def test_bounds_bracket_the_exact_value(seed):
    y, s = _data(50_000, seed)  # full float32 precision: bins hold several values
    acc = _stream(y, s, n_bits=12)
    for fdr in (0.05, 0.1, 0.25, 0.5):
        exact = recall_at_fdr_score(y, s, fdr=fdr)
        low, high = acc.recall_at_fdr_bounds(fdr)
        assert low <= exact <= high
        assert acc.recall_at_fdr(fdr) == low
    # More bits, tighter bracket.
    fine = _stream(y, s, n_bits=24)
    assert np.diff(fine.recall_at_fdr_bounds(0.1)) <= np.diff(
        acc.recall_at_fdr_bounds(0.1)
    )


def test_negative_scores_zero_and_ambiguous_chunks():
    y = np.array([1, 0, -1, 1, 0, 0, 1, -1])
    s = np.array([-0.0, 0.0, 5.0, -1.5, -2.0, 3.0, 2.0, -9.0])
    acc = StreamingFDR().update(y[:3], s[:3]).update(y[3:], s[3:])
    assert acc.n_positives_ == 3 and acc.n_negatives_ == 3
    for fdr in (0.2, 0.34, 0.5, 0.6):
        assert acc.recall_at_fdr(fdr) == recall_at_fdr_score(y, s, fdr=fdr)


def test_curve_matches_exact_curve_for_quantised_scores():
    y, s = _data(5_000, 0, quantise=np.float16)
    fdr, recall = _stream(y, s).fdr_recall_curve()
    exact_fdr, exact_recall, _ = fdr_recall_curve(y, s)
    # Every exact point (at positive scores) appears on the streamed curve.
    streamed = set(zip(np.round(fdr, 12), np.round(recall, 12)))
    assert set(zip(np.round(exact_fdr, 12), np.round(exact_recall, 12))) <= streamed


def test_errors():
    with pytest.raises(ValueError, match=re.escape("call update with data first")):
        StreamingFDR().recall_at_fdr(0.1)
    with pytest.raises(
        ValueError, match=re.escape("both classes are needed; got 0 positives")
    ):
        StreamingFDR().update([0, 0], [0.1, 0.2]).recall_at_fdr(0.1)
    with pytest.raises(
        ValueError, match=re.escape("The 'n_bits' parameter of StreamingFDR must be")
    ):
        StreamingFDR(n_bits=30).update([0, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="y_score contains NaN"):
        StreamingFDR().update([0, 1], [0.1, np.nan])
    acc = StreamingFDR().update([0, 1], [0.1, 0.2])
    with pytest.raises(
        ValueError,
        match=re.escape("The 'fdr' parameter of StreamingFDR.recall_at_fdr_bounds"),
    ):
        acc.recall_at_fdr(1.5)
    acc.n_bits = 16
    with pytest.raises(ValueError, match="n_bits changed after the first update"):
        acc.update([0, 1], [0.1, 0.2])
