"""recall_at_fdr_score against np.sort and precision_recall_curve, and StreamingFDR.

For each size, float32 scores with 1% positives (positives shifted up by 2 sd).
Times are medians over interleaved rounds, so machine drift hits every
contender alike; peak extra memory is measured with tracemalloc (numpy reports
its allocations to it) and given in bytes per score.

Targets: the exact metric at most as slow as ``np.sort`` of the scores (values
only) and at most 1 byte of extra memory per score from 1e7 scores on (issue
17; fixed costs such as the 2**16-bin histogram dominate below), at least 10x
faster than ``precision_recall_curve`` (issue 8); the streaming form over 1e8
scores in chunks of 1e7 exact (for quantised scores) with peak memory under
0.5 GB.

Run: ``.venv/bin/python benchmarks/bench_fdr.py [--sizes 1e6 1e7 1e8]``.
"""

import argparse
import gc
import platform
import time
import tracemalloc

import numpy as np
import sklearn
from sklearn.metrics import precision_recall_curve

import skdl
from skdl.metrics import StreamingFDR, recall_at_fdr_score

FDR = 0.1


def make_data(n, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n, dtype=np.float32) < 0.01).astype(np.int8)
    s = rng.standard_normal(n, dtype=np.float32)
    s += 2.0 * y
    return y, s


def sklearn_recall_at_fdr(y, s):
    precision, recall, _ = precision_recall_curve(y, s)
    return recall[(1 - precision) <= FDR].max()


def timed(fn):
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def peak_bytes(fn):
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def bench_size(n, rounds):
    y, s = make_data(n)
    contenders = {
        "np.sort (values)": lambda: np.sort(s),
        "recall_at_fdr_score": lambda: recall_at_fdr_score(y, s, fdr=FDR),
        "precision_recall_curve": lambda: sklearn_recall_at_fdr(y, s),
    }
    times = {name: [] for name in contenders}
    results = {}
    for _ in range(rounds):
        for name, fn in contenders.items():
            seconds, results[name] = timed(fn)
            times[name].append(seconds)
    assert results["recall_at_fdr_score"] == results["precision_recall_curve"]
    sort_t = np.array(times["np.sort (values)"])
    print(f"\nn = {n:.0e} ({n * 4 / 2**20:.0f} MiB of float32 scores), {rounds} rounds")
    print(f"{'contender':<24} {'median s':>9} {'vs np.sort':>10} {'peak B/score':>13}")
    for name, fn in contenders.items():
        t = np.array(times[name])
        ratio = float(np.median(t / sort_t))
        peak = peak_bytes(fn) / n
        print(f"{name:<24} {np.median(t):9.3f} {ratio:9.2f}x {peak:13.1f}")
    ours = np.array(times["recall_at_fdr_score"])
    prc = np.array(times["precision_recall_curve"])
    speedup = float(np.median(prc / ours))
    ratio = float(np.median(ours / sort_t))
    memory = peak_bytes(contenders["recall_at_fdr_score"]) / n
    if n >= 10**7:
        fast, lean = ratio <= 1.0, memory <= 1.0
        sort_target = f"{ratio:.2f}x np.sort <= 1.0x {'OK' if fast else 'MISSED'}"
        memory_target = f"{memory:.2f} B/score <= 1 {'OK' if lean else 'MISSED'}"
    else:
        sort_target = f"{ratio:.2f}x np.sort (target from 1e7 scores)"
        memory_target = f"{memory:.2f} B/score (target from 1e7 scores)"
    print(
        f"targets: {sort_target}; {speedup:.1f}x faster than precision_recall_curve "
        f">= 10x {'OK' if speedup >= 10 else 'MISSED'}; {memory_target}"
    )
    return y, s


def bench_streaming(n, chunk):
    print(f"\nStreamingFDR over {n:.0e} scores in chunks of {chunk:.0e}")
    for label, dtype in (("float16-quantised", np.float16), ("float32", np.float32)):
        gc.collect()
        tracemalloc.start()
        tracemalloc.reset_peak()
        start = time.perf_counter()
        acc = StreamingFDR()
        for i, lo in enumerate(range(0, n, chunk)):
            y, s = make_data(min(chunk, n - lo), seed=1000 + i)  # e.g. one chromosome
            acc.update(y, s.astype(dtype))
            del y, s
        low, high = acc.recall_at_fdr_bounds(FDR)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{label:<18} recall at {FDR:.0%} FDR in [{low:.6f}, {high:.6f}] "
            f"(width {high - low:.2e}); {seconds:.1f} s including data generation; "
            f"peak {peak / 2**20:.0f} MiB "
            f"{'OK' if peak < 0.5 * 2**30 else 'MISSED'} (< 512 MiB)"
        )
    # Exactness: the same chunks (same seeds), quantised, held in memory at once.
    acc = StreamingFDR()
    ys, ss = [], []
    for i, lo in enumerate(range(0, n, chunk)):
        y, s = make_data(min(chunk, n - lo), seed=1000 + i)
        s = s.astype(np.float16)
        acc.update(y, s)
        ys.append(y)
        ss.append(s)
    y_all, s_all = np.concatenate(ys), np.concatenate(ss)
    del ys, ss
    exact = recall_at_fdr_score(y_all, s_all, fdr=FDR)
    streamed = acc.recall_at_fdr(FDR)
    print(
        f"exactness on all {n:.0e} float16-quantised scores: streamed {streamed!r} vs "
        f"exact recall_at_fdr_score {exact!r}: "
        f"{'EQUAL' if streamed == exact else 'DIFFERENT'}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e6, 1e7, 1e8])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stream-size", type=float, default=1e8)
    parser.add_argument("--chunk", type=float, default=1e7)
    args = parser.parse_args()
    print(
        f"skdl {skdl.__version__} | numpy {np.__version__} | scikit-learn "
        f"{sklearn.__version__} | python {platform.python_version()} | "
        f"{platform.machine()}"
    )
    for size in args.sizes:
        n = int(size)
        bench_size(n, rounds=args.rounds if n <= 10**7 else 1)
    bench_streaming(int(args.stream_size), int(args.chunk))


if __name__ == "__main__":
    main()
