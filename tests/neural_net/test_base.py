"""Behaviour shared by every deep estimator, tested through MLPNet*/Net*."""

import io
import pickle
import re
import warnings

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback, EpochScoring
from skorch.exceptions import DeviceWarning

from skdl.neural_net import (
    MLPNetClassifier,
    MLPNetRegressor,
    NetClassifier,
    NetRegressor,
)
from skdl.neural_net._data import WEIGHT_KEY
from skdl.neural_net._skorch import SkdlNeuralNetClassifier
from tests._instances import TwoLayer

FAST = {"hidden_layer_sizes": (16,), "max_epochs": 5, "lr": 0.01, "random_state": 0}


# --------------------------------------------------------------------- labels
@pytest.mark.parametrize(
    "labels",
    [
        np.array([0, 1]),
        np.array([1, 2]),  # 1-based
        np.array([False, True]),
        np.array(["healthy", "tumour"]),
        np.array(["a", "b"], dtype=object),
        np.array([-1, 1]),
    ],
)
def test_classifier_any_label_type(breast_cancer, labels):
    X, y01 = breast_cancer
    y = labels[y01]
    clf = MLPNetClassifier(**FAST).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    pred = clf.predict(X)
    assert pred.dtype == clf.classes_.dtype
    assert set(pred) <= set(clf.classes_)
    assert np.mean(pred == y) > 0.9


def test_classifier_multiclass_probabilities(blobs):
    X, y = blobs
    clf = MLPNetClassifier(**{**FAST, "max_epochs": 30}).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(1)])
    np.testing.assert_allclose(
        np.exp(clf.predict_log_proba(X)), proba, rtol=1e-5, atol=1e-7
    )
    assert clf.score(X, y) > 0.9


@pytest.mark.parametrize("shape", [(None,), (None, 1), (None, 3)])
def test_regressor_target_shapes(shape):
    rng = np.random.RandomState(0)
    X = rng.randn(80, 4)
    n_out = 1 if len(shape) == 1 else shape[1]
    Y = X[:, :n_out] * 2.0
    y = Y.ravel() if len(shape) == 1 else Y
    reg = MLPNetRegressor(**{**FAST, "max_epochs": 40, "lr": 0.01}).fit(X, y)
    pred = reg.predict(X)
    assert pred.shape == y.shape and pred.dtype == np.float64
    assert reg.n_outputs_ == n_out
    assert reg.score(X, y) > 0.8


# ------------------------------------------------------------- sample weights
def test_unit_weights_equal_no_weights_bitwise(breast_cancer):
    X, y = breast_cancer
    a = MLPNetClassifier(**FAST).fit(X, y).predict_proba(X)
    b = MLPNetClassifier(**FAST).fit(X, y, sample_weight=np.ones(len(y)))
    np.testing.assert_array_equal(a, b.predict_proba(X))


def test_sample_weight_really_weights_the_loss(breast_cancer):
    # A third of the labels is flipped; giving those samples weight 0 must give a
    # model that agrees with the clean labels far better than weighting them 1.
    X, y = breast_cancer
    rng = np.random.RandomState(0)
    noisy = rng.rand(len(y)) < 0.35
    y_noisy = np.where(noisy, 1 - y, y)
    params = {**FAST, "max_epochs": 30}
    unweighted = MLPNetClassifier(**params).fit(X, y_noisy)
    weighted = MLPNetClassifier(**params).fit(
        X, y_noisy, sample_weight=(~noisy).astype(float)
    )
    acc_unweighted = np.mean(unweighted.predict(X) == y)
    acc_weighted = np.mean(weighted.predict(X) == y)
    assert acc_weighted > 0.95
    assert acc_weighted > acc_unweighted + 0.05


