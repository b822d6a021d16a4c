"""The ``skdl`` command: ``skdl demo`` and ``skdl compare``.

Both run :func:`skdl.comparison.compare` (nested cross-validation, the same
search and budget for every candidate) and write the HTML report, plots, model
card and JSON results with :func:`skdl.report.write_report`. Bad input ends with
one line on standard error and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import shlex
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

import numpy as np
from sklearn.base import BaseEstimator

#: Exit status for bad input (as argparse uses for bad arguments).
USAGE_ERROR = 2
#: Exit status after Ctrl-C or SIGTERM, as a shell reports a SIGINT death.
STOPPED = 130
#: Where ``skdl compare`` keeps finished searches unless ``--cache`` says.
DEFAULT_CACHE = ".skdl-cache"

#: ``skdl compare``'s wall-clock budget with the random search: 30 minutes.
_DEFAULT_BUDGET = 1800.0


class InputError(ValueError):
    """Bad input to the ``skdl`` command: reported in one line, exit status 2.

    Examples
    --------
    >>> from skdl.cli import InputError
    >>> issubclass(InputError, ValueError)
    True
    """


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, like the command's own."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def demo_candidates(random_state: int = 0) -> dict[str, tuple[BaseEstimator, dict]]:
    """Return the demo's candidates, each with a grid of 4 configurations.

    Logistic regression and multinomial naive Bayes on k-mer counts (k = 1..4),
    and a one-hot :class:`~skdl.neural_net.ConvNetClassifier` whose grid lets
    the search choose between position-blind (``"max"``) and position-aware
    (``"flatten"``) global pooling.

    Parameters
    ----------
    random_state : int, default=0
        Seed of the net.

    Returns
    -------
    candidates : dict
        ``{name: (pipeline, param_grid)}``; every grid has 4 configurations, so
        every candidate gets the same tuning budget.

    Examples
    --------
    >>> from skdl.cli import demo_candidates
    >>> sorted(demo_candidates())
    ['ConvNet', 'LogisticRegression (k-mers)', 'NaiveBayes (k-mers)']
    """
    from skdl.comparison import default_candidates

    panel = default_candidates("sequence", random_state=random_state, max_epochs=40)
    net = panel["ConvNet"][0].set_params(model__filters=(32,), model__kernel_size=15)
    return {
        "LogisticRegression (k-mers)": (
            panel["LogisticRegression (k-mers)"][0],
            {"model__C": [0.01, 0.1, 1.0, 10.0]},
        ),
        "NaiveBayes (k-mers)": (
            panel["NaiveBayes (k-mers)"][0],
            {"model__alpha": [0.01, 0.1, 1.0, 10.0]},
        ),
        "ConvNet": (
            net,
            {"model__global_pool": ["max", "flatten"], "model__lr": [1e-3, 1e-2]},
        ),
    }


def _write(
    result: Any,
    out: Path,
    description: str,
    stream: TextIO,
    *,
    model_file: bool = False,
) -> Path:
    from skdl.comparison._sentences import explanation_sentence, shuffle_sentence
    from skdl.report import write_report

    page = write_report(
        result,
        out,
        title="skdl comparison",
        data_description=description,
        model_file=model_file,
    )
    print(result.summary(), file=stream)
    print(shuffle_sentence(result), file=stream)
    learned = explanation_sentence(result)
    if learned:
        print(learned, file=stream)
    print(f"Report: {page}", file=stream)
    return page


def run_demo(
    out: str | Path = "skdl-report",
    *,
    n_samples: int = 3000,
    n_permutations: int = 2,
    random_state: int = 0,
    n_jobs: int | str | None = "auto",
    verbose: int = 0,
    stream: TextIO | None = None,
) -> Any:
    """Compare a ConvNet with k-mer baselines on simulated motif data; write a report.

    The data come from :func:`skdl.datasets.simulate_motif_sequences`:
    100-bp sequences, 5% positives, which carry a JASPAR motif at a fixed
    position; most negatives carry the same motif elsewhere. k-mer counts cannot
    see positions, so only a position-aware model can separate the classes.
    Every candidate gets the same random search (4 configurations) on 2 inner
    folds, within 3 outer folds grouped by chromosome, and the winner's protocol
    is rerun on shuffled labels.

    Parameters
    ----------
    out : str or path-like, default="skdl-report"
        Report folder.
    n_samples : int, default=3000
        Number of simulated sequences.
    n_permutations : int, default=2
        Label shuffles of the memorization test.
    random_state : int, default=0
        Seed of the data, the folds, the searches and the net.
    n_jobs : int, "auto" or None, default="auto"
        Parallel jobs of each search, as in :func:`~skdl.comparison.compare`.
    verbose : int, default=0
        1 shows progress bars.
    stream : file-like or None, default=None
        Where to print the summary; None means ``sys.stdout``.

    Returns
    -------
    result : ComparisonResult

    Examples
    --------
    >>> import io, tempfile
    >>> from skdl.cli import run_demo
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     result = run_demo(folder, n_samples=600, n_permutations=1,
    ...                       stream=io.StringIO())
    >>> result.names
    ['LogisticRegression (k-mers)', 'NaiveBayes (k-mers)', 'ConvNet']
    """
    from skdl.comparison import compare
    from skdl.datasets import simulate_motif_sequences

    stream = sys.stdout if stream is None else stream
    data = simulate_motif_sequences(
        n_samples,
        length=100,
        prevalence=0.05,
        grammar="positional",
        decoy_fraction=0.8,
        random_state=random_state,
    )
    description = (
        f"{n_samples} simulated 100-bp sequences (41% GC), "
        f"{int(data.target.sum())} positive: a JASPAR motif at a fixed position; "
        "80% of negatives carry it elsewhere. Groups are chromosomes."
    )
    print(description, file=stream)
    result = compare(
        demo_candidates(random_state),
        data.sequences,
        data.target,
        groups=data.chromosome,
        cv=3,
        inner_cv=2,
        search="random",
        n_iter=4,
        n_permutations=n_permutations,
        n_jobs=n_jobs,
        random_state=random_state,
        verbose=verbose,
    )
    _write(result, Path(out), description, stream)
    return result


def _column(header: list[str], name: str, option: str) -> int:
    if name not in header:
        raise InputError(
            f"{option} column {name!r} is not in the table; its columns are "
            f"{', '.join(repr(c) for c in header)}."
        )
    return header.index(name)


_COMPRESSED = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}


def _open_text(path: Path) -> Any:
    """Open a text table, decompressing by suffix; a BOM is not part of a name."""
    module = _COMPRESSED.get(path.suffix.lower())
    if module is None:
        return open(path, newline="", encoding="utf-8-sig")
    opener = importlib.import_module(module).open
    return opener(path, "rt", newline="", encoding="utf-8-sig")


def _separator(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() not in _COMPRESSED]
    return "\t" if suffixes and suffixes[-1] in (".tsv", ".tab", ".txt") else ","


def _scan(path: Path, separator: str) -> list[int]:
    """Check the header and the field count of every row before pandas reads it.

    pandas fills a short row with missing values and renames a repeated
    column ``label.1``; both hide a broken file, so they are refused here.
    """
    try:
        with _open_text(path) as handle:
            rows = csv.reader(handle, delimiter=separator)
            header = next(rows, [])
            lines = []  # the file line of each data row
            for line, row in enumerate(rows, start=2):
                if not row:
                    continue
                lines.append(line)
                if len(row) != len(header):
                    raise InputError(
                        f"line {line} of {str(path)!r} has {len(row)} fields; the "
                        f"header has {len(header)}."
                    )
    except OSError as e:
        raise InputError(f"cannot read {str(path)!r}: {e.strerror or e}.") from e
    except UnicodeDecodeError as e:
        raise InputError(f"{str(path)!r} is not a UTF-8 text (CSV) file.") from e
    if not lines:
        raise InputError(f"{str(path)!r} needs a header row and at least one data row.")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise InputError(
            f"{str(path)!r} has duplicate column names "
            f"{', '.join(map(repr, repeated))}; rename them (a copy of the target "
            "among the features would score perfectly)."
        )
    return lines


def read_table(path: str | Path) -> Any:
    r"""Read a table with pandas: CSV, TSV (also compressed) or Parquet.

    pandas infers each column's type: a column of numbers with a few empty
    cells or ``"NA"`` strings is numeric, with those cells missing. A short row
    and a repeated column name are refused. (:func:`load_table` also refuses a
    feature column of numbers with a stray word, a typo, naming the line.)

    Parameters
    ----------
    path : str or path-like
        ``.csv``, ``.tsv`` / ``.tab`` / ``.txt`` (tab-separated), each
        optionally ``.gz``, ``.bz2`` or ``.xz``; or ``.parquet`` (needs pyarrow).

    Returns
    -------
    table : pandas.DataFrame

    Raises
    ------
    InputError
        With a one-line message naming the file, the line or the column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skdl.cli import read_table
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "t.csv"
    ...     _ = path.write_text("dose,sex,label\n1.5,male,yes\nNA,,no\n")
    ...     table = read_table(path)
    >>> table.dtypes.astype(str).tolist(), int(table.isna().sum().sum())
    (['float64', 'str', 'str'], 2)
    """
    import pandas as pd

    path = Path(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        try:
            import pyarrow  # noqa: F401
        except ImportError as e:
            raise InputError(
                "reading Parquet needs pyarrow (pip install pyarrow); or save the "
                "table as CSV."
            ) from e
        try:
            table = pd.read_parquet(path)
        except OSError as e:
            raise InputError(f"cannot read {str(path)!r}: {e}.") from e
        lines = None
    else:
        separator = _separator(path)
        lines = _scan(path, separator)
        with _open_text(path) as handle:
            table = pd.read_csv(handle, sep=separator, skip_blank_lines=True)
    table.attrs["lines"] = lines  # the file line of each row, for messages
    return table


def _refuse_stray_text(column: Any, name: str, lines: list[int] | None) -> None:
    """Refuse a column of numbers with a few words in it: a typo, not a category."""
    import pandas as pd

    if column.dtype.kind in "biufc":
        return
    present = column.dropna()
    bad = pd.to_numeric(present, errors="coerce").isna().to_numpy()
    if len(present) and bad.any() and bad.mean() <= 0.1:
        position = int(np.flatnonzero(column.notna().to_numpy())[np.argmax(bad)])
        where = f"row {position + 1}" if lines is None else f"line {lines[position]}"
        raise InputError(
            f"column {name!r} holds numbers but {present.iloc[np.argmax(bad)]!r} on "
            f"{where} "
            f"(and {int(bad.sum()) - 1} more); fix those cells or leave them "
            "empty (missing), or pass --drop to leave the column out."
        )


def load_table(
    path: str | Path,
    target: str,
    *,
    groups: str | None = None,
    sequence: str | None = None,
    positive: str | None = None,
    drop: Sequence[str] = (),
) -> tuple[Any, np.ndarray, np.ndarray | None]:
    r"""Read a table into ``X``, the target ``y`` and optional ``groups``.

    Parameters
    ----------
    path : str or path-like
        A table with a header row, read by :func:`read_table` (CSV, TSV,
        compressed or not, or Parquet).
    target : str
        Column of the labels or of the numeric target.
    groups : str or None, default=None
        Column of the groups (patients, batches, chromosomes).
    sequence : str or None, default=None
        Column of DNA, RNA or protein sequences; ``X`` is then that column,
        and the other columns are not used. Without it, every column but the
        target, the groups and ``drop`` is a feature: numbers and text alike,
        missing cells allowed (the default panel imputes and encodes them
        inside each training fold).
    positive : str or None, default=None
        The positive label of a binary comparison; with more than two labels,
        the others become one negative class, ``"not <positive>"``. None keeps
        the labels: two make a binary task (the greater of two numbers, or
        True, is positive; others need ``--positive``), more a multiclass one,
        and numbers a regression.
    drop : sequence of str, default=()
        Columns to leave out (an ID, a column that leaks the target).

    Returns
    -------
    X : pandas.DataFrame of shape (n_samples, n_features), or ndarray of str
        Features, or the sequences.
    y : ndarray of shape (n_samples,)
        The target, as written in the file (text labels, or numbers).
    groups : ndarray of str of shape (n_samples,) or None
        Group labels.

    Raises
    ------
    InputError
        With a one-line message naming the column and the fix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skdl.cli import load_table
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "t.csv"
    ...     _ = path.write_text("a,sex,label\n1,male,yes\n,female,no\n")
    ...     X, y, groups = load_table(path, "label")
    >>> X.columns.tolist(), y.tolist(), groups
    (['a', 'sex'], ['yes', 'no'], None)
    """
    table = read_table(path)
    header = [str(c) for c in table.columns]
    table.columns = header
    _column(header, target, "--target")
    if groups == target:
        raise InputError(
            f"--groups and --target name the same column {target!r}; the groups "
            "are another column (patients, batches, chromosomes)."
        )
    for name in drop:
        _column(header, name, "--drop")
        if name in (target, groups):
            raise InputError(
                f"--drop {name!r} names the {'target' if name == target else 'groups'}"
                " column; drop only feature columns."
            )
    y = _target(table[target], target, positive)
    group_values = None
    if groups is not None:
        _column(header, groups, "--groups")
        group_values = table[groups].to_numpy(dtype=object)
        missing = table[groups].isna().to_numpy()
        group_values[~missing] = table[groups][~missing].astype(str).to_numpy()
    if sequence is not None:
        _column(header, sequence, "--sequence")
        empty = table[sequence].isna().to_numpy()
        if empty.any():
            raise InputError(
                f"--sequence column {sequence!r} is empty on {int(empty.sum())} "
                f"rows (the first is data row {int(np.flatnonzero(empty)[0]) + 1}); "
                "drop those rows."
            )
        return table[sequence].astype(str).to_numpy(), y, group_values
    features = [c for c in header if c not in {target, groups, *drop}]
    if not features:
        raise InputError(
            "the table has no feature column besides the target and groups."
        )
    for name in features:
        _refuse_stray_text(table[name], name, table.attrs.get("lines"))
    X = table[features]
    numeric = X.select_dtypes("number")
    if not np.isfinite(numeric.fillna(0).to_numpy(dtype=float)).all():
        name = numeric.columns[~np.isfinite(numeric.fillna(0)).all().to_numpy()][0]
        raise InputError(
            f"column {name!r} holds an infinite value; replace it or leave the cell "
            "empty (missing)."
        )
    return X, y, group_values


def _target(column: Any, name: str, positive: str | None) -> np.ndarray:
    """Return the target as written; a positive label makes it one-vs-rest."""
    missing = column.isna().to_numpy()
    if missing.any():
        raise InputError(
            f"target column {name!r} is empty on {int(missing.sum())} rows (the "
            f"first is data row {int(np.flatnonzero(missing)[0]) + 1}); drop those "
            "rows, or fill them."
        )
    values = column.to_numpy()
    if values.dtype.kind not in "biuf":
        values = column.astype(str).to_numpy(dtype=object)
    if positive is None:
        if column.nunique() < 2:
            raise InputError(
                f"target column {name!r} has one value ({values[:1].tolist()[0]!r});"
                " compare needs two classes or more, or targets that vary."
            )
        return values
    labels = _label_text(column)
    classes = np.unique(labels)
    positive = _match_label(positive, classes)
    if positive not in classes:
        raise InputError(
            f"--positive {positive!r} is not a label of column {name!r} "
            f"(labels: {', '.join(map(repr, classes[:10].tolist()))})."
        )
    y = (
        labels
        if len(classes) == 2
        else np.where(labels == positive, positive, f"not {positive}")
    )
    if len(np.unique(y)) != 2:
        raise InputError(
            f"target column {name!r} has one class after --positive {positive!r}; "
            "compare needs a positive and a negative class."
        )
    return y


def _label_text(column: Any) -> np.ndarray:
    """Labels as text the way a file writes them: 1 for 1.0, True for a bool."""
    values = column.to_numpy()
    if values.dtype.kind == "f" and np.all(values == np.round(values)):
        values = values.astype(np.int64)
    return np.asarray([str(v) for v in values], dtype=object)


def _match_label(positive: str, classes: np.ndarray) -> str:
    """Find ``--positive`` among the labels: as written, in any case, as a number."""
    if positive in classes:
        return positive
    for label in classes:
        if label.lower() == positive.lower():
            return str(label)
    try:
        number = float(positive)
    except ValueError:
        return positive
    for label in classes:
        try:
            if float(label) == number:
                return str(label)
        except ValueError:
            continue
    return positive


def _n_jobs(text: str) -> int | str:
    """Parse ``--n-jobs``: ``auto`` or an integer other than 0, as joblib takes."""
    if text == "auto":
        return text
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value == 0:
        raise argparse.ArgumentTypeError(
            f"must be 'auto' or a non-zero integer (-1: every core); got {text!r}"
        )
    return value


def _seed(text: str) -> int:
    """Parse ``--seed``: a non-negative integer."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"must be a non-negative integer; got {text!r}"
        )
    return value


