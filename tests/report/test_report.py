"""The report: files, PNG panels, HTML content, model card."""

import html
import json
import re

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

from skdl.comparison import compare
from skdl.comparison._sentences import shuffle_sentence, verdict_sentence
from skdl.report import model_card, plot_memorization, write_report
from skdl.report._html import FIGURES

EXPECTED_PANELS = {
    "curves.png": "FDR-recall; Precision-recall",
    "fold_scores.png": "average_precision; recall_at_5pct_fdr",
    "tuning_gap.png": "Train vs tuning score",
    "memorization.png": "Label-shuffle test",
}


def check_png(path, panels):
    """Open a PNG and check it is a real, non-blank plot with the given panels."""
    assert path.stat().st_size > 5000
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.width > 300 and image.height > 200
        assert image.text["Description"] == f"panels: {panels}"
        pixels = np.asarray(image.convert("L"))
    assert pixels.std() > 5  # not a blank canvas


@pytest.fixture(scope="module")
def result():
    X, y = make_classification(
        n_samples=300, weights=[0.9], n_informative=5, random_state=0
    )
    groups = np.arange(len(y)) % 30
    return compare(
        {
            "logistic": (LogisticRegression(), {"C": [0.01, 1.0]}),
            "dummy": (DummyClassifier(), {"strategy": ["prior", "most_frequent"]}),
        },
        X,
        y,
        groups=groups,
        n_permutations=3,
        random_state=0,
    )


def test_report_files_and_plots(result, tmp_path):
    page = write_report(
        result,
        tmp_path / "report",
        data_description="Simulated tabular data.",
        sensitive_data="Derived from patient records; do not share the model.",
    )
    folder = page.parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*FIGURES["binary"], "index.html", "model_card.md", "results.json"]
    )
    for name, panels in EXPECTED_PANELS.items():
        check_png(folder / name, panels)
    text = page.read_text()
    for name in FIGURES["binary"]:
        assert f'<img src="{name}"' in text
    # the sentences are the summary's, word for word
    assert f"<p>{html.escape(verdict_sentence(result))}.</p>" in text
    assert "Winner: logistic (significantly better" in text
    shuffle = result.memorization
    assert f"real labels {shuffle.score:.3f}" in text
    assert f"shuffled labels {np.mean(shuffle.permutation_scores):.3f}" in text
    assert f"<p>{html.escape(shuffle_sentence(result))}</p>" in text
    assert verdict_sentence(result) in result.summary()
    assert f"Verdict: {verdict_sentence(result)}." in model_card(result)
    assert "Derived from patient records" in text
    stored = json.loads((folder / "results.json").read_text())
    assert stored["winner"] == "logistic"
    assert stored["scores"]["logistic"]["roc_auc"] == pytest.approx(
        result.scores["logistic"]["roc_auc"].tolist()
    )
    assert stored["memorization"]["pvalue"] == pytest.approx(shuffle.pvalue)


def test_report_without_shuffle_test_has_no_memorization_plot(tmp_path):
    X, y = make_classification(n_samples=150, random_state=0)
    plain = compare({"logistic": LogisticRegression()}, X, y, random_state=0)
    folder = write_report(plain, tmp_path).parent
    assert not (folder / "memorization.png").exists()
    assert "<p>Label-shuffle test: not run.</p>" in (folder / "index.html").read_text()
    with pytest.raises(ValueError, match=re.escape("run compare with n_permutations")):
        plot_memorization(plain)


def test_model_card_sections_and_intervals(result):
    card = model_card(
        result,
        data_description="Simulated.",
        sensitive_data="Patient data.",
        limitations=["Only one cohort."],
    )
    headings = re.findall(r"^## (.+)$", card, flags=re.M)
    assert headings == [
        "Model",
        "Data",
        "Splits",
        "Tuning",
        "Metrics",
        "Comparison",
        "Label-shuffle test",
        "Known limitations",
    ]
    assert card.splitlines()[2].startswith("> **Warning: trained on sensitive data.**")
    assert "- Only one cohort." in card
    assert "30 groups, never split" in card
    rows = re.findall(r"^\| (\w+) \| ([\d.]+) \| \[([\d.]+), ([\d.]+)\] \|", card, re.M)
    assert {r[0] for r in rows} >= {"average_precision", "roc_auc"}
    for _, estimate, low, high in rows:
        assert float(low) <= float(estimate) <= float(high)
    assert card.count("  - fold ") == 5


def test_card_warns_about_missing_groups_and_few_positives():
    X, y = make_classification(n_samples=200, weights=[0.85], random_state=0)
    result = compare({"logistic": LogisticRegression()}, X, y, random_state=0)
    card = model_card(result)
    assert "No groups were given" in card
    assert f"Only {int(y.sum())} positives" in card
    assert "Warning: trained on sensitive data" not in card


def test_report_names_the_positive_class(tmp_path):
    # disease/healthy: "healthy" is the greater string and used to be the
    # positive class without a word; now pos_label says which, and every output
    # names it.
    X, y = make_classification(n_samples=200, weights=[0.8], random_state=0)
    labels = np.where(y == 1, "disease", "healthy")
    result = compare(
        {"logistic": LogisticRegression(), "dummy": DummyClassifier()},
        X,
        labels,
        pos_label="disease",
        cv=3,
        inner_cv=2,
    )
    assert result.classes[1] == "disease"
    assert result.y_true.sum() == (labels == "disease").sum()
    write_report(result, tmp_path)
    page = (tmp_path / "index.html").read_text()
    assert "Positive class: &#x27;disease&#x27; (" in page
    card = (tmp_path / "model_card.md").read_text()
    assert "Positive class: 'disease' (" in card
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["protocol"]["pos_label"] == "disease"
    assert result.summary().startswith("Task: binary. Positive class: 'disease' (")
