"""A sample's prediction does not depend on what else is predicted with it.

skdl predicts in batches of one fixed shape (the last one filled up with copies
of a row), which removes the batch-shape dependence of float32 kernels. Whether
the rest is bitwise invariant (row position inside a batch, thread split) is up
to the CPU's BLAS, so the property is asserted here at a float32 tolerance that
holds on every CPU, and the mechanism itself (one batch shape) exactly
(skdl issue 14).
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import config_context
from sklearn.base import clone

from skdl.neural_net import MLPNetClassifier, TransformerNetClassifier
from skdl.neural_net._inference import MAX_ROWS, inference_rows, row_bytes
from skdl.utils.discovery import all_estimators
from tests._instances import INIT_PARAMS

# Well above the 1-2 ulp (~1e-7 relative) that float32 kernels move by.
RTOL, ATOL = 1e-5, 1e-6
N_SAMPLES = 230  # more than one inference batch of 200: a full and a padded one

# Every estimator, from the estimator checks' table; the adapters wrap a net.
ESTIMATORS = list(INIT_PARAMS)
ADAPTERS = [E for E in ESTIMATORS if "estimator" in INIT_PARAMS[E]]
NETS = [E for E in ESTIMATORS if E not in ADAPTERS]


def _data():
    rng = np.random.RandomState(0)
    X = 3 * rng.uniform(size=(N_SAMPLES, 3)).astype(np.float32)
    y_class = (X[:, 0] + X[:, 1] > 3).astype(int)
    y_value = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.randn(N_SAMPLES)
    return X, y_class, y_value


def _fitted(Estimator):
    params = dict(INIT_PARAMS[Estimator])
    if Estimator in ADAPTERS:
        # A clone: INIT_PARAMS' instance is shared with the estimator checks.
        params["estimator"] = clone(params["estimator"]).set_params(max_epochs=5)
        params["confidence_level"] = 0.9
    else:
        params["max_epochs"] = 5
    X, y_class, y_value = _data()
    is_classifier = "Classifier" in Estimator.__name__
    return Estimator(**params).fit(X, y_class if is_classifier else y_value)


@pytest.fixture(scope="module")
def fitted():
    return {Estimator: _fitted(Estimator) for Estimator in ESTIMATORS}


def test_every_estimator_is_covered():
    # A new estimator joins the property test, or this fails.
    assert {Estimator for _, Estimator in all_estimators()} == set(ESTIMATORS)
    assert len(NETS) == 8 and len(ADAPTERS) == 2


def _outputs(estimator, X):
    """Every float output of the estimator's prediction methods, as float64."""
    out = {"predict": estimator.predict(X)}
    for method in ("predict_proba", "decision_function"):
        if hasattr(estimator, method):
            out[method] = getattr(estimator, method)(X)
    if hasattr(estimator, "predict_interval"):
        out["predict_interval"] = estimator.predict_interval(X)[1]
    return out


