"""in_silico_mutagenesis against predict_log_proba on the same stacked mutants.

Three fitted models, each scoring every single-letter substitution of ``--n``
held-out sequences of length 200 (``n x 200 x 3`` mutants, 30,000 for n=50):

- ``pipeline``: ``Pipeline(SequenceOneHotEncoder(), ConvNetClassifier(
  filters=(32,), kernel_size=15, reverse_complement=None, max_epochs=2))``
  fitted on simulated motif sequences (``simulate_motif_sequences``), given
  raw sequences;
- ``bare net``: the same fitted ConvNetClassifier given one-hot ``(n, 4, 200)``;
- ``k-mer``: ``CountVectorizer(analyzer="char", ngram_range=(1, 4))`` and
  ``LogisticRegression`` on raw sequences.

The reference stacks all the mutants at once (as text, or one-hot for the bare
net; building them is not timed) and times ``predict_log_proba`` on them, the
method ``in_silico_mutagenesis`` reads (``--predict-proba`` times
``predict_proba`` too, for information). ISM is timed end to end. Contenders
run interleaved for ``--repeats`` rounds; each ratio is min ISM time / min
reference time (the median of the per-round paired ratios, and the ratio of
the processes' CPU times, which other processes on a shared machine disturb
less, are printed beside it), so only the printed ratios are meaningful across
machines. The script asserts that ISM's mutant scores equal the reference's
log-odds (log p1 - log p0) to 1e-6 for every mutant, so both sides do the same
work.

Peak memory of ISM is measured with tracemalloc (numpy reports its
allocations to it; torch's own tensors inside the network's forward pass are
not traced, and are bounded by the net's prediction batch anyway) with a fixed
``--memory-batch-size``, for ``--memory-n`` and twice as many sequences, and
set against the stacked mutants' one-hot (``n x 200 x 3`` rows of ``4 x 200``
float32). The peak with the default ``batch_size="auto"`` (scikit-learn's
``working_memory``) is printed for the pipeline too. The result arrays
(``mutant_scores``, ``effects``, ``reference``: each ``n x 4 x 200`` float64,
plus ``position_effects``) grow with n unavoidably and are reported
separately; the rest of the peak is the working memory.

Targets (issue: in-silico mutagenesis): ISM time within 1.25x of
predict_log_proba on the stacked mutants; peak memory bounded by the batch of
mutants, not by ``n x length x alphabet``.

Run: ``.venv/bin/python benchmarks/bench_inspection.py`` (``--n 10`` for a quick
smaller run; ``--threads 1`` on a busy shared machine, where torch's threads
compete with other processes and identical calls vary by 25% or more;
``--help`` for options).
"""

import argparse
import gc
import platform
import time
import tracemalloc
import warnings

import numpy as np
import sklearn
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

import skdl
from skdl.datasets import simulate_motif_sequences
from skdl.inspection import in_silico_mutagenesis
from skdl.neural_net import ConvNetClassifier
from skdl.preprocessing import SequenceOneHotEncoder

LETTERS = "ACGT"
TIME_TARGET = 1.25


def interleaved(repeats, contenders):
    """Run the contenders in turn, ``repeats`` rounds.

    Interleaving makes slow drifts of a shared machine hit every contender alike.
    Return the wall and CPU times per contender and each one's last result.
    """
    wall = {name: [] for name in contenders}
    cpu = {name: [] for name in contenders}
    results = {}
    for _ in range(repeats):
        for name, fn in contenders.items():
            results[name] = None
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            results[name] = fn()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return (
        {name: np.array(t) for name, t in wall.items()},
        {name: np.array(t) for name, t in cpu.items()},
        results,
    )


def peak_bytes(fn):
    """Peak traced bytes during ``fn()`` above what was allocated before it."""
    gc.collect()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - base, result


def result_bytes(ism):
    return sum(v.nbytes for v in ism.values() if isinstance(v, np.ndarray))