def test_weighted_loss_is_weighted_mean():
    net = SkdlNeuralNetClassifier(
        TwoLayer,
        module__n_features_in=3,
        module__n_outputs=2,
        criterion=torch.nn.CrossEntropyLoss,
        criterion__reduction="none",
    ).initialize()
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    target = torch.tensor([0, 0, 1])
    weight = torch.tensor([1.0, 3.0, 0.0])
    per_sample = torch.nn.functional.cross_entropy(logits, target, reduction="none")
    loss = net.get_loss(logits, target, X={"X": None, WEIGHT_KEY: weight})
    expected = (per_sample * weight).sum() / weight.sum()
    torch.testing.assert_close(loss, expected)
    torch.testing.assert_close(net.get_loss(logits, target), per_sample.mean())
    zero = net.get_loss(logits, target, X={"X": None, WEIGHT_KEY: weight * 0})
    assert float(zero) == 0.0


def test_class_weight_balanced_raises_minority_recall(breast_cancer):
    X, y = breast_cancer
    # Keep about 5% of the benign samples (class 1): a rare class of ~18 samples.
    keep = (y == 0) | (np.random.RandomState(0).rand(len(y)) < 0.05)
    X, y = X[keep], y[keep]
    params = {**FAST, "max_epochs": 10}
    plain = MLPNetClassifier(**params).fit(X, y)
    balanced = MLPNetClassifier(**params, class_weight="balanced").fit(X, y)
    p_plain = plain.predict_proba(X[y == 1])[:, 1].mean()
    p_balanced = balanced.predict_proba(X[y == 1])[:, 1].mean()
    assert p_balanced > p_plain + 0.05
    recall_plain = np.mean(plain.predict(X[y == 1]) == 1)
    recall_balanced = np.mean(balanced.predict(X[y == 1]) == 1)
    assert recall_balanced >= recall_plain


def test_class_weight_dict_equals_sample_weight(breast_cancer):
    X, y = breast_cancer
    a = MLPNetClassifier(**FAST, class_weight={0: 3.0, 1: 1.0}).fit(X, y)
    b = MLPNetClassifier(**FAST).fit(X, y, sample_weight=np.where(y == 0, 3.0, 1.0))
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


# -------------------------------------------------------------- early stopping
_SPLITS = []


class RecordSplit(Callback):
    """Records the first feature (the group id) of the training/validation rows."""

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        _SPLITS.clear()

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        if not _SPLITS:
            _SPLITS.append(
                (
                    set(dataset_train.X[:, 0].numpy().tolist()),
                    set(dataset_valid.X[:, 0].numpy().tolist()),
                )
            )


def _grouped_data(n_groups=30, per_group=10, seed=0):
    rng = np.random.RandomState(seed)
    groups = np.repeat(np.arange(n_groups), per_group)
    X = rng.randn(len(groups), 4).astype(np.float32)
    X[:, 0] = groups
    y = (rng.rand(n_groups) > 0.5)[groups].astype(int)
    return X, y, groups


def test_early_stopping_validation_split_respects_groups():
    X, y, groups = _grouped_data()
    clf = MLPNetClassifier(
        **FAST, early_stopping=True, validation_fraction=0.2, callbacks=[RecordSplit()]
    ).fit(X, y, groups=groups)
    train_groups, valid_groups = _SPLITS[0]
    assert valid_groups and train_groups
    assert not train_groups & valid_groups
    assert len(valid_groups) == 6  # 20% of 30 groups
    assert "valid_loss" in clf.history_[-1]


