"""The ``skdl`` command: the demo (the README's main job) and ``skdl compare``."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import make_classification
from sklearn.model_selection import ParameterGrid

from skdl.cli import demo_candidates, load_table, main
from skdl.datasets import simulate_motif_sequences
from tests.report.test_report import EXPECTED_PANELS, check_png


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Run the README's main job exactly as a user would, once."""
    out = tmp_path_factory.mktemp("demo") / "report"
    run = subprocess.run(
        [sys.executable, "-m", "skdl", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return run, out


def test_demo_writes_a_report_whose_plots_have_the_expected_panels(demo):
    run, out = demo
    assert run.returncode == 0, run.stderr[-2000:]
    for name, panels in EXPECTED_PANELS.items():
        check_png(out / name, panels)
    assert (out / "index.html").read_text().count("<img src=") == 5
    assert (out / "model_card.md").read_text().startswith("# Model card: ConvNet")
    assert f"Report: {out / 'index.html'}" in run.stdout


def test_demo_verdict_and_shuffle_test(demo):
    run, out = demo
    results = json.loads((out / "results.json").read_text())
    assert results["winner"] == "ConvNet" and results["crowned"]
    assert set(results["protocol"]["budgets"].values()) == {4}
    shuffle = results["memorization"]
    assert shuffle["chance"] == pytest.approx(0.05)
    assert abs(np.mean(shuffle["permutation_scores"]) - shuffle["chance"]) < 0.05
    assert shuffle["score"] > 0.5
    assert "Winner: ConvNet (significantly better" in run.stdout
    assert "Label-shuffle test (ConvNet, average_precision): real labels" in run.stdout


def test_demo_report_shows_what_the_winner_learned(demo):
    run, out = demo
    page = (out / "index.html").read_text()
    assert "<h2>What the winner learned (ConvNet)</h2>" in page
    assert '<img src="learned.png"' in page
    # Four logos, one per top held-out positive, each titled by its sample.
    with Image.open(out / "learned.png") as image:
        panels = image.text["Description"].removeprefix("panels: ").split("; ")
        assert image.width > 600 and image.height > 600
        assert np.asarray(image.convert("L")).std() > 5
    assert len(panels) == 4 and all(p.startswith("sample ") for p in panels)
    explanation = json.loads((out / "results.json").read_text())["explanation"]
    assert explanation["candidate"] == "ConvNet" and explanation["method"] == "ism"
    # The demo plants HNF4A (JASPAR MA0114.5) at the centre of the positives.
    assert explanation["motifs"][0]["motif"] == "HNF4A"
    assert explanation["motifs"][0]["n_seqlets"] > explanation["motifs"][1]["n_seqlets"]
    assert (
        "HNF4A"
        in (out / "model_card.md").read_text().split("## What the model learned")[1]
    )


def test_demo_candidates_get_the_same_budget():
    sizes = {name: len(ParameterGrid(g)) for name, (_, g) in demo_candidates().items()}
    assert set(sizes.values()) == {4}


def _csv(path, header, rows):
    lines = [",".join(header)] + [",".join(map(str, row)) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture
def table(tmp_path):
    X, y = make_classification(n_samples=120, n_features=4, random_state=0)
    rows = [
        [*x.round(4), ["healthy", "disease"][t], f"p{i % 12}"]
        for i, (x, t) in enumerate(zip(X, y))
    ]
    return _csv(tmp_path / "t.csv", ["a", "b", "c", "d", "status", "patient"], rows)


def test_compare_on_a_table(table, tmp_path, capsys):
    out = tmp_path / "report"
    status = main(
        [
            "compare",
            "--data",
            table,
            "--target",
            "status",
            "--groups",
            "patient",
            "--models",
            "LogisticRegression,GaussianNB",
            "--cv",
            "3",
            "--n-iter",
            "2",
            "--positive",
            "disease",
            "--out",
            str(out),
        ]
    )
    assert status == 0
    results = json.loads((out / "results.json").read_text())
    assert sorted(results["scores"]) == ["GaussianNB", "LogisticRegression"]
    assert results["protocol"]["pos_label"] == "disease"
    assert "12 groups, never split" in (out / "model_card.md").read_text()
    printed = capsys.readouterr().out
    assert "Report:" in printed and "Positive class: 'disease'" in printed


@pytest.mark.parametrize("explain", [True, False])
def test_compare_on_sequences(tmp_path, explain):
    data = simulate_motif_sequences(150, length=40, prevalence=0.3, random_state=0)
    rows = zip(data.sequences, data.target, data.chromosome)
    path = _csv(tmp_path / "s.csv", ["seq", "bound", "chrom"], rows)
    out = tmp_path / "report"
    status = main(
        [
            "compare",
            *([] if explain else ["--no-explain"]),
            "--data",
            path,
            "--target",
            "bound",
            "--sequence",
            "seq",
            "--groups",
            "chrom",
            "--models",
            "NaiveBayes",
            "--cv",
            "3",
            "--n-iter",
            "2",
            "--out",
            str(out),
        ]
    )
    assert status == 0
    results = json.loads((out / "results.json").read_text())
    assert list(results["scores"]) == ["NaiveBayes (k-mers)"]
    # The k-mer winner is explained from the CSV's text column, or not at all.
    assert (results["explanation"] is not None) == explain
    assert (out / "learned.png").exists() == explain


@pytest.mark.parametrize(
    ("header", "rows", "extra", "message"),
    [
        (
            ["a", "label"],
            [[1, 0], [2, 1]],
            ["--target", "y"],
            "--target column 'y' is not in the table; its columns are 'a', 'label'.",
        ),
        (
            ["a", "label"],
            [[1, 1], [2, 1]],
            ["--target", "label"],
            "target column 'label' has one value (1); compare needs two classes or "
            "more, or targets that vary.",
        ),
        (
            ["a", "label"],
            [[1, 0], ["inf", 1]],
            ["--target", "label"],
            "column 'a' holds an infinite value; replace it or leave the cell empty",
        ),
        (
            ["id", "a", "label"],
            [[1, 2, 0], [2, 3, 1]],
            ["--target", "label", "--drop", "label"],
            "--drop 'label' names the target column; drop only feature columns.",
        ),
        (
            ["id", "a", "label"],
            [[1, 2, 0], [2, 3, 1]],
            ["--target", "label", "--drop", "nope"],
            "--drop column 'nope' is not in the table; its columns are 'id', 'a', "
            "'label'.",
        ),
        (
            ["a", "label"],
            [[1, 0], [2, 1]],
            ["--target", "label", "--groups", "g"],
            "--groups column 'g' is not in the table; its columns are 'a', 'label'.",
        ),
        (
            ["a", "label"],
            [[1, 0], [2, 1]],
            ["--target", "label", "--positive", "yes"],
            "--positive 'yes' is not a label of column 'label' (labels: '0', '1').",
        ),
        (
            ["a", "label"],
            [[1, 0], [2, 1]],
            ["--target", "label", "--models", "GBM"],
            "--models 'GBM': unknown 'GBM'; choose from LogisticRegression, "
            "RandomForest, HistGradientBoosting, KNeighbors, GaussianNB, SVM, MLPNet.",
        ),
        (
            ["a", "label"],
            [[1, 0], [2, 1], [3, 0], [4, 1]],
            ["--target", "label", "--n-iter", "0"],
            "The 'n_iter' parameter of compare must be an int in the range [1, inf).",
        ),
        (
            ["a", "label"],
            [[1, 0], [2, 1], [3, 0], [4, 1]],
            ["--target", "label", "--groups", "a"],
            "the table has no feature column besides the target and groups.",
        ),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    tmp_path, capsys, header, rows, extra, message
):
    path = _csv(tmp_path / "bad.csv", header, rows)
    status = main(["compare", "--data", path, *extra, "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"skdl compare: error: {message}")


def test_missing_file_and_missing_option(tmp_path, capsys):
    assert main(["compare", "--data", str(tmp_path / "no.csv"), "--target", "y"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("skdl compare: error: cannot read") and err.count("\n") == 1
    with pytest.raises(SystemExit) as info:
        main(["compare", "--data", "x.csv"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert (
        err == "skdl compare: error: the following arguments are required: --target\n"
    )


def test_too_few_groups_for_the_folds_is_one_line(tmp_path, capsys):
    rows = [[i, i % 2, "g1" if i < 10 else "g2"] for i in range(20)]
    path = _csv(tmp_path / "g.csv", ["a", "label", "g"], rows)
    status = main(
        [
            "compare",
            "--data",
            path,
            "--target",
            "label",
            "--groups",
            "g",
            "--models",
            "LogisticRegression",
            "--out",
            str(tmp_path / "r"),
        ]
    )
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert "greater than the number of groups" in err


def test_load_table_positive_label_one_vs_rest(tmp_path):
    path = _csv(tmp_path / "m.csv", ["a", "cell"], [[1, "T"], [2, "B"], [3, "NK"]])
    X, y, groups = load_table(path, "cell", positive="B")
    assert y.tolist() == ["not B", "B", "not B"] and X.shape == (3, 1)
    assert groups is None


# ------------------------------------------------ lost work, silent answers (#19)
def _no_fit(monkeypatch):
    """Make any fit fail loudly: the checks below must come before fitting."""
    import skdl.comparison._compare as compare_module

    def refuse(*args, **kwargs):
        raise AssertionError("a model was fitted before the input was checked")

    monkeypatch.setattr(compare_module, "routed_fit", refuse)


def _run(path, tmp_path, *extra, out=None):
    out = tmp_path / "r" if out is None else out
    return main(
        ["compare", "--data", path, "--target", "label", "--out", str(out), *extra]
    )


def _rows(n=40):
    return [[i, (i * 7) % 5, i % 2, f"p{i % 8}"] for i in range(n)]


def test_duplicate_column_names_are_refused(tmp_path, capsys, monkeypatch):
    # x1,x2,label,patient,label: the second "label" was a feature, every score
    # 1.000 and exit status 0.
    _no_fit(monkeypatch)
    rows = [[a, b, t, p, t] for a, b, t, p in _rows()]
    path = _csv(tmp_path / "d.csv", ["x1", "x2", "label", "patient", "label"], rows)
    assert _run(path, tmp_path) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"skdl compare: error: {path!r} has duplicate column names ")
    assert "'label'; rename them" in err


def test_byte_order_mark_is_not_part_of_the_first_name(tmp_path, capsys):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufefflabel,a\n".encode() + b"0,1\n1,2\n")
    X, y, _ = load_table(path, "label")
    assert y.tolist() == [0, 1] and X.columns.tolist() == ["a"]
    assert X["a"].tolist() == [1, 2]


def test_non_empty_out_is_refused_before_any_fit(tmp_path, capsys, monkeypatch):
    path = _csv(tmp_path / "t.csv", ["x1", "x2", "label", "patient"], _rows())
    out = tmp_path / "old"
    out.mkdir()
    (out / "index.html").write_text("an older report")
    _no_fit(monkeypatch)
    assert _run(path, tmp_path, "--groups", "patient", out=out) == 2
    err = capsys.readouterr().err
    assert f"--out {str(out)!r} is not empty (1 entries" in err
    assert "pass --force" in err
    assert (out / "index.html").read_text() == "an older report"  # untouched


def _count_searches(monkeypatch, stop_at=None):
    """Count compare's searches; raise KeyboardInterrupt (Ctrl-C) at ``stop_at``."""
    import skdl.comparison._compare as compare_module

    original = compare_module.routed_fit
    calls = []

    def counted(*args, **kwargs):
        calls.append(1)
        if len(calls) == stop_at:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(compare_module, "routed_fit", counted)
    return calls


def test_stopped_compare_resumes_with_the_same_command(
    table, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "report"
    argv = ["compare", "--data", table, "--target", "status", "--groups", "patient"]
    argv += ["--positive", "disease"]
    argv += ["--models", "LogisticRegression,GaussianNB", "--cv", "3", "--n-iter", "2"]
    argv += ["--time-budget", "none", "--out", str(out)]
    _count_searches(monkeypatch, stop_at=3)
    assert main(argv) == 130
    err = capsys.readouterr().err
    cache = out / ".skdl-cache"
    assert "compare: stopped after 2 of 6 searches" in err
    assert f"Run the same command to resume from {cache}:" in err
    assert f"skdl {' '.join(argv)}" in err
    assert len(list(cache.glob("search-*.pkl"))) == 2

    calls = _count_searches(monkeypatch)
    assert main(argv) == 0  # the folder holds only the cache: no --force needed
    assert len(calls) == 4
    assert (out / "results.json").exists()
    assert not cache.exists()  # the default cache goes once the report is written


def test_an_explicit_cache_is_kept(table, tmp_path, monkeypatch):
    argv = ["compare", "--data", table, "--target", "status", "--cv", "3"]
    argv += ["--positive", "disease"]
    argv += ["--models", "GaussianNB", "--time-budget", "none"]
    argv += ["--cache", str(tmp_path / "kept")]
    assert main([*argv, "--out", str(tmp_path / "a")]) == 0
    assert len(list((tmp_path / "kept").glob("search-*.pkl"))) == 3
    calls = _count_searches(monkeypatch)
    assert main([*argv, "--out", str(tmp_path / "b")]) == 0
    assert calls == []
    first = json.loads((tmp_path / "a" / "results.json").read_text())
    second = json.loads((tmp_path / "b" / "results.json").read_text())
    assert first["scores"] == second["scores"]


def test_model_file_saves_the_refitted_winner(table, tmp_path):
    import hashlib

    from skdl.report import load_model

    out = tmp_path / "r"
    argv = ["compare", "--data", table, "--target", "status", "--cv", "3"]
    argv += ["--positive", "disease", "--models", "LogisticRegression,GaussianNB"]
    argv += ["--time-budget", "none", "--model-file", "--out", str(out)]
    assert main(argv) == 0
    record = json.loads((out / "results.json").read_text())["model_file"]
    data = (out / record["name"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == record["sha256"]
    model = load_model(out / record["name"])
    assert model.best_estimator_.__class__.__name__ in ("Pipeline", "GaussianNB")


def test_model_file_without_skops_fails_before_any_fit(
    table, tmp_path, capsys, monkeypatch
):
    import importlib

    real_import = importlib.import_module

    def no_skops(name, *args, **kwargs):
        if name.startswith("skops"):
            raise ImportError("No module named 'skops'")
        return real_import(name, *args, **kwargs)

    _no_fit(monkeypatch)
    monkeypatch.setattr(importlib, "import_module", no_skops)
    argv = ["compare", "--data", table, "--target", "status", "--model-file"]
    assert main([*argv, "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "--model-file requires skops" in err and "skdl[share]" in err


@pytest.mark.parametrize("kind", ["file", "unwritable"])
def test_bad_out_fails_before_any_fit(tmp_path, capsys, monkeypatch, kind):
    path = _csv(tmp_path / "t.csv", ["x1", "x2", "label", "patient"], _rows())
    if kind == "file":
        out = tmp_path / "report.txt"
        out.write_text("")
        message = f"--out {str(out)!r} is a file; give a folder for the report."
    else:  # a folder that cannot be created (permissions do not stop root)
        blocker = tmp_path / "blocker"
        blocker.write_text("")
        out = blocker / "report"
        message = f"cannot write the report to --out {str(out)!r}: Not a directory."
    _no_fit(monkeypatch)
    assert _run(path, tmp_path, "--groups", "patient", out=out) == 2
    assert message in capsys.readouterr().err


def test_force_replaces_the_old_report_and_leaves_nothing_stale(tmp_path, capsys):
    path = _csv(tmp_path / "t.csv", ["x1", "x2", "label", "patient"], _rows(60))
    out = tmp_path / "r"
    models = ["--groups", "patient", "--models", "GaussianNB", "--cv", "2"]
    models += ["--n-iter", "1"]
    assert _run(path, tmp_path, *models, "--n-permutations", "1", out=out) == 0
    assert (out / "memorization.png").exists()
    (out / "notes.txt").write_text("mine")
    assert _run(path, tmp_path, *models, out=out) == 2  # not without --force
    assert _run(path, tmp_path, *models, "--force", out=out) == 0
    assert not (out / "memorization.png").exists()  # stale plot removed
    assert (out / "notes.txt").read_text() == "mine"  # the user's file kept


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        # A header followed by blank lines: IndexError before.
        (b"a,label\n\n\n", [], "needs a header row and at least one data row"),
        (
            b"a,label,g\n1,0,p1\n2,1,p2\n",
            ["--groups", "label"],
            "--groups and --target name the same column 'label'",
        ),
        (
            b"a,label\n1,active\n2,inactive\n3,active\n4,inactive\n",
            [],
            "compare: cannot tell which of the labels 'active' and 'inactive' is the "
            "positive class; pass pos_label=<label> (skdl compare: --positive LABEL)",
        ),
    ],
)
def test_clear_errors_instead_of_tracebacks(tmp_path, capsys, content, extra, message):
    path = tmp_path / "c.csv"
    path.write_bytes(content)
    assert _run(str(path), tmp_path, *extra) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


@pytest.mark.parametrize("seed", ["-1", "abc"])
def test_negative_seed_is_a_usage_error(tmp_path, capsys, seed):
    with pytest.raises(SystemExit) as info:
        main(["demo", "--seed", seed, "--out", str(tmp_path / "r")])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --seed: must be a non-negative integer; got {seed!r}" in err


@pytest.mark.parametrize("command", ["demo", "compare"])
@pytest.mark.parametrize("n_jobs", ["0", "many"])
def test_bad_n_jobs_is_a_usage_error(tmp_path, capsys, command, n_jobs):
    with pytest.raises(SystemExit) as info:
        main([command, "--n-jobs", n_jobs, "--out", str(tmp_path / "r")])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --n-jobs: must be 'auto' or a non-zero integer" in err


def test_n_jobs_defaults_to_auto_and_reads_integers():
    from skdl.cli import _parser

    parser = _parser()
    assert parser.parse_args(["demo"]).n_jobs == "auto"
    assert parser.parse_args(["demo", "--n-jobs", "-1"]).n_jobs == -1
    assert parser.parse_args(["demo", "--n-jobs", "auto"]).n_jobs == "auto"


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    out = capsys.readouterr().out
    assert "demo" in out and "compare" in out


def test_version():
    import skdl

    result = subprocess.run(
        [sys.executable, "-m", "skdl", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.strip() == skdl.__version__


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (
            b"a,label\n",
            ["--target", "label"],
            "'{path}' needs a header row and at least one",
        ),
        (
            b"a,label\n1,0\n\n2\n",
            ["--target", "label"],
            "line 4 of '{path}' has 1 fields; the header has 2.",
        ),
        (
            b"a,label\n\n"
            + b"".join(b"%d,%d\n" % (i, i % 2) for i in range(12))
            + b"x,1\n",
            ["--target", "label"],
            "column 'a' holds numbers but 'x' on line 15 (and 0 more); fix those "
            "cells or leave them empty (missing)",
        ),
        (
            b"a,label\n1,\xff\n",
            ["--target", "label"],
            "'{path}' is not a UTF-8 text (CSV) file.",
        ),
        (
            b"a,label\n1,B\n2,B\n",
            ["--target", "label", "--positive", "B"],
            "target column 'label' has one class after --positive 'B'",
        ),
    ],
)
def test_malformed_files(tmp_path, capsys, content, extra, message):
    path = tmp_path / "m.csv"
    path.write_bytes(content)
    assert main(["compare", "--data", str(path), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("skdl compare: error: " + message.format(path=path))


# ------------------------------------------- real tables: types, leaks, tasks (#15)
def _messy_csv(path, n=240):
    """Text categories, empty cells, "NA" strings, an ID and a label leak."""
    rng = np.random.RandomState(0)
    signal = rng.randn(n)
    label = np.where(signal + 0.7 * rng.randn(n) > 0.8, "case", "control")
    lines = ["record,age,sex,clinic,marker,discharge_code,outcome"]
    for i in range(n):
        age = "NA" if i % 11 == 0 else f"{40 + 20 * rng.rand():.1f}"
        sex = "" if i % 13 == 0 else rng.choice(["male", "female"])
        clinic = rng.choice(["north", "south", "east", "west"])
        marker = "" if i % 7 == 0 else f"{signal[i] + 0.3 * rng.randn():.3f}"
        code = f"{'D' if label[i] == 'case' else 'H'}{rng.randint(100)}"  # leak
        lines.append(f"S{i:04d},{age},{sex},{clinic},{marker},{code},{label[i]}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_read_table_infers_numbers_with_missing_cells(tmp_path):
    from skdl.cli import read_table

    table = read_table(_messy_csv(tmp_path / "m.csv"))
    assert table["age"].dtype.kind == "f" and table["age"].isna().sum() == 22
    assert table["marker"].dtype.kind == "f"
    assert table["sex"].isna().sum() == 19 and table["sex"].dtype.kind == "O"


def test_id_and_leak_are_flagged_by_name_then_dropped(tmp_path, capsys):
    path = _messy_csv(tmp_path / "messy.csv")
    out = tmp_path / "r"
    argv = ["compare", "--data", str(path), "--target", "outcome", "--out", str(out)]
    argv += ["--positive", "case", "--cv", "3", "--n-iter", "2"]
    argv += ["--models", "LogisticRegression,HistGradientBoosting"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "Column 'record' looks like an identifier" in captured.out
    assert "Column 'discharge_code'" in captured.out
    flags = json.loads((out / "results.json").read_text())["flags"]
    assert len(flags) == 2
    assert "--drop record" in flags[0] and "--drop discharge_code" in flags[1]
    page = (out / "index.html").read_text()
    assert page.count('class="warning"') == 2
    dropped = [*argv, "--force", "--drop", "record", "--drop", "discharge_code"]
    assert main(dropped) == 0
    captured = capsys.readouterr()
    assert "looks like an identifier" not in captured.out
    results = json.loads((out / "results.json").read_text())
    assert results["flags"] == []
    assert 0.6 < results["scores"]["LogisticRegression"]["roc_auc"][0] < 1.0
    assert "Plan: 240 samples, no groups, task binary." in captured.err
    assert "compare: outer fold 1 of 3 done" in captured.err


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90.0), ("30m", 1800.0), ("2h", 7200.0), ("none", None)],
)
def test_time_budget_durations(text, seconds):
    from skdl.cli import _duration

    assert _duration(text) == seconds


@pytest.mark.parametrize("text", ["30", "-5m", "0s", "abc"])
def test_bad_time_budget_is_a_usage_error(text, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["compare", "--data", "x.csv", "--target", "y", f"--time-budget={text}"])
    assert info.value.code == 2
    assert (
        "must be a positive duration such as 90s, 30m or 2h" in capsys.readouterr().err
    )


def test_parquet_without_pyarrow_is_one_line(tmp_path, capsys, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow":
            raise ImportError("no pyarrow")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    path = tmp_path / "t.parquet"
    path.write_bytes(b"PAR1")
    argv = ["compare", "--data", str(path), "--target", "y", "--out", str(tmp_path)]
    assert main([*argv, "--force"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("skdl compare: error: reading Parquet needs pyarrow")


def test_chromosome_groups_with_x_are_not_a_typo(tmp_path, capsys):
    rng = np.random.RandomState(0)
    chroms = [str(c) for c in range(1, 23)] + ["X"]
    lines = ["chrom,a,b,label"]
    for i in range(230):
        lines.append(f"{chroms[i % 23]},{rng.randn():.3f},{rng.randn():.3f},{i % 2}")
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n")
    X, y, groups = load_table(path, "label", groups="chrom")
    assert "X" in groups.tolist() and list(X.columns) == ["a", "b"]


@pytest.mark.parametrize(
    ("column", "positive", "expected"),
    [("TRUE,FALSE,TRUE,FALSE", "TRUE", "True"), ("1,0,2,1.5", "1", "1.0")],
)
def test_positive_matches_the_label_as_written(tmp_path, column, positive, expected):
    values = column.split(",")
    path = tmp_path / "p.csv"
    path.write_text("a,label\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)))
    _, y, _ = load_table(path, "label", positive=positive)
    assert expected in set(y.tolist()) or f"not {expected}" in set(y.tolist())


def test_missing_sequence_is_named(tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_text("seq,label\nACGTACGT,0\n,1\nACGTTTGA,1\n")
    assert _run(str(path), tmp_path, "--sequence", "seq") == 2
    err = capsys.readouterr().err
    assert "--sequence column 'seq' is empty on 1 rows (the first is data row 2)" in err


def test_halving_turns_the_default_time_budget_off(tmp_path, monkeypatch):
    import skdl.comparison

    seen = {}

    def spy(*args, **kwargs):
        seen.update(kwargs)
        raise ValueError("stop here")

    monkeypatch.setattr(skdl.comparison, "compare", spy)
    path = _csv(tmp_path / "t.csv", ["x1", "x2", "label", "patient"], _rows())
    assert _run(path, tmp_path, "--search", "halving") == 2
    assert seen["time_budget"] is None and seen["search"] == "halving"
    assert _run(path, tmp_path, "--force") == 2
    assert seen["time_budget"] == 1800.0
