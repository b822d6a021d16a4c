"""TimeLimit: training stops when its time is spent, and the net still works."""

import re
import time

import numpy as np
import pytest

from skdl.callbacks import TimeLimit
from skdl.neural_net import MLPNetClassifier, MLPNetRegressor


@pytest.fixture(scope="module")
def data():
    X = np.random.RandomState(0).randn(4000, 6).astype(np.float32)
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


@pytest.mark.parametrize("early_stopping", [False, True])
def test_training_stops_mid_epoch_and_the_net_predicts(data, early_stopping):
    X, y = data
    limit = TimeLimit(0.2)
    net = MLPNetClassifier(
        max_epochs=100_000,
        batch_size=8,
        early_stopping=early_stopping,
        random_state=0,
        callbacks=[("time_limit", limit)],
    )
    start = time.perf_counter()
    net.fit(X, y)
    assert time.perf_counter() - start < 10  # 100,000 epochs would take hours
    assert limit.stopped_
    assert len(net.history_) < 100_000
    assert net.predict(X).shape == (len(y),)
    assert np.isfinite(net.predict_proba(X)).all()


def test_a_fit_within_its_limit_is_untouched(data):
    X, y = data
    kwargs = {"max_epochs": 3, "random_state": 0}
    limited = MLPNetRegressor(callbacks=[("time_limit", TimeLimit(600))], **kwargs)
    plain = MLPNetRegressor(**kwargs)
    limited.fit(X, y.astype(float))
    plain.fit(X, y.astype(float))
    assert not limited.net_.callbacks_[-1][1].stopped_
    np.testing.assert_array_equal(limited.predict(X), plain.predict(X))


@pytest.mark.parametrize("bad", [0, -1.0, "1"])
def test_max_time_must_be_positive(bad, data):
    X, y = data
    net = MLPNetClassifier(max_epochs=1, callbacks=[("time_limit", TimeLimit(bad))])
    msg = f"TimeLimit: max_time must be a positive number of seconds; got {bad!r}."
    with pytest.raises(ValueError, match=re.escape(msg)):
        net.fit(X, y)
