"""make_tabular_preprocessor: mixed tables into model input, fitted per fold."""

import pickle
import re
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skdl.comparison import (
    make_tabular_preprocessor,
    native_categorical_mask,
    tabular_column_types,
)


@pytest.fixture
def messy():
    """A table as it arrives: text with gaps and rare levels, ints, bools."""
    rng = np.random.RandomState(0)
    n = 120
    color = rng.choice(["red", "green", "blue"], n).astype(object)
    color[:3] = ["violet", "violet", "teal"]  # rare levels
    color[10:20] = None  # "NA"-style gaps
    size = rng.randn(n)
    size[5:15] = np.nan
    df = pd.DataFrame(
        {
            "size": size,
            "count": rng.randint(0, 10, n),
            "flag": rng.rand(n) > 0.5,
            "color": color,
            "shop": pd.Categorical(rng.choice(["a", "b", np.nan], n)),
            "code": np.array([7, "x", None] * (n // 3), dtype=object),
        }
    )
    y = ((df["color"] == "red") | (np.nan_to_num(size) > 0.5)).astype(int).to_numpy()
    return df, y


def _names(prep, prefix):
    return [n for n in prep.get_feature_names_out() if n.startswith(prefix)]


def test_column_types_of_a_dataframe(messy):
    df, _ = messy
    numeric, categorical = tabular_column_types(df)
    assert numeric == ["size", "count", "flag"]
    assert categorical == ["color", "shop", "code"]


def test_logistic_pipeline_fits_and_output_is_finite(messy):
    df, y = messy
    model = Pipeline(
        [("prep", make_tabular_preprocessor(df)), ("model", LogisticRegression())]
    )
    model.fit(df, y)
    assert model.predict(df).shape == (len(df),)
    assert model.score(df, y) > 0.8
    Z = model.named_steps["prep"].transform(df)
    assert Z.dtype == np.float64
    assert np.isfinite(Z).all()
    assert np.isfinite(Z.astype(np.float32)).all()
    # The gaps of "size" get an indicator; the gaps of "color" a level.
    prep = model.named_steps["prep"]
    assert "numeric__missingindicator_size" in prep.get_feature_names_out()
    assert "categorical__color_missing" in prep.get_feature_names_out()


def test_unseen_category_at_predict_time(messy):
    df, y = messy
    model = Pipeline(
        [("prep", make_tabular_preprocessor(df)), ("model", LogisticRegression())]
    ).fit(df, y)
    new = df.iloc[:3].copy()
    new["color"] = ["purple", "red", None]
    new["shop"] = pd.Categorical(["zzz", "a", "b"])
    new["code"] = np.array([8, "never seen", None], dtype=object)
    assert model.predict(new).shape == (3,)
    Z = model.named_steps["prep"].transform(new)
    names = list(model.named_steps["prep"].get_feature_names_out())
    # An unseen colour joins the infrequent group (violet and teal).
    assert Z[0, names.index("categorical__color_infrequent_sklearn")] == 1
    assert Z[1, names.index("categorical__color_red")] == 1


def test_rare_levels_are_merged(messy):
    df, _ = messy
    prep = make_tabular_preprocessor(df).fit(df)
    # red, green, blue, missing + one column for violet (2) and teal (1).
    assert len(_names(prep, "categorical__color_")) == 5
    assert "categorical__color_infrequent_sklearn" in prep.get_feature_names_out()
    loose = make_tabular_preprocessor(df, min_frequency=None).fit(df)
    assert len(_names(loose, "categorical__color_")) == 6


def test_max_categories_caps_the_one_hot_width():
    rng = np.random.RandomState(0)
    X = rng.choice([f"level{i}" for i in range(30)], (300, 1)).astype(object)
    prep = make_tabular_preprocessor(X, max_categories=5).fit(X)
    assert prep.transform(X).shape == (300, 5)
    assert make_tabular_preprocessor(X, max_categories=None).fit_transform(X).shape == (
        300,
        30,
    )


def test_native_keeps_nan_and_mask_matches_hgb(messy):
    df, y = messy
    prep = make_tabular_preprocessor(df, native=True)
    mask = native_categorical_mask(df)
    Z = prep.fit_transform(df)
    assert Z.shape == (len(df), 6)
    np.testing.assert_array_equal(mask, [True, True, True, False, False, False])
    # Numbers pass unchanged, NaN included.
    np.testing.assert_array_equal(Z[:, 3], df["size"].to_numpy())
    np.testing.assert_array_equal(Z[:, 4:], df[["count", "flag"]].to_numpy(float))
    # Codes: small integers, NaN for missing cells.
    codes = Z[:, :3]
    present = codes[~np.isnan(codes)]
    np.testing.assert_array_equal(present, np.round(present))
    assert np.isnan(codes[10:20, 0]).all()
    model = Pipeline(
        [
            ("prep", prep),
            (
                "model",
                HistGradientBoostingClassifier(
                    categorical_features=mask, max_iter=20, random_state=0
                ),
            ),
        ]
    ).fit(df, y)
    np.testing.assert_array_equal(model.named_steps["model"].is_categorical_, mask)
    new = df.iloc[:2].copy()
    new["color"] = ["purple", None]
    assert model.predict(new).shape == (2,)
    assert np.isnan(prep.transform(new)[:, 0]).all()  # unseen and missing


def test_native_caps_codes_for_hgb():
    rng = np.random.RandomState(0)
    X = np.array([[f"id{i}"] for i in rng.randint(0, 400, 3000)], dtype=object)
    y = rng.randint(0, 2, 3000)
    default = make_tabular_preprocessor(X, native=True, min_frequency=None)
    assert np.nanmax(default.fit_transform(X)) == 19  # max_categories=20
    for cap in (None, 1000):
        prep = make_tabular_preprocessor(
            X, native=True, min_frequency=None, max_categories=cap
        )
        assert np.nanmax(prep.fit_transform(X)) == 254  # 255 codes at most
    hgb = HistGradientBoostingClassifier(
        categorical_features=native_categorical_mask(X), max_iter=2
    )
    Pipeline([("prep", prep), ("model", hgb)]).fit(X, y)


def test_fitted_on_training_rows_only(messy):
    df, y = messy
    # A level and extreme values that only the last rows hold.
    df = df.copy()
    df.loc[100:, "size"] = 1000.0
    df.loc[100:, "color"] = "gold"
    model = Pipeline(
        [("prep", make_tabular_preprocessor(df)), ("model", LogisticRegression())]
    )
    cv = KFold(n_splits=6)  # the last fold tests rows 100..119
    result = cross_validate(model, df, y, cv=cv, return_estimator=True)
    for (train, _), fitted in zip(cv.split(df), result["estimator"]):
        numeric = fitted.named_steps["prep"].named_transformers_["numeric"]
        median = numeric.named_steps["impute"].statistics_[0]
        assert median == np.nanmedian(df["size"].to_numpy()[train])
        mean = numeric.named_steps["scale"].mean_[0]
        filled = df["size"].fillna(median).to_numpy()[train]
        assert mean == pytest.approx(filled.mean())
    last = result["estimator"][-1].named_steps["prep"]
    assert "categorical__color_gold" not in last.get_feature_names_out()
    assert np.nanmedian(df["size"]) != pytest.approx(
        last.named_transformers_["numeric"].named_steps["impute"].statistics_[0]
    )


def test_numpy_object_array():
    X = np.array(
        [
            [1.5, "red", "3", True, None],
            [None, "blue", 4, False, "x"],
            [2.5, None, "5.5", True, 2],
            [0.5, "red", 6, False, "y"],
        ]
        * 10,
        dtype=object,
    )
    y = np.array([0, 1, 1, 0] * 10)
    assert tabular_column_types(X) == ([0, 2, 3], [1, 4])
    prep = make_tabular_preprocessor(X)
    model = Pipeline([("prep", prep), ("model", LogisticRegression())]).fit(X, y)
    assert model.score(X, y) == 1.0
    Z = prep.transform(X)
    assert np.isfinite(Z).all()
    # Columns 0, 2 and 3 read as numbers: their medians impute the gaps.
    impute = prep.named_transformers_["numeric"].named_steps["impute"]
    np.testing.assert_allclose(impute.statistics_, [1.5, 4.75, 0.5])
    native = make_tabular_preprocessor(X, native=True).fit_transform(X)
    assert np.isnan(native[1, 2])  # column 0, after the two coded columns
    np.testing.assert_array_equal(native[:4, 3], [3, 4, 5.5, 6])


def test_all_numeric_numpy_input():
    X, y = load_breast_cancer(return_X_y=True)
    prep = make_tabular_preprocessor(X)
    assert [name for name, _, _ in prep.transformers] == ["numeric"]
    np.testing.assert_allclose(
        prep.fit_transform(X), StandardScaler().fit_transform(X), atol=1e-12
    )
    np.testing.assert_array_equal(
        make_tabular_preprocessor(X, native=True).fit_transform(X), X
    )
    assert not native_categorical_mask(X).any()


def test_pandas_nullable_dtypes_and_integer_column_names():
    df = pd.DataFrame(
        {
            0: pd.array([1, None, 3, 4] * 5, dtype="Int64"),
            1: pd.array([True, None, False, True] * 5, dtype="boolean"),
            2: pd.array(["u", None, "v", "u"] * 5, dtype="string"),
        }
    )
    df = df.drop(columns=[0]).assign(extra=np.arange(20.0))
    df.columns = [5, 7, 9]  # integers that are not positions
    y = np.array([0, 1] * 10)
    assert tabular_column_types(df) == ([5, 9], [7])
    for native in (False, True):
        prep = make_tabular_preprocessor(df, native=native)
        Z = prep.fit_transform(df)
        assert Z.dtype == np.float64
        assert np.isnan(Z).any() == native
    Pipeline(
        [("prep", make_tabular_preprocessor(df)), ("model", LogisticRegression())]
    ).fit(df, y)


def test_entirely_missing_columns_are_kept():
    rng = np.random.RandomState(0)
    df = pd.DataFrame(
        {
            "x": rng.randn(40),
            "empty": np.nan,
            "empty_text": pd.Series([None] * 40, dtype=object),
            "text": rng.choice(["a", "b"], 40),
        }
    )
    y = rng.randint(0, 2, 40)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prep = make_tabular_preprocessor(df)
        Z = prep.fit_transform(df)
        names = list(prep.get_feature_names_out())
        assert "numeric__empty" in names
        assert "numeric__missingindicator_empty" in names
        assert "categorical__empty_text_missing" in names
        assert np.isfinite(Z).all()
        assert (Z[:, names.index("numeric__empty")] == 0).all()
        # Native: the empty numeric column joins the codes; HGB fits.
        mask = native_categorical_mask(df)
        np.testing.assert_array_equal(mask, [True, True, True, False])
        hgb = HistGradientBoostingClassifier(categorical_features=mask, max_iter=5)
        prep = make_tabular_preprocessor(df, native=True)
        model = Pipeline([("prep", prep), ("model", hgb)]).fit(df, y)
    assert list(prep.get_feature_names_out()) == [
        "categorical__empty_text",
        "categorical__text",
        "categorical__empty",
        "numeric__x",
    ]
    np.testing.assert_array_equal(model.named_steps["model"].is_categorical_, mask)


def test_errors():
    with pytest.raises(ValueError, match=re.escape("must be a 2-D table")):
        make_tabular_preprocessor(np.arange(5.0))
    with pytest.raises(ValueError, match="SequenceOneHotEncoder"):
        make_tabular_preprocessor(["ACGT", "ACGA"])
    with pytest.raises(ValueError, match="X has no columns"):
        make_tabular_preprocessor(np.empty((5, 0)))
    with pytest.raises(ValueError, match="X has no columns"):
        make_tabular_preprocessor(pd.DataFrame(index=range(3)))
    with pytest.raises(ValueError, match="X has no rows"):
        make_tabular_preprocessor(np.empty((0, 3)))
    dates = pd.DataFrame({"when": pd.to_datetime(["2020-01-01", "2021-01-01"])})
    with pytest.raises(ValueError, match=r"unsupported dtype: \{'when'"):
        make_tabular_preprocessor(dates)
    with pytest.raises(InvalidParameterError, match="min_frequency"):
        make_tabular_preprocessor(np.ones((3, 2)), min_frequency=0)
    with pytest.raises(InvalidParameterError, match="max_categories"):
        make_tabular_preprocessor(np.ones((3, 2)), max_categories=0)


def test_clone_and_pickle_keep_the_layout(messy):
    df, _ = messy
    prep = make_tabular_preprocessor(df, native=True)
    a = clone(prep).fit_transform(df)
    np.testing.assert_array_equal(a, prep.fit_transform(df))
    # Parallel cross-validation ships the fitted steps between processes.
    restored = pickle.loads(pickle.dumps(prep))
    np.testing.assert_array_equal(restored.transform(df), a)


@pytest.fixture(scope="module")
def messy_breast_cancer():
    """Breast cancer (569 x 30) with a text column and 5% blank cells."""
    data = load_breast_cancer(as_frame=True)
    df = data.data.copy()
    rng = np.random.RandomState(0)
    # The tumour radius as text grades (A..D) instead of the number.
    grade = pd.cut(df["mean radius"], [0, 12, 15, 20, 100], labels=list("ABCD"))
    df["grade"] = grade.astype(object)
    df = df.drop(columns=["mean radius"])
    blank = rng.rand(*df.shape) < 0.05
    df = df.mask(blank)
    return df, data.target.to_numpy()


def test_real_data_with_gaps_and_text(messy_breast_cancer):
    df, y = messy_breast_cancer
    assert df.isna().any().all()
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    models = {
        "logistic": (False, LogisticRegression(max_iter=2000)),
        "forest": (False, RandomForestClassifier(n_estimators=30, random_state=0)),
        "hgb": (
            True,
            HistGradientBoostingClassifier(
                categorical_features=native_categorical_mask(df),
                max_iter=20,
                random_state=0,
            ),
        ),
    }
    for name, (native, model) in models.items():
        pipe = Pipeline(
            [("prep", make_tabular_preprocessor(df, native=native)), ("model", model)]
        )
        scores = cross_validate(pipe, df, y, cv=cv)["test_score"]
        assert scores.mean() > 0.93, name


def test_real_mixed_table_groups_rare_arms():
    from tests._real_data import load_actg320

    data = load_actg320()
    numeric, categorical = tabular_column_types(data.X)
    assert numeric == ["cd4", "priorzdv", "age"]
    assert len(categorical) == 8
    prep = make_tabular_preprocessor(data.X).fit(data.X)
    # Arms 3 and 4 hold 1 and 2 patients: one infrequent column beside 1 and 2.
    assert _names(prep, "categorical__txgrp_") == [
        "categorical__txgrp_1",
        "categorical__txgrp_2",
        "categorical__txgrp_infrequent_sklearn",
    ]
    mask = native_categorical_mask(data.X)
    pipe = Pipeline(
        [
            ("prep", make_tabular_preprocessor(data.X, native=True)),
            (
                "model",
                HistGradientBoostingClassifier(
                    categorical_features=mask, max_iter=20, random_state=0
                ),
            ),
        ]
    ).fit(data.X, data.y)
    np.testing.assert_array_equal(pipe.named_steps["model"].is_categorical_, mask)
    assert mask.sum() == 8


def test_mlp_net_takes_the_output(messy):
    from skdl.neural_net import MLPNetClassifier

    df, y = messy
    net = MLPNetClassifier(hidden_layer_sizes=(8,), max_epochs=3, random_state=0)
    model = Pipeline([("prep", make_tabular_preprocessor(df)), ("model", net)])
    assert model.fit(df, y).predict_proba(df).shape == (len(df), 2)


def test_casts_without_pandas(monkeypatch):
    from skdl.comparison._tabular import _to_float, _to_text

    X = np.array([[1, None], [float("nan"), "b"], ["2.5", 3]], dtype=object)
    monkeypatch.setitem(sys.modules, "pandas", None)
    text = _to_text(X)
    assert text[0, 0] == "1" and text[2, 1] == "3"
    assert text[0, 1] != text[0, 1] and text[1, 0] != text[1, 0]  # NaN
    np.testing.assert_array_equal(_to_float(X[:, :1]), [[1.0], [np.nan], [2.5]])
    assert tabular_column_types(X) == ([0], [1])
