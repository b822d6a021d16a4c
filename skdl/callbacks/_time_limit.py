"""Stop training when its wall-clock time is spent, keeping what was learned."""

from __future__ import annotations

import time
from numbers import Real
from typing import Any

from skorch.callbacks import Callback


class TimeLimit(Callback):
    """Stop training after ``max_time`` seconds, checked after every batch.

    Training ends the way skorch ends it on an interrupt: the batch in flight
    finishes, ``on_train_end`` runs (so early stopping still restores its best
    weights, when it kept any) and the net predicts with what it learned.
    :func:`skdl.comparison.compare` adds it to every skdl net under an equal
    time budget, so that no candidate's fit can outlast its share; it is also
    a plain skorch callback for any net.

    Parameters
    ----------
    max_time : float
        Seconds of training, from ``on_train_begin``.

    Attributes
    ----------
    stopped_ : bool
        Whether the last fit was stopped by the limit.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.callbacks import TimeLimit
    >>> from skdl.neural_net import MLPNetClassifier
    >>> X = np.random.RandomState(0).randn(200, 4).astype("float32")
    >>> y = (X[:, 0] > 0).astype(int)
    >>> net = MLPNetClassifier(max_epochs=10_000, random_state=0,
    ...                        callbacks=[("time_limit", TimeLimit(0.5))]).fit(X, y)
    >>> len(net.history_) < 10_000, net.predict(X).shape
    (True, (200,))
    """

    stopped_: bool
    start_: float

    def __init__(self, max_time: float = 60.0) -> None:
        self.max_time = max_time

    def initialize(self) -> TimeLimit:
        if not isinstance(self.max_time, Real) or not self.max_time > 0:
            raise ValueError(
                f"TimeLimit: max_time must be a positive number of seconds; got "
                f"{self.max_time!r}."
            )
        self.stopped_ = False
        return self

    def on_train_begin(self, net: Any, **kwargs: Any) -> None:
        self.start_ = time.perf_counter()
        self.stopped_ = False

    def on_batch_end(self, net: Any, training: bool = True, **kwargs: Any) -> None:
        if training and time.perf_counter() - self.start_ > self.max_time:
            self.stopped_ = True
            # skorch's fit loop ends on KeyboardInterrupt and still calls
            # on_train_end: the documented way to stop mid-epoch.
            raise KeyboardInterrupt
