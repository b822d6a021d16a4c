"""Model files: a fitted estimator in a skops file that loads without pickle.

A skops file (:mod:`skops.io`) stores an object as a tree of typed nodes and
refuses to load it unless every type in the tree is trusted. skorch nets do not
fit that scheme on their own: ``NeuralNet.__getstate__`` packs the module, the
criterion and the optimizer into a *pickle* held as bytes, and
``__setstate__`` unpickles it. Trusting a net's type in skops would therefore
trust any pickle a file carries. So a model file never holds a net's own
state:

- each skorch net is written as a :class:`_NetState`: the name of its class,
  its attributes without the torch objects, and the ``state_dict`` of its
  module, criterion and optimizer saved with :func:`torch.save`;
- each other tensor (a criterion's class weights, early stopping's best
  weights) is written as a :class:`_TensorState`, its :func:`torch.save` bytes.

On loading, skops calls these two classes with the stored values and they
return the real net and tensor: the net's class must be one of skdl's (checked
by name), its module, criterion and optimizer are rebuilt from the net's own
parameters (skorch's ``initialize_*``) and their state dicts read with
``torch.load(..., weights_only=True)``, which refuses anything but tensors and
plain containers. Tensors saved on a GPU are mapped to the CPU when no GPU is
visible. Which types a file may hold is decided by :func:`skdl_trusted_types`;
the versions of the libraries that wrote it are stored in ``skdl.json``
beside skops' ``schema.json`` and compared with the running ones on loading.
The class paths of ``_NetState`` and ``_TensorState`` are part of the file
format (``FORMAT``).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import os
import pickle
import platform
import warnings
import zipfile
from functools import cache, partial
from pathlib import Path
from typing import Any

import numpy as np
import torch
from skorch import NeuralNet

from skdl.exceptions import SkdlWarning
from skdl.utils._optional import import_skops

#: File name of the model file that ``write_report`` writes beside the card.
MODEL_FILE = "model.skops"
#: Name of the member of a model file that records its format and versions.
METADATA = "skdl.json"
#: Version of the model-file layout (``_NetState``, ``_TensorState``, METADATA).
FORMAT = 1
#: Libraries whose versions are compared on loading, with their modules' names.
_CHECKED = {
    "skdl": "skdl",
    "scikit-learn": "sklearn",
    "torch": "torch",
    "skorch": "skorch",
    "skops": "skops",
}

# skdl's own types that a fitted skdl estimator, or a comparison's refitted
# search, holds besides skdl's public classes; by name, so that this module
# imports no other package's private module. tests/report/test_model_file.py
# checks that each one exists.
_SKDL_PRIVATE = (
    "skdl.neural_net._data.BatchIterator",
    "skdl.neural_net._base._silent",
    "skdl.neural_net._skorch._multilabel_accuracy",
    "skdl.comparison._compare._TimeBudgetSearchCV",
    "skdl.comparison._tasks._macro_ap_score",
    # make_tabular_preprocessor's FunctionTransformers (every tabular panel).
    "skdl.comparison._tabular._to_float",
    "skdl.comparison._tabular._to_text",
)
# The skorch nets a model file may rebuild. They are stored by name in a
# _NetState and never trusted as skops types: skops would then build one from
# its pickled state (see the module docstring).
_NET_CLASSES = (
    "skdl.neural_net._skorch.SkdlNeuralNetClassifier",
    "skdl.neural_net._skorch.SkdlNeuralNetMultilabel",
    "skdl.neural_net._skorch.SkdlNeuralNetRegressor",
)
# A search's scorer when ``scoring`` is None or a dict, and compare's
# search="halving" (whose public name needs sklearn's experimental switch,
# which changes sklearn's namespace).
_SKLEARN_PRIVATE = (
    "sklearn.metrics._scorer._PassthroughScorer",
    "sklearn.metrics._scorer._MultimetricScorer",
    "sklearn.model_selection._search_successive_halving.HalvingRandomSearchCV",
)
# The mapie objects inside skdl's conformal adapters.
_MAPIE_PRIVATE = (
    "mapie.classification._MapieClassifier",
    "mapie.regression.regression._MapieRegressor",
    "mapie.estimator.classifier.EnsembleClassifier",
    "mapie.estimator.regressor.EnsembleRegressor",
)
# torch optimizers an estimator's ``optimizer`` may name (skdl's four and the
# classes a user may pass); those a torch version lacks are skipped.
_TORCH_OPTIMIZERS = (
    "ASGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "LBFGS",
    "NAdam",
    "RAdam",
    "RMSprop",
    "Rprop",
    "SGD",
)
# scikit-learn's splitters, which a search holds as ``cv`` (skops trusts
# scikit-learn's estimators, not its splitters).
_SKLEARN_SPLITTERS = (
    "GroupKFold",
    "GroupShuffleSplit",
    "KFold",
    "LeaveOneGroupOut",
    "LeaveOneOut",
    "LeavePGroupsOut",
    "LeavePOut",
    "PredefinedSplit",
    "RepeatedKFold",
    "RepeatedStratifiedKFold",
    "ShuffleSplit",
    "StratifiedGroupKFold",
    "StratifiedKFold",
    "StratifiedShuffleSplit",
    "TimeSeriesSplit",
)


# ---------------------------------------------------------------- public API
def skdl_trusted_types(file: str | os.PathLike[str]) -> list[str]:
    """List the types of a model file that skdl vouches for.

    skops loads a file only when every type in it is trusted. It trusts
    scikit-learn's estimators and numpy's and scipy's safe types itself; this
    function returns the other types the file holds (as
    ``skops.io.get_untrusted_types`` finds them) that are on skdl's
    allow-list:

    - skdl's estimators, torch modules, callbacks, batch iterators,
      encoders, splitters and FDR scorer;
    - what their skorch nets hold: the torch criteria and optimizers, skorch's
      history and default callbacks, a device;
    - what a comparison's refitted search holds: scikit-learn's splitters,
      scorers and the metric functions of its and skdl's named scorers, and
      the mapie objects of skdl's conformal adapters.

    Any other type (a foreign type) is left out, so that loading the file
    fails with skops' ``UntrustedTypesFoundException``, which names it.

    Parameters
    ----------
    file : str or path-like
        A model file written by :func:`save_model` (or any skops file).

    Returns
    -------
    types : list of str
        Sorted fully qualified type names, to pass as ``trusted`` to
        :func:`skops.io.load`.

    See Also
    --------
    load_model : Load a model file, trusting these types.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> import skops.io
    >>> from skdl.neural_net import MLPNetClassifier
    >>> from skdl.report import save_model, skdl_trusted_types
    >>> X = np.random.RandomState(0).randn(40, 3)
    >>> y = (X[:, 0] > 0).astype(int)
    >>> clf = MLPNetClassifier(max_epochs=2, random_state=0).fit(X, y)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_model(clf, f"{folder}/model.skops")
    ...     trusted = skdl_trusted_types(path)
    ...     loaded = skops.io.load(path, trusted=trusted)
    >>> "skdl.neural_net._mlp.MLPNetClassifier" in trusted
    True
    >>> type(loaded).__name__
    'MLPNetClassifier'
    """
    sio = import_skops("skdl_trusted_types")
    found = set(sio.get_untrusted_types(file=file))
    allowed = _allowed()
    if any(name.startswith("mapie.") for name in found):  # mapie is slow to import
        allowed |= _mapie_types()
    return sorted(found & allowed)


def save_model(estimator: Any, path: str | os.PathLike[str]) -> Path:
    """Save a fitted estimator in a skops model file.

    The estimator may be a skdl estimator, a scikit-learn ``Pipeline`` that
    holds one, or a fitted search around either (``GridSearchCV``,
    ``RandomizedSearchCV``: the ``final_estimator`` of
    ``compare(..., refit=True)``). The file is a skops zip archive that holds
    no pickled object: only the nets' weights go through torch's weights-only
    format (see Notes). It also records the versions of skdl,
    scikit-learn, torch, skorch and skops, which :func:`load_model` compares
    with the running ones.

    Parameters
    ----------
    estimator : object
        The fitted estimator.
    path : str or path-like
        File to write; replaced if it exists. ``.skops`` is the usual suffix.

    Returns
    -------
    path : pathlib.Path
        The path of the file written.

    See Also
    --------
    load_model : Load the file back.
    skdl_trusted_types : The types of a model file that skdl trusts.

    Notes
    -----
    skorch pickles a net's torch objects, and loading a pickle can run any
    code. A model file holds instead each net's parameters and the
    ``state_dict`` of its module, criterion and optimizer, written with
    :func:`torch.save` and read with ``torch.load(..., weights_only=True)``;
    the torch objects are rebuilt from their classes and parameters. A model
    file names each class and function by its import path: the code must be
    importable where the file is loaded, and a user's own module class (of a
    :class:`~skdl.neural_net.NetClassifier`) is a foreign type that the
    reader trusts by name (``load_model(path, trusted=[...])``).

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdl.neural_net import MLPNetClassifier
    >>> from skdl.report import load_model, save_model
    >>> X = np.random.RandomState(0).randn(40, 3)
    >>> y = (X[:, 0] > 0).astype(int)
    >>> model = make_pipeline(
    ...     StandardScaler(), MLPNetClassifier(max_epochs=2, random_state=0)
    ... ).fit(X, y)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_model(model, f"{folder}/model.skops")
    ...     loaded = load_model(path)
    >>> np.array_equal(loaded.predict_proba(X), model.predict_proba(X))
    True
    """
    sio = import_skops("save_model")
    buffer = io.BytesIO()
    sio.dump(_portable(estimator), buffer)
    metadata = {"format": FORMAT, "versions": _versions()}
    metadata["python"] = platform.python_version()
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(METADATA, json.dumps(metadata, indent=2))
    path = Path(path)
    path.write_bytes(buffer.getbuffer())
    return path


def load_model(path: str | os.PathLike[str], *, trusted: Any = ()) -> Any:
    """Load a model file written by :func:`save_model`.

    No pickled object is loaded: skops builds the estimator from the file's
    typed tree once every type in it is trusted, and the nets' weights are
    read with ``torch.load(..., weights_only=True)``, which accepts tensors and
    plain containers only. The trusted types are those of
    :func:`skdl_trusted_types` plus ``trusted``; any other type in the file
    stops the loading before anything is built. A model saved on a GPU loads
    on a machine without one, on the CPU.

    Parameters
    ----------
    path : str or path-like
        The model file.
    trusted : sequence of str or type, default=()
        Further types to trust, by fully qualified name or as the type
        itself, such as the class of your own torch module
        (``"mypackage.models.MyNet"``). Review them first: a trusted type is
        built from the file's data.

    Returns
    -------
    estimator : object
        The fitted estimator.

    Raises
    ------
    skops.io.exceptions.UntrustedTypesFoundException
        If the file holds a type that is neither trusted by skops, nor on
        skdl's allow-list, nor in ``trusted``.

    Warns
    -----
    SkdlWarning
        When the file was written with another version of skdl, scikit-learn,
        torch, skorch or skops than the running one (both are named), and when
        a model saved on a GPU is loaded on the CPU.

    See Also
    --------
    save_model : Write a model file.
    skdl_trusted_types : The types of a model file that skdl trusts.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from skdl.neural_net import MLPNetRegressor
    >>> from skdl.report import load_model, save_model
    >>> X = np.random.RandomState(0).randn(40, 3)
    >>> reg = MLPNetRegressor(max_epochs=2, random_state=0).fit(X, X[:, 0])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     loaded = load_model(save_model(reg, f"{folder}/model.skops"))
    >>> np.array_equal(loaded.predict(X), reg.predict(X))
    True
    """
    sio = import_skops("load_model")
    _check_versions(path)
    names = [t if isinstance(t, str) else _name(t) for t in trusted]
    return sio.load(path, trusted=[*skdl_trusted_types(path), *names])


# ---------------------------------------------------------------- the report
def sha256(path: str | os.PathLike[str]) -> str:
    """Return the hex SHA-256 digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_model_file(estimator: Any, directory: Path) -> dict[str, Any]:
    """Save ``estimator`` as ``directory / MODEL_FILE``; return its record.

    The record (``results.json``'s ``model_file``) holds the file's name,
    SHA-256 and size, the estimator's class and the versions the file records.
    """
    path = save_model(estimator, directory / MODEL_FILE)
    return {
        "name": MODEL_FILE,
        "sha256": sha256(path),
        "bytes": path.stat().st_size,
        "estimator": type(estimator).__name__,
        "versions": _versions(),
    }


