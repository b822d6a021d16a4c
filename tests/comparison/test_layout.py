"""The comparison harness moved to skdl.comparison; the old names still work."""

import pytest

import skdl
import skdl.comparison
import skdl.model_selection


@pytest.mark.parametrize("name", sorted(skdl.model_selection._MOVED))
def test_moved_names_are_the_same_objects(name):
    assert getattr(skdl.model_selection, name) is getattr(skdl.comparison, name)
    assert name in skdl.comparison.__all__
    assert name not in skdl.model_selection.__all__


def test_unknown_name_still_raises():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        skdl.model_selection.nope  # noqa: B018


def test_skdl_compare_is_the_comparison_one():
    assert skdl.compare is skdl.comparison.compare
