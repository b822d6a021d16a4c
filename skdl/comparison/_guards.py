"""Leak and ID guards: the columns to question before any model is fitted.

:func:`screen_columns` looks at each column of a tabular ``X`` on its own and
flags three kinds of trouble that make every model look better, or stranger,
than it is: a column that is a row identifier, a column that is the groups of
the cross-validation under another name, and a column that alone predicts the
target almost perfectly. It fits nothing but one small tree per column, and
emits no warning: :func:`skdl.comparison.compare` and ``skdl compare`` decide
what to say.
"""

from __future__ import annotations

import shlex
import warnings
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import issparse
from scipy.stats import rankdata
from sklearn.metrics import balanced_accuracy_score, r2_score, roc_auc_score
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    StratifiedGroupKFold,
    StratifiedKFold,
    cross_val_predict,
)
from sklearn.preprocessing import OrdinalEncoder
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils import check_random_state

from skdl.utils._groups import check_groups
from skdl.utils._sklearn import Interval, StrOptions, validate_params

# Fewest rows with a value for a column to be called an identifier.
_MIN_ID_ROWS = 20
# Default leak thresholds: binary auROC, multiclass balanced accuracy, R^2.
_LEAK_THRESHOLD = {"binary": 0.99, "multiclass": 0.99, "regression": 0.95}
# How much looser the in-sample pre-filter is than the cross-validated test.
_PREFILTER_MARGIN = {"binary": 0.05, "multiclass": 0.05, "regression": 0.10}
_SCORE_NAME = {
    "binary": "auROC",
    "multiclass": "balanced accuracy",
    "regression": "R^2",
}
_MIN_SAMPLES_LEAF = 3
_FLOAT32_MAX = float(np.finfo(np.float32).max)


@dataclass(frozen=True)
class ColumnFlag:
    """A column of ``X`` that should not reach a model unquestioned.

    Parameters
    ----------
    column : str
        The column's name: the DataFrame's, or ``"x0"``, ``"x1"``, ... for an
        array.
    kind : {"leak", "id", "groups"}
        ``"leak"``: alone, the column predicts the target almost perfectly.
        ``"id"``: its values are all different, one per row. ``"groups"``: its
        values are the groups given to the cross-validation, one to one.
    detail : str
        One sentence, without the final period, with the evidence (for
        example ``"alone it predicts the target with auROC 0.998 in 3-fold
        grouped cross-validation"``).

    See Also
    --------
    screen_columns : Finds these columns.

    Examples
    --------
    >>> from skdl.comparison import ColumnFlag
    >>> flag = ColumnFlag("row_id", "id", "its 120 values are all different, "
    ...                   "one per row (integers)")
    >>> print(flag.message())
    Column 'row_id' looks like an identifier: its 120 values are all different,
    one per row (integers). ...; drop it (skdl compare --drop row_id) or keep it
    knowingly ...
    """

    column: str
    kind: str
    detail: str

    def message(self) -> str:
        """Return the warning to show: the column, the evidence, what to do.

        Returns
        -------
        message : str
            Sentences naming the column, saying why it is suspect, and
            offering the two ways out: drop it with
            ``skdl compare --drop COLUMN`` or keep it knowingly.
        """
        drop = f"drop it (skdl compare --drop {shlex.quote(self.column)})"
        if self.kind == "leak":
            return (
                f"Column {self.column!r} may leak the target: {self.detail}. "
                "Such a column usually records the outcome itself (a diagnosis "
                "code, a value measured after the fact, a copy of the label) and "
                f"makes every model look excellent for the wrong reason; {drop} "
                "or, if it is truly known when predictions are made, keep it "
                "knowingly."
            )
        if self.kind == "id":
            return (
                f"Column {self.column!r} looks like an identifier: {self.detail}. "
                "A model can only memorize such values, which say nothing about "
                f"new samples; {drop} or keep it knowingly (a serial number that "
                "follows time, for example, may carry a real drift)."
            )
        return (
            f"Column {self.column!r} is the groups under another name: "
            f"{self.detail}. The grouped folds never show its test values in "
            "training, so it can only add noise, and a model that uses it ties its "
            f"predictions to the groups it has seen; {drop} or keep it knowingly."
        )


