"""Homology-aware splitting (SimilarityGroupKFold) from 5,000 to 50,000 sequences.

Sequences of length 200: 80% random DNA, 20% copies of other sequences with 5%
of positions mutated and half of them reverse-complemented (homologous
families). Reports the time and peak traced memory of computing the clusters
and folds, and how both grow with n (all pairs are compared exactly, so the
worst case is quadratic; the sparse k-mer product keeps the typical case close
to linear).

Run: ``.venv/bin/python benchmarks/bench_similarity_split.py [--sizes ...]``.
"""

import argparse
import gc
import platform
import time
import tracemalloc

import numpy as np
import scipy

import skdl
from skdl.model_selection import SimilarityGroupKFold

COMPLEMENT = str.maketrans("ACGT", "TGCA")


def make_sequences(n, length=200, seed=0):
    rng = np.random.default_rng(seed)
    letters = np.array(list("ACGT"))
    n_random = int(0.8 * n)
    seqs = ["".join(letters[rng.integers(0, 4, length)]) for _ in range(n_random)]
    for _ in range(n - n_random):
        copy = np.array(list(seqs[rng.integers(0, len(seqs))]))
        mutate = rng.random(length) < 0.05
        copy[mutate] = letters[rng.integers(0, 4, mutate.sum())]
        text = "".join(copy)
        seqs.append(text.translate(COMPLEMENT)[::-1] if rng.random() < 0.5 else text)
    return np.array(seqs, dtype=object)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[5000, 10000, 20000, 50000]
    )
    parser.add_argument("--k", type=int, default=12)
    parser.add_argument("--threshold", type=float, default=0.1)
    args = parser.parse_args()
    print(
        f"skdl {skdl.__version__} | numpy {np.__version__} | scipy {scipy.__version__} "
        f"| python {platform.python_version()} | k={args.k} threshold={args.threshold}"
    )
    header = ("n", 7), ("seconds", 8), ("peak MiB", 9), ("clusters", 9)
    print(" ".join(f"{name:>{width}}" for name, width in header), "time x  mem x")
    previous = None
    for n in args.sizes:
        seqs = make_sequences(n)
        cv = SimilarityGroupKFold(n_splits=5, threshold=args.threshold, k=args.k)
        gc.collect()
        tracemalloc.start()
        start = time.perf_counter()
        folds = list(cv.split(seqs))
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert sorted(np.concatenate([t for _, t in folds])) == list(range(n))
        growth = ""
        if previous is not None:
            growth = f"{seconds / previous[1]:7.2f} {peak / previous[2]:6.2f}"
        print(f"{n:7d} {seconds:8.2f} {peak / 2**20:9.0f} {cv.n_clusters_:9d} {growth}")
        previous = (n, seconds, peak)
    print("(time x / mem x: growth from the previous size)")


if __name__ == "__main__":
    main()
