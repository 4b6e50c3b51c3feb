"""The builders' remembered literals and IRIs are the terms rdflib and ``mint`` make afresh."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from kg.builders import base
from kg.builders.base import dec, lit
from kg.ids import mint
from kg.vocab import KGI

VALUES = ["1", 1, True, False, 0, "", "a \"quoted\"\nline", Decimal("0.30"), 2.5]


@pytest.mark.filterwarnings("ignore:Serializing weird numerical")  # ill-typed on purpose
@pytest.mark.parametrize("datatype", [None, XSD.nonNegativeInteger, XSD.decimal, XSD.string])
@pytest.mark.parametrize("value", VALUES)
def test_literal_is_rdflibs(value: object, datatype: object) -> None:
    """Asked twice, the literal equals rdflib's in lexical form, datatype, language and value."""
    for _ in range(2):
        got, want = lit(value, datatype), Literal(value, datatype=datatype)  # type: ignore[arg-type]
        assert (str(got), got.datatype, got.language, got.value, got.ill_typed) == \
            (str(want), want.datatype, want.language, want.value, want.ill_typed)
        assert got.n3() == want.n3()


def test_equal_python_values_stay_apart() -> None:
    """1, True and "1" are equal or alike in Python but three literals."""
    one, true, text = lit(1), lit(True), lit("1")
    assert (one.datatype, true.datatype, text.datatype) == (XSD.integer, XSD.boolean, None)
    assert lit(1) is one and lit(True) is true and lit(1.0).datatype == XSD.double


def test_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache forgets everything once full, and answers the same afterwards."""
    monkeypatch.setattr(base, "CACHED", 3)
    base._LITERALS.clear()
    for i in range(10):
        assert lit(f"v{i}") == Literal(f"v{i}")
        assert len(base._LITERALS) <= 3
    assert dec(Decimal("35")) == Literal("35.0", datatype=XSD.decimal)


def test_mint_remembers_and_still_checks() -> None:
    """A minted IRI is the namespace's term; a bad segment is refused on every call."""
    iri = mint("study", "mission")
    assert iri == KGI["study/mission"] and mint("study", "mission") is iri
    for _ in range(2):
        with pytest.raises(ValueError, match="invalid IRI segment"):
            mint("study", "no/slash")
