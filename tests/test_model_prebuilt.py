"""The records' dataclass methods compiled ahead: current, used, identical, never stale."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import FrozenInstanceError, field, fields

import pytest

from kg import model_prebuilt as prebuilt

pytestmark = pytest.mark.skipif(not prebuilt.SUPPORTED,
                                reason="the methods are compiled for Python 3.11's dataclasses")

# The methods of kg.model's records and of the classes a build imports, as a fresh interpreter
# makes them: MODE "plain" (dataclasses itself), "exec" (our stand-in, nothing compiled ahead)
# or "prebuilt" (from kg/model_methods.py); code compared down to bytecode and constants.
DESCRIBE = """
import dataclasses, importlib, inspect, json, sys
import kg.model_prebuilt as p
mode = sys.argv[1]
if mode == "plain":
    p.SUPPORTED = False
elif mode == "exec":
    p._table = lambda: {}
with p.prebuilt():
    for name in ("kg.model", "kg.pipeline", "kg.render.pages", "kg.query.precompute",
                 "kg.export.tables", "kg.shapes_sparql", "kg.pieces"):
        importlib.import_module(name)
out = {"missed": len(p._missed)}
for mod in sorted(n for n in sys.modules if n.split(".")[0] == "kg"):
    m = sys.modules[mod]
    for name, cls in sorted(vars(m).items()):
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == mod:
            name = f"{mod}.{name}"
            out[name] = repr(cls.__dataclass_params__) + repr(getattr(cls, "__slots__", None))
            for meth in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__",
                         "__delattr__"):
                f = cls.__dict__.get(meth)
                if not callable(f):
                    out[f"{name}.{meth}"] = repr(f)
                    continue
                f = getattr(f, "__wrapped__", f)
                c = f.__code__
                out[f"{name}.{meth}"] = [
                    c.co_code.hex(), repr(c.co_consts), c.co_names, c.co_varnames,
                    c.co_freevars, repr(f.__annotations__), repr(f.__defaults__),
                    f.__qualname__, str(inspect.signature(f)), f.__globals__ is vars(m),
                    [repr(x.cell_contents) for x in f.__closure__ or ()]]
print(json.dumps(out))
"""


def _describe(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", DESCRIBE, mode], capture_output=True,
                         text=True, check=True)
    return json.loads(re.sub(r" at 0x[0-9a-f]+", "", out.stdout))  # code objects' addresses


def test_the_compiled_methods_are_current():
    assert prebuilt.METHODS_FILE.read_text(encoding="utf-8") == prebuilt.methods_source(), (
        "stale: run python -m kg.model_prebuilt")


def test_classes_get_the_methods_dataclasses_makes_and_compile_none():
    plain, fallback, compiled = _describe("plain"), _describe("exec"), _describe("prebuilt")
    assert compiled.pop("missed") == 0  # every method came from kg/model_methods.py
    assert fallback.pop("missed") > 300  # the stand-in saw every text
    plain.pop("missed")
    assert sum(k.startswith("kg.model.") and k.endswith(".__init__") for k in plain) >= 30
    assert sum(k.endswith(".__init__") for k in plain) >= 60
    assert [k for k in plain if plain[k] != compiled.get(k)] == []
    assert [k for k in plain if plain[k] != fallback.get(k)] == []
    assert compiled.keys() == plain.keys() == fallback.keys()


def test_a_cold_and_an_edited_build_compile_no_method():
    assert prebuilt.recorded_texts(prebuilt.RECORD.replace("p._table = lambda: {}\n", "")) == []


def test_a_record_not_compiled_ahead_gets_its_methods_from_exec():
    before = len(prebuilt._missed)

    @prebuilt.record
    class Made:  # no text of this class is in kg/model_methods.py
        """A made-up record."""

        name: str
        tags: tuple[str, ...] = field(default=())

    assert len(prebuilt._missed) - before >= 5  # __init__, __repr__, __eq__, __hash__, ...
    a, b = Made("x"), Made("x", ())
    assert a == b and hash(a) == hash(b) and repr(a).endswith(".Made(name='x', tags=())")
    assert [f.name for f in fields(a)] == ["name", "tags"]
    with pytest.raises(FrozenInstanceError):
        a.name = "y"  # type: ignore[misc]
    assert not hasattr(a, "__dict__")  # slotted
