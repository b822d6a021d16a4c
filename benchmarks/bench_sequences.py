"""Training throughput of ConvNet and Transformer estimators vs a hand-written loop.

Each architecture trains on one-hot DNA from the motif simulator
(``simulate_motif_sequences``, 1% positives) with the same torch module
(``skdl.nn.ConvNet`` / ``skdl.nn.TransformerEncoderNet``), optimizer (Adam,
lr=1e-3), batch size and number of epochs, once through the skdl estimator and
once through a hand-written PyTorch loop. Contenders run interleaved for
``--repeats`` rounds; each ratio is the median of the per-round ratios, so only
the printed ratios are meaningful across machines. The skdl time covers
everything ``fit`` does (validation, label encoding, the seeded determinism
context, skorch's callbacks).

Target (issue 3): skdl within 1.15x of the hand-written loop.

Run: ``.venv/bin/python benchmarks/bench_sequences.py`` (``--help`` for options).
"""

import argparse
import platform

import numpy as np
import torch
from bench_fit_predict import interleaved, paired_ratio
from torch import nn

import skdl
from skdl.datasets import simulate_motif_sequences
from skdl.neural_net import ConvNetClassifier, TransformerNetClassifier
from skdl.nn import ConvNet, TransformerEncoderNet
from skdl.preprocessing import SequenceOneHotEncoder

CONV = {"filters": (64, 64), "kernel_size": 11}
TRANSFORMER = {"d_model": 64, "n_heads": 4, "n_layers": 2, "dim_feedforward": 128}


def hand_fit(module_class, params, X, y, args):
    torch.manual_seed(0)
    module = module_class(input_shape=X.shape[1:], n_outputs=2, **params)
    optimizer = torch.optim.Adam(module.parameters(), lr=1e-3)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    module.train()
    for _ in range(args.epochs):
        order = torch.randperm(len(Xt))
        for start in range(0, len(Xt), args.batch_size):
            idx = order[start : start + args.batch_size]
            loss = nn.functional.cross_entropy(module(Xt[idx]), yt[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-conv", type=int, default=20_000)
    parser.add_argument("--n-transformer", type=int, default=2_000)
    parser.add_argument("--length", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    print(
        f"skdl {skdl.__version__} | torch {torch.__version__} | python "
        f"{platform.python_version()} | device cpu | torch threads "
        f"{torch.get_num_threads()}"
    )
    data = simulate_motif_sequences(
        max(args.n_conv, args.n_transformer), length=args.length, random_state=0
    )
    X_all = SequenceOneHotEncoder().fit_transform(data.sequences)
    y_all = data.target.astype(np.int64)
    print(
        f"one-hot DNA 4 x {args.length} | Adam lr 1e-3 | batch {args.batch_size} | "
        f"epochs {args.epochs} | {args.repeats} interleaved rounds"
    )
    print(f"{'architecture':<12} {'contender':<20} {'seq/s':>9} {'ratio':>7}")
    verdicts = []
    for name, n, module_class, params, Estimator in (
        ("ConvNet", args.n_conv, ConvNet, CONV, ConvNetClassifier),
        ("Transformer", args.n_transformer, TransformerEncoderNet, TRANSFORMER,
         TransformerNetClassifier),
    ):  # fmt: skip
        X, y = X_all[:n], y_all[:n]
        contenders = {
            "hand-written loop": lambda: hand_fit(module_class, params, X, y, args),
            f"skdl {Estimator.__name__[:-10]}": lambda: Estimator(
                **params,
                batch_size=args.batch_size,
                max_epochs=args.epochs,
                random_state=0,
            ).fit(X, y),
        }
        times, _ = interleaved(args.repeats, contenders)
        for contender in times:
            ratio = paired_ratio(times, contender, "hand-written loop")
            rate = n * args.epochs / np.median(times[contender])
            print(f"{name:<12} {contender:<20} {rate:9.0f} {ratio:6.2f}x")
        skdl_name = next(c for c in times if c.startswith("skdl"))
        ratio = paired_ratio(times, skdl_name, "hand-written loop")
        verdicts.append(f"{name} {ratio:.2f}x {'OK' if ratio <= 1.15 else 'MISSED'}")
    print(
        "target: skdl fit within 1.15x of the hand-written loop: " + "; ".join(verdicts)
    )


if __name__ == "__main__":
    main()
