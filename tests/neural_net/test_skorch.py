"""The skorch subclasses: mode switching and inference shortcuts stay correct."""

import numpy as np
import torch
from skorch.callbacks import Callback

from skdl.neural_net import MLPNetClassifier


class RecordModes(Callback):
    def initialize(self):
        self.modes_ = []
        return self

    def on_batch_begin(self, net, batch=None, training=None, **kwargs):
        # What the module is in when the batch runs is set by train_step/validation.
        pass

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        modes = {m.training for m in net.module_.modules()}
        self.modes_.append((training, modes))


class EvalSubmoduleEachEpoch(Callback):
    """Puts one submodule in eval mode after each epoch, as user code might."""

    def on_epoch_end(self, net, **kwargs):
        net.module_.layers[-1].eval()


def test_modules_are_in_train_mode_for_training_batches_only():
    rng = np.random.RandomState(0)
    X = rng.randn(300, 5)
    y = (X[:, 0] > 0).astype(int)
    recorder = RecordModes()
    clf = MLPNetClassifier(
        hidden_layer_sizes=(8,),
        dropout=0.5,
        max_epochs=3,
        batch_size=64,
        early_stopping=True,
        random_state=0,
        callbacks=[recorder, EvalSubmoduleEachEpoch()],
    ).fit(X, y)
    assert {training for training, _ in recorder.modes_} == {True, False}
    for training, modes in recorder.modes_:
        assert modes == {training}  # every submodule, every batch, even after eval()
    # Inference leaves every module in eval mode and is deterministic (no dropout).
    np.testing.assert_array_equal(clf.predict_proba(X), clf.predict_proba(X))
    assert not any(m.training for m in clf.net_.module_.modules())


def test_forward_iter_inference_has_no_grad():
    X = np.random.RandomState(0).randn(50, 3)
    clf = MLPNetClassifier(hidden_layer_sizes=(4,), max_epochs=1, random_state=0)
    clf.fit(X, X[:, 0] > 0)
    out = clf._forward(X.astype(np.float32))
    assert isinstance(out, torch.Tensor) and not out.requires_grad
    assert out.shape == (50, 2)


class CountGradHook(Callback):
    """Implements on_grad_computed, which sends training back to skorch's path."""

    def initialize(self):
        self.calls_ = 0
        return self

    def on_grad_computed(self, net, named_parameters, **kwargs):
        assert all(p.grad is not None for _, p in named_parameters)
        self.calls_ += 1


class ReadBatchRecord(Callback):
    """Reads the batch's history record from on_batch_end, as skorch allows."""

    def initialize(self):
        self.seen_ = []
        return self

    def on_batch_end(self, net, batch=None, training=None, loss=None, **kwargs):
        record = net.history[-1, "batches", -1]
        prefix = "train" if training else "valid"
        self.seen_.append((training, record[f"{prefix}_loss"], loss.item()))


def _two_class_data():
    rng = np.random.RandomState(0)
    X = rng.randn(400, 6).astype(np.float32)
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


def _fit(**params):
    X, y = _two_class_data()
    params = {"hidden_layer_sizes": (8,), "max_epochs": 3, "batch_size": 64, **params}
    return MLPNetClassifier(random_state=0, **params).fit(X, y)


def test_lean_batch_loop_trains_exactly_as_skorchs_loop():
    # A callback on on_grad_computed makes the net take skorch's own batch path
    # (the loss as an optimizer closure, every hook notified); without it the
    # lean path runs. Same weights, bit for bit, and the same history.
    hook = CountGradHook()
    stock = _fit(callbacks=[hook], early_stopping=True)
    lean = _fit(early_stopping=True)
    assert hook.calls_ == sum(
        1
        for epoch in stock.history_
        for batch in epoch["batches"]
        if "train_loss" in batch
    )
    for p_stock, p_lean in zip(
        stock.net_.module_.parameters(), lean.net_.module_.parameters(), strict=True
    ):
        assert torch.equal(p_stock, p_lean)
    for e_stock, e_lean in zip(stock.history_, lean.history_, strict=True):
        assert e_stock["batches"] == e_lean["batches"]
        for key in ("train_loss", "valid_loss", "train_batch_count"):
            assert e_stock[key] == e_lean[key]


def test_batch_hooks_see_their_record_and_the_step():
    reader = ReadBatchRecord()
    clf = _fit(callbacks=[reader], early_stopping=True)
    n_train = sum(epoch["train_batch_count"] for epoch in clf.history_)
    n_valid = sum(epoch["valid_batch_count"] for epoch in clf.history_)
    assert [t for t, _, _ in reader.seen_].count(True) == n_train
    assert [t for t, _, _ in reader.seen_].count(False) == n_valid
    for _, recorded, step_loss in reader.seen_:
        assert recorded == step_loss


def test_lbfgs_steps_with_its_closure():
    # L-BFGS calls the closure several times per step: the lean path is not
    # taken, and training still lowers the loss.
    clf = _fit(
        optimizer=torch.optim.LBFGS,
        lr=1.0,
        max_epochs=4,
        batch_size=400,  # full batch, where L-BFGS belongs
        net_params={"optimizer__line_search_fn": "strong_wolfe"},
    )
    assert clf.net_._closure_free_optimizer() is None
    assert _fit().net_._closure_free_optimizer() is not None  # Adam
    losses = clf.history_[:, "train_loss"]
    assert np.isfinite(losses).all() and losses[-1] < losses[0]


def test_loss_reduction_follows_the_weights():
    X, y = _two_class_data()
    plain = _fit()
    weighted = MLPNetClassifier(hidden_layer_sizes=(8,), max_epochs=1, random_state=0)
    weighted.fit(X, y, sample_weight=np.r_[np.ones(200), 2 * np.ones(200)])
    assert plain.net_.criterion_.reduction == "mean"
    assert weighted.net_.criterion_.reduction == "none"
    # Equal weights are no weights: the same fused mean, the same model.
    equal = MLPNetClassifier(
        hidden_layer_sizes=(8,), max_epochs=3, batch_size=64, random_state=0
    ).fit(X, y, sample_weight=np.full(len(y), 3.0))
    np.testing.assert_array_equal(equal.predict_proba(X), plain.predict_proba(X))