def _duration(text: str) -> float | None:
    """Parse ``--time-budget``: seconds, minutes or hours (``90s``, ``30m``, ``2h``)."""
    if text.strip().lower() in ("none", "off"):
        return None
    units = {"s": 1, "m": 60, "h": 3600}
    number, unit = text.strip()[:-1], text.strip()[-1:].lower()
    try:
        value = float(number) * units[unit]
    except (KeyError, ValueError):
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(
            f"must be a positive duration such as 90s, 30m or 2h, or none; got {text!r}"
        )
    return value


def check_out(out: str | Path, *, force: bool = False) -> Path:
    """Check the report folder before any fit: writable, and empty unless forced.

    A comparison can run for hours; a folder that cannot hold the report, or
    one whose older report would be silently overwritten, is refused first.

    Parameters
    ----------
    out : str or path-like
        The ``--out`` folder; created when missing.
    force : bool, default=False
        Accept a folder that already holds files (``--force``); the report's
        own files in it are replaced, nothing stale is left beside them.

    Returns
    -------
    out : pathlib.Path

    Raises
    ------
    InputError
        When ``out`` is a file, not writable, or not empty without ``force``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skdl.cli import InputError, check_out
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (pathlib.Path(folder) / "notes.txt").write_text("mine")
    ...     try:
    ...         check_out(folder)
    ...     except InputError as e:
    ...         print(e)
    ...     check_out(folder, force=True).is_dir()
    --out '...' is not empty (1 entries, such as 'notes.txt'); ... pass --force ...
    True
    """
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise InputError(
            f"--out {str(path)!r} is a file; give a folder for the report."
        )
    if path.is_dir() and not force:
        # An interrupted compare leaves only its cache: rerunning resumes.
        entries = sorted(p.name for p in path.iterdir() if p.name != DEFAULT_CACHE)
        if entries:
            raise InputError(
                f"--out {str(path)!r} is not empty ({len(entries)} entries, such as "
                f"{entries[0]!r}); its files could be overwritten or mixed with the "
                "new report: pass --force to add the report to it, or a new folder."
            )
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as e:
        raise InputError(
            f"cannot write the report to --out {str(path)!r}: {e.strerror}."
        ) from e
    return path


