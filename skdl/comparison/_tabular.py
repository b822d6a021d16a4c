"""Turn a mixed table (numbers, text, gaps) into model input with sklearn's parts.

:func:`make_tabular_preprocessor` reads the column types of a table once and
returns an *unfitted* :class:`~sklearn.compose.ColumnTransformer`. Put it first
in a :class:`~sklearn.pipeline.Pipeline`: cross-validation then refits the
imputers, scalers and encoders on each training fold only, so no statistic of a
test fold reaches the model.

Two layouts:

- ``native=False``, for models that need finite, scaled numbers (logistic
  regression, SVMs, k-nearest neighbours, naive Bayes, MLP nets and also random
  forests, whose NaN support depends on the scikit-learn version): median
  imputation with missing-value indicators and standardisation for numbers,
  one-hot encoding for categories, rare levels merged into one column.
- ``native=True``, for :class:`~sklearn.ensemble.HistGradientBoostingClassifier`
  and :class:`~sklearn.ensemble.HistGradientBoostingRegressor`, which take NaN
  and categories themselves: categories become integer codes (NaN when missing
  or unseen) in the first columns, numbers follow unchanged.
  :func:`native_categorical_mask` tells the model which columns are codes.
"""

from __future__ import annotations

import sys
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    OrdinalEncoder,
    StandardScaler,
)

from skdl.utils._sklearn import Interval, validate_params

# HistGradientBoosting* accept category codes up to max_bins - 1 (254 by default).
_HGB_MAX_CATEGORIES = 255

# pandas dtypes: numbers and booleans (plain and nullable) are numeric; text,
# category, object, period and interval columns are categorical. Dates, time
# spans and complex numbers fall in neither and are refused with a message.
_NUMERIC_SELECTOR = make_column_selector(
    dtype_include=["number", "bool", "boolean"], dtype_exclude=["timedelta", "complex"]
)
_CATEGORICAL_SELECTOR = make_column_selector(
    dtype_exclude=["number", "bool", "boolean", "datetime", "datetimetz", "timedelta"]
)


def _is_dataframe(X: Any) -> bool:
    # A DataFrame can only exist if pandas was imported; skdl does not need it.
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(X, pd.DataFrame)


def _is_missing(values: NDArray[Any]) -> NDArray[np.bool_]:
    """Elementwise None, NaN, NaT or pandas.NA in an object array."""
    pd = sys.modules.get("pandas")
    if pd is not None:
        return np.asarray(pd.isna(values), dtype=bool)
    # Without pandas there is no pandas.NA; NaN and NaT are not equal to
    # themselves.
    return np.frompyfunc(lambda v: v is None or v != v, 1, 1)(values).astype(bool)


def _to_text(X: Any) -> NDArray[Any]:
    """Categorical block as an object array of ``str``, missing cells as NaN.

    The encoders refuse a column that mixes numbers and text ("Encoders
    require their input argument must be uniformly strings or numbers") and
    trip over ``pandas.NA``. Casting every present value to ``str`` and every
    missing one to NaN (which :class:`~sklearn.impute.SimpleImputer` and the
    encoders treat as missing) avoids both; it encodes nothing.
    """
    values = np.asarray(X, dtype=object)
    if values.ndim == 1:
        values = values.reshape(-1, 1)
    missing = _is_missing(values)
    out = np.full(values.shape, np.nan, dtype=object)
    out[~missing] = [str(v) for v in values[~missing]]
    return out


def _to_float(X: Any) -> NDArray[np.float64]:
    """Numeric block as float64, missing cells (None, pandas.NA) as NaN.

    Needed for pandas' nullable dtypes and for object arrays, which the
    imputer and the gradient-boosting models cannot read as they are.
    """
    if _is_dataframe(X):
        return np.asarray(X.to_numpy(dtype=np.float64, na_value=np.nan))
    values = np.asarray(X)
    if values.dtype.kind in "biuf":
        return values.astype(np.float64)
    values = values.astype(object)
    values[_is_missing(values)] = np.nan
    return values.astype(np.float64)