def model_file_section(result: Any, record: dict[str, Any]) -> list[str]:
    """Return the Markdown lines of the model card's "Model file" section."""
    versions = ", ".join(f"{k} {v}" for k, v in record["versions"].items())
    return [
        "## Model file",
        f"- `{record['name']}`: the search of `{result.winner}` "
        f"(`{record['estimator']}`) refitted on all "
        f"{result.protocol['n_samples']} samples. SHA-256 `{record['sha256']}`.",
        f'- Load it with `skdl.report.load_model("{record["name"]}")` '
        "(`pip install skdl[share]`): it loads only the types skdl vouches for, "
        "never a pickled object, and warns when a library's version differs "
        "from the one that saved it.",
        f"- Saved with {versions}.",
        f"- {_target_sentence(result)}",
    ]


def _target_sentence(result: Any) -> str:
    """Say what the refitted model predicts: compare fits the encoded target."""
    classes = [str(c) for c in np.asarray(result.classes).tolist()]
    if result.task == "binary":
        return (
            f"It predicts 1 for `{classes[1]}` and 0 for `{classes[0]}`; "
            f"`predict_proba(X)[:, 1]` is the score of `{classes[1]}`."
        )
    if result.task == "multiclass":
        shown = ", ".join(f"`{c}`" for c in classes)
        return f"It predicts the index of a class in [{shown}]."
    return "It predicts the target's values."


