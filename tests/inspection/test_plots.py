import re

import numpy as np
import pytest
from sklearn.utils import Bunch

matplotlib = pytest.importorskip("matplotlib")
pytest.importorskip("logomaker")

from matplotlib import image as mpimg  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from skdl.inspection import plot_attribution_logo, plot_ism_heatmap  # noqa: E402

PROTEIN = "ACDEFGHIKLMNPQRSTVWY"


@pytest.fixture(autouse=True)
def no_pyplot_figures():
    """The plots never open a pyplot figure."""
    before = plt.get_fignums()
    yield
    assert plt.get_fignums() == before == []


def _one_hot(codes, n_letters):
    codes = np.asarray(codes)
    onehot = np.zeros((n_letters, codes.size))
    onehot[codes, np.arange(codes.size)] = 1.0
    return onehot


def _attribution_result(n_samples=3, length=30, alphabet="ACGT", seed=0):
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, len(alphabet), size=(n_samples, length))
    onehot = np.stack([_one_hot(c, len(alphabet)) for c in codes])
    values = onehot * rng.normal(size=onehot.shape)
    return Bunch(attributions=values, alphabet=alphabet)


def _ism_result(n_samples=2, length=20, alphabet="ACGT", seed=0):
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, len(alphabet), size=(n_samples, length))
    reference = np.stack([_one_hot(c, len(alphabet)) for c in codes])
    effects = rng.normal(size=reference.shape)
    effects[reference == 1] = 0.0
    return Bunch(
        effects=effects,
        reference=reference,
        alphabet=alphabet,
        reference_scores=rng.normal(size=n_samples),
        response="log-odds of class 1",
    )


def _glyph_boxes(ax):
    """(x centre, ymin, ymax) of every drawn letter, in data coordinates."""
    boxes = []
    for patch in ax.patches:
        extents = patch.get_path().get_extents()
        boxes.append(((extents.x0 + extents.x1) / 2, extents.y0, extents.y1))
    return np.array(boxes)


# --- plot_attribution_logo -------------------------------------------------


def test_logo_title_axes_and_labels():
    figure = plot_attribution_logo(_attribution_result(), index=2)
    assert [ax.get_title() for ax in figure.axes] == ["sequence 2"]
    (ax,) = figure.axes
    assert ax.get_xlabel() == "position"
    assert ax.get_ylabel() == "attribution"


def test_logo_custom_title():
    figure = plot_attribution_logo(_attribution_result(), title="CTCF site")
    assert [ax.get_title() for ax in figure.axes] == ["CTCF site"]


def test_logo_letter_heights_follow_the_data():
    result = _attribution_result(n_samples=1, length=12)
    values = result.attributions[0]
    figure = plot_attribution_logo(result)
    (ax,) = figure.axes
    boxes = _glyph_boxes(ax)
    # one letter per position (the others are zero and not drawn)
    assert len(boxes) == 12
    boxes = boxes[np.argsort(boxes[:, 0])]
    np.testing.assert_allclose(boxes[:, 0], np.arange(12), atol=1e-6)
    heights = values.sum(axis=0)  # the one non-zero value per position
    # positive letters stand on the zero line, negative ones hang below it
    expected_low = np.minimum(heights, 0.0)
    expected_high = np.maximum(heights, 0.0)
    np.testing.assert_allclose(boxes[:, 1], expected_low, atol=1e-6)
    np.testing.assert_allclose(boxes[:, 2], expected_high, atol=1e-6)
    low, high = ax.get_ylim()
    assert low <= heights.min() and high >= heights.max()


def test_logo_stacks_several_letters_per_position():
    values = np.array([[1.0, 0.5], [2.0, -0.5], [-1.0, 0.25], [0.0, 0.25]])
    figure = plot_attribution_logo(values)
    (ax,) = figure.axes
    low, high = ax.get_ylim()
    # the column sums of positives and of negatives set the limits
    assert low == pytest.approx(-1.0)
    assert high == pytest.approx(3.0)
    boxes = _glyph_boxes(ax)
    at_zero = boxes[np.isclose(boxes[:, 0], 0.0)]
    np.testing.assert_allclose(
        np.sort(at_zero[:, 2] - at_zero[:, 1]), [1.0, 1.0, 2.0], atol=1e-6
    )


def test_logo_letter_colors_use_classic_scheme():
    values = np.zeros((4, 4))
    values[np.arange(4), np.arange(4)] = 1.0  # A, C, G, T at positions 0..3
    figure = plot_attribution_logo(values)
    (ax,) = figure.axes
    order = np.argsort(_glyph_boxes(ax)[:, 0])
    colors = [ax.patches[i].get_facecolor()[:3] for i in order]
    expected = [(0, 0.5, 0), (0, 0, 1), (1, 0.65, 0), (1, 0, 0)]  # A C G T
    np.testing.assert_allclose(colors, expected, atol=1e-6)