def _assert_invariant(estimator, X, rows):
    full = _outputs(estimator, X)
    part = _outputs(estimator, X[rows])
    for method, values in part.items():
        expected = full[method][rows]
        if method == "predict" and "predict_proba" in full:
            # Labels may only differ where two classes are within rounding.
            proba = np.sort(full["predict_proba"][rows], axis=1)
            clear = proba[:, -1] - proba[:, -2] > 10 * RTOL
            np.testing.assert_array_equal(values[clear], expected[clear])
        else:
            np.testing.assert_allclose(values, expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("Estimator", ESTIMATORS, ids=lambda e: e.__name__)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_predictions_invariant_to_batch_and_order(fitted, Estimator, data):
    estimator = fitted[Estimator]
    X, _, _ = _data()
    n_rows = data.draw(st.integers(1, N_SAMPLES), label="n_rows")
    rows = np.asarray(
        data.draw(st.permutations(range(N_SAMPLES)), label="order")[:n_rows]
    )
    _assert_invariant(estimator, X, rows)


@pytest.mark.parametrize("Estimator", NETS, ids=lambda e: e.__name__)
def test_one_row_at_a_time_equals_the_whole_file(fitted, Estimator):
    estimator = fitted[Estimator]
    X, _, _ = _data()
    for row in (0, 199, 229):
        _assert_invariant(estimator, X, np.array([row]))


@pytest.mark.parametrize("batch_size", ["auto", 64])
@pytest.mark.parametrize("n_rows", [1, 65, 230])
def test_inference_runs_in_one_batch_shape(batch_size, n_rows):
    # The mechanism, exactly and on any CPU: every forward pass has the same
    # number of rows, whatever the number of rows predicted, and that number
    # comes from what a row costs, not from the training batch size.
    X, y, _ = _data()
    clf = MLPNetClassifier(
        hidden_layer_sizes=(8,), max_epochs=1, batch_size=batch_size, random_state=0
    ).fit(X[:50], y[:50])
    shapes = []
    hook = clf.net_.module_.register_forward_pre_hook(
        lambda module, args: shapes.append(tuple(args[0].shape))
    )
    try:
        proba = clf.predict_proba(X[:n_rows])
    finally:
        hook.remove()
    assert proba.shape == (n_rows, 2)
    # (3 inputs + 8 hidden + 8 activated + 2 logits) float32 = 84 bytes a row:
    # 4 MiB of them is more than the 8,192-row cap.
    assert set(shapes) == {(MAX_ROWS, 3)}


def test_inference_batch_follows_working_memory():
    X, y, _ = _data()
    with config_context(working_memory=1):  # MiB: 1 MiB / 84 B -> 8,192 rows
        small = MLPNetClassifier(
            hidden_layer_sizes=(8,), max_epochs=1, random_state=0
        ).fit(X[:50], y[:50])
    with config_context(working_memory=1 / 1024):  # 1 KiB / 84 B -> 8 rows
        tiny = MLPNetClassifier(
            hidden_layer_sizes=(8,), max_epochs=1, random_state=0
        ).fit(X[:50], y[:50])
    assert small.net_.iterator_valid__batch_size == 8192
    assert tiny.net_.iterator_valid__batch_size == 8
    # Same weights, other batch shape: the same predictions at float32 tolerance.
    np.testing.assert_allclose(
        tiny.predict_proba(X), small.predict_proba(X), rtol=RTOL, atol=ATOL
    )


def test_row_bytes_and_inference_rows():
    mlp = torch.nn.Sequential(
        torch.nn.Linear(100, 100), torch.nn.ReLU(), torch.nn.Linear(100, 2)
    ).train()
    assert row_bytes(mlp, torch.zeros(32, 100)) == (100 + 100 + 100 + 2) * 4
    assert mlp.training  # restored
    assert inference_rows(1208, torch.device("cpu")) == 2048  # 4 MiB in cache
    assert inference_rows(10**9, torch.device("cpu")) == 1
    assert inference_rows(1208, torch.device("cuda")) == MAX_ROWS
    with config_context(working_memory=1):
        assert inference_rows(1208, torch.device("cpu")) == 512
        assert inference_rows(1208, torch.device("cuda")) == 512


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("row", [0, 8191, 8192, 9999])
def test_non_finite_inputs_are_refused_in_any_batch(bad, row):
    # Finiteness is checked batch by batch as inference forms the batches; a
    # bad value in the first, last or a middle batch raises before anything is
    # returned.
    X, y, _ = _data()
    clf = MLPNetClassifier(hidden_layer_sizes=(8,), max_epochs=1, random_state=0)
    clf.fit(X, y)
    X_big = np.tile(X, (44, 1))[:10_000]
    X_big[row, 1] = bad
    for method in (clf.predict, clf.predict_proba, clf.predict_log_proba):
        with pytest.raises(ValueError, match="NaN" if np.isnan(bad) else "infinity"):
            method(X_big)


def test_huge_finite_inputs_are_not_refused():
    # Their sum overflows to infinity; the element-wise check lets them pass.
    X, y, _ = _data()
    clf = MLPNetClassifier(hidden_layer_sizes=(8,), max_epochs=1, random_state=0)
    clf.fit(X, y)
    X_big = np.full((300, 3), 3e38, dtype=np.float32)
    assert torch.isinf(torch.from_numpy(X_big).sum())
    assert clf.predict_proba(X_big).shape == (300, 2)


def test_per_batch_softmax_equals_softmax_of_all_logits():
    X, y, _ = _data()
    clf = MLPNetClassifier(hidden_layer_sizes=(8,), max_epochs=1, random_state=0)
    clf.fit(X, y)
    X_big = np.tile(X, (80, 1))  # 18,400 rows: three batches of 8,192
    logits = clf._forward(X_big)
    np.testing.assert_array_equal(
        clf.predict_proba(X_big), torch.softmax(logits, dim=1).numpy()
    )
    np.testing.assert_array_equal(
        clf.predict_log_proba(X_big), torch.log_softmax(logits, dim=1).numpy()
    )


def test_inference_batch_from_net_params():
    # iterator_valid__batch_size is skorch's inference batch, and skdl leaves it
    # to the user.
    X, y, _ = _data()
    clf = MLPNetClassifier(
        hidden_layer_sizes=(8,),
        max_epochs=1,
        random_state=0,
        net_params={"iterator_valid__batch_size": 32},
    ).fit(X, y)
    shapes = []
    hook = clf.net_.module_.register_forward_pre_hook(
        lambda module, args: shapes.append(args[0].shape[0])
    )
    try:
        clf.predict(X[:40])
    finally:
        hook.remove()
    assert shapes == [32, 32]


def test_padding_rows_are_real_inputs():
    # A token transformer reads an all-zero row as an all-padding sequence (NaN
    # attention); the fill rows are copies of a real row, so nothing is NaN.
    tokens = np.random.RandomState(0).randint(1, 5, size=(30, 12))
    y = (tokens[:, 0] > 2).astype(int)
    clf = TransformerNetClassifier(
        d_model=8, n_heads=2, n_layers=1, max_epochs=1, random_state=0
    ).fit(tokens, y)
    outputs = []
    hook = clf.net_.module_.register_forward_hook(
        lambda module, args, out: outputs.append(out)
    )
    try:
        clf.predict_proba(tokens[:3])
    finally:
        hook.remove()
    assert torch.isfinite(torch.cat(outputs)).all()