def _check_table(X: Any) -> Any:
    """Return X as a DataFrame or a 2-D ndarray with at least one column."""
    if not _is_dataframe(X):
        X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(
            f"X must be a 2-D table of shape (n_samples, n_features); got "
            f"{X.ndim} dimension(s). Pass a DataFrame or X.reshape(-1, 1) for "
            "a single feature. Sequences are encoded by "
            "skdl.preprocessing.SequenceOneHotEncoder, not by this function."
        )
    if X.shape[1] == 0:
        raise ValueError("X has no columns: there is nothing to preprocess.")
    if X.shape[0] == 0:
        raise ValueError("X has no rows: its column types cannot be read.")
    return X


def _numeric_object_column(column: NDArray[Any]) -> bool:
    present = column[~_is_missing(column)]
    try:
        present.astype(np.float64)
    except (TypeError, ValueError):
        return False
    return True


@validate_params({"X": ["array-like"]}, prefer_skip_nested_validation=True)
def tabular_column_types(X: ArrayLike) -> tuple[list[Any], list[Any]]:
    """Split the columns of a table into numeric and categorical ones.

    Numeric: integer, float and boolean columns (pandas' nullable ``Int64``,
    ``Float64`` and ``boolean`` included). Categorical: pandas ``object``,
    ``string``/``str`` and ``category`` columns. In a NumPy array of ``object``
    (or text) dtype a column is numeric when every present value converts to
    a float (``1``, ``2.5``, ``"3"``, ``True``) and categorical otherwise.
    None, NaN and ``pandas.NA`` count as missing, not as values; an empty
    string is a value.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
        The table.

    Returns
    -------
    numeric : list
        Numeric columns in table order: names for a DataFrame, integer
        positions for an array.
    categorical : list
        Categorical columns, in the same form.

    Raises
    ------
    ValueError
        If X is not 2-D, has no columns, or has date, time-span or complex
        columns (convert those to numbers or text first).

    See Also
    --------
    make_tabular_preprocessor : Build the preprocessing from these types.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.comparison import tabular_column_types
    >>> X = np.array([[1.5, "red", True], [None, "blue", False]], dtype=object)
    >>> tabular_column_types(X)
    ([0, 2], [1])
    """
    table: Any = _check_table(X)
    if _is_dataframe(table):
        numeric = _NUMERIC_SELECTOR(table)
        categorical = _CATEGORICAL_SELECTOR(table)
        typed = set(numeric) | set(categorical)
        other = [c for c in table.columns if c not in typed]
        if other:
            kinds = {c: str(table[c].dtype) for c in other}
            raise ValueError(
                f"Columns of unsupported dtype: {kinds}. Convert dates and time "
                "spans to numbers (e.g. days since a reference date) or text, "
                "and complex numbers to their real parts, first."
            )
        return list(numeric), list(categorical)
    kind = table.dtype.kind
    if kind in "biuf":
        return list(range(table.shape[1])), []
    if kind not in "OUS":
        raise ValueError(
            f"Arrays of dtype {table.dtype} are not supported; pass numbers, "
            "text or an object array."
        )
    table = table.astype(object)
    flags = [_numeric_object_column(table[:, j]) for j in range(table.shape[1])]
    numeric = [j for j, flag in enumerate(flags) if flag]
    return numeric, [j for j, flag in enumerate(flags) if not flag]


def _native_columns(X: Any) -> tuple[list[Any], list[Any]]:
    """Numeric and coded columns of the native layout.

    ``HistGradientBoosting*`` cannot bin a numeric column without any value
    (scikit-learn raises "window shape cannot be larger than input array
    shape"); a categorical column of NaN codes is fine, so numeric columns
    that are empty in X join the coded block.
    """
    numeric, categorical = tabular_column_types(X)
    rows = (lambda c: X[[c]]) if _is_dataframe(X) else (lambda c: X[:, [c]])
    empty = [c for c in numeric if np.isnan(_to_float(rows(c))).all()]
    return [c for c in numeric if c not in empty], categorical + empty


