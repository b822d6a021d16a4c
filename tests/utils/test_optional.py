import re
import runpy
import sys

import pytest

from skdl.utils._optional import (
    _import_optional,
    import_imblearn,
    import_mapie,
    import_matplotlib,
)


def test_missing_package_names_caller_and_extra():
    message = (
        "Thing.fit requires not-a-package. Install it with: pip install skdl[conformal]"
    )
    with pytest.raises(ImportError, match=re.escape(message)) as info:
        _import_optional(
            "skdl_no_such_module", "not-a-package", "conformal", "Thing.fit"
        )
    assert isinstance(info.value.__cause__, ImportError)


@pytest.mark.parametrize(
    "helper, module",
    [
        (import_mapie, "mapie"),
        (import_imblearn, "imblearn"),
        (import_matplotlib, "matplotlib"),
    ],
)
def test_helpers_import_or_explain(helper, module, monkeypatch):
    monkeypatch.setitem(sys.modules, module, None)  # simulate "not installed"
    with pytest.raises(ImportError, match=re.escape("caller requires")):
        helper("caller")


def test_module_entry_point(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["skdl"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("skdl", run_name="__main__")
    assert info.value.code == 2
    assert "usage: skdl" in capsys.readouterr().out
