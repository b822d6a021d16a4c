"""docs/api.rst lists exactly the names each public subpackage exports."""

import importlib
import re
from pathlib import Path

import pytest

from tests._public_api import PUBLIC_MODULES

API = Path(__file__).parents[1] / "docs" / "api.rst"
MODULES = PUBLIC_MODULES


def _documented():
    sections, current = {}, None
    for line in API.read_text().splitlines():
        if line.startswith(".. currentmodule::"):
            current = line.split("::")[1].strip()
            sections.setdefault(current, set())
        elif current and re.match(r"^   [A-Za-z_]\w*$", line):
            sections[current].add(line.strip())
    return sections


@pytest.mark.parametrize("module_name", MODULES)
def test_api_reference_matches_all(module_name):
    module = importlib.import_module(module_name)
    assert _documented().get(module_name) == set(module.__all__)


def test_every_documented_module_is_checked():
    assert set(_documented()) == set(MODULES)