@validate_params({"X": ["array-like"]}, prefer_skip_nested_validation=True)
def native_categorical_mask(X: ArrayLike) -> NDArray[np.bool_]:
    """Which output columns of the native preprocessor are category codes.

    ``make_tabular_preprocessor(X, native=True)`` writes one column per input
    column, categorical columns first, so the mask is True for the first
    ``len(categorical)`` columns and False after. The width does not depend
    on the data seen in a fold, so one mask serves every fold. Pass it as
    ``categorical_features`` of a ``HistGradientBoosting*`` model.

    A numeric column without any value in X is among the coded columns (all
    NaN): ``HistGradientBoosting*`` cannot bin an empty numeric column, and
    the column carries no information either way.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
        The table the preprocessor was built from.

    Returns
    -------
    mask : ndarray of shape (n_features,), dtype=bool
        True where the output column holds category codes.

    See Also
    --------
    make_tabular_preprocessor : The preprocessor this mask belongs to.
    tabular_column_types : The column types behind the mask.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.comparison import native_categorical_mask
    >>> X = np.array([[1.5, "red", 3], [None, "blue", 4]], dtype=object)
    >>> native_categorical_mask(X)
    array([ True, False, False])
    """
    numeric, coded = _native_columns(_check_table(X))
    return np.arange(len(numeric) + len(coded)) < len(coded)


def _blocks(
    native: bool, min_frequency: Any, max_categories: int | None
) -> tuple[Pipeline | FunctionTransformer, Pipeline]:
    to_float = FunctionTransformer(_to_float, feature_names_out="one-to-one")
    to_text = FunctionTransformer(_to_text, feature_names_out="one-to-one")
    if native:
        cap = _HGB_MAX_CATEGORIES
        if max_categories is not None:
            cap = min(max_categories, cap)
        encoder: OrdinalEncoder | OneHotEncoder = OrdinalEncoder(
            handle_unknown="use_encoded_value",
            unknown_value=np.nan,
            encoded_missing_value=np.nan,
            min_frequency=min_frequency,
            max_categories=cap,
        )
        return to_float, Pipeline([("to_text", to_text), ("encode", encoder)])
    # keep_empty_features: a column with no value in a training fold becomes
    # zeros (numeric, plus its missing indicator) or the level "missing"
    # (categorical) instead of vanishing with a warning, so one fold's gaps do
    # not change the width or the order of the other columns.
    imputer = SimpleImputer(
        strategy="median", add_indicator=True, keep_empty_features=True
    )
    numeric = Pipeline(
        [("to_float", to_float), ("impute", imputer), ("scale", StandardScaler())]
    )
    encoder = OneHotEncoder(
        handle_unknown="infrequent_if_exist",
        min_frequency=min_frequency,
        max_categories=max_categories,
        sparse_output=False,
    )
    fill = SimpleImputer(
        strategy="constant", fill_value="missing", keep_empty_features=True
    )
    categorical = Pipeline(
        [("to_text", to_text), ("impute", fill), ("encode", encoder)]
    )
    return numeric, categorical