# ---------------------------------------------------------------- allow-list
def _name(obj: Any) -> str:
    """Return the name skops gives a type or function: ``module.name``."""
    return f"{obj.__module__}.{obj.__name__}"


@cache
def _allowed() -> frozenset[str]:
    """Return the types skdl trusts in a model file, on top of skops' own."""
    return frozenset(
        [
            *_skdl_types(),
            *_torch_types(),
            *_skorch_types(),
            *_sklearn_types(),
            # skops reads a dtype from an empty .npy array without pickle, but
            # does not trust the type by default (a multilabel net's labels).
            _name(np.dtype),
            _name(partial),  # skorch's optimizer setters; the function is checked
            _name(_NetState),
            _name(_TensorState),
        ]
    )


def _public(module: Any, keep: Any = lambda obj: isinstance(obj, type)) -> list[str]:
    return [_name(obj) for n in module.__all__ if keep(obj := getattr(module, n))]


def _skdl_types() -> list[str]:
    """List skdl's estimators, modules, callbacks, splitters, encoders, scorer."""
    import skdl.callbacks
    import skdl.imbalance
    import skdl.metrics
    import skdl.model_selection
    import skdl.nn
    import skdl.preprocessing
    from skdl.utils.discovery import all_estimators

    names = [_name(cls) for _, cls in all_estimators()]
    for module in (skdl.callbacks, skdl.imbalance, skdl.nn, skdl.preprocessing):
        names += _public(module)
    names += _public(skdl.model_selection, lambda obj: hasattr(obj, "split"))
    return [*names, _name(skdl.metrics.FDRScorer), *_SKDL_PRIVATE]


