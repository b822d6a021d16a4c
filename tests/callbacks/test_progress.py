import io

import numpy as np

from skdl.callbacks import EpochProgressBar
from skdl.neural_net import MLPNetRegressor


def test_bar_counts_epochs_shows_keys_and_closes():
    X = np.random.RandomState(0).randn(60, 3)
    out = io.StringIO()
    bar = EpochProgressBar(keys=("train_loss", "missing_key"), file=out)
    reg = MLPNetRegressor(max_epochs=4, random_state=0, callbacks=[("bar", bar)])
    reg.fit(X, X[:, 0])
    text = out.getvalue()
    assert "4/4" in text and "train_loss=" in text and "missing_key" not in text
    fitted_bar = dict(reg.net_.callbacks_)["bar"]
    assert fitted_bar.bar_ is None  # closed after training


def test_bar_closes_when_early_stopping_interrupts():
    X = np.random.RandomState(0).randn(60, 3)
    out = io.StringIO()
    reg = MLPNetRegressor(
        max_epochs=100,
        n_iter_no_change=1,
        tol=100.0,
        random_state=0,
        callbacks=[EpochProgressBar(file=out)],
    ).fit(X, X[:, 0])
    assert reg.n_iter_ < 100
    assert f"{reg.n_iter_}/100" in out.getvalue()
