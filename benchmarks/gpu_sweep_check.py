"""GPU check: a search with device="auto" gives the same results on 1 and 2 workers.

Run on a CUDA machine: ``python benchmarks/gpu_sweep_check.py``. Prints the
device each worker resolved and whether ``cv_results_`` scores are identical.
"""

import numpy as np
import torch
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skdl.neural_net import ConvNetClassifier


def main():
    rng = np.random.RandomState(0)
    X = np.eye(4, dtype=np.float32)[rng.randint(0, 4, (2000, 100))].transpose(0, 2, 1)
    y = (X[:, 0, 40:60].sum(axis=1) > 6).astype(int)
    grid = {"filters": [(16,), (32,)], "lr": [1e-3, 3e-3]}
    results = {}
    for n_jobs in (1, 2):
        search = GridSearchCV(
            ConvNetClassifier(max_epochs=5, device="auto", random_state=0),
            grid,
            cv=StratifiedKFold(3, shuffle=True, random_state=0),
            scoring="average_precision",
            n_jobs=n_jobs,
        ).fit(X, y)
        results[n_jobs] = search.cv_results_
        print(
            f"n_jobs={n_jobs}: best device {search.best_estimator_.net_.device}, "
            f"mean scores {np.round(search.cv_results_['mean_test_score'], 4)}"
        )
    same = all(
        np.array_equal(results[1][k], results[2][k])
        for k in results[1]
        if "test_score" in k
    )
    print(
        f"torch {torch.__version__}, {torch.cuda.get_device_name(0)}; "
        f"identical cv_results_ scores for n_jobs=1 and 2: {same}"
    )


if __name__ == "__main__":
    main()