def mutant_index(sequences):
    """``(sequence, position, letter)`` of every substitution, in ISM's order."""
    codes = np.frombuffer(LETTERS.encode("ascii"), dtype=np.uint8)
    text = np.asarray(sequences).astype(f"S{len(sequences[0])}")
    raw = text.view(np.uint8).reshape(len(sequences), -1)
    lookup = np.full(256, -1, dtype=np.intp)
    lookup[codes] = np.arange(len(codes))
    ref = lookup[raw]
    assert (ref >= 0).all(), "the benchmark expects plain ACGT sequences"
    seq, pos, letter = np.nonzero(np.arange(len(codes)) != ref[:, :, None])
    return raw, codes, seq, pos, letter


def stacked_text(sequences):
    raw, codes, seq, pos, letter = mutant_index(sequences)
    out = raw[seq].copy()
    out[np.arange(len(seq)), pos] = codes[letter]
    return out.view(f"S{raw.shape[1]}").ravel().astype(str)


def stacked_one_hot(one_hot, sequences):
    _, _, seq, pos, letter = mutant_index(sequences)
    out = one_hot[seq].copy()
    rows = np.arange(len(seq))
    out[rows, :, pos] = 0.0
    out[rows, letter, pos] = 1.0
    return out


def check_same_work(ism, log_proba, sequences):
    """ISM's mutant scores must be the reference's log-odds, mutant by mutant."""
    _, _, seq, pos, letter = mutant_index(sequences)
    expected = log_proba[:, 1] - log_proba[:, 0]
    got = ism.mutant_scores[seq, letter, pos]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)
    return float(np.max(np.abs(got - expected)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="sequences to mutate")
    parser.add_argument("--length", type=int, default=200)
    parser.add_argument("--n-train", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory-n", type=int, default=25)
    parser.add_argument("--memory-batch-size", type=int, default=1024)
    parser.add_argument("--predict-proba", action="store_true")
    parser.add_argument("--skip-kmer", action="store_true")
    parser.add_argument(
        "--threads", type=int, default=None, help="torch threads (default: torch's)"
    )
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    print(
        f"skdl {skdl.__version__} | torch {torch.__version__} | scikit-learn "
        f"{sklearn.__version__} | numpy {np.__version__} | python "
        f"{platform.python_version()} | device cpu | torch threads "
        f"{torch.get_num_threads()}"
    )
    n_held_out = max(args.n, 2 * args.memory_n)
    data = simulate_motif_sequences(
        args.n_train + n_held_out, length=args.length, prevalence=0.5, random_state=0
    )
    train_x, train_y = data.sequences[: args.n_train], data.target[: args.n_train]
    held_out = data.sequences[args.n_train :]
    net = ConvNetClassifier(
        filters=(32,),
        kernel_size=15,
        reverse_complement=None,
        max_epochs=args.epochs,
        random_state=0,
    )
    pipeline = Pipeline([("onehot", SequenceOneHotEncoder()), ("net", net)])
    pipeline.fit(train_x, train_y)
    encoder = pipeline[0]
    models = {"pipeline": (pipeline, "text"), "bare net": (net, "one-hot")}
    if not args.skip_kmer:
        kmer = make_pipeline(
            CountVectorizer(analyzer="char", ngram_range=(1, 4), lowercase=False),
            LogisticRegression(max_iter=1000),
        )
        with warnings.catch_warnings():
            # Unscaled counts converge slowly; the fit's quality is not measured.
            warnings.simplefilter("ignore", ConvergenceWarning)
            kmer.fit(train_x, train_y)
        models["k-mer"] = (kmer, "text")

    def model_input(model_kind, n):
        sequences = held_out[:n]
        return sequences if model_kind == "text" else encoder.transform(sequences)

    def stacked_mutants(model_kind, n):
        sequences = held_out[:n]
        if model_kind == "text":
            return stacked_text(sequences)
        return stacked_one_hot(encoder.transform(sequences), sequences)

    n_mutants = args.n * args.length * (len(LETTERS) - 1)
    print(
        f"{args.n} sequences x {args.length} bp x {len(LETTERS) - 1} letters = "
        f"{n_mutants} mutants | ConvNet filters (32,) kernel 15 trained on "
        f"{args.n_train} for {args.epochs} epochs | {args.repeats} interleaved rounds"
    )
    print(
        "ratio = min time / min time of predict_log_proba(stacked); paired = median "
        "of per-round ratios; cpu = ratio of min process CPU times"
    )
    print(
        f"{'model':<9} {'input':<8} {'contender':<26} {'min s':>7} {'median s':>9} "
        f"{'ratio':>7} {'paired':>7} {'cpu':>7}"
    )
    verdicts = []
    for name, (model, kind) in models.items():
        X, stacked = model_input(kind, args.n), stacked_mutants(kind, args.n)
        contenders = {
            "predict_log_proba(stacked)": lambda: model.predict_log_proba(stacked),
            "in_silico_mutagenesis": lambda: in_silico_mutagenesis(model, X),
        }
        if args.predict_proba:
            contenders["predict_proba(stacked)"] = lambda: model.predict_proba(stacked)
        wall, cpu, results = interleaved(args.repeats, contenders)
        reference = "predict_log_proba(stacked)"
        # Both sides did the same work: ISM's scores are the reference's log-odds.
        error = check_same_work(
            results["in_silico_mutagenesis"], results[reference], held_out[: args.n]
        )
        results = None
        for contender, t in wall.items():
            print(
                f"{name:<9} {kind:<8} {contender:<26} {t.min():7.2f} "
                f"{np.median(t):9.2f} {t.min() / wall[reference].min():6.2f}x "
                f"{np.median(t / wall[reference]):6.2f}x "
                f"{cpu[contender].min() / cpu[reference].min():6.2f}x"
            )
        print(f"{'':<9} max |ISM - reference log-odds| over all mutants: {error:.1e}")
        ratio = wall["in_silico_mutagenesis"].min() / wall[reference].min()
        verdicts.append(
            f"{name} {ratio:.2f}x {'OK' if ratio <= TIME_TARGET else 'MISSED'}"
        )
        stacked = None  # free the mutants before the next model

    print(
        f"\npeak memory of ISM (tracemalloc) with batch_size={args.memory_batch_size} "
        f"({args.memory_batch_size * len(LETTERS) * args.length * 4 / 2**20:.1f} MiB "
        "of float32 one-hot); stacked = all the mutants' one-hot float32; results "
        "= the returned arrays"
    )
    print(
        f"{'model':<9} {'n':>4} {'stacked MiB':>12} {'peak MiB':>9} "
        f"{'results MiB':>12} {'peak-results':>13} {'peak/stacked':>13}"
    )

    def memory_row(name, model, X, batch_size):
        n = len(X)
        peak, ism = peak_bytes(
            lambda: in_silico_mutagenesis(model, X, batch_size=batch_size)
        )
        stacked = n * args.length * (len(LETTERS) - 1) * len(LETTERS) * args.length * 4
        results = result_bytes(ism)
        print(
            f"{name:<9} {n:>4} {stacked / 2**20:12.1f} {peak / 2**20:9.1f} "
            f"{results / 2**20:12.1f} {(peak - results) / 2**20:13.1f} "
            f"{peak / stacked:12.3f}x"
            + (f"  batch_size={batch_size!r}" if batch_size == "auto" else "")
        )
        return peak, peak - results

    memory = []
    for name, (model, kind) in models.items():
        sizes = (args.memory_n, 2 * args.memory_n)
        working = [
            memory_row(name, model, model_input(kind, n), args.memory_batch_size)[1]
            for n in sizes
        ]
        per_mutant = (working[1] - working[0]) / (
            (sizes[1] - sizes[0]) * args.length * (len(LETTERS) - 1)
        )
        memory.append(
            f"{name} x{working[1] / working[0]:.2f} ({per_mutant:.0f} B per extra "
            "mutant)"
        )
    memory_row("pipeline", pipeline, model_input("text", args.memory_n), "auto")
    print(
        f"(batch_size='auto' takes scikit-learn's working_memory="
        f"{sklearn.get_config()['working_memory']} MiB)"
    )

    print(
        f"\ntarget: ISM within {TIME_TARGET}x of predict_log_proba on the stacked "
        "mutants (ratio of min times): " + "; ".join(verdicts)
    )
    print(
        "memory bounded by the batch: peak minus results, 2n against n, at a fixed "
        "batch_size (flat = x1.00): " + "; ".join(memory)
    )


if __name__ == "__main__":
    main()
