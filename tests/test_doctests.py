"""The examples in the package's docstrings run and give what they show (doctest)."""

import doctest
import importlib
import pkgutil

import pytest

import salto_analysis

MODULES = sorted(m.name for m in pkgutil.walk_packages(salto_analysis.__path__, "salto_analysis.")
                 if not m.name.endswith("__main__"))


def test_the_examples_cover_the_core_modules():
    with_examples = {name for name in MODULES if ">>> " in (importlib.import_module(name).__doc__ or "")
                     or any(">>> " in (getattr(v, "__doc__", "") or "")
                            for v in vars(importlib.import_module(name)).values())}
    for core in ("salto_analysis.formatting", "salto_analysis.estimates", "salto_analysis.policy",
                 "salto_analysis.stats", "salto_analysis.tables", "salto_analysis.sentences"):
        assert core in with_examples, core


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
