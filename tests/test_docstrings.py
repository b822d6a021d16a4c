"""Every public object has a numpydoc docstring that matches its signature."""

import importlib
import inspect

import pytest
from numpydoc.docscrape import ClassDoc, FunctionDoc

from tests._public_api import PUBLIC_MODULES


def _public_objects():
    seen = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            seen[f"{module_name}.{name}"] = getattr(module, name)
    return sorted(seen.items())


def _signature_params(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    params = inspect.signature(target).parameters.values()
    return [
        p.name
        for p in params
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


@pytest.mark.parametrize("qualname, obj", _public_objects())
def test_docstring_matches_signature(qualname, obj):
    doc = ClassDoc(obj) if inspect.isclass(obj) else FunctionDoc(obj)
    assert doc["Summary"], f"{qualname} has no summary line"
    assert doc["Examples"], f"{qualname} has no Examples section"
    if inspect.isclass(obj) and obj.__init__ is object.__init__:
        return
    documented = [p.name.split(":")[0].strip() for p in doc["Parameters"]]
    documented = [n for n in documented if not n.startswith("*")]
    assert documented == _signature_params(obj), qualname


@pytest.mark.parametrize("qualname, obj", _public_objects())
def test_public_methods_are_documented(qualname, obj):
    if not inspect.isclass(obj):
        return
    for name, member in vars(obj).items():
        if name.startswith("_") or not callable(member):
            continue
        assert inspect.getdoc(member), f"{qualname}.{name} has no docstring"
    # Methods inherited from skdl's private mixins are part of the API too.
    for method in ("fit", "predict", "predict_proba"):
        member = getattr(obj, method, None)
        if member is not None and member.__module__.startswith("skdl"):
            doc = FunctionDoc(member)
            names = [p.name for p in doc["Parameters"]]
            assert names == _signature_params(member), f"{qualname}.{method}"


def test_shared_text_was_substituted():
    from skdl.neural_net import MLPNetClassifier, NetRegressor

    for cls in (MLPNetClassifier, NetRegressor):
        assert "{" + "random_state}" not in cls.__doc__
        assert "{" + "training_params}" not in cls.__doc__
        assert "random_state : int, RandomState instance or None" in cls.__doc__
