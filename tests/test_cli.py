import re
import subprocess
import sys

import pytest

from skdl.cli import demo_candidates, main, run_demo


def test_candidates_get_the_same_budget():
    from sklearn.model_selection import ParameterGrid

    sizes = {
        name: len(ParameterGrid(grid)) for name, (_, grid) in demo_candidates().items()
    }
    assert len(set(sizes.values())) == 1


def test_demo_prints_table(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines[1].startswith("model") and "test auPRC" in lines[1]
    for name in ("MLPNetClassifier", "LogisticRegression"):
        row = next(line for line in lines if line.startswith(name))
        match = re.search(
            r"(\d\.\d{3}) \((\d\.\d{3})\)\s+(\d\.\d{3})\s+(\d\.\d{3})", row
        )
        cv, sd, test_auprc, test_auroc = map(float, match.groups())
        assert all(0.9 < x <= 1.0 for x in (cv, test_auprc, test_auroc))
        assert 0.0 <= sd < 0.1


def test_demo_is_reproducible():
    import io

    a = run_demo(random_state=1, out=io.StringIO())
    b = run_demo(random_state=1, out=io.StringIO())
    strip = [{k: v for k, v in row.items() if k != "fit_seconds"} for row in a]
    assert strip == [{k: v for k, v in row.items() if k != "fit_seconds"} for row in b]


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


def test_version():
    import skdl

    with pytest.raises(SystemExit):
        main(["--version"])
    result = subprocess.run(
        [sys.executable, "-m", "skdl", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.strip() == skdl.__version__
