"""screen_columns: which columns are identifiers, the groups, or leaks."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.datasets import load_breast_cancer

from skdl.comparison import ColumnFlag, screen_columns


def _kinds(flags):
    return [(flag.column, flag.kind) for flag in flags]


def _table(seed=0, n=600):
    """Samples of 100 patients, with every kind of trouble and honest columns."""
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) < 0.4).astype(int)
    patients = rng.randint(0, 100, n)
    copy = y.copy()
    copy[rng.choice(n, 3, replace=False)] ^= 1
    # Positives in the middle of the range, negatives on both sides: the
    # column's own auROC is about 0.5, a tree separates the classes.
    band = np.where(y == 1, rng.uniform(4, 6, n), rng.uniform(0, 3, n))
    band[(y == 0) & (rng.rand(n) < 0.5)] += 7
    X = pd.DataFrame(
        {
            "sample": [f"S{i:05d}" for i in rng.permutation(n)],
            "row": np.arange(n),
            "noise": rng.randn(n) + 0.5 * y,
            "copy": copy,
            "band": band,
            # A date recorded only once the disease is diagnosed.
            "diagnosed_days": np.where(y == 1, rng.uniform(0, 900, n), np.nan),
            "measure": rng.lognormal(size=n),
            "constant": 1.0,
            "patient": patients,
            "site": rng.choice(["Lyon", "Oslo", "Kyoto", "Lima", "Pune"], n),
        }
    )
    groups = np.array([f"p{k}" for k in patients])
    return X, y, groups


def test_each_kind_of_trouble_is_flagged_and_honest_columns_are_not():
    X, y, groups = _table()
    flags = screen_columns(X, y, task="binary", groups=groups)
    assert _kinds(flags) == [
        ("sample", "id"),
        ("row", "id"),
        ("copy", "leak"),
        ("band", "leak"),
        ("diagnosed_days", "leak"),
        ("patient", "groups"),
    ]
    by_name = {flag.column: flag for flag in flags}
    assert by_name["sample"].detail.endswith("one per row (text)")
    assert by_name["row"].detail.endswith("one per row (integers)")
    assert "auROC 0.99" in by_name["copy"].detail
    assert "3-fold grouped cross-validation" in by_name["band"].detail
    assert by_name["diagnosed_days"].detail == (
        "ranked by its own values, it separates the classes with auROC 1.000"
    )
    assert by_name["patient"].detail == "its values match the 100 groups one to one"


def test_non_monotone_leak_is_invisible_to_its_own_auroc():
    # The pre-filter must not be a rank statistic: this column would pass it.
    from sklearn.metrics import roc_auc_score

    X, y, _ = _table()
    auc = roc_auc_score(y, X["band"])
    assert 0.3 < auc < 0.7
    assert _kinds(screen_columns(X[["band"]], y, task="binary")) == [("band", "leak")]


def test_without_groups_the_patient_column_is_not_the_groups():
    X, y, _ = _table()
    flags = screen_columns(X, y, task="binary")
    assert "patient" not in {flag.column for flag in flags}
    band = next(flag for flag in flags if flag.column == "band")
    assert band.detail.endswith("in 3-fold cross-validation")


def test_groups_match_whatever_the_value_types():
    rng = np.random.RandomState(1)
    n = 200
    sites = rng.randint(0, 8, n)
    y = rng.randint(0, 2, n)
    X = pd.DataFrame(
        {
            "site_code": sites + 100,  # integers for groups given as text
            "site_name": pd.Categorical([f"site {k}" for k in sites]),
            "coarser": sites // 2,  # two groups per value: not the groups
            "finer": sites * 10 + rng.randint(0, 2, n),  # splits groups: not
            "site_float": (sites + 1).astype(float),  # whole-valued floats
        }
    )
    groups = np.array([f"S-{k}" for k in sites], dtype=object)
    flags = screen_columns(X, y, task="binary", groups=groups)
    assert _kinds(flags) == [
        ("site_code", "groups"),
        ("site_name", "groups"),
        ("site_float", "groups"),
    ]
    # Integer groups, text column: the same partition.
    flags = screen_columns(X[["site_name"]], y, task="binary", groups=sites)
    assert _kinds(flags) == [("site_name", "groups")]


def test_a_float_constant_within_patients_is_not_the_groups():
    # A patient-level measurement (BMI) maps one to one onto 20 patients. It is
    # not their identifier, and grouped folds keep it from leaking the
    # patient-level label; plain folds let the tree memorize the patients.
    rng = np.random.RandomState(2)
    patients = np.repeat(np.arange(20), 10)
    y = rng.permutation(np.repeat([0, 1], 10))[patients]
    bmi = rng.uniform(18, 35, 20)[patients]
    X = pd.DataFrame({"bmi": bmi})
    assert screen_columns(X, y, task="binary", groups=patients) == []
    assert _kinds(screen_columns(X, y, task="binary")) == [("bmi", "leak")]


def test_which_columns_can_be_identifiers():
    rng = np.random.RandomState(3)
    n = 300
    y = rng.randint(0, 2, n)
    row_with_gap = np.arange(n, dtype=float)
    row_with_gap[5] = np.nan  # an integer column that became float
    X = pd.DataFrame(
        {
            "measure": rng.randn(n),  # unique floats: a measurement
            "row_float": row_with_gap,
            "counts": rng.choice(10**6, n, replace=False).astype(float),
            "int_counts": rng.choice(10**6, n, replace=False),
            "nullable": pd.array(rng.permutation(n) + 1000, dtype="Int64"),
            "string": pd.array([f"id{i}" for i in range(n)], dtype="string"),
            "mostly_missing": [f"c{i}" if i < 100 else None for i in range(n)],
            "repeats": rng.randint(0, 50, n),
        }
    )
    flags = screen_columns(X, y, task="binary")
    assert _kinds(flags) == [
        ("row_float", "id"),
        ("int_counts", "id"),
        ("nullable", "id"),
        ("string", "id"),
    ]
    assert flags[0].detail == (
        "its 299 values (1 missing left aside) are all different, one per row "
        "(whole numbers)"
    )


def test_too_few_rows_for_an_identifier():
    y = np.tile([0, 1], 5)
    X = pd.DataFrame({"name": [f"n{i}" for i in range(10)]})
    assert screen_columns(X, y, task="binary") == []


def test_multiclass_label_written_as_text_is_a_leak():
    rng = np.random.RandomState(4)
    n = 300
    y = rng.randint(0, 3, n)
    grade = np.array(["low", "mid", "high"], dtype=object)[y]
    grade[rng.choice(n, 1, replace=False)] = "mid"
    grade[rng.choice(n, 1, replace=False)] = None  # missing: its own code
    X = pd.DataFrame(
        {
            "tissue": rng.choice(["liver", "lung", "skin"], n),
            "grade": grade,
            "grade_cat": pd.Categorical(grade),
            "signal": y + rng.randn(n),
        }
    )
    flags = screen_columns(X, y, task="multiclass")
    assert _kinds(flags) == [("grade", "leak"), ("grade_cat", "leak")]
    assert "balanced accuracy" in flags[0].detail


def test_regression_target_leaked_by_a_scaled_copy():
    rng = np.random.RandomState(5)
    n = 400
    y = 10 + 3 * rng.randn(n)
    twice = y * 2 + 0.3 * rng.randn(n)
    twice_gappy = twice.copy()
    twice_gappy[rng.choice(n, 8, replace=False)] = np.nan
    X = pd.DataFrame(
        {
            "feature": y + 3 * rng.randn(n),  # R^2 about 0.5
            "twice": twice,
            "twice_gappy": twice_gappy,
            "square": (y - 10) ** 2,  # loses the sign: not a leak
            # Folded at 10 but still one to one: only the tree sees it.
            "folded": np.where(y < 10, y, 40 - y) + 0.05 * rng.randn(n),
        }
    )
    flags = screen_columns(X, y, task="regression")
    assert _kinds(flags) == [
        ("twice", "leak"),
        ("twice_gappy", "leak"),
        ("folded", "leak"),
    ]
    assert flags[0].detail.startswith("a straight line through it alone")
    assert "R^2 0.9" in flags[1].detail
    assert "cross-validation" in flags[2].detail
    assert np.corrcoef(X["folded"], y)[0, 1] ** 2 < 0.7


def test_leak_threshold_overrides_the_default():
    X, y, groups = _table()
    honest = X[["noise", "measure"]]
    assert screen_columns(honest, y, task="binary", groups=groups) == []
    flags = screen_columns(honest, y, task="binary", groups=groups, leak_threshold=0.6)
    assert _kinds(flags) == [("noise", "leak")]


def test_arrays_get_positional_names():
    rng = np.random.RandomState(6)
    y = rng.randint(0, 2, 100)
    X = np.column_stack([rng.randn(100), y, np.arange(100)])
    assert _kinds(screen_columns(X, y, task="binary")) == [
        ("x1", "leak"),
        ("x2", "id"),
    ]
    text = np.array([[f"a{i}", "same"] for i in range(100)], dtype=object)
    assert _kinds(screen_columns(text, y, task="binary")) == [("x0", "id")]


@pytest.mark.parametrize(
    "X",
    [
        ["CCO", "c1ccccc1", "CC(=O)O"],
        np.zeros((3, 4, 4)),
        sparse.csr_matrix(np.eye(3)),
    ],
    ids=["smiles", "images", "sparse"],
)
def test_anything_but_a_2d_table_is_not_screened(X):
    assert screen_columns(X, [0, 1, 0], task="binary") == []


def test_real_data_best_feature_is_not_a_leak_but_the_target_is():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    y = y.to_numpy()
    assert screen_columns(X, y, task="binary") == []
    X["diagnosis"] = y
    flags = screen_columns(X, y, task="binary")
    assert _kinds(flags) == [("diagnosis", "leak")]


def test_nothing_is_warned():
    # Two members of a class, fewer than the folds: scikit-learn would warn.
    rng = np.random.RandomState(7)
    y = np.r_[np.zeros(50, int), np.ones(48, int), np.full(2, 2)]
    X = pd.DataFrame(
        {
            "name": [f"n{i}" for i in range(100)],
            "almost": np.where(y == 2, 1, y).astype(str),
            "noise": rng.randn(100),
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flags = screen_columns(X, y, task="multiclass")
        screen_columns(X, y == 2, task="binary")
    assert _kinds(flags) == [("name", "id")]


def test_message_names_the_column_and_both_ways_out():
    flag = ColumnFlag("sample id", "id", "its 600 values are all different")
    message = flag.message()
    assert message.startswith("Column 'sample id' looks like an identifier:")
    assert "skdl compare --drop 'sample id'" in message
    assert "keep it knowingly" in message
    leak = ColumnFlag("copy", "leak", "alone it predicts the target")
    assert "may leak the target" in leak.message()
    assert "--drop copy)" in leak.message()
    groups = ColumnFlag("patient", "groups", "its values match the 9 groups")
    assert "is the groups under another name" in groups.message()


def test_duplicate_column_names_are_kept_apart():
    rng = np.random.RandomState(8)
    y = rng.randint(0, 2, 100)
    X = pd.DataFrame(np.column_stack([rng.randn(100), y]), columns=["a", "a"])
    assert _kinds(screen_columns(X, y, task="binary")) == [("a", "leak")]


def test_same_seed_same_flags_and_bad_arguments_are_refused():
    X, y, groups = _table()
    first = screen_columns(X, y, task="binary", groups=groups, random_state=3)
    assert first == screen_columns(X, y, task="binary", groups=groups, random_state=3)
    with pytest.raises(ValueError, match="task"):
        screen_columns(X, y, task="ranking")
    with pytest.raises(ValueError, match="cv"):
        screen_columns(X, y, task="binary", cv=1)
    with pytest.raises(ValueError, match="X has 600 rows but y has 599"):
        screen_columns(X, y[:-1], task="binary")
