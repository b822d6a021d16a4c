"""
Tune a deep net and a baseline with the same search
===================================================

A deep net tuned harder than its baseline wins for the wrong reason. Here one
``GridSearchCV`` configuration (same group-aware splitter, same scoring, same
number of configurations) tunes an :class:`~skdl.neural_net.MLPNetClassifier`
and a logistic regression on the Wisconsin breast-cancer data, with the samples
assigned to 10 pseudo-patients as groups.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skdl.neural_net import MLPNetClassifier

X, y = load_breast_cancer(return_X_y=True)
groups = np.arange(len(y)) % 10

pipe = Pipeline([("scale", StandardScaler()), ("model", LogisticRegression())])
grid = [
    {
        "model": [MLPNetClassifier(max_epochs=30, random_state=0)],
        "model__hidden_layer_sizes": [(16,), (64,)],
        "model__lr": [1e-3, 1e-2],
    },
    {
        "model": [LogisticRegression(max_iter=5000)],
        "model__C": [0.01, 0.1, 1.0, 10.0],
    },
]
search = GridSearchCV(pipe, grid, scoring="average_precision", cv=GroupKFold(5))
search.fit(X, y, groups=groups)

names = [type(p["model"]).__name__ for p in search.cv_results_["params"]]
scores = search.cv_results_["mean_test_score"]
errors = search.cv_results_["std_test_score"]

fig, ax = plt.subplots(figsize=(6, 3))
colors = ["tab:orange" if n.startswith("MLP") else "tab:blue" for n in names]
ax.bar(range(len(scores)), scores, yerr=errors, color=colors)
ax.set_xticks(range(len(scores)), [f"{n[:3]} {i}" for i, n in enumerate(names)])
ax.set_ylim(0.9, 1.0)
ax.set_ylabel("CV average precision")
ax.set_title("Same search, same budget: MLP (orange) vs logistic (blue)")
fig.tight_layout()
plt.show()
