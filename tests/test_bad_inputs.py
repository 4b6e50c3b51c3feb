"""Table-driven corpus of broken inputs, and property-based tests of the loader.

Each case of ``tests/bad_inputs/cases.yaml`` breaks one rule and asserts the exact messages.
"""

from __future__ import annotations

import shutil
import string
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.sources.loader import InputError, load_corpus
from kg.sources.yamlfile import PyLoader
from tests.conftest import FIXTURES, MINI

CASES = yaml.safe_load((Path(__file__).parent / "bad_inputs" / "cases.yaml").read_text())


def test_corpus_covers_every_rule():
    rules = {c["rule"] for c in CASES}
    assert len(rules) == len(CASES) >= 25
    for rule in ("yaml-syntax", "missing-field", "unknown-key", "unknown-study", "unknown-arm",
                 "unknown-population", "duplicate-id", "curie-pattern", "quote-not-found",
                 "p-above-1", "ci-reversed", "estimate-outside-ci", "percent-above-100",
                 "count-above-denominator", "count-disagrees-with-percent", "negative-duration"):
        assert rule in rules


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_bad_input_gives_exact_messages(tmp_path: Path, case: dict):
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / case["fixture"] if "fixture" in case else MINI, root)
    path = root / case["file"]
    text = path.read_text()
    assert case["replace"] in text, "the fixture changed; update the case"
    # a lone surrogate in "with" (\udcff) becomes that raw byte: how a case writes bad UTF-8
    path.write_bytes(text.replace(case["replace"], case["with"], 1).encode("utf-8",
                                                                           "surrogateescape"))
    with pytest.raises(InputError) as exc:
        load_corpus(root)
    got = [p.replace(f"{root}/", "") for p in exc.value.problems]
    assert got == case["expect"]


# -- property-based ---------------------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.text(string.ascii_letters + " -.:", max_size=12))
TREES = st.recursive(SCALARS, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.sampled_from(["id", "quote", "label", "studies", "arms", "size", "kind",
                                     "value", "results", "document", "x"]), kids, max_size=5)),
    max_leaves=20)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=TREES)
def test_any_evidence_file_is_loaded_or_rejected_cleanly(tmp_path: Path, tree: object):
    root = tmp_path / "fuzz"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(MINI, root)
    (root / "evidence" / "examplinib.yaml").write_text(yaml.safe_dump(tree))
    try:
        load_corpus(root)
    except InputError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.startswith(str(root)) or p.startswith("evidence"), p
            assert p.split(":")[1].isdigit() or ": syntax:" in p or ": cannot read" in p, p


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4,
                   min_value=Decimal("-1e6"), max_value=Decimal("1e6")))
def test_numbers_are_read_exactly_as_written(value: Decimal):
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    loaded = yaml.load(f"v: {text}\n", Loader=PyLoader)  # noqa: S506 - a SafeLoader subclass
    assert isinstance(loaded["v"], Decimal)
    assert str(loaded["v"]) == text