def test_logo_window_sets_x_limits():
    result = _attribution_result(length=40)
    figure = plot_attribution_logo(result, index=1, start=10, stop=25)
    (ax,) = figure.axes
    low, high = ax.get_xlim()
    assert low == pytest.approx(9.5, abs=0.1)
    assert high == pytest.approx(24.5, abs=0.1)
    centres = _glyph_boxes(ax)[:, 0]
    assert centres.min() >= 10 - 1e-6 and centres.max() <= 24 + 1e-6


def test_logo_width_grows_with_positions_and_is_clamped():
    result = _attribution_result(length=400)
    narrow = plot_attribution_logo(result, stop=10).get_size_inches()[0]
    middle = plot_attribution_logo(result, stop=100).get_size_inches()[0]
    wide = plot_attribution_logo(result).get_size_inches()[0]
    assert narrow == pytest.approx(4.0)
    assert middle == pytest.approx(12.0)
    assert wide == pytest.approx(20.0)


def test_logo_draws_zero_line():
    figure = plot_attribution_logo(_attribution_result())
    (ax,) = figure.axes
    assert any(np.allclose(line.get_ydata(), 0.0) for line in ax.lines)


def test_logo_from_array_defaults_to_acgt_and_accepts_2d():
    result = _attribution_result(n_samples=1)
    from_bunch = _glyph_boxes(plot_attribution_logo(result).axes[0])
    from_3d = _glyph_boxes(plot_attribution_logo(result.attributions).axes[0])
    from_2d = _glyph_boxes(plot_attribution_logo(result.attributions[0]).axes[0])
    np.testing.assert_allclose(from_3d, from_bunch)
    np.testing.assert_allclose(from_2d, from_bunch)


def test_logo_protein_alphabet():
    result = _attribution_result(n_samples=1, length=25, alphabet=PROTEIN)
    figure = plot_attribution_logo(result)
    (ax,) = figure.axes
    assert len(ax.patches) == 25
    # "chemistry": acidic D and E red, basic K R H blue
    values = np.zeros((20, 2))
    values[PROTEIN.index("D"), 0] = 1.0
    values[PROTEIN.index("K"), 1] = 1.0
    ax = plot_attribution_logo(values, alphabet=PROTEIN).axes[0]
    order = np.argsort(_glyph_boxes(ax)[:, 0])
    colors = [ax.patches[i].get_facecolor()[:3] for i in order]
    np.testing.assert_allclose(colors, [(1, 0, 0), (0, 0, 1)], atol=1e-6)


@pytest.mark.parametrize("alphabet", ["ACGTN", PROTEIN + "X", "XYZ", "acgt"])
def test_logo_any_alphabet_draws_without_warning(alphabet, recwarn):
    values = np.random.default_rng(0).normal(size=(len(alphabet), 8))
    figure = plot_attribution_logo(values, alphabet=alphabet)
    assert len(figure.axes[0].patches) == 8 * len(alphabet)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


def test_logo_ambiguous_letters_are_grey():
    values = np.zeros((5, 2))
    values[0, 0] = 1.0  # A: classic green
    values[4, 1] = 1.0  # N: grey
    ax = plot_attribution_logo(values, alphabet="ACGTN").axes[0]
    order = np.argsort(_glyph_boxes(ax)[:, 0])
    colors = [ax.patches[i].get_facecolor()[:3] for i in order]
    np.testing.assert_allclose(colors, [(0, 0.5, 0), (0.5, 0.5, 0.5)], atol=1e-6)


def test_logo_nan_is_drawn_as_zero():
    result = _attribution_result(n_samples=1, length=10)
    result.attributions[0, :, 6:] = np.nan  # a shorter sequence
    ax = plot_attribution_logo(result).axes[0]
    assert _glyph_boxes(ax)[:, 0].max() <= 5 + 1e-6
    assert ax.get_xlim()[1] == pytest.approx(9.5, abs=0.1)


def test_logo_all_zero_window_draws_empty_axes(recwarn):
    figure = plot_attribution_logo(np.zeros((4, 10)))
    ax = figure.axes[0]
    assert len(ax.patches) == 0
    assert ax.get_ylim() == (-1.0, 1.0)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


