"""Model files: skops round trips, trusted types, GPU to CPU, versions, report."""

import dataclasses
import doctest
import hashlib
import importlib
import json
import re
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
import sklearn
import skorch
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from torch import nn

import skdl
from skdl.comparison import compare
from skdl.exceptions import SkdlWarning
from skdl.neural_net import MLPNetClassifier, MLPNetRegressor, NetClassifier
from skdl.report import load_model, save_model, skdl_trusted_types, write_report
from skdl.report._model_file import _allowed, _mapie_types
from skdl.utils.discovery import all_estimators
from tests._instances import TwoLayer

skops_io = pytest.importorskip("skops.io")
UntrustedTypesFoundException = skops_io.exceptions.UntrustedTypesFoundException

GUIDE = Path(__file__).parents[2] / "docs" / "user_guide" / "report.rst"
# What each kind of estimator answers; every answer must survive the file.
METHODS = ("predict", "predict_proba", "predict_set", "predict_interval")


class ForeignModule(nn.Module):
    """A user's torch module: a type skdl does not vouch for."""

    def __init__(self, n_features_in, n_outputs):
        super().__init__()
        self.linear = nn.Linear(n_features_in, n_outputs)

    def forward(self, X):
        return self.linear(X)


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.randn(80, 8).astype(np.float32)
    return X, (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)


def _instance(cls):
    params = {"max_epochs": 2, "random_state": 0}
    name = cls.__name__
    if name.startswith("Net"):
        params["module"] = TwoLayer
    elif name.startswith("ConvNet"):
        params.update(filters=(4,), kernel_size=3)
    elif name.startswith("TransformerNet"):
        params.update(d_model=8, n_heads=2, n_layers=1)
    elif "Conformal" in name:
        inner = MLPNetClassifier if "Classifier" in name else MLPNetRegressor
        return cls(inner(**params), confidence_level=0.8, random_state=0)
    return cls(**params)


def _answers(estimator, X):
    return {m: getattr(estimator, m)(X) for m in METHODS if hasattr(estimator, m)}


def _assert_equal(a, b, where):
    if isinstance(b, tuple | list):  # predict_set/predict_interval: (pred, sets)
        assert len(a) == len(b), where
        for a_item, b_item in zip(a, b):
            _assert_equal(a_item, b_item, where)
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


def _assert_same_answers(loaded, original, X):
    expected = _answers(original, X)
    got = _answers(loaded, X)
    assert got.keys() == expected.keys() and expected
    for method, value in expected.items():
        _assert_equal(got[method], value, method)


def _schema(path):
    with zipfile.ZipFile(path) as archive:
        return archive.read("schema.json").decode()


