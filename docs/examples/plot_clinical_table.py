"""
Compare models on a mixed-type clinical table
=============================================

A real clinical table is rarely a clean numeric matrix. This example uses the
ACTG 320 AIDS trial (Hammer et al., 1997): 1,151 patients, eight nominal
columns stored as text codes and three numeric ones, and a rare binary outcome
(an AIDS-defining event or death during follow-up, 8% of patients). To show
how :func:`~skdl.comparison.compare` handles the usual blemishes, we add two of
them ourselves: blank cells in the CD4 count and a patient-ID column.

:func:`~skdl.comparison.compare` then tunes a logistic regression, histogram
gradient boosting and an MLP net with the same nested cross-validation and
the same number of configurations each. Every candidate of the default
tabular panel starts with :func:`~skdl.comparison.make_tabular_preprocessor`,
so text columns and missing values need no work by hand.
"""

# %%
# Read the trial table
# --------------------
# The ARFF file ships inside the scikit-survival wheel; we read it with SciPy
# without importing scikit-survival. The follow-up times and the death
# indicator are left out: they are recorded after the fact and would leak the
# outcome.

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.io import arff
from sklearn.model_selection import StratifiedKFold

from skdl.comparison import compare, default_candidates, screen_columns
from skdl.report import plot_fold_scores

package = importlib.util.find_spec("sksurv").submodule_search_locations[0]
data, meta = arff.loadarff(Path(package) / "datasets" / "data" / "actg320.arff")
table = pd.DataFrame(data)
for name in meta.names():
    kind, levels = meta[name]
    if kind == "nominal":  # bytes in the file; text categories here
        text = table[name].str.decode("ascii")
        table[name] = pd.Categorical(text, categories=list(levels))

y = table["censor"].astype(int)  # 1 = AIDS-defining event or death
strata = table["strat2"].astype(str)  # CD4 stratum of the randomisation
X = table.drop(columns=["censor", "time", "time_d", "censor_d"])
print(f"{X.shape[0]} patients, {y.sum()} events ({y.mean():.1%})")
print(X.dtypes.astype(str).to_string())

# %%
# Add two realistic blemishes
# ---------------------------
# A tenth of the CD4 counts are blanked, as empty cells in a spreadsheet read
# back as ``NaN``, and a patient-ID column comes first, as in most exports.

rng = np.random.default_rng(0)
X["cd4"] = X["cd4"].mask(rng.random(len(X)) < 0.1)
X.insert(0, "patient_id", [f"ACTG-{i:05d}" for i in rng.permutation(len(X)) + 1])
print(X.head().to_string())
print(f"\nblank CD4 cells: {X['cd4'].isna().sum()}")

# %%
# Screen the columns before fitting anything
# ------------------------------------------
# :func:`~skdl.comparison.screen_columns` looks at each column on its own.
# Given the randomisation strata as ``groups``, it flags two columns: the
# patient ID, and ``strat2``, which *is* the strata under another name.

for flag in screen_columns(X, y.to_numpy(), task="binary", groups=strata.to_numpy()):
    print(f"{flag.column}: {flag.kind} ({flag.detail})")

# %%
# Three candidates of the default panel
# -------------------------------------
# :func:`~skdl.comparison.default_candidates` builds each candidate's
# preprocessing from ``X``'s column types: median imputation with a
# missing-value indicator and scaling for numbers, one-hot codes for text
# (gradient boosting takes missing values and categories natively). We keep
# three of its seven candidates and cap the net at 40 epochs so that this
# example runs in seconds.

panel = default_candidates("tabular", task="binary", X=X, random_state=0, max_epochs=40)
candidates = {
    name: panel[name]
    for name in ("LogisticRegression", "HistGradientBoosting", "MLPNet")
}

# %%
# Strata are not groups here
# --------------------------
# Passed as ``groups``, the two strata would be left out one at a time: two
# outer folds, each training on a single stratum, in which grouped inner
# folds have nothing to split. :func:`~skdl.comparison.compare` refuses
# before fitting anything:

try:
    compare(candidates, X, y, groups=strata, cv=2, inner_cv=2, n_iter=3)
except ValueError as error:
    print(error)

# %%
# Nor do the strata need to be kept whole: each patient appears once, so no
# patient can sit on both sides of a split. We use the strata the way the
# trial did instead, to balance the folds: the outer folds are stratified on
# the outcome within each CD4 stratum.

event_by_stratum = y.astype(str) + "/" + strata
folds = list(
    StratifiedKFold(3, shuffle=True, random_state=0).split(X, event_by_stratum)
)

# %%
# Compare them
# ------------
# Each candidate is tuned with three configurations on two inner folds within
# each of the three outer folds. The patient ID stays in, to see what
# :func:`~skdl.comparison.compare` says about it.

result = compare(candidates, X, y, cv=folds, inner_cv=2, n_iter=3, random_state=0)
print(result.summary())

# %%
# What the comparison shows
# -------------------------
# The primary score is auPRC (average precision); with 8% events, a model
# that ranks patients at random scores about 0.08, and all three candidates
# score two to three times that. The logistic regression has the best mean
# auPRC and the net is close behind, but no candidate is significantly better
# than the others over three outer folds: a tie, not a winner.
#
# Gradient boosting has by far the largest train-tune gap. The chosen
# configurations' mean auPRC on the inner training and tuning folds:

print(
    pd.DataFrame(
        {
            "inner training": {n: result.train_score[n].mean() for n in result.names},
            "inner tuning": {n: result.tune_score[n].mean() for n in result.names},
        }
    ).round(3)
)

# %%
# Gradient boosting fits its training folds perfectly and ranks held-out
# patients worse than the linear model, a common picture on a small table
# with a few informative columns.
#
# The recall columns of the summary are the sobering part: at 5%, 10% or
# even 20% false discovery rate, the models recover essentially no events
# (one patient in one fold, by gradient boosting). None of them finds a group
# of patients, beyond a single one, in which at least four in five have the
# event: baseline covariates rank the risk, they do not pin it down.
#
# The plot shows the two ranking scores on each outer fold.

figure = plot_fold_scores(result, ["average_precision", "roc_auc"])

# %%
# The flagged ID
# --------------
# The patient ID was flagged with a warning and kept, as ``result.flags``
# records (the summary repeats it):

print(result.flags)

# %%
# ``skdl compare --drop patient_id`` on the command line, or dropping the
# column in Python, leaves it out before anything else; the screen then finds
# nothing. Here the ID did little harm: each value is seen once, so the
# encoders put all of them in the single "infrequent" level, a constant
# column. A numeric ID (an enrolment number, say) would have reached every
# model as a number.

flagged = [flag.column for flag in result.flags]
X_clean = X.drop(columns=flagged)
print(screen_columns(X_clean, y.to_numpy(), task="binary"))