@dataclass
class _Column:
    """One column of X, as numbers (NaN missing) or as strings (NaN missing)."""

    name: str
    family: str  # "int", "float", "bool", "time" or "text"
    numeric: NDArray[np.float64] | None
    text: NDArray[Any] | None
    missing: NDArray[np.bool_]


_NUMBER = (int, float, np.integer, np.floating)
_BOOL = (bool, np.bool_)


def _missing_mask(values: NDArray[Any]) -> NDArray[np.bool_]:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is in the test extras
        return np.array(
            [
                v is None or (isinstance(v, float | np.floating) and np.isnan(v))
                for v in values
            ],
            dtype=bool,
        )
    return np.asarray(pd.isna(values), dtype=bool)


def _from_objects(name: str, values: NDArray[Any]) -> _Column:
    """Return numbers if every present value is one, strings otherwise."""
    missing = _missing_mask(values)
    present = values[~missing]
    n = len(values)
    if present.size and all(isinstance(v, _BOOL) for v in present):
        numeric = np.full(n, np.nan)
        numeric[~missing] = present.astype(float)
        return _Column(name, "bool", numeric, None, missing)
    if present.size and all(
        isinstance(v, _NUMBER) and not isinstance(v, _BOOL) for v in present
    ):
        numeric = np.full(n, np.nan)
        numeric[~missing] = present.astype(float)
        integers = all(isinstance(v, int | np.integer) for v in present)
        return _Column(name, "int" if integers else "float", numeric, None, missing)
    text = np.full(n, np.nan, dtype=object)
    text[~missing] = [str(v) for v in present]
    return _Column(name, "text", None, text, missing)


def _numeric_column(name: str, family: str, numeric: NDArray[Any]) -> _Column:
    numeric = np.asarray(numeric, dtype=np.float64)
    return _Column(name, family, numeric, None, np.isnan(numeric))


def _from_series(name: str, series: Any) -> _Column | None:
    import pandas as pd
    from pandas.api import types

    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _from_objects(name, series.astype(object).to_numpy())
    if types.is_bool_dtype(dtype):
        return _numeric_column(name, "bool", series.to_numpy(float, na_value=np.nan))
    if types.is_integer_dtype(dtype):
        return _numeric_column(name, "int", series.to_numpy(float, na_value=np.nan))
    if types.is_float_dtype(dtype):
        return _numeric_column(name, "float", series.to_numpy(float, na_value=np.nan))
    if types.is_datetime64_any_dtype(dtype):
        seconds = (series - series.min()).dt.total_seconds()
        return _numeric_column(name, "time", seconds.to_numpy(float, na_value=np.nan))
    if types.is_timedelta64_dtype(dtype):
        seconds = series.dt.total_seconds()
        return _numeric_column(name, "time", seconds.to_numpy(float, na_value=np.nan))
    if types.is_complex_dtype(dtype):
        return None
    return _from_objects(name, series.to_numpy(dtype=object))


def _from_array(name: str, column: NDArray[Any]) -> _Column | None:
    kind = column.dtype.kind
    if kind == "b":
        return _numeric_column(name, "bool", column)
    if kind in "iu":
        return _numeric_column(name, "int", column)
    if kind == "f":
        return _numeric_column(name, "float", column)
    if kind in "mM":
        numeric = column.astype("int64").astype(np.float64)
        numeric[np.isnat(column)] = np.nan
        return _numeric_column(name, "time", numeric)
    if kind in "OUS":
        return _from_objects(name, column.astype(object))
    return None


def _columns(X: Any) -> list[_Column | None] | None:
    """Split X into its columns, or None when X is not a 2-D table."""
    if hasattr(X, "columns") and hasattr(X, "iloc") and getattr(X, "ndim", 2) == 2:
        return [
            _from_series(str(name), X.iloc[:, j]) for j, name in enumerate(X.columns)
        ]
    if issparse(X):
        return None
    try:
        array = np.asarray(X)
    except (TypeError, ValueError):
        return None
    if array.ndim != 2:
        return None
    return [_from_array(f"x{j}", array[:, j]) for j in range(array.shape[1])]


def _codes(column: _Column) -> NDArray[np.intp]:
    """Return codes of a column without missing values: equal values, equal codes."""
    if column.numeric is not None:
        return np.unique(column.numeric, return_inverse=True)[1].ravel()
    assert column.text is not None
    return np.unique(column.text.astype(str), return_inverse=True)[1].ravel()