def _torch_types() -> list[str]:
    """List torch's device, the criteria skdl uses and the optimizers."""
    optimizers = [getattr(torch.optim, n, None) for n in _TORCH_OPTIMIZERS]
    criteria = [torch.nn.CrossEntropyLoss, torch.nn.MSELoss, torch.nn.BCEWithLogitsLoss]
    return [_name(t) for t in [torch.device, *criteria, *optimizers] if t is not None]


def _skorch_types() -> list[str]:
    """List what a trained skorch net holds: history, callbacks, helpers."""
    from skorch import callbacks, dataset, history, setter, utils

    return [
        _name(t)
        for t in [
            history.History,
            dataset.Dataset,
            callbacks.EpochTimer,
            callbacks.PassthroughScoring,
            callbacks.EpochScoring,
            callbacks.EarlyStopping,
            setter.optimizer_setter,
            utils.to_numpy,
            utils._indexing_none,
            utils._indexing_other,
        ]
    ]


def _sklearn_types() -> list[str]:
    """List scikit-learn's splitters, and its and skdl's named scorers."""
    import sklearn.model_selection

    import skdl.metrics

    names = [_name(getattr(sklearn.model_selection, n)) for n in _SKLEARN_SPLITTERS]
    for scoring in skdl.metrics.get_scorer_names():
        scorer = skdl.metrics.get_scorer(scoring)
        names.append(_name(type(scorer)))
        function = getattr(scorer, "_score_func", None)
        if function is not None:
            names.append(_name(function))
    return [*names, *_SKLEARN_PRIVATE]