@validate_params(
    {
        "X": ["array-like"],
        "native": ["boolean"],
        "min_frequency": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="neither"),
            None,
        ],
        "max_categories": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def make_tabular_preprocessor(
    X: ArrayLike,
    *,
    native: bool = False,
    min_frequency: float | None = 5,
    max_categories: int | None = 20,
) -> ColumnTransformer:
    """Return an unfitted sklearn ColumnTransformer built from X's column types.

    Column types come from :func:`tabular_column_types`. X is only read for
    its types: nothing is fitted here. Put the result first in a
    :class:`~sklearn.pipeline.Pipeline`, so that cross-validation refits it on
    each training fold and the test rows never shape the imputation, the
    scaling or the category list.

    With ``native=False`` (logistic regression, SVMs, k-nearest neighbours,
    naive Bayes, MLP nets, random forests) the output is a dense float64
    array without NaN, categorical columns first:

    - categorical: missing cells become the level ``"missing"``, then
      one-hot encoding. Levels seen fewer than ``min_frequency`` times, and
      all but the ``max_categories - 1`` most frequent ones, share one
      "infrequent" column; a level unseen in training goes there too (or to
      all zeros when training had no infrequent level).
    - numeric: median imputation plus a 0/1 indicator for each column with
      gaps in training, then standardisation. A column with no value in
      training is kept as zeros with its indicator (``keep_empty_features``)
      rather than dropped, so the output width does not hinge on one fold.

    Random forests take this layout too: their NaN support depends on the
    scikit-learn version, and one-hot codes suit them.

    With ``native=True`` (``HistGradientBoostingClassifier`` and
    ``HistGradientBoostingRegressor``) there is one output column per input
    column, categorical columns first, as integer codes from
    :class:`~sklearn.preprocessing.OrdinalEncoder` (NaN for missing cells and
    for levels unseen in training, rare levels grouped into one code), then
    the numeric columns as float64 with their NaN kept. Pass
    :func:`native_categorical_mask` as the model's ``categorical_features``.
    A numeric column without any value in X goes with the codes (see
    :func:`native_categorical_mask`); one that is empty only in some training
    fold still stops ``HistGradientBoosting*``, which cannot bin it.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
        The table, or any rows of it with the same column types: a DataFrame
        (numeric, bool, text and category columns) or a 2-D NumPy array
        (numeric, or ``object`` holding text and numbers).
    native : bool, default=False
        Build the layout for ``HistGradientBoosting*`` models (see above).
    min_frequency : int or float, default=5
        Levels seen fewer times than this in the training rows (or, as a
        float in (0, 1), in a smaller fraction of them) are grouped as
        infrequent. None keeps every level.
    max_categories : int, default=20
        Most output columns (one-hot) or codes (native) per categorical
        column, the infrequent group included. None sets no limit for
        one-hot; native codes are always capped at 255, the most that
        ``HistGradientBoosting*`` accept with their default ``max_bins``.

    Returns
    -------
    preprocessor : ColumnTransformer
        Unfitted, dense output, with steps named ``"categorical"`` and
        ``"numeric"`` (a step without columns is left out).

    Raises
    ------
    ValueError
        If X is 1-D, has no columns, or has date, time-span or complex
        columns.

    See Also
    --------
    tabular_column_types : How columns are typed.
    native_categorical_mask : ``categorical_features`` for the native layout.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdl.comparison import make_tabular_preprocessor
    >>> X = np.array(
    ...     [[1.0, "red"], [2.0, "blue"], [None, "red"], [4.0, None]] * 5,
    ...     dtype=object,
    ... )
    >>> y = np.array([0, 1, 0, 1] * 5)
    >>> prep = make_tabular_preprocessor(X)
    >>> model = make_pipeline(prep, LogisticRegression()).fit(X, y)
    >>> model.predict(np.array([[3.0, "green"]], dtype=object)).shape
    (1,)
    >>> prep.fit_transform(X).shape  # red, blue, missing; number, indicator
    (20, 5)

    The native layout for histogram gradient boosting:

    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> from skdl.comparison import native_categorical_mask
    >>> hgb = HistGradientBoostingClassifier(
    ...     categorical_features=native_categorical_mask(X), max_iter=5
    ... )
    >>> model = make_pipeline(make_tabular_preprocessor(X, native=True), hgb)
    >>> model.fit(X, y)[-1].is_categorical_
    array([ True, False])
    """
    table: Any = _check_table(X)
    # Explicit column lists, not dtype selectors: the native layout moves empty
    # numeric columns, and the caller's mask must match the columns exactly.
    if native:
        numeric, categorical = _native_columns(table)
    else:
        numeric, categorical = tabular_column_types(table)
    if _is_dataframe(table) and not all(isinstance(c, str) for c in table.columns):
        # ColumnTransformer reads integers as positions, not as names.
        position = {c: j for j, c in enumerate(table.columns)}
        numeric = [position[c] for c in numeric]
        categorical = [position[c] for c in categorical]
    numeric_block, categorical_block = _blocks(native, min_frequency, max_categories)
    transformers = []
    if categorical:
        transformers.append(("categorical", categorical_block, categorical))
    if numeric:
        transformers.append(("numeric", numeric_block, numeric))
    return ColumnTransformer(transformers, sparse_threshold=0.0)
