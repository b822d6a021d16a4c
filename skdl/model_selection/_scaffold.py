"""Scaffold splits for molecules: no ring system on both sides of a split."""

from __future__ import annotations

from collections.abc import Iterator
from numbers import Integral, Real
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.csgraph import connected_components
from sklearn.model_selection import BaseCrossValidator
from sklearn.utils import check_consistent_length, column_or_1d

from skdl.model_selection._folds import balanced_group_folds
from skdl.utils._optional import import_rdkit
from skdl.utils._sklearn import Interval, StrOptions, validate_parameter_constraints


class ScaffoldKFold(BaseCrossValidator):
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
        params = {name: getattr(self, name) for name in self._parameter_constraints}
        validate_parameter_constraints(
            self._parameter_constraints, params, type(self).__name__
        )
        import_rdkit("ScaffoldKFold")
        from rdkit import Chem, rdBase
        from rdkit.Chem.Scaffolds import MurckoScaffold

        molecules = np.asarray(X, dtype=object)
        if molecules.ndim == 2 and molecules.shape[1] == 1:
            molecules = molecules[:, 0]
        if molecules.ndim != 1:
            raise ValueError(
                "ScaffoldKFold: X must be a 1-D array of SMILES or molecules; got "
                f"shape {molecules.shape}."
            )
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
            group_array = np.asarray(column_or_1d(groups))
            check_consistent_length(scaffolds, group_array)
            _, first_g, inverse_g = np.unique(
                group_array, return_index=True, return_inverse=True
            )
            _, first_s = np.unique(labels, return_index=True)
            rows = np.r_[np.arange(n), np.arange(n)]
            cols = np.r_[first_s[labels], first_g[inverse_g.ravel()]]
            graph = sp.coo_matrix((np.ones(2 * n), (rows, cols)), shape=(n, n))
            n_groups, labels = connected_components(graph, directed=False)
            return labels, int(n_groups)
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
        labels, n_groups = self._groups(X, groups)
        self.n_groups_ = n_groups
        folds = balanced_group_folds(
            labels,
            n_groups,
            self.n_splits,
            balance=self.balance,
            y=y,
            pos_label=self.pos_label,
            caller="ScaffoldKFold",
        )
        for fold in folds:
            test = np.isin(labels, fold)
            yield np.flatnonzero(~test), np.flatnonzero(test)

    def get_n_splits(
        self, X: Any = None, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> int:
        """Return the number of folds, ``n_splits``.

        Parameters
        ----------
        X : object
            Always ignored, exists for compatibility.
        y : object
            Always ignored, exists for compatibility.
        groups : object
            Always ignored, exists for compatibility.

        Returns
        -------
        n_splits : int
            The number of folds.
        """
        return self.n_splits