@cache
def _mapie_types() -> frozenset[str]:
    """Return the mapie types skdl's conformal adapters hold (mapie installed)."""
    try:
        from mapie.classification import SplitConformalClassifier
        from mapie.conformity_scores.utils import CONFORMITY_SCORES_STRING_MAP
        from mapie.regression import SplitConformalRegressor
    except ImportError:  # no conformal adapter can have been saved or loaded
        return frozenset()
    scores = [t for m in CONFORMITY_SCORES_STRING_MAP.values() for t in m.values()]
    names = [_name(t) for t in [SplitConformalClassifier, SplitConformalRegressor]]
    return frozenset([*names, *(_name(t) for t in scores), *_MAPIE_PRIVATE])


# ---------------------------------------------------------------- versions
def _versions() -> dict[str, str]:
    """Return the running versions of the libraries a model file records."""
    versions = {
        package: str(importlib.import_module(module).__version__)
        for package, module in _CHECKED.items()
    }
    versions["numpy"] = np.__version__
    return versions


def _check_versions(path: str | os.PathLike[str]) -> None:
    """Warn for each library whose version differs from the file's."""
    with zipfile.ZipFile(path) as archive:
        if METADATA not in archive.namelist():
            warnings.warn(
                f"{os.fspath(path)!r} does not record the versions that wrote it "
                "(it was not written by skdl.report.save_model): it may fail to "
                "load, or predict differently from the original model.",
                SkdlWarning,
                stacklevel=3,
            )
            return
        recorded = json.loads(archive.read(METADATA))["versions"]
    running = _versions()
    for package in _CHECKED:
        saved, now = recorded.get(package), running[package]
        if saved != now:
            warnings.warn(
                f"{os.fspath(path)!r} was saved with {package} {saved}; this is "
                f"{package} {now}. The model may fail to load or predict "
                f"differently; install {package}=={saved} to reproduce it exactly.",
                SkdlWarning,
                stacklevel=3,
            )


# ---------------------------------------------------------------- writing
def _portable(estimator: Any) -> Any:
    """Copy ``estimator`` with each skorch net and tensor replaced by its state.

    The copy goes through pickle in memory (the caller's live objects, never a
    file), whose ``persistent_id`` hook swaps nets and tensors on the way:
    every object pickle would reach is reached, and objects shared in the
    original (the history of a net and of its estimator) stay shared.
    """
    buffer = io.BytesIO()
    try:
        _SwappingPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(estimator)
    except (pickle.PicklingError, AttributeError, TypeError) as e:
        raise TypeError(
            f"save_model cannot save this {type(estimator).__name__}: {e}. A model "
            "file names each function and class by its import path, which a "
            "lambda or a function defined inside another has not; use a "
            "module-level function or a functools.partial of one."
        ) from e
    buffer.seek(0)
    return _SwappedUnpickler(buffer).load()


class _SwappingPickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, NeuralNet):
            return ("net", *_net_parts(obj))
        if isinstance(obj, torch.Tensor):
            return ("tensor", _torch_bytes(obj), str(obj.device))
        return None


class _SwappedUnpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        kind, *values = pid
        # Made without calling the class, whose call rebuilds the object.
        state = object.__new__(_NetState if kind == "net" else _TensorState)
        state.values = tuple(values)  # type: ignore[attr-defined]
        return state


