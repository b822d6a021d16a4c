"""compare(memory=...): a killed comparison resumes, fits only what is missing."""

import os
import pickle
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from skdl.comparison import compare, label_shuffle_test
from skdl.exceptions import SkdlWarning

# A comparison run as its own process, as a user's script or a cluster job is.
# Every fit is logged to FIT_LOG; at fit number STOP_AT the process kills
# itself with STOP_SIGNAL (the fit is logged, not finished). 2 candidates x 3
# outer folds x (2 configurations x 2 inner folds + 1 refit) = 30 fits, then
# 1 label shuffle = 3 outer folds x 5 = 15 fits.
SCRIPT = textwrap.dedent(
    """
    import os, pickle, signal, sys

    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from skdl.comparison import compare


    class Counting(LogisticRegression):
        def fit(self, X, y, **params):
            with open(os.environ["FIT_LOG"], "a") as log:
                log.write("fit\\n")
            with open(os.environ["FIT_LOG"]) as log:
                n_fits = len(log.readlines())
            if n_fits == int(os.environ.get("STOP_AT", "0")):
                os.kill(os.getpid(), getattr(signal, os.environ["STOP_SIGNAL"]))
            return super().fit(X, y, **params)


    X, y = make_classification(
        150, 5, n_informative=3, class_sep=0.5, weights=[0.75], random_state=0
    )
    memory = None if sys.argv[1] == "none" else sys.argv[1]
    result = compare(
        {
            "wide": (Counting(), {"C": [0.1, 1.0]}),
            "narrow": (Counting(fit_intercept=False), {"C": [0.01, 10.0]}),
        },
        X, y, cv=3, inner_cv=2, search="grid", n_permutations=1, memory=memory,
        n_jobs=1, random_state=0,
    )
    with open(sys.argv[2], "wb") as file:
        pickle.dump(
            {
                "scores": result.scores,
                "oof_score": result.oof_score,
                "best_params": result.best_params,
                "train_score": result.train_score,
                "shuffled": result.memorization.permutation_scores,
                "winner": result.winner,
            },
            file,
        )
    """
)
TOTAL_FITS = 45
FITS_PER_SEARCH = 5