def test_logo_saves_png(tmp_path):
    figure = plot_attribution_logo(_attribution_result(length=60), start=5)
    path = tmp_path / "logo.png"
    figure.savefig(path, dpi=50)
    image = mpimg.imread(path)
    assert image.ndim == 3 and image.shape[0] > 0 and image.shape[1] > 0
    assert image[..., :3].std() > 0  # something was drawn on the white


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"index": 3}, "index=3 is out of range; there are 3 sequences"),
        ({"start": 30}, "start=30 is past the end of the sequences"),
        (
            {"start": 5, "stop": 5},
            re.escape("the window [start, stop) = [5, 5) is empty"),
        ),
        ({"stop": 31}, "stop=31 is past the end of the sequences"),
    ],
)
def test_logo_out_of_range(kwargs, match):
    with pytest.raises(ValueError, match=f"plot_attribution_logo: {match}"):
        plot_attribution_logo(_attribution_result(), **kwargs)


@pytest.mark.parametrize(
    "kwargs, name",
    [({"index": -1}, "index"), ({"start": -2}, "start"), ({"stop": 0}, "stop")],
)
def test_logo_negative_arguments(kwargs, name):
    with pytest.raises(
        ValueError, match=f"The '{name}' parameter of plot_attribution_logo"
    ):
        plot_attribution_logo(_attribution_result(), **kwargs)


def test_logo_non_integer_index():
    with pytest.raises(TypeError, match="The 'index' parameter of plot_attribution"):
        plot_attribution_logo(_attribution_result(), index=1.0)


@pytest.mark.parametrize("shape", [(4,), (2, 2, 4, 10)])
def test_logo_wrong_ndim(shape):
    with pytest.raises(
        ValueError,
        match=re.escape(
            "plot_attribution_logo: attributions must have shape (n_samples, "
            f"n_letters, length) or (n_letters, length); got shape {shape}."
        ),
    ):
        plot_attribution_logo(np.ones(shape))


def test_logo_all_nan_window():
    result = _attribution_result(n_samples=1, length=10)
    result.attributions[0, :, 6:] = np.nan
    with pytest.raises(ValueError, match="plot_attribution_logo: .* are all NaN"):
        plot_attribution_logo(result, start=6)


def test_logo_infinite_values():
    values = np.zeros((4, 5))
    values[0, 2] = np.inf
    with pytest.raises(ValueError, match="contain infinite values"):
        plot_attribution_logo(values)


def test_logo_bunch_without_alphabet():
    result = _attribution_result()
    del result["alphabet"]
    with pytest.raises(ValueError, match="plot_attribution_logo: the Bunch has no"):
        plot_attribution_logo(result)


def test_logo_alphabet_conflicts_with_bunch():
    with pytest.raises(ValueError, match="differs from the result's alphabet"):
        plot_attribution_logo(_attribution_result(), alphabet="ACGU")


def test_logo_needs_alphabet_beyond_four_rows():
    with pytest.raises(ValueError, match="pass alphabet= with one letter per row"):
        plot_attribution_logo(np.ones((20, 5)))


@pytest.mark.parametrize(
    "alphabet, match",
    [("ACG", "has 3 letters but the values have 4 rows"), ("AACG", "distinct")],
)
def test_logo_bad_alphabet(alphabet, match):
    with pytest.raises(ValueError, match=f"plot_attribution_logo: .*{match}"):
        plot_attribution_logo(np.ones((4, 5)), alphabet=alphabet)


def test_logo_non_numeric_values():
    with pytest.raises(ValueError, match="attributions must be numeric"):
        plot_attribution_logo(np.array([["a", "b"], ["c", "d"]]))


# --- plot_ism_heatmap ------------------------------------------------------


def test_heatmap_title_axes_and_colorbar_label():
    figure = plot_ism_heatmap(_ism_result(), index=1)
    assert len(figure.axes) == 2
    assert figure.axes[0].get_title() == "in-silico mutagenesis, sequence 1"
    assert figure.axes[0].get_xlabel() == "position"
    assert figure.axes[1].get_ylabel() == "change in log-odds of class 1"


def test_heatmap_custom_title_and_missing_response():
    ism = _ism_result()
    del ism["response"]
    figure = plot_ism_heatmap(ism, title="enhancer")
    assert figure.axes[0].get_title() == "enhancer"
    assert figure.axes[1].get_ylabel() == "change in score"


def test_heatmap_image_is_the_effects_window():
    ism = _ism_result(length=30)
    figure = plot_ism_heatmap(ism, index=1, start=4, stop=17)
    ax = figure.axes[0]
    shown = ax.images[0].get_array()
    np.testing.assert_array_equal(np.ma.filled(shown, np.nan), ism.effects[1, :, 4:17])
    assert ax.get_xlim() == pytest.approx((3.5, 16.5))
    assert [t.get_text() for t in ax.get_yticklabels()] == list("ACGT")


