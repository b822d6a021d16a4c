"""A progress bar over epochs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from skorch.callbacks import Callback
from tqdm.auto import tqdm


class EpochProgressBar(Callback):
    """Show one tqdm progress bar over the epochs of a fit.

    After each epoch the bar advances by one and shows the latest values of
    ``keys`` found in the net's history. skdl estimators add it, under the name
    ``progress_bar``, when ``verbose >= 1``; it can also be passed to any skorch
    net.

    Parameters
    ----------
    keys : sequence of str, default=("train_loss", "valid_loss", "valid_score")
        History entries shown after each epoch; missing ones are skipped.
    leave : bool, default=True
        Keep the finished bar on screen.
    file : file-like or None, default=None
        Where to write; None means ``sys.stderr``.

    Attributes
    ----------
    bar_ : tqdm or None
        The bar while training runs; None before and after.

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from skdl.callbacks import EpochProgressBar
    >>> from skdl.neural_net import MLPNetClassifier
    >>> X = np.random.RandomState(0).randn(40, 3)
    >>> y = (X[:, 0] > 0).astype(int)
    >>> out = io.StringIO()
    >>> clf = MLPNetClassifier(max_epochs=2, random_state=0,
    ...                        callbacks=[EpochProgressBar(file=out)]).fit(X, y)
    >>> "2/2" in out.getvalue()
    True
    """

    def __init__(
        self,
        keys: Sequence[str] = ("train_loss", "valid_loss", "valid_score"),
        leave: bool = True,
        file: Any = None,
    ) -> None:
        self.keys = keys
        self.leave = leave
        self.file = file

    bar_: Any
    _start_: int

    def initialize(self) -> EpochProgressBar:
        """Reset the state; called by skorch when the net is initialised."""
        self.bar_ = None
        return self

    def on_train_begin(self, net: Any, **kwargs: Any) -> None:
        """Open the bar, sized by the net's ``max_epochs``."""
        self._start_ = len(net.history)  # epochs of earlier fits (warm start)
        self.bar_ = tqdm(
            total=net.max_epochs,
            unit="epoch",
            leave=self.leave,
            file=self.file,
            desc=type(net.module_).__name__,
        )

    def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
        """Advance the bar and show the epoch's scores."""
        self._catch_up(net)

    def on_train_end(self, net: Any, **kwargs: Any) -> None:
        """Close the bar, counting an epoch whose end early stopping interrupted."""
        if self.bar_ is not None:
            self._catch_up(net)
            self.bar_.close()
        self.bar_ = None

    def _catch_up(self, net: Any) -> None:
        # A callback listed before this one (EarlyStopping) may end training in
        # on_epoch_end before this bar saw the epoch: count epochs from history.
        done = len(net.history) - self._start_
        if done > self.bar_.n:
            row = net.history[-1]
            postfix = {key: f"{row[key]:.4g}" for key in self.keys if key in row}
            self.bar_.set_postfix(postfix, refresh=False)
            self.bar_.update(done - self.bar_.n)