def _parser() -> argparse.ArgumentParser:
    import skdl

    parser = _Parser(
        prog="skdl", description="Deep learning that behaves exactly like scikit-learn."
    )
    parser.add_argument("--version", action="version", version=skdl.__version__)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    demo = commands.add_parser(
        "demo",
        help="compare a ConvNet with k-mer baselines on simulated motif data",
    )
    compare = commands.add_parser(
        "compare", help="compare tuned candidates on your CSV table"
    )
    compare.add_argument(
        "--data",
        required=True,
        help="table with a header row: .csv, .tsv (also .gz, .bz2, .xz) or .parquet",
    )
    compare.add_argument("--target", required=True, help="label or target column")
    compare.add_argument("--groups", help="group column (patients, batches, ...)")
    compare.add_argument("--sequence", help="sequence column (the input)")
    compare.add_argument("--positive", help="positive label (default: the greater)")
    compare.add_argument(
        "--task",
        choices=["auto", "binary", "multiclass", "regression"],
        default="auto",
        help="what is predicted (default: decided from the target column)",
    )
    compare.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="COL",
        help="leave a column out (repeatable): an ID, a column that leaks the target",
    )
    compare.add_argument(
        "--time-budget",
        type=_duration,
        default=argparse.SUPPRESS,
        help="wall-clock budget split equally between candidates and outer folds, "
        "e.g. 90s, 30m, 2h (default 30m with the random search, none with "
        "--search grid or halving); 'none' tunes every candidate with --n-iter "
        "configurations instead",
    )
    compare.add_argument(
        "--search", choices=["random", "grid", "halving"], default="random"
    )
    compare.add_argument("--n-iter", type=int, default=8, help="configurations each")
    compare.add_argument("--cv", type=int, default=5, help="outer folds (default 5)")
    compare.add_argument(
        "--scoring",
        default=None,
        help="primary score (tuning); default average_precision, r2 for regression",
    )
    compare.add_argument(
        "--n-permutations", type=int, default=0, help="label shuffles (default 0)"
    )
    compare.add_argument(
        "--no-explain",
        dest="explain",
        action="store_false",
        help="with --sequence: skip 'What the winner learned' (in-silico "
        "mutagenesis of its top held-out sequences, matched to known motifs)",
    )
    compare.add_argument(
        "--cache",
        metavar="DIR",
        help="folder that keeps every finished search, so that rerunning the same "
        f"command after a kill resumes (default: OUT/{DEFAULT_CACHE}, deleted once "
        "the report is written; a --cache folder is kept)",
    )
    compare.add_argument(
        "--model-file",
        action="store_true",
        help="refit the winner on every row and save it beside the report as "
        "model.skops, with its SHA-256 in results.json (needs skdl[share])",
    )
    compare.add_argument(
        "--models",
        help="comma-separated subset of the default panel, by first word "
        "(e.g. LogisticRegression,RandomForest); default: all",
    )
    for sub in (demo, compare):
        sub.add_argument("--out", default="skdl-report", help="report folder")
        sub.add_argument(
            "--force",
            action="store_true",
            help="write into a non-empty --out folder (its report files are replaced)",
        )
        sub.add_argument(
            "--seed", type=_seed, default=0, help="random seed (default 0)"
        )
        sub.add_argument(
            "--n-jobs",
            type=_n_jobs,
            default="auto",
            help="fits run at once in each search (default auto: one per physical "
            "core when training on the CPU; -1: every core)",
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``skdl`` console script.

    Parameters
    ----------
    argv : sequence of str or None, default=None
        Arguments without the program name; None reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success, 2 on bad input (after one line on standard error).

    Examples
    --------
    >>> from skdl.cli import main
    >>> main([])
    usage: skdl ...
    2
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return USAGE_ERROR
    prog = f"skdl {args.command}"
    try:
        from skdl.utils._optional import import_matplotlib

        import_matplotlib(prog)
        if getattr(args, "model_file", False):
            from skdl.utils._optional import import_skops

            import_skops(f"{prog} --model-file")  # before hours of fitting
        if args.command == "demo":
            out = check_out(args.out, force=args.force)
            start = time.perf_counter()
            run_demo(out, random_state=args.seed, n_jobs=args.n_jobs, verbose=1)
            print(f"Done in {time.perf_counter() - start:.0f} s.")
            return 0
        return _run_compare(args, sys.argv[1:] if argv is None else list(argv))
    except (InputError, ImportError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return USAGE_ERROR


def _select_models(
    models: str | None, X: Any, sequence: bool, task: str, random_state: int
) -> dict[str, Any] | None:
    """Return the default panel, or the subset named by ``--models``."""
    if models is None:
        return None
    from skdl.comparison import default_candidates

    panel = default_candidates(
        "sequence" if sequence else "tabular",
        task=task,
        X=None if sequence else X,
        random_state=random_state,
    )
    by_word = {name.split()[0].lower(): name for name in panel}
    wanted = [word.strip() for word in models.split(",") if word.strip()]
    unknown = [word for word in wanted if word.lower() not in by_word]
    if unknown or not wanted:
        raise InputError(
            f"--models {models!r}: unknown {', '.join(map(repr, unknown)) or 'list'}; "
            f"choose from {', '.join(name.split()[0] for name in panel)}."
        )
    return {by_word[w.lower()]: panel[by_word[w.lower()]] for w in wanted}


def _run_compare(args: argparse.Namespace, argv: list[str]) -> int:
    from skdl.comparison import compare
    from skdl.comparison._tasks import resolve_task

    X, y, groups = load_table(
        args.data,
        args.target,
        groups=args.groups,
        sequence=args.sequence,
        positive=args.positive,
        drop=args.drop,
    )
    description = (
        f"{args.data}: {len(y)} rows, target {args.target!r}"
        + (f", groups {args.groups!r}" if args.groups else "")
        + (f", sequences {args.sequence!r}" if args.sequence else "")
        + (f", dropped {', '.join(map(repr, args.drop))}" if args.drop else "")
        + "."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # compare says it once, below
            _, task, _ = resolve_task(y, args.task)
        candidates = _select_models(
            args.models, X, args.sequence is not None, task, args.seed
        )
    except ValueError as e:
        raise InputError(str(e).splitlines()[0]) from e
    out = check_out(args.out, force=args.force)  # before hours of fitting
    cache = Path(args.cache) if args.cache else out / DEFAULT_CACHE
    try:
        result = compare(
            candidates,
            X,
            y,
            groups=groups,
            task=args.task,
            pos_label=None
            if args.positive is None
            else _match_label(args.positive, np.unique(np.asarray(y).astype(str))),
            cv=args.cv,
            search=args.search,
            n_iter=args.n_iter,
            time_budget=getattr(
                args,
                "time_budget",
                _DEFAULT_BUDGET if args.search == "random" else None,
            ),
            scoring=args.scoring,
            n_permutations=args.n_permutations,
            explain=args.explain,
            refit=args.model_file,
            memory=cache,
            n_jobs=args.n_jobs,
            random_state=args.seed,
            verbose=1,
        )
    except KeyboardInterrupt:
        # compare said what finished; say how to go on from the shell.
        print(
            f"skdl compare: stopped. Run the same command to resume from {cache}:\n"
            f"  skdl {shlex.join(argv)}",
            file=sys.stderr,
        )
        return STOPPED
    except ValueError as e:
        # Invalid options or data that cannot be split as asked (too few groups
        # or positives for the folds): the user's input, so one line.
        raise InputError(str(e).splitlines()[0]) from e
    _write(result, out, description, sys.stdout, model_file=args.model_file)
    if not args.cache:
        shutil.rmtree(cache, ignore_errors=True)  # the report holds the results
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