def _is_whole(values: NDArray[np.float64]) -> bool:
    return bool(np.all(np.isfinite(values)) and np.all(values == np.round(values)))


def _label_like(column: _Column) -> bool:
    """Tell whether values are text, integers, booleans or whole-valued floats."""
    if column.family in ("text", "int", "bool"):
        return True
    if column.family == "float":
        assert column.numeric is not None
        return _is_whole(column.numeric[~column.missing])
    return False


def _groups_flag(column: _Column, group_codes: NDArray[np.intp]) -> ColumnFlag | None:
    n_groups = int(group_codes.max()) + 1
    if n_groups < 2 or column.missing.any() or not _label_like(column):
        return None
    codes = _codes(column)
    if int(codes.max()) + 1 != n_groups:
        return None
    pairs = np.unique(codes.astype(np.int64) * n_groups + group_codes)
    if pairs.size != n_groups:
        return None
    return ColumnFlag(
        column.name,
        "groups",
        f"its values match the {n_groups} groups one to one",
    )


def _id_flag(column: _Column) -> ColumnFlag | None:
    n_rows = len(column.missing)
    n_present = int((~column.missing).sum())
    if n_present < max(_MIN_ID_ROWS, n_rows / 2):
        return None
    if column.family == "text":
        assert column.text is not None
        present_text = column.text[~column.missing].astype(str)
        if np.unique(present_text).size != n_present:
            return None
        what = "text"
    elif column.family in ("int", "float"):
        assert column.numeric is not None
        present = column.numeric[~column.missing]
        if not _is_whole(present) or np.unique(present).size != n_present:
            return None
        if column.family == "float" and np.ptp(present) + 1 > 2 * n_present:
            # Whole-valued floats are called IDs only when they look like row
            # numbers (they fill most of their range): counts and other
            # measurements spread far wider.
            return None
        what = "integers" if column.family == "int" else "whole numbers"
    else:
        return None
    missing = n_rows - n_present
    aside = f" ({missing} missing left aside)" if missing else ""
    return ColumnFlag(
        column.name,
        "id",
        f"its {n_present} values{aside} are all different, one per row ({what})",
    )


def _feature(column: _Column) -> NDArray[np.float32]:
    """Return the column as one float32 feature: NaN missing, or ordinal codes."""
    if column.numeric is not None:
        values = np.clip(column.numeric, -_FLOAT32_MAX, _FLOAT32_MAX)
    else:
        encoder = OrdinalEncoder(encoded_missing_value=-1, dtype=np.float64)
        assert column.text is not None
        values = encoder.fit_transform(column.text.reshape(-1, 1)).ravel()
    return np.ascontiguousarray(values, dtype=np.float32).reshape(-1, 1)


def _fast_score(task: str, y: NDArray[Any], pred: NDArray[Any]) -> float:
    """Return a score without scikit-learn's checks (pre-filter, witness)."""
    if task == "binary":
        ranks = rankdata(pred)
        n_pos = int(y.sum())
        n_neg = len(y) - n_pos
        return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
    if task == "multiclass":
        recalls = [np.mean(pred[y == k] == k) for k in np.unique(y)]
        return float(np.mean(recalls))
    total = float(np.sum((y - y.mean()) ** 2))
    return 1.0 - float(np.sum((y - pred) ** 2)) / total


def _straight_score(task: str, column: _Column, y: NDArray[Any]) -> float | None:
    """Return a numeric column's own auROC (binary) or line R^2 (regression).

    Missing values go first or last, whichever ranks better (binary), or are
    predicted by the mean target of their rows (regression).
    """
    if task == "multiclass" or column.numeric is None:
        return None
    present = ~column.missing
    values = column.numeric[present]
    if values.size < 3 or not np.all(np.isfinite(values)) or np.ptp(values) == 0:
        return None
    if task == "binary":
        best = 0.0
        for fill in (-np.inf, np.inf) if column.missing.any() else (0.0,):
            auc = _fast_score("binary", y, np.where(present, column.numeric, fill))
            best = max(best, auc, 1.0 - auc)
        return best
    y_present = y[present]
    centred = values - values.mean()
    slope = float(centred @ (y_present - y_present.mean())) / float(centred @ centred)
    pred = np.full(len(y), y[~present].mean() if column.missing.any() else 0.0)
    pred[present] = y_present.mean() + slope * centred
    return _fast_score("regression", y, pred)


