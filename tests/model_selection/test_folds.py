import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from skdl.model_selection._folds import balanced_group_folds


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=2, max_size=200),
    st.integers(2, 6),
    st.sampled_from(["positives", "samples"]),
    st.integers(0, 10_000),
)
def test_greedy_folds_partition_groups_and_bound_the_gap(
    raw_groups, n_splits, balance, seed
):
    _, group_ids = np.unique(raw_groups, return_inverse=True)
    n_groups = group_ids.max() + 1
    if n_groups < n_splits:
        return
    y = np.random.RandomState(seed).randint(0, 2, len(group_ids))
    folds = balanced_group_folds(
        group_ids, n_groups, n_splits, balance=balance, y=y, pos_label=1, caller="t"
    )
    assert sorted(np.concatenate(folds).tolist()) == list(range(n_groups))
    weight = (y == 1) if balance == "positives" else np.ones(len(y), bool)
    per_group = np.bincount(group_ids, weights=weight, minlength=n_groups)
    loads = [per_group[f].sum() for f in folds]
    assert max(loads) - min(loads) <= per_group.max()