def _run(tmp_path, memory, out, *, stop_at=0, stop_signal="SIGKILL"):
    script = tmp_path / "run_compare.py"
    script.write_text(SCRIPT)
    log = tmp_path / f"fits-{out}.log"
    env = {
        **os.environ,
        "FIT_LOG": str(log),
        "STOP_AT": str(stop_at),
        "STOP_SIGNAL": stop_signal,
    }
    done = subprocess.run(
        [sys.executable, str(script), str(memory), str(tmp_path / out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    n_fits = len(log.read_text().splitlines()) if log.exists() else 0
    return done, n_fits


def _load(path):
    with open(path, "rb") as file:
        return pickle.load(file)


def _assert_same(a, b):
    assert a["winner"] == b["winner"]
    assert a["best_params"] == b["best_params"]
    np.testing.assert_array_equal(a["shuffled"], b["shuffled"])
    for name in a["scores"]:
        for metric in a["scores"][name]:
            np.testing.assert_array_equal(
                a["scores"][name][metric], b["scores"][name][metric]
            )
        np.testing.assert_array_equal(a["oof_score"][name], b["oof_score"][name])
        np.testing.assert_array_equal(a["train_score"][name], b["train_score"][name])


def test_a_killed_comparison_resumes_and_fits_only_what_is_missing(tmp_path):
    memory = tmp_path / "cache"
    # SIGKILL at the 13th fit: 2 searches (10 fits) finished, the third had
    # done 2 fits and is lost.
    killed, n_first = _run(tmp_path, memory, "first", stop_at=13)
    assert killed.returncode == -9, killed.stderr
    assert n_first == 13
    saved = sorted(p.name for p in memory.iterdir())
    assert [name.split("-")[0] for name in saved] == ["search", "search"]
    assert not any(name.startswith(".") for name in saved)  # no torn entry

    resumed, n_second = _run(tmp_path, memory, "second")
    assert resumed.returncode == 0, resumed.stderr
    assert n_second == TOTAL_FITS - 2 * FITS_PER_SEARCH

    reference, n_reference = _run(tmp_path, "none", "reference")
    assert reference.returncode == 0, reference.stderr
    assert n_reference == TOTAL_FITS
    _assert_same(_load(tmp_path / "second"), _load(tmp_path / "reference"))

    # Everything is saved now: a third run fits nothing.
    again, n_third = _run(tmp_path, memory, "third")
    assert again.returncode == 0 and n_third == 0
    _assert_same(_load(tmp_path / "third"), _load(tmp_path / "reference"))


def test_sigterm_stops_cleanly_and_says_how_to_resume(tmp_path):
    memory = tmp_path / "cache"
    stopped, n_first = _run(
        tmp_path, memory, "first", stop_at=18, stop_signal="SIGTERM"
    )
    assert stopped.returncode != 0
    assert "Traceback" not in stopped.stderr.split("compare: stopped")[0]
    assert "compare: stopped after 3 of 6 searches" in stopped.stderr
    assert str(memory) in stopped.stderr and "to resume" in stopped.stderr
    resumed, n_second = _run(tmp_path, memory, "second")
    assert resumed.returncode == 0, resumed.stderr
    assert n_second == TOTAL_FITS - 3 * FITS_PER_SEARCH


class _Counting(LogisticRegression):
    fits = 0

    def fit(self, X, y, **params):
        type(self).fits += 1
        return super().fit(X, y, **params)


def _data():
    return make_classification(
        120, 5, n_informative=3, class_sep=0.5, weights=[0.75], random_state=1
    )


def _compare(memory, grid=(0.1, 1.0)):
    X, y = _data()
    return compare(
        {"logistic": (_Counting(), {"C": list(grid)})},
        X,
        y,
        cv=3,
        inner_cv=2,
        search="grid",
        memory=memory,
        random_state=0,
    )


def test_damaged_entries_are_recomputed_never_trusted(tmp_path):
    first = _compare(tmp_path)
    entries = sorted(tmp_path.glob("search-*.pkl"))
    assert len(entries) == 3
    # One cut short (as by a full disk), one edited, one misplaced (renamed to
    # another unit's key), and a temporary file left by a kill mid-write.
    data = entries[0].read_bytes()
    entries[0].write_bytes(data[: len(data) // 2])
    edited = bytearray(entries[1].read_bytes())
    edited[-20] ^= 0xFF
    entries[1].write_bytes(bytes(edited))
    (tmp_path / f".{entries[2].name}.x1y2.tmp").write_bytes(b"torn")
    _Counting.fits = 0
    with pytest.warns(SkdlWarning, match="damaged") as caught:
        second = _compare(tmp_path)
    assert len(caught) == 2
    assert _Counting.fits == 2 * FITS_PER_SEARCH
    np.testing.assert_array_equal(
        first.oof_score["logistic"], second.oof_score["logistic"]
    )

    entries[2].rename(entries[0])  # another search's entry under this one's name
    _Counting.fits = 0
    with pytest.warns(SkdlWarning, match="belongs to another unit"):
        _compare(tmp_path)
    assert _Counting.fits == 2 * FITS_PER_SEARCH  # both searches are redone
    np.testing.assert_array_equal(
        first.oof_score["logistic"], _compare(tmp_path).oof_score["logistic"]
    )


def test_a_changed_grid_or_data_is_not_taken_from_the_cache(tmp_path):
    _compare(tmp_path)
    _Counting.fits = 0
    _compare(tmp_path, grid=(0.1, 2.0))
    assert _Counting.fits == 3 * FITS_PER_SEARCH
    _Counting.fits = 0
    X, y = _data()
    X[0, 0] += 1e-6
    compare(
        {"logistic": (_Counting(), {"C": [0.1, 1.0]})},
        X,
        y,
        cv=3,
        inner_cv=2,
        search="grid",
        memory=tmp_path,
        random_state=0,
    )
    assert _Counting.fits == 3 * FITS_PER_SEARCH


def test_label_shuffle_test_saves_each_shuffle(tmp_path):
    X, y = _data()
    kwargs = {"cv": 3, "scoring": "roc_auc", "n_permutations": 3, "random_state": 0}
    _Counting.fits = 0
    first = label_shuffle_test(_Counting(), X, y, memory=tmp_path, **kwargs)
    assert _Counting.fits == 4 * 3
    assert len(list(tmp_path.glob("shuffle-*.pkl"))) == 3
    _Counting.fits = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        second = label_shuffle_test(_Counting(), X, y, memory=tmp_path, **kwargs)
    assert _Counting.fits == 3  # the real score only
    np.testing.assert_array_equal(first.permutation_scores, second.permutation_scores)
    assert first.pvalue == second.pvalue


def test_cache_files_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    from skdl.comparison._cache import MISSING, ResultCache

    cache = ResultCache(tmp_path)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        cache.save("search", "k", {"big": np.zeros(10)})
    assert list(Path(tmp_path).iterdir()) == []  # no entry, no temporary file
    assert cache.load("search", "k") is MISSING


class _LocalFunction(LogisticRegression):
    def fit(self, X, y, **params):
        super().fit(X, y, **params)
        self.transform_ = lambda Z: Z  # not picklable
        return self


def test_work_that_cannot_be_saved_is_done_and_said(tmp_path):
    X, y = _data()
    candidates = {"local": (_LocalFunction(), {"C": [0.1, 1.0]})}
    with pytest.warns(SkdlWarning, match="cannot be saved") as caught:
        result = compare(candidates, X, y, cv=3, memory=tmp_path, random_state=0)
    assert len(caught) == 3  # one per outer fold's search, none fatal
    assert list(tmp_path.iterdir()) == []
    reference = compare(candidates, X, y, cv=3, random_state=0)
    np.testing.assert_array_equal(
        result.oof_score["local"], reference.oof_score["local"]
    )