def _straight_detail(task: str, score: float) -> str:
    if task == "binary":
        return (
            f"ranked by its own values, it separates the classes with auROC {score:.3f}"
        )
    return f"a straight line through it alone explains the target with R^2 {score:.3f}"


def _tree(task: str, n_classes: int, seed: int) -> Any:
    if task == "regression":
        return DecisionTreeRegressor(
            max_leaf_nodes=32, min_samples_leaf=_MIN_SAMPLES_LEAF, random_state=seed
        )
    return DecisionTreeClassifier(
        max_leaf_nodes=max(32, 2 * n_classes),
        min_samples_leaf=_MIN_SAMPLES_LEAF,
        random_state=seed,
    )


def _predict(tree: Any, task: str, feature: NDArray[np.float32]) -> NDArray[Any]:
    if task == "binary":
        return tree.predict_proba(feature)[:, 1]
    return tree.predict(feature)


def _splits(
    task: str,
    y: NDArray[Any],
    group_codes: NDArray[np.intp] | None,
    cv: int,
    seed: int,
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]] | None:
    """Return the folds every column is tested on, or None if none can be made."""
    n_samples = len(y)
    splitter: Any
    if group_codes is not None:
        n_splits = min(cv, int(group_codes.max()) + 1)
        if task == "regression":
            splitter = GroupKFold(n_splits, shuffle=True, random_state=seed)
        else:
            splitter = StratifiedGroupKFold(n_splits, shuffle=True, random_state=seed)
    else:
        n_splits = min(cv, n_samples)
        if task == "regression":
            splitter = KFold(n_splits, shuffle=True, random_state=seed)
        else:
            splitter = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    if n_splits < 2:
        return None
    try:
        return list(splitter.split(np.zeros((n_samples, 1)), y, group_codes))
    except ValueError:
        return None


def _leak_flags(
    candidates: list[tuple[int, _Column, NDArray[np.float32]]],
    y: NDArray[Any],
    *,
    task: str,
    group_codes: NDArray[np.intp] | None,
    cv: int,
    seed: int,
    threshold: float,
) -> dict[int, ColumnFlag]:
    """Return the leak flags of the candidate columns, by position."""
    y_fit: NDArray[Any]
    if task == "regression":
        y_fit = y.astype(np.float64)
        n_classes = 0
        if np.ptp(y_fit) == 0:
            return {}
    else:
        classes, y_fit = np.unique(y, return_inverse=True)
        n_classes = len(classes)
        if n_classes < 2:
            return {}
    flags: dict[int, ColumnFlag] = {}
    # A straight witness first: a numeric column ranked as it is (binary), or
    # a straight line through it (regression). Nothing is fitted but a
    # direction, and a 32-leaf tree's pooled out-of-fold score falls a little
    # short of it on an almost monotone leak.
    remaining = []
    for position, column, feature in candidates:
        score = _straight_score(task, column, y_fit)
        if score is not None and score > threshold:
            flags[position] = ColumnFlag(
                column.name, "leak", _straight_detail(task, score)
            )
        else:
            remaining.append((position, column, feature))
    # Pre-filter: a tree fitted and scored on all rows. Its in-sample score is
    # optimistic, so a column whose cross-validated score passes the threshold
    # passes the looser in-sample one too; being the same tree, it sees
    # non-monotone leaks (a value range, missingness) that a rank statistic
    # would miss.
    prefilter = threshold - _PREFILTER_MARGIN[task]
    suspects = []
    for position, column, feature in remaining:
        tree = _tree(task, n_classes, seed).fit(feature, y_fit)
        if _fast_score(task, y_fit, _predict(tree, task, feature)) > prefilter:
            suspects.append((position, column, feature))
    if not suspects:
        return flags
    splits = _splits(task, y_fit, group_codes, cv, seed)
    if splits is None:
        return flags
    grouped = " grouped" if group_codes is not None else ""
    for position, column, feature in suspects:
        tree = _tree(task, n_classes, seed)
        if task == "binary":
            oof = cross_val_predict(
                tree, feature, y_fit, cv=splits, method="predict_proba"
            )[:, 1]
            score = roc_auc_score(y_fit, oof)
        elif task == "multiclass":
            oof = cross_val_predict(tree, feature, y_fit, cv=splits)
            score = balanced_accuracy_score(y_fit, oof)
        else:
            oof = cross_val_predict(tree, feature, y_fit, cv=splits)
            score = r2_score(y_fit, oof)
        if score > threshold:
            flags[position] = ColumnFlag(
                column.name,
                "leak",
                f"alone it predicts the target with {_SCORE_NAME[task]} "
                f"{score:.3f} in {len(splits)}-fold{grouped} cross-validation",
            )
    return flags


