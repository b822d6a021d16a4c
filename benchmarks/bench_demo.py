"""Wall time of ``skdl demo``, the README's first command, as a user runs it.

The demo compares three candidates with nested cross-validation on 3,000
embedded sequences, reruns the winner's protocol on shuffled labels, explains
the winner and writes the report. Its target is absolute (issue 17: at most
60 s on a 2-core machine of the CI's kind, with the same verdict and report),
so this prints seconds, not a ratio; each run is a fresh process, as a user's
first run is.

Run: ``.venv/bin/python benchmarks/bench_demo.py [--repeats 2] [--n-jobs N]``.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import skdl

TARGET_S = 60.0


def run_demo(n_jobs):
    skdl_bin = Path(sys.executable).with_name("skdl")
    command = [str(skdl_bin), "demo", "--force"]
    if n_jobs is not None:
        command += ["--n-jobs", str(n_jobs)]
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=folder, capture_output=True, text=True, check=True
        )
        seconds = time.perf_counter() - start
    verdict = next(
        line for line in done.stdout.splitlines() if line.startswith("Winner")
    )
    return seconds, verdict


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--n-jobs", type=int, default=None)
    args = parser.parse_args()
    print(
        f"skdl {skdl.__version__} | python {platform.python_version()} | "
        f"{os.cpu_count()} CPUs | skdl demo --n-jobs {args.n_jobs}"
    )
    times = []
    for _ in range(args.repeats):
        seconds, verdict = run_demo(args.n_jobs)
        times.append(seconds)
        print(f"skdl demo: {seconds:.1f} s | {verdict}")
    best = min(times)
    print(
        f"target: fastest of {args.repeats} runs {best:.1f} s <= {TARGET_S:.0f} s "
        f"{'OK' if best <= TARGET_S else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
