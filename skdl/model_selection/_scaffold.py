"""Scaffold splits for molecules: no ring system on both sides of a split."""

from __future__ import annotations

from collections.abc import Iterator
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skdl.model_selection._folds import (
    GroupFolds,
    connected_groups,
    one_column,
    validate_splitter_params,
)
from skdl.utils._optional import import_rdkit
from skdl.utils._sklearn import Interval, StrOptions


class ScaffoldKFold(GroupFolds):
    """K folds in which molecules sharing a Bemis-Murcko scaffold stay together.

    Analogues built on one ring system share most of their properties; a model
    tested on analogues of its training molecules looks far better than on new
    chemistry. Molecules are grouped by their Bemis-Murcko scaffold (RDKit),
    optionally made generic (all atoms carbon, all bonds single), and whole
    scaffolds are assigned to balanced folds.

    Acyclic molecules have an empty scaffold. The ``acyclic`` rule decides: with
    ``"singleton"`` each is its own group (chains share no ring system); with
    ``"together"`` they all form one group (the conservative choice when the
    data hold many similar chains, as in solubility sets).

    Needs RDKit: ``pip install skdl[chem]``.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds.
    acyclic : {"singleton", "together"}, default="singleton"
        Grouping of molecules without rings, see above.
    generic : bool, default=False
        Use generic scaffolds (coarser groups).
    balance : {"samples", "positives"}, default="samples"
        What to balance across folds; ``"positives"`` needs ``y``.
    pos_label : int, float, bool or str, default=1
        Label counted as positive.

    Attributes
    ----------
    n_groups_ : int
        Number of scaffold groups found by the last call to ``split``.

    Examples
    --------
    >>> from skdl.model_selection import ScaffoldKFold
    >>> smiles = ["c1ccccc1O", "c1ccccc1N", "C1CCCCC1O", "CCO", "CCCO", "C1CC1C"]
    >>> cv = ScaffoldKFold(n_splits=2)
    >>> cv.scaffolds(smiles).tolist()
    ['c1ccccc1', 'c1ccccc1', 'C1CCCCC1', '', '', 'C1CC1']
    >>> [sorted(test.tolist()) for _, test in cv.split(smiles)]
    [[0, 1, 5], [2, 3, 4]]
    """

    _parameter_constraints: dict[str, list[Any]] = {
        "n_splits": [Interval(Integral, 2, None, closed="left")],
        "acyclic": [StrOptions({"singleton", "together"})],
        "generic": ["boolean"],
        "balance": [StrOptions({"positives", "samples"})],
        "pos_label": [Real, str, "boolean"],
    }

    def __init__(
        self,
        n_splits: int = 5,
        *,
        acyclic: str = "singleton",
        generic: bool = False,
        balance: str = "samples",
        pos_label: Any = 1,
    ) -> None:
        self.n_splits = n_splits
        self.acyclic = acyclic
        self.generic = generic
        self.balance = balance
        self.pos_label = pos_label

    def scaffolds(self, X: Any) -> NDArray[np.object_]:
        """Bemis-Murcko scaffold SMILES of each molecule ('' when acyclic).

        Parameters
        ----------
        X : array-like of shape (n_samples,)
            SMILES strings or RDKit molecules (or one column of them).

        Returns
        -------
        scaffolds : ndarray of str
            Canonical scaffold SMILES.
        """
        validate_splitter_params(self)
        import_rdkit("ScaffoldKFold")
        from rdkit import Chem, rdBase
        from rdkit.Chem.Scaffolds import MurckoScaffold

        molecules = one_column(X, "ScaffoldKFold", "SMILES or molecules")
        out = np.empty(len(molecules), dtype=object)
        # Invalid SMILES get a clear error below; silence RDKit's own log lines.
        silence = rdBase.BlockLogs()
        try:
            for i, item in enumerate(molecules):
                mol = Chem.MolFromSmiles(item) if isinstance(item, str) else item
                if mol is None or not isinstance(mol, Chem.Mol):
                    raise ValueError(
                        f"ScaffoldKFold: molecule {i} ({item!r}) is not a valid "
                        "SMILES string or RDKit molecule."
                    )
                core = MurckoScaffold.GetScaffoldForMol(mol)
                if self.generic and core.GetNumAtoms():
                    core = MurckoScaffold.MakeScaffoldGeneric(core)
                out[i] = Chem.MolToSmiles(core) if core.GetNumAtoms() else ""
        finally:
            del silence
        return out

    def _groups(self, X: Any, groups: ArrayLike | None) -> tuple[NDArray[np.intp], int]:
        scaffolds = self.scaffolds(X)
        n = len(scaffolds)
        keys = scaffolds.copy()
        if self.acyclic == "singleton":
            acyclic = np.flatnonzero(scaffolds == "")
            keys[acyclic] = [f"\x00acyclic-{i}" for i in acyclic]
        _, labels = np.unique(keys.astype(str), return_inverse=True)
        labels = labels.ravel()
        if groups is not None:
            _, first = np.unique(labels, return_index=True)
            return connected_groups(
                n, np.arange(n), first[labels], groups, "ScaffoldKFold"
            )
        return labels, int(labels.max()) + 1

    def split(
        self, X: Any, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        """Yield (train, test) index arrays, one pair per fold.

        Parameters
        ----------
        X : array-like of shape (n_samples,)
            SMILES strings or RDKit molecules.
        y : array-like of shape (n_samples,), default=None
            Labels; needed for ``balance="positives"``.
        groups : array-like of shape (n_samples,), default=None
            Extra groups kept together with the scaffolds.

        Yields
        ------
        train : ndarray of int
            Training molecules.
        test : ndarray of int
            Test molecules; no test scaffold occurs in training.
        """
        labels, self.n_groups_ = self._groups(X, groups)
        yield from self._split_groups(labels, self.n_groups_, y)