@validate_params(
    {
        "X": "no_validation",
        "y": ["array-like"],
        "task": [StrOptions({"binary", "multiclass", "regression"})],
        "groups": ["array-like", None],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
        "leak_threshold": [Interval(Real, 0, 1, closed="right"), None],
    },
    prefer_skip_nested_validation=True,
)
def screen_columns(
    X: Any,
    y: ArrayLike,
    *,
    task: str,
    groups: ArrayLike | None = None,
    cv: int = 3,
    random_state: Any = 0,
    leak_threshold: float | None = None,
) -> list[ColumnFlag]:
    """Find the columns that leak the target, identify the rows, or are the groups.

    Each column is examined alone, before any model is fitted:

    - ``"groups"``: given ``groups``, a column whose values map one to one onto
      the group labels, whatever the types on either side (groups ``"p7"``,
      column ``7``).
    - ``"id"``: a column whose values are all different, one per row: text or
      integers, with at least 20 values present in at least half of the rows.
    - ``"leak"``: a column that alone predicts the target almost perfectly in a
      quick cross-validation of a small decision tree (32 leaves, at least 3
      samples each) on that column: out-of-fold auROC above 0.99 for a binary
      target, balanced accuracy above 0.99 for a multiclass one, R^2 above 0.95
      for regression. A numeric column whose own auROC (binary), or whose
      straight line's R^2 (regression), is above the same threshold is a leak
      without a tree.

    A column gets at most one flag, tested in that order; constant columns
    are skipped.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
        The table. Columns are named after the DataFrame's columns, or
        ``"x0"``, ``"x1"``, ... for an array. Anything that is not a 2-D table
        (a sequence of strings, images, a sparse matrix) is not screened.
    y : array-like of shape (n_samples,)
        The target, already validated: 0/1 for ``"binary"``, 0 to K-1 for
        ``"multiclass"``, floats for ``"regression"``.
    task : {"binary", "multiclass", "regression"}
        The kind of target.
    groups : array-like of shape (n_samples,) or None, default=None
        Group labels (patients, sites). They are compared with each column,
        and the leak test's folds keep them whole (``StratifiedGroupKFold``,
        or ``GroupKFold`` for regression; ``StratifiedKFold`` or ``KFold``
        without groups).
    cv : int, default=3
        Number of folds of the leak test (fewer when there are fewer groups).
    random_state : int, RandomState instance or None, default=0
        Seed of the shuffled folds and of the trees.
    leak_threshold : float or None, default=None
        The score above which a column is a leak, instead of 0.99 (auROC or
        balanced accuracy) or 0.95 (R^2).

    Returns
    -------
    flags : list of ColumnFlag
        One per flagged column, in the order of the columns; empty when
        nothing is suspect or ``X`` is not a 2-D table.

    See Also
    --------
    ColumnFlag : A flag, with the message to show.
    compare : Runs this screen before fitting anything.

    Notes
    -----
    *Which columns can be identifiers.* A float measurement naturally takes
    a different value in every row, so floats are not identifiers. Floats that
    are all whole numbers are, when they also look like row numbers (unique,
    and spanning at most twice as many values as there are rows): that is what
    an integer ID becomes in a pandas column with a missing value, or in a
    numeric numpy array. Whole-valued floats spread wider (counts, ages in
    days) are left alone; integer columns are flagged whatever their spread.
    The same rule (text, integers, booleans, whole-valued floats) decides which
    columns can be the groups: a float measurement constant within each
    patient (a BMI) maps one to one onto the patients without being their
    identifier.

    *The leak test.* Text and categorical columns are ordinal-encoded (missing
    values get their own code); numeric ones keep their missing values as NaN,
    which the tree splits on, so a value recorded only for the positive class
    is a leak too. Out-of-fold predictions of all folds are pooled before
    scoring. A tree's pooled out-of-fold score falls a little short on an
    almost monotone leak (a lab value whose own auROC is 0.998 can score 0.98),
    so a numeric column is first scored straight, with nothing fitted but a
    direction: its own auROC for a binary target (missing values ranked first
    or last, whichever is better), the R^2 of a straight line through it for a
    regression target (missing values predicted by their rows' mean target);
    above the threshold, it is a leak.

    To stay fast on wide tables (hundreds of gene-expression columns), every
    other column first goes through a pre-filter: the same tree, fitted and
    scored on all rows. That in-sample score is optimistic, so only
    columns within 0.05 of the threshold (0.10 for R^2) go on to the
    cross-validation; being the same tree, the pre-filter sees non-monotone
    leaks (a middle range of values, missingness) that a rank statistic such
    as a column's own auROC would miss. Identifiers and the groups are not
    tested for leaks. When the folds cannot be made (a class with fewer
    members than ``cv``, a single group), no leak is reported.

    A categorical column with more levels than the tree has leaves can hide a
    leak in codes scattered over its range; such a column is usually an
    identifier, or close to one.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.comparison import screen_columns
    >>> rng = np.random.RandomState(0)
    >>> y = rng.randint(0, 2, 200)
    >>> X = np.column_stack([rng.randn(200) + y, np.arange(200), y])
    >>> flags = screen_columns(X, y, task="binary")
    >>> [(flag.column, flag.kind) for flag in flags]
    [('x1', 'id'), ('x2', 'leak')]
    >>> print(flags[1].detail)
    ranked by its own values, it separates the classes with auROC 1.000

    A leak in a middle range of values is caught by the cross-validated tree:

    >>> band = np.where(y == 1, rng.uniform(4, 6, 200), rng.uniform(0, 10, 200))
    >>> band[(y == 0) & (band > 3.5) & (band < 6.5)] += 4
    >>> print(screen_columns(band.reshape(-1, 1), y, task="binary")[0].detail)
    alone it predicts the target with auROC 1.000 in 3-fold cross-validation

    Anything but a 2-D table is left alone:

    >>> screen_columns(["CCO", "c1ccccc1"], [0, 1], task="binary")
    []
    """
    columns = _columns(X)
    if not columns:
        return []
    y = np.asarray(y)
    if y.ndim != 1:
        y = y.ravel()
    n_samples = len(y)
    present_columns = [column for column in columns if column is not None]
    if present_columns and len(present_columns[0].missing) != n_samples:
        raise ValueError(
            f"screen_columns: X has {len(present_columns[0].missing)} rows but y "
            f"has {n_samples} values."
        )
    group_codes = None
    if groups is not None:
        groups = check_groups(groups, "screen_columns")
        if len(groups) != n_samples:
            raise ValueError(
                f"screen_columns: groups has {len(groups)} values but y has "
                f"{n_samples}."
            )
        group_codes = np.unique(groups, return_inverse=True)[1].ravel()
    if isinstance(random_state, Integral):
        seed = int(random_state)
    else:
        seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    threshold = _LEAK_THRESHOLD[task] if leak_threshold is None else leak_threshold

    flags: dict[int, ColumnFlag] = {}
    candidates = []
    for position, column in enumerate(present_columns):
        if _n_distinct(column) < 2:
            continue
        flag = None
        if group_codes is not None:
            flag = _groups_flag(column, group_codes)
        if flag is None:
            flag = _id_flag(column)
        if flag is not None:
            flags[position] = flag
        else:
            candidates.append((position, column, _feature(column)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flags.update(
            _leak_flags(
                candidates,
                y,
                task=task,
                group_codes=group_codes,
                cv=cv,
                seed=seed,
                threshold=threshold,
            )
        )
    return [flags[position] for position in sorted(flags)]


def _n_distinct(column: _Column) -> int:
    """Count the different values, a missing value counting as one."""
    present = ~column.missing
    if column.numeric is not None:
        n = np.unique(column.numeric[present]).size
    else:
        assert column.text is not None
        n = np.unique(column.text[present].astype(str)).size
    return n + int(column.missing.any())