def _edit_schema(path, pattern, new):
    """Rewrite a model file with ``pattern`` replaced by ``new`` in its schema."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    schema, n = re.subn(pattern, new, members["schema.json"].decode())
    assert n == 1
    members["schema.json"] = schema.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)


@pytest.mark.parametrize("name, cls", all_estimators())
def test_every_estimator_round_trips_bitwise(name, cls, data, tmp_path):
    X, y = data
    target = y if "Classifier" in name else X[:, 0] - X[:, 1]
    estimator = _instance(cls).fit(X, target)
    path = save_model(estimator, tmp_path / f"{name}.skops")
    # skorch's pickled net state is not in the file: only its parts are.
    assert "__cuda_dependent_attributes__" not in _schema(path)
    loaded = load_model(path, trusted=[TwoLayer] if name.startswith("Net") else [])
    assert type(loaded) is cls
    assert repr(loaded.get_params()) == repr(estimator.get_params())
    _assert_same_answers(loaded, estimator, X)


def test_pipeline_in_a_search_round_trips(data, tmp_path):
    X, y = data
    pipe = make_pipeline(
        StandardScaler(), MLPNetClassifier(max_epochs=2, early_stopping=True)
    )
    search = GridSearchCV(pipe, {"mlpnetclassifier__lr": [1e-3, 1e-2]}, cv=2)
    search.fit(X, y)
    loaded = load_model(save_model(search, tmp_path / "search.skops"))
    _assert_same_answers(loaded, search, X)
    net = loaded.best_estimator_[-1]
    # Shared objects stay shared: the estimator's history is its net's.
    assert net.history_ is net.net_.history_
    assert len(net.history_) == len(search.best_estimator_[-1].history_)


def test_multilabel_class_weights_round_trip(data, tmp_path):
    X, y = data
    Y = np.c_[y, X[:, 2] > 0].astype(int)
    clf = MLPNetClassifier(max_epochs=2, class_weight="balanced", random_state=0)
    clf.fit(X, Y)
    loaded = load_model(save_model(clf, tmp_path / "multilabel.skops"))
    np.testing.assert_array_equal(
        loaded.net_.criterion_.pos_weight, clf.net_.criterion_.pos_weight
    )
    _assert_same_answers(loaded, clf, X)


def test_loading_keeps_the_callers_random_state(data, tmp_path):
    X, y = data
    path = save_model(MLPNetClassifier(max_epochs=2).fit(X, y), tmp_path / "m.skops")
    before = torch.random.get_rng_state()
    load_model(path)
    assert torch.equal(torch.random.get_rng_state(), before)


@pytest.fixture(scope="module")
def compared():
    """A comparison whose refitted winner is a net inside a search."""
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(150, 2)).astype(np.float32)
    y = (X[:, 0] * X[:, 1] > 0).astype(int)  # XOR: no line separates it
    net = MLPNetClassifier(
        hidden_layer_sizes=(16,), max_epochs=15, batch_size=128, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkdlWarning)
        result = compare(
            {"logistic": LogisticRegression(), "net": (net, {"lr": [0.1]})},
            X,
            y,
            cv=3,
            refit=True,
            explain=False,
            n_jobs=1,
            random_state=0,
        )
    assert result.winner == "net"
    return result, X


def test_compare_winner_round_trips(compared, tmp_path):
    result, X = compared
    winner = result.final_estimator
    loaded = load_model(save_model(winner, tmp_path / "winner.skops"))
    assert type(loaded) is type(winner)
    _assert_same_answers(loaded, winner, X)


def test_multiclass_compare_winner_round_trips(tmp_path):
    rng = np.random.RandomState(0)
    X = rng.randn(90, 4)
    y = np.argmax(X[:, :3], axis=1)
    result = compare(
        {"logistic": LogisticRegression()}, X, y, cv=3, refit=True, random_state=0
    )
    loaded = load_model(save_model(result.final_estimator, tmp_path / "m.skops"))
    _assert_same_answers(loaded, result.final_estimator, X)


def test_foreign_module_must_be_trusted_by_name(data, tmp_path):
    X, y = data
    clf = NetClassifier(ForeignModule, max_epochs=2, random_state=0).fit(X, y)
    path = save_model(clf, tmp_path / "foreign.skops")
    foreign = f"{__name__}.ForeignModule"
    assert foreign not in skdl_trusted_types(path)
    with pytest.raises(UntrustedTypesFoundException, match=re.escape(foreign)):
        load_model(path)
    _assert_same_answers(load_model(path, trusted=[foreign]), clf, X)


def test_file_edited_to_a_foreign_type_fails(data, tmp_path):
    X, y = data
    path = save_model(MLPNetClassifier(max_epochs=2).fit(X, y), tmp_path / "m.skops")
    _edit_schema(
        path,
        r'"__class__": "MLP",\s*"__module__": "skdl.nn._mlp"',
        '"__class__": "system", "__module__": "os"',
    )
    assert "os.system" not in skdl_trusted_types(path)
    with pytest.raises(UntrustedTypesFoundException, match=re.escape("os.system")):
        load_model(path)


def test_file_edited_to_another_net_class_fails(data, tmp_path):
    X, y = data
    path = save_model(MLPNetClassifier(max_epochs=2).fit(X, y), tmp_path / "m.skops")
    _edit_schema(path, r"_skorch\.SkdlNeuralNetClassifier", "_skorch.NeuralNet")
    with pytest.raises(UntrustedTypesFoundException, match="NeuralNet"):
        load_model(path)


def test_a_pickled_skorch_net_is_never_trusted(data, tmp_path):
    """skops on its own stores a net's state as skorch's pickle.

    Loading it means running ``NeuralNet.__setstate__``, which unpickles
    bytes from the file: skdl never vouches for a net's class, so such a file
    fails instead.
    """
    X, y = data
    path = tmp_path / "plain.skops"
    skops_io.dump(MLPNetClassifier(max_epochs=2).fit(X, y), path)
    assert "__cuda_dependent_attributes__" in _schema(path)
    net_class = "skdl.neural_net._skorch.SkdlNeuralNetClassifier"
    assert net_class in skops_io.get_untrusted_types(file=path)
    assert net_class not in skdl_trusted_types(path)
    with (
        pytest.warns(SkdlWarning, match="does not record the versions"),
        pytest.raises(UntrustedTypesFoundException, match=re.escape(net_class)),
    ):
        load_model(path)


def test_allow_list_names_real_objects():
    for name in _allowed() | _mapie_types():
        module, _, attribute = name.rpartition(".")
        assert hasattr(importlib.import_module(module), attribute), name


def test_unnameable_function_is_refused_when_saving(data, tmp_path):
    X, y = data
    model = make_pipeline(FunctionTransformer(lambda v: v), LogisticRegression())
    with pytest.raises(TypeError, match="lambda"):
        save_model(model.fit(X, y), tmp_path / "m.skops")
    assert not (tmp_path / "m.skops").exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="fakes a CPU-only machine")
def test_model_saved_on_cuda_loads_on_cpu(data, tmp_path, monkeypatch):
    """No GPU here: fake one by tagging every saved tensor as a CUDA tensor."""
    X, y = data
    clf = MLPNetClassifier(max_epochs=3, early_stopping=True, random_state=0)
    clf.fit(X, y)
    expected = clf.predict_proba(X)
    clf.net_.device = "cuda"
    with monkeypatch.context() as patch:
        patch.setattr(torch.serialization, "location_tag", lambda storage: "cuda:0")
        path = save_model(clf, tmp_path / "cuda.skops")
        tagged = tmp_path / "tagged.pt"
        torch.save(torch.ones(2), tagged)
    # The fake holds: read as saved, the tensors need a GPU.
    with pytest.raises(RuntimeError, match="CUDA"):
        torch.load(tagged, weights_only=True)
    with pytest.warns(SkdlWarning, match=re.escape("saved on 'cuda'")):
        loaded = load_model(path)
    assert loaded.net_.device == "cpu"
    assert {p.device.type for p in loaded.net_.module_.parameters()} == {"cpu"}
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)


@pytest.mark.parametrize(
    "package, module",
    [
        ("skdl", skdl),
        ("scikit-learn", sklearn),
        ("torch", torch),
        ("skorch", skorch),
        ("skops", importlib.import_module("skops")),
    ],
)
def test_version_mismatch_warns_naming_both(
    package, module, data, tmp_path, monkeypatch
):
    X, y = data
    path = save_model(MLPNetClassifier(max_epochs=2).fit(X, y), tmp_path / "m.skops")
    saved = module.__version__
    monkeypatch.setattr(module, "__version__", "0.0.1")
    message = f"was saved with {package} {saved}; this is {package} 0.0.1."
    with pytest.warns(SkdlWarning, match=re.escape(message)):
        load_model(path)


def test_same_versions_load_silently(data, tmp_path):
    X, y = data
    path = save_model(MLPNetClassifier(max_epochs=2).fit(X, y), tmp_path / "m.skops")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_model(path)
    with zipfile.ZipFile(path) as archive:
        recorded = json.loads(archive.read("skdl.json"))
    assert recorded["versions"]["torch"] == torch.__version__


def test_write_report_records_the_model_file(compared, tmp_path):
    result, X = compared
    page = write_report(result, tmp_path, model_file=True)
    record = json.loads((tmp_path / "results.json").read_text())["model_file"]
    model = tmp_path / record["name"]
    assert record["sha256"] == hashlib.sha256(model.read_bytes()).hexdigest()
    assert record["bytes"] == model.stat().st_size
    _assert_same_answers(load_model(model), result.final_estimator, X)
    card = (tmp_path / "model_card.md").read_text()
    model_part = card.split("\n## Model file\n")[1].split("\n## Data\n")[0]
    assert record["sha256"] in model_part
    assert 'skdl.report.load_model("model.skops")' in model_part
    assert "predicts 1 for `1` and 0 for `0`" in model_part
    assert (
        f'<a href="model.skops">model.skops</a> (SHA-256 <code>{record["sha256"]}'
        in (page.read_text())
    )
    # A report without the model file leaves no stale one behind.
    write_report(result, tmp_path)
    assert not model.exists()
    assert json.loads((tmp_path / "results.json").read_text())["model_file"] is None


def test_write_report_model_file_needs_refit(compared, tmp_path):
    result, _ = compared
    unrefitted = dataclasses.replace(result, final_estimator=None)
    message = "result.final_estimator is None: run compare(..., refit=True)"
    with pytest.raises(ValueError, match=re.escape(message)):
        write_report(unrefitted, tmp_path / "report", model_file=True)
    assert not (tmp_path / "report").exists()


def test_user_guide_page_runs():
    result = doctest.testfile(
        str(GUIDE),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 5
    assert result.failed == 0