def test_early_stopping_with_one_group_names_the_fix():
    X, y, _ = _grouped_data()
    msg = (
        "MLPNetClassifier: the early-stopping validation part is made of whole "
        "groups and needs at least 2 distinct groups, one on each side; got 1. "
        "Pass more groups, or set early_stopping=False."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        MLPNetClassifier(**FAST, early_stopping=True).fit(X, y, groups=np.zeros(len(y)))


def test_early_stopping_groups_routed_by_metadata_routing():
    from sklearn import config_context
    from sklearn.model_selection import GridSearchCV, GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    X, y, groups = _grouped_data()
    with config_context(enable_metadata_routing=True):
        net = MLPNetClassifier(
            **FAST,
            early_stopping=True,
            validation_fraction=0.25,
            callbacks=[RecordSplit()],
        )
        pipe = make_pipeline(FunctionTransformer(), net)
        search = GridSearchCV(pipe, {"mlpnetclassifier__lr": [1e-3]}, cv=GroupKFold(3))
        search.fit(X, y, groups=groups)
    train_groups, valid_groups = _SPLITS[0]  # the refit on all data
    assert len(train_groups | valid_groups) == 30
    assert not train_groups & valid_groups


def test_early_stopping_stops_and_restores_best():
    X, y, _ = _grouped_data()  # labels are noise given X: validation loss rises
    rng = np.random.RandomState(1)
    y = rng.randint(0, 2, len(y))
    clf = MLPNetClassifier(
        hidden_layer_sizes=(64,),
        lr=0.01,
        max_epochs=200,
        early_stopping=True,
        n_iter_no_change=3,
        random_state=0,
    ).fit(X, y)
    assert clf.n_iter_ < 200
    losses = clf.history_[:, "valid_loss"]
    assert clf.n_iter_ - 1 - int(np.argmin(losses)) >= 3


def test_training_loss_plateau_stops_without_early_stopping(breast_cancer):
    X, y = breast_cancer
    clf = MLPNetClassifier(
        hidden_layer_sizes=(8,),
        max_epochs=500,
        n_iter_no_change=2,
        tol=0.05,
        random_state=0,
    ).fit(X, y)
    assert clf.n_iter_ < 500
    assert "valid_loss" not in clf.history_[-1]


# ----------------------------------------------------------------- determinism
def test_same_random_state_same_model(breast_cancer):
    X, y = breast_cancer
    params = {**FAST, "dropout": 0.3, "early_stopping": True}
    a = MLPNetClassifier(**params).fit(X, y).predict_proba(X)
    b = MLPNetClassifier(**params).fit(X, y).predict_proba(X)
    c = MLPNetClassifier(**{**params, "random_state": 1}).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_fit_leaves_global_torch_state_alone(breast_cancer):
    X, y = breast_cancer
    torch.manual_seed(123)
    state = torch.get_rng_state()
    flags = (
        torch.are_deterministic_algorithms_enabled(),
        torch.backends.cudnn.deterministic,
        torch.backends.cudnn.benchmark,
    )
    clf = MLPNetClassifier(**FAST).fit(X, y)
    clf.predict(X)
    assert torch.equal(torch.get_rng_state(), state)
    assert flags == (
        torch.are_deterministic_algorithms_enabled(),
        torch.backends.cudnn.deterministic,
        torch.backends.cudnn.benchmark,
    )


def test_random_state_instance_is_consumed(breast_cancer):
    # As in scikit-learn: a RandomState instance gives a different model per fit.
    X, y = breast_cancer
    rng = np.random.RandomState(0)
    est = MLPNetClassifier(**{**FAST, "random_state": rng})
    a = est.fit(X, y).predict_proba(X)
    b = est.fit(X, y).predict_proba(X)
    assert not np.array_equal(a, b)


# ---------------------------------------------------------------- input types
def test_input_containers_agree(breast_cancer, tmp_path):
    pd = pytest.importorskip("pandas")
    X, y = breast_cancer
    X64 = X.astype(np.float64)
    reference = MLPNetClassifier(**FAST).fit(X, y).predict_proba(X)
    path = tmp_path / "X.dat"
    mm = np.memmap(path, dtype=np.float32, mode="w+", shape=X.shape)
    mm[:] = X
    mm.flush()
    readonly = np.memmap(path, dtype=np.float32, mode="r", shape=X.shape)
    df = pd.DataFrame(X, columns=[f"gene_{i}" for i in range(X.shape[1])])
    for data in (X64, X.tolist(), readonly, df):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. torch's non-writable array warning
            clf = MLPNetClassifier(**FAST).fit(data, y)
            np.testing.assert_array_equal(clf.predict_proba(data), reference)
    assert list(clf.feature_names_in_) == list(df.columns)
    assert clf.n_features_in_ == X.shape[1]


@pytest.mark.parametrize(
    "X, y, error, message",
    [
        (
            np.array([[np.nan, 1.0], [1.0, 2.0]]),
            [0, 1],
            ValueError,
            "Input X contains NaN",
        ),
        (
            np.array([[np.inf, 1.0], [1.0, 2.0]]),
            [0, 1],
            ValueError,
            "Input X contains infinity",
        ),
        (np.empty((0, 3)), [], ValueError, "Found array with 0 sample(s)"),
        (np.arange(4.0), [0, 1, 0, 1], ValueError, "Expected 2D array, got 1D array"),
        (
            np.array([[1 + 1j, 2], [3, 4]]),
            [0, 1],
            ValueError,
            "Complex data not supported",
        ),
        (sp.csr_matrix(np.eye(4)), [0, 1, 0, 1], TypeError, "Sparse data was passed"),
        (np.eye(4), [1, 1, 1, 1], ValueError, "got 1 class only: np.int64(1)"),
        (np.eye(4), [0.1, 0.5, 0.7, 0.2], ValueError, "Unknown label type: continuous"),
    ],
)
def test_classifier_bad_input(X, y, error, message):
    with pytest.raises(error, match=re.escape(message)):
        MLPNetClassifier(**FAST).fit(X, y)


def test_changed_number_of_features_at_predict(breast_cancer):
    X, y = breast_cancer
    clf = MLPNetClassifier(**FAST).fit(X, y)
    with pytest.raises(
        ValueError,
        match=re.escape("X has 29 features, but MLPNetClassifier is expecting 30"),
    ):
        clf.predict(X[:, :-1])


def test_predict_before_fit():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        MLPNetClassifier().predict(np.eye(3))


@pytest.mark.parametrize(
    "params, error, message",
    [
        (
            {"hidden_layer_sizes": (10, 0)},
            ValueError,
            "hidden_layer_sizes must be positive",
        ),
        (
            {"hidden_layer_sizes": (1.5,)},
            ValueError,
            "must be an int or a sequence of ints",
        ),
        ({"lr": -1.0}, ValueError, "The 'lr' parameter of MLPNetClassifier must be"),
        ({"optimizer": "adagrad"}, ValueError, "The 'optimizer' parameter"),
        ({"device": "gpu9"}, ValueError, "device='gpu9' is not a torch device"),
    ],
)
def test_bad_parameters(breast_cancer, params, error, message):
    X, y = breast_cancer
    with pytest.raises(error, match=re.escape(message)):
        MLPNetClassifier(**{**FAST, **params}).fit(X, y)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-CUDA message")
def test_cuda_requested_without_cuda(breast_cancer):
    X, y = breast_cancer
    with pytest.raises(
        ValueError, match=re.escape("torch.cuda.is_available() is False")
    ):
        MLPNetClassifier(**FAST, device="cuda").fit(X, y)


def test_negative_sample_weight_rejected(breast_cancer):
    X, y = breast_cancer
    with pytest.raises(
        ValueError, match="Negative values in data passed to `sample_weight`"
    ):
        MLPNetClassifier(**FAST).fit(X, y, sample_weight=-np.ones(len(y)))


def test_groups_of_wrong_length(breast_cancer):
    X, y = breast_cancer
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        MLPNetClassifier(**FAST, early_stopping=True).fit(X, y, groups=np.arange(5))
    with pytest.raises(ValueError, match=re.escape("groups must be 1-D")):
        MLPNetClassifier(**FAST).fit(X, y, groups=np.zeros((len(y), 2)))


# ---------------------------------------------------------------- persistence
@pytest.mark.parametrize("Estimator", [MLPNetClassifier, MLPNetRegressor])
def test_pickle_and_joblib_round_trip(breast_cancer, tmp_path, Estimator):
    X, y = breast_cancer
    est = Estimator(**FAST).fit(X, y)
    expected = est.predict(X)
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(restored.predict(X), expected)
    joblib.dump(est, tmp_path / "model.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "model.joblib").predict(X), expected
    )
    # The early-stopping validation data is not carried in the pickle.
    assert est.net_.train_split is None


@pytest.mark.skipif(torch.cuda.is_available(), reason="simulates a CPU-only machine")
def test_model_saved_on_cuda_loads_on_cpu(breast_cancer):
    X, y = breast_cancer
    clf = MLPNetClassifier(**FAST).fit(X, y)
    expected = clf.predict_proba(X)
    clf.net_.device = "cuda"  # what a model trained on a GPU records
    with pytest.warns(DeviceWarning) as record:
        restored = pickle.loads(pickle.dumps(clf))
    assert any("no CUDA devices are available" in str(w.message) for w in record)
    assert str(restored.net_.device) == "cpu"
    np.testing.assert_array_equal(restored.predict_proba(X), expected)


@pytest.mark.gpu
def test_gpu_fit_is_deterministic_and_loads_on_cpu(breast_cancer):
    X, y = breast_cancer
    params = {**FAST, "device": "cuda", "dropout": 0.2}
    a = MLPNetClassifier(**params).fit(X, y)
    b = MLPNetClassifier(**params).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert not torch.are_deterministic_algorithms_enabled()
    buffer = io.BytesIO()
    torch.save(a.net_.module_.state_dict(), buffer)
    buffer.seek(0)
    state = torch.load(buffer, map_location="cpu")
    assert all(t.device.type == "cpu" for t in state.values())


# ------------------------------------------------------ verbose and callbacks
def test_verbose_zero_is_silent(breast_cancer, capfd):
    X, y = breast_cancer
    MLPNetClassifier(**FAST, early_stopping=True).fit(X, y)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_verbose_shows_epoch_progress_bar(breast_cancer, capfd):
    X, y = breast_cancer
    MLPNetClassifier(**FAST, early_stopping=True, verbose=1).fit(X, y)
    out, err = capfd.readouterr()
    assert "5/5" in err and "epoch" in err
    assert "train_loss=" in err and "valid_loss=" in err and "valid_score=" in err


def test_user_callbacks_run_and_list_is_not_modified(breast_cancer):
    X, y = breast_cancer
    callbacks = [
        ("auc", EpochScoring("roc_auc", lower_is_better=False, name="valid_auc"))
    ]
    clf = MLPNetClassifier(**FAST, early_stopping=True, callbacks=callbacks).fit(X, y)
    assert len(callbacks) == 1
    assert 0.5 < clf.history_[-1, "valid_auc"] <= 1.0
    names = [name for name, _ in clf.net_.callbacks_]
    assert names[:6] == [
        "epoch_timer",
        "train_loss",
        "valid_loss",
        "valid_score",
        "finite_loss",
        "early_stopping",
    ]
    assert names[-1] == "auc"


def test_net_params_escape_hatch(breast_cancer):
    X, y = breast_cancer
    clf = MLPNetClassifier(
        **{**FAST, "max_epochs": 50},
        n_iter_no_change=1,
        tol=10.0,
        net_params={
            "callbacks__early_stopping": None,
            "iterator_train__drop_last": True,
        },
    ).fit(X, y)
    assert clf.n_iter_ == 50  # early stopping switched off by name
    assert clf.history_[0, "train_batch_count"] == len(X) // 200


@pytest.mark.parametrize(
    "key, flat",
    [
        ("lr", "lr"),
        ("batch_size", "batch_size"),
        ("iterator_train__batch_size", "batch_size"),
        ("max_epochs", "max_epochs"),
        ("optimizer__weight_decay", "weight_decay"),
        ("callbacks__early_stopping__patience", "n_iter_no_change"),
        ("train_split", "early_stopping and validation_fraction"),
    ],
)
def test_net_params_cannot_shadow_a_flat_parameter(breast_cancer, key, flat):
    X, y = breast_cancer
    clf = MLPNetClassifier(**FAST, net_params={key: 1})
    msg = (
        f"MLPNetClassifier: net_params key {key!r} would override the flat "
        f"parameter {flat!r}; set {flat} on the estimator instead."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        clf.fit(X, y)


@pytest.mark.parametrize(
    "key", ["module", "module__hidden_layer_sizes", "criterion", "iterator_valid"]
)
def test_net_params_cannot_replace_skdl_wiring(breast_cancer, key):
    X, y = breast_cancer
    msg = f"MLPNetClassifier: net_params key {key!r} would replace skdl's own wiring"
    with pytest.raises(ValueError, match=re.escape(msg)):
        MLPNetClassifier(**FAST, net_params={key: None}).fit(X, y)


def test_net_params_cannot_replace_what_class_weight_sets():
    # Without class_weight the multilabel loss weights are free to set; with it,
    # skdl sets them and a net_params copy would silently win.
    X = np.random.RandomState(0).randn(40, 3)
    Y = (X[:, :2] > 0).astype(int)
    key = "criterion__pos_weight"
    clf = MLPNetClassifier(
        max_epochs=1, class_weight="balanced", net_params={key: torch.ones(2)}
    )
    msg = f"MLPNetClassifier: net_params key {key!r} would replace skdl's own wiring"
    with pytest.raises(ValueError, match=re.escape(msg)):
        clf.fit(X, Y)


def test_net_params_skorch_keys_skdl_does_not_set_pass(breast_cancer):
    X, y = breast_cancer
    clf = MLPNetClassifier(
        **FAST,
        net_params={
            "iterator_valid__batch_size": 64,
            "optimizer__betas": (0.8, 0.9),
            "callbacks__early_stopping__load_best": False,
        },
    ).fit(X, y)
    assert clf.net_.optimizer_.param_groups[0]["betas"] == (0.8, 0.9)
    assert clf.net_.iterator_valid__batch_size == 64


@pytest.mark.parametrize(
    "optimizer", ["adam", "adamw", "sgd", "rmsprop", torch.optim.Adagrad]
)
def test_optimizers(breast_cancer, optimizer):
    X, y = breast_cancer
    clf = MLPNetClassifier(**FAST, optimizer=optimizer, weight_decay=1e-4).fit(X, y)
    assert clf.score(X, y) > 0.9
    opt = clf.net_.optimizer_
    assert opt.param_groups[0]["weight_decay"] == 1e-4
    if optimizer == "sgd":
        assert (
            opt.param_groups[0]["nesterov"] and opt.param_groups[0]["momentum"] == 0.9
        )


def test_clone_after_fit_is_unfitted(breast_cancer):
    X, y = breast_cancer
    clf = MLPNetClassifier(**FAST).fit(X, y)
    assert not hasattr(clone(clf), "net_")


# ----------------------------------------------------------- user modules
class NoSizes(torch.nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.linear = torch.nn.Linear(n_in, n_out)

    def forward(self, X):
        return self.linear(X)


def test_net_classifier_module_params_and_sizes(blobs):
    X, y = blobs
    clf = NetClassifier(
        NoSizes,
        module_params={"n_in": 4, "n_out": 3},
        max_epochs=20,
        lr=0.05,
        random_state=0,
    )
    assert clf.fit(X, y).score(X, y) > 0.9
    auto = NetClassifier(
        TwoLayer, module_params={"width": 7}, max_epochs=2, random_state=0
    ).fit(X, y)
    assert auto.net_.module_.layers[0].in_features == 4
    assert auto.net_.module_.layers[0].out_features == 7
    assert auto.net_.module_.layers[2].out_features == 3


def test_net_module_must_be_a_module_class(blobs):
    X, y = blobs
    with pytest.raises(
        TypeError, match=re.escape("module must be a torch.nn.Module subclass")
    ):
        NetClassifier(dict, max_epochs=1).fit(X, y)
    with pytest.raises(
        ValueError, match="The 'module' parameter of NetRegressor must be"
    ):
        NetRegressor(TwoLayer(4, 1), max_epochs=1).fit(X, y)


# ------------------------------------------------- silent wrong answers (issue 19)
def test_diverged_net_raises_naming_the_epoch_and_the_fix(breast_cancer):
    # Before: a NaN loss, all-NaN probabilities, and predict returned class 0.
    from skdl.exceptions import NonFiniteLossError

    X, y = breast_cancer
    clf = MLPNetClassifier(optimizer="sgd", lr=100, max_epochs=20, random_state=0)
    msg = r"MLPNetClassifier: training diverged: the training loss is (nan|inf) at "
    with pytest.raises(NonFiniteLossError, match=msg + "epoch ") as info:
        clf.fit(X, y)
    assert "Lower the learning rate (for example lr=10)" in str(info.value)
    assert isinstance(info.value, ValueError)  # as scikit-learn's MLP raises
    assert not hasattr(clf, "net_")


@pytest.mark.parametrize(
    "class_weight", [{0: -1.0, 1: 1.0}, {0: np.inf, 1: 1.0}, {0: np.nan, 1: 1.0}]
)
def test_class_weight_is_validated_like_sample_weight(breast_cancer, class_weight):
    X, y = breast_cancer
    msg = "MLPNetClassifier: class_weight values must be finite, non-negative"
    with pytest.raises(ValueError, match=re.escape(msg)):
        MLPNetClassifier(**FAST, class_weight=class_weight).fit(X, y)


def test_class_weight_that_zeroes_every_sample_is_refused(breast_cancer):
    X, y = breast_cancer
    clf = MLPNetClassifier(**FAST, class_weight={0: 0.0, 1: 0.0, 2: 1.0})
    with pytest.raises(ValueError, match="must be finite, non-negative and not all"):
        MLPNetClassifier(**FAST, class_weight={0: 0.0, 1: 0.0}).fit(X, y)
    msg = "gives every sample zero weight; nothing would be learned"
    with pytest.raises(ValueError, match=re.escape(msg)):
        clf.fit(X, y)


class ThreeOutputs(torch.nn.Module):
    def __init__(self, n_features_in, n_outputs):
        super().__init__()
        self.linear = torch.nn.Linear(n_features_in, 3)

    def forward(self, X):
        return self.linear(X)


class Squeezed(torch.nn.Module):
    def __init__(self, n_features_in):
        super().__init__()
        self.linear = torch.nn.Linear(n_features_in, 1)

    def forward(self, X):
        return self.linear(X).squeeze(-1)


@pytest.mark.parametrize(
    "Estimator, module, expected",
    [
        # Before: predict(X[:2]) returned 6 values.
        (NetRegressor, ThreeOutputs, "returned outputs of shape (200, 3)"),
        # Before: a 3-column predict_proba for 2 classes.
        (NetClassifier, ThreeOutputs, "2 logits for a binary problem, not 1"),
        (NetRegressor, Squeezed, "returned outputs of shape (200,)"),
    ],
)
def test_module_output_width_is_checked(breast_cancer, Estimator, module, expected):
    X, y = breast_cancer
    target = y if Estimator is NetClassifier else y.astype(float)
    with pytest.raises(ValueError, match=re.escape(expected)):
        Estimator(module, max_epochs=1).fit(X, target)


class OneLogit(torch.nn.Module):
    def __init__(self, n_features_in):
        super().__init__()
        self.linear = torch.nn.Linear(n_features_in, 1)

    def forward(self, X):
        return self.linear(X)


def test_one_logit_binary_module_gets_a_clear_error(breast_cancer):
    X, y = breast_cancer
    msg = "this task needs shape (200, 2): one logit per class, 2 classes"
    with pytest.raises(ValueError, match=re.escape(msg)):
        NetClassifier(OneLogit, max_epochs=1).fit(X, y)


def test_unavailable_device_names_the_fix(breast_cancer):
    X, y = breast_cancer
    msg = "device='mps' is not available with this torch build on this machine"
    if torch.backends.mps.is_available():  # pragma: no cover - Apple machines
        pytest.skip("this machine has MPS")
    with pytest.raises(ValueError, match=re.escape(msg)):
        MLPNetClassifier(**FAST, device="mps").fit(X, y)


def test_optimizer_without_weight_decay(breast_cancer):
    X, y = breast_cancer
    clf = MLPNetClassifier(**FAST, optimizer=torch.optim.LBFGS).fit(X, y)
    assert isinstance(clf.net_.optimizer_, torch.optim.LBFGS)
    msg = "the optimizer LBFGS takes no weight_decay, but weight_decay=0.1"
    with pytest.raises(ValueError, match=re.escape(msg)):
        MLPNetClassifier(**FAST, optimizer=torch.optim.LBFGS, weight_decay=0.1).fit(
            X, y
        )


@pytest.mark.parametrize("entry", ["x", ("name", "x"), 3])
def test_callbacks_must_be_skorch_callbacks(breast_cancer, entry):
    X, y = breast_cancer
    msg = "MLPNetClassifier: callbacks must hold skorch callbacks"
    with pytest.raises(TypeError, match=re.escape(msg)):
        MLPNetClassifier(**FAST, callbacks=[entry]).fit(X, y)
