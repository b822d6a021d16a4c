"""Lazy imports of optional dependencies with actionable errors."""

from __future__ import annotations

import importlib
from types import ModuleType


def _import_optional(module: str, package: str, extra: str, caller: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(
            f"{caller} requires {package}. Install it with: pip install skdl[{extra}]"
        ) from e


def import_mapie(caller: str) -> ModuleType:
    """Import mapie or raise an ImportError that names the caller and the extra."""
    return _import_optional("mapie", "mapie", "conformal", caller)


def import_imblearn(caller: str) -> ModuleType:
    """Import imbalanced-learn or raise an ImportError naming the extra."""
    return _import_optional("imblearn", "imbalanced-learn", "imbalance", caller)


def import_rdkit(caller: str) -> ModuleType:
    """Import RDKit or raise an ImportError that names the caller and the extra."""
    return _import_optional("rdkit", "rdkit", "chem", caller)


def import_matplotlib(caller: str) -> ModuleType:
    """Import matplotlib or raise an ImportError that names the caller and extra."""
    return _import_optional("matplotlib", "matplotlib", "report", caller)


def import_captum(caller: str) -> ModuleType:
    """Import ``captum.attr`` or raise an ImportError naming the extra."""
    return _import_optional("captum.attr", "captum", "interpret", caller)


def import_logomaker(caller: str) -> ModuleType:
    """Import logomaker or raise an ImportError that names the caller and extra."""
    return _import_optional("logomaker", "logomaker", "report", caller)


def import_skops(caller: str) -> ModuleType:
    """Import ``skops.io`` or raise an ImportError naming the caller and extra."""
    return _import_optional("skops.io", "skops", "share", caller)