def test_heatmap_colour_limits_are_symmetric():
    ism = _ism_result()
    ism.effects[0, 0, 3] = 5.0  # the largest |effect| in sequence 0
    ism.effects[0, 1, 3] = -2.0
    image = plot_ism_heatmap(ism).axes[0].images[0]
    assert image.get_clim() == (-5.0, 5.0)
    assert image.get_cmap().name.startswith("RdBu_r")
    # gains are red, losses blue
    red, _, blue, _ = image.get_cmap()(image.norm(5.0))
    assert red > blue


def test_heatmap_reference_marks_at_reference_letters():
    ism = _ism_result(length=15)
    ism.reference[0, :, 7] = 0.25  # an N: no single reference letter
    ism.reference[0, :, 14] = 0.0  # padding
    ax = plot_ism_heatmap(ism, start=2).axes[0]
    offsets = np.asarray(ax.collections[0].get_offsets())
    rows, columns = np.nonzero(ism.reference[0, :, 2:] == 1.0)
    expected = np.column_stack([columns + 2, rows])
    np.testing.assert_array_equal(
        offsets[np.lexsort(offsets.T)], expected[np.lexsort(expected.T)]
    )
    assert 7 not in offsets[:, 0] and 14 not in offsets[:, 0]
    assert len(offsets) == 11


def test_heatmap_nan_cells_are_masked():
    ism = _ism_result(length=20)
    ism.effects[0, :, 12:] = np.nan  # outside the mutated window
    image = plot_ism_heatmap(ism).axes[0].images[0]
    mask = np.ma.getmaskarray(image.get_array())
    assert mask[:, 12:].all() and not mask[:, :12].any()
    assert image.get_clim()[1] == pytest.approx(np.nanmax(np.abs(ism.effects[0])))


def test_heatmap_protein_alphabet():
    ism = _ism_result(n_samples=1, length=12, alphabet=PROTEIN)
    ax = plot_ism_heatmap(ism).axes[0]
    assert ax.images[0].get_array().shape == (20, 12)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(PROTEIN)
    assert len(ax.collections[0].get_offsets()) == 12


def test_heatmap_all_zero_effects():
    ism = _ism_result()
    ism.effects[:] = 0.0
    image = plot_ism_heatmap(ism).axes[0].images[0]
    assert image.get_clim() == (-1.0, 1.0)


def test_heatmap_saves_png(tmp_path):
    figure = plot_ism_heatmap(_ism_result(length=50), stop=40)
    path = tmp_path / "ism.png"
    figure.savefig(path, dpi=50)
    image = mpimg.imread(path)
    assert image.ndim == 3 and image.shape[0] > 0 and image.shape[1] > 0
    assert image[..., :3].std() > 0


def test_heatmap_rejects_array():
    with pytest.raises(
        TypeError,
        match="plot_ism_heatmap: ism must be the Bunch returned by "
        "skdl.inspection.in_silico_mutagenesis; got ndarray.",
    ):
        plot_ism_heatmap(np.zeros((1, 4, 5)))


def test_heatmap_missing_key():
    ism = _ism_result()
    del ism["reference"]
    with pytest.raises(ValueError, match="plot_ism_heatmap: ism has no 'reference'"):
        plot_ism_heatmap(ism)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"index": 2}, "index=2 is out of range; there are 2 sequences"),
        (
            {"start": 12, "stop": 10},
            re.escape("the window [start, stop) = [12, 10) is empty"),
        ),
        ({"stop": 21}, "stop=21 is past the end of the sequences"),
    ],
)
def test_heatmap_out_of_range(kwargs, match):
    with pytest.raises(ValueError, match=f"plot_ism_heatmap: {match}"):
        plot_ism_heatmap(_ism_result(), **kwargs)


def test_heatmap_negative_index():
    with pytest.raises(ValueError, match="The 'index' parameter of plot_ism_heatmap"):
        plot_ism_heatmap(_ism_result(), index=-1)


def test_heatmap_wrong_ndim():
    ism = _ism_result()
    ism.effects = ism.effects[0]
    with pytest.raises(
        ValueError, match=r"plot_ism_heatmap: ism.effects must have shape .* \(4, 20\)"
    ):
        plot_ism_heatmap(ism)


def test_heatmap_reference_shape_mismatch():
    ism = _ism_result()
    ism.reference = ism.reference[:, :, :10]
    with pytest.raises(ValueError, match="ism.reference has shape"):
        plot_ism_heatmap(ism)


def test_heatmap_all_nan_window():
    ism = _ism_result()
    ism.effects[1, :, 15:] = np.nan
    with pytest.raises(ValueError, match="plot_ism_heatmap: .* are all NaN"):
        plot_ism_heatmap(ism, index=1, start=15)


def test_heatmap_alphabet_mismatch():
    ism = _ism_result()
    ism.alphabet = "ACGTN"
    with pytest.raises(ValueError, match="has 5 letters but the values have 4 rows"):
        plot_ism_heatmap(ism)
