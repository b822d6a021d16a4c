"""The one hold-out split behind early stopping, train/tune/test and calibration."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skdl.exceptions import SkdlWarning
from skdl.utils._holdout import holdout_split, merge_copies


@settings(max_examples=60, deadline=None)
@given(
    n_groups=st.integers(2, 30),
    per_group=st.integers(1, 6),
    n_classes=st.integers(1, 3),
    fraction=st.floats(0.05, 0.5),
    seed=st.integers(0, 10_000),
    use_groups=st.booleans(),
)
def test_partition_keeps_groups_whole(
    n_groups, per_group, n_classes, fraction, seed, use_groups
):
    rng = np.random.RandomState(seed)
    groups = np.repeat(np.arange(n_groups), per_group)
    y = rng.randint(0, n_classes, len(groups))
    g = groups if use_groups else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkdlWarning)  # the fallbacks warn
        rest, held_out = holdout_split(
            len(y), fraction, y=y, groups=g, random_state=seed
        )
    assert sorted(np.r_[rest, held_out]) == list(range(len(y)))
    assert len(rest) > 0 and len(held_out) > 0
    if use_groups:
        assert not set(groups[rest]) & set(groups[held_out])
    again = holdout_split(len(y), fraction, y=y, groups=g, random_state=seed)
    assert np.array_equal(held_out, again[1])  # the same seed, the same part


def test_stratified_with_groups():
    # 40 patients, 10% positives: the held-out fifth gets its share of both.
    rng = np.random.RandomState(0)
    groups = np.repeat(np.arange(40), 5)
    y = (rng.rand(40) < 0.25)[groups].astype(int)
    rest, held_out = holdout_split(len(y), 0.2, y=y, groups=groups, random_state=0)
    assert not set(groups[rest]) & set(groups[held_out])
    assert y[held_out].mean() == pytest.approx(y.mean(), abs=0.1)
    assert 0.1 < len(held_out) / len(y) < 0.3


def test_stratified_without_groups_is_exact():
    y = np.r_[np.zeros(900, int), np.ones(100, int)]
    rest, held_out = holdout_split(1000, 0.1, y=y, random_state=0)
    assert len(held_out) == 100 and y[held_out].sum() == 10


def test_regression_targets_and_stratify_false_are_not_stratified():
    y = np.linspace(0, 1, 50)
    rest, held_out = holdout_split(50, 0.2, y=y, random_state=0)
    assert len(held_out) == 10
    labels = np.r_[np.zeros(45), np.ones(5)]
    rest, held_out = holdout_split(50, 0.2, y=labels, stratify=False, random_state=0)
    # The same draw as an unstratified split of anything else.
    assert np.array_equal(held_out, holdout_split(50, 0.2, random_state=0)[1])


def test_errors_name_the_part():
    msg = (
        "Est: the calibration part is made of whole groups and needs at least 2 "
        "distinct groups, one on each side; got 1. Pass more groups."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        holdout_split(
            5, 0.2, groups=np.zeros(5), caller="Est", part="the calibration part"
        )
    msg = "Est: the held-out part needs at least 2 samples, one on each side; got "
    msg += "n_samples=1."
    with pytest.raises(ValueError, match=re.escape(msg)):
        holdout_split(1, 0.2, caller="Est")


def test_warns_when_it_cannot_stratify():
    y = np.array([0, 0, 0, 0, 1])  # class 1 has one member: cannot stratify
    with pytest.warns(SkdlWarning, match="Est: could not stratify the held-out part"):
        rest, held_out = holdout_split(5, 0.2, y=y, random_state=0, caller="Est")
    assert len(held_out) == 1
    # Fewer groups than the folds a fraction needs: a random whole group, with
    # no warning when both classes are still on both sides.
    groups = np.repeat(np.arange(4), 4)
    y = np.tile([0, 1], 8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rest, held_out = holdout_split(16, 0.1, y=y, groups=groups, random_state=0)
    assert len(set(groups[held_out])) == 1
    # A class held by one group only ends up on one side.
    groups = np.repeat(np.arange(10), 2)
    y = (groups == 3).astype(int)
    msg = "Est: could not stratify the held-out part: class(es) [1] have samples "
    msg += "on one side only: too few groups hold them."
    with pytest.warns(SkdlWarning, match=re.escape(msg)):
        holdout_split(20, 0.5, y=y, groups=groups, random_state=0, caller="Est")


def test_merge_copies_joins_groups_that_share_a_sequence():
    seqs = np.array(["ACGT", "GGCC", "acgt", "TTAA", "CCAA", "ccaa"])
    chrom = np.array(["chr1", "chr1", "chr2", "chr3", "chr4", "chr5"])
    merged, n_merged = merge_copies(seqs, chrom)
    assert n_merged == 2  # chr2 joins chr1, chr5 joins chr4
    assert merged[0] == merged[1] == merged[2]
    assert merged[4] == merged[5] != merged[3]
    assert len(np.unique(merged)) == 3


def test_merge_copies_leaves_data_without_copies_alone():
    chrom = np.array(["chr1", "chr2"])
    groups, n_merged = merge_copies(["ACGT", "TTAA"], chrom)
    assert groups is not None and np.array_equal(groups, chrom) and n_merged == 0
    assert merge_copies(["ACGT", "TTAA"], None) == (None, 0)
    table = np.array([[1.0, 2.0], [1.0, 2.0]])  # tables are not sequences
    assert merge_copies(table, None) == (None, 0)