def _torch_bytes(obj: Any) -> bytes:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def _torch_attributes(net: NeuralNet) -> list[str]:
    """Return the names of a net's modules, criteria and optimizers."""
    names = [f"{n}_" for n in [*net._modules, *net._criteria, *net._optimizers]]
    unknown = set(net.cuda_dependent_attributes_) - set(names)
    if unknown:
        raise TypeError(
            f"save_model cannot save a {type(net).__name__} that holds the torch "
            f"attributes {sorted(unknown)!r}: only a net's registered modules, "
            "criteria and optimizers are saved."
        )
    return names


def _net_parts(net: NeuralNet) -> tuple[str, dict[str, Any], bytes]:
    """Return a net's class name, plain attributes and torch state as bytes."""
    torch_names = _torch_attributes(net)
    attributes = {k: v for k, v in vars(net).items() if k not in torch_names}
    states = {}
    for name in torch_names:
        obj = getattr(net, name)
        obj = getattr(obj, "_orig_mod", obj)  # a compiled module's own state
        states[name] = obj.state_dict()
    return _name(type(net)), attributes, _torch_bytes(states)


# ---------------------------------------------------------------- reading
def _map_location(device: Any, *, warn: bool = True) -> torch.device:
    """Return the device to load onto: the saved one, or the CPU without CUDA.

    A net warns when it moves; its loose tensors (class weights, early
    stopping's best weights) follow it silently.
    """
    saved = torch.device("cpu" if device is None else device)
    if saved.type == "cuda" and not torch.cuda.is_available():
        if not warn:
            return torch.device("cpu")
        warnings.warn(
            f"The model was saved on {str(saved)!r}, but CUDA is not available "
            "here: it is loaded on the CPU.",
            SkdlWarning,
            stacklevel=2,
        )
        return torch.device("cpu")
    return saved


def _torch_load(data: bytes, location: torch.device) -> Any:
    return torch.load(io.BytesIO(data), map_location=location, weights_only=True)


def _restore_net(class_name: str, attributes: dict[str, Any], state: bytes) -> Any:
    """Rebuild a skorch net from a :class:`_NetState`'s values."""
    if class_name not in _NET_CLASSES:
        sio = import_skops("load_model")
        raise sio.exceptions.UntrustedTypesFoundException([class_name])
    module, _, name = class_name.rpartition(".")
    net_class = getattr(importlib.import_module(module), name)
    net = net_class.__new__(net_class)
    net.__dict__.update(attributes)
    location = _map_location(net.device)
    if torch.device(net.device) != location:
        net.device = str(location)
    states = _torch_load(state, location)
    # Building the modules draws initial weights, which the saved ones then
    # replace: the caller's random state is left as it was.
    with torch.random.fork_rng(devices=[]):
        net.initialize_module()
        net.initialize_criterion()
    for prefix in [*net._modules, *net._criteria]:
        torch_module = getattr(net, f"{prefix}_")
        if isinstance(torch_module, torch.nn.Module):
            torch_module.load_state_dict(states[f"{prefix}_"])
            torch_module = net.torch_compile(torch_module.to(location), prefix)
            setattr(net, f"{prefix}_", torch_module)
    net.initialize_optimizer()
    for prefix in net._optimizers:
        getattr(net, f"{prefix}_").load_state_dict(states[f"{prefix}_"])
    return net


class _NetState:
    """A skorch net in a model file (see the module docstring).

    ``save_model`` makes instances that hold ``values``: the net's class
    name, its attributes without the torch objects, and the ``torch.save``
    bytes of those objects' state dicts. skops stores them as the arguments
    of a call to this class, which returns the rebuilt net when loading.
    """

    values: tuple[Any, ...]

    def __new__(cls, class_name: str, attributes: dict[str, Any], state: bytes) -> Any:
        return _restore_net(class_name, attributes, state)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), self.values


class _TensorState:
    """A tensor in a model file: its ``torch.save`` bytes and its device."""

    values: tuple[Any, ...]

    def __new__(cls, data: bytes, device: str) -> Any:
        return _torch_load(data, _map_location(device, warn=False))

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), self.values
