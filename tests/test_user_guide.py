"""The examples in the user guide pages run and hold."""

import doctest
from pathlib import Path

import pytest

GUIDE = Path(__file__).parents[1] / "docs" / "user_guide"


@pytest.mark.parametrize(
    "page",
    [
        "convnet.rst",
        "transformer.rst",
        "compare.rst",
        "inspection.rst",
        "conformal.rst",
        "imbalance.rst",
        "groups_and_early_stopping.rst",
    ],
)
def test_user_guide_examples(page):
    result = doctest.testfile(
        str(GUIDE / page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 5
    assert result.failed == 0
