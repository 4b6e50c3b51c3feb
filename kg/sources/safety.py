"""Safety evidence: adverse events per arm, dose changes, deaths on treatment, harm comparisons.

Read from a study's ``adverse_events:`` and ``harm_comparisons:`` lists into
``kg.model.SafetyResult`` and ``kg.model.HarmComparison``, and checked like every other record:
one plain ``file:line: field: what is wrong`` per problem (a grade 6, a count above its
denominator, a rate for an arm the study does not have). Kept apart from the loader so the
safety model grows in one place; the loader calls ``read_safety`` and ``check_safety``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kg import model as m
from kg.numbers import iter_numbers
from kg.sources.number_rules import check_numbers

SAFETY_KINDS = {"adverse-event", "dose-reduction", "dose-interruption", "discontinuation",
                "death"}
MODIFICATIONS = {"dose-reduction", "dose-interruption", "discontinuation"}
RELATEDNESS = {"treatment-related", "any-cause"}
HARM_MEASURES = {"risk-ratio", "odds-ratio", "rate-difference"}
SAFETY_DIRECTIONS = {"more-events", "fewer-events", "similar-events"}
P_QUALIFIERS = {"=", "<", "<=", "unstated"}
GRADE_RE = re.compile(r"^(?:any|(?P<one>\d+)|(?P<low>\d+)-(?P<high>\d+)|>=(?P<min>\d+))$")
GRADE_FORMS = "any, a grade 1 to 5, a range such as 3-4, or >=3"
DERIVABLE = ("percent", "denominator", "count")
DERIVED_RE = re.compile(r"^(?:count/denominator|size of (?P<pop>[a-z0-9][a-z0-9.+-]*))$")

Need = Callable[[bool, m.Loc, str, str], None]


def grade_bounds(grade: str | None) -> tuple[int, int] | None:
    """Lowest and highest CTCAE grade a grade field covers (``any``: 1-5, ``>=3``: 3-5).

    None when absent or not a valid grade (1 to 5, low not above high).
    """
    if grade is None:
        return None
    mt = GRADE_RE.match(grade)
    if mt is None:
        return None
    if grade == "any":
        low, high = 1, 5
    elif mt["one"]:
        low = high = int(mt["one"])
    elif mt["min"]:
        low, high = int(mt["min"]), 5
    else:
        low, high = int(mt["low"]), int(mt["high"])
    return (low, high) if 1 <= low <= high <= 5 else None


def _grade(n: Any) -> str | None:
    """The ``grade`` field as text (a bare number is read as its grade)."""
    value = n.get("grade", (str, int))
    if value is None:
        return None
    text = str(value).replace(" ", "").replace("≥", ">=").replace("–", "-")
    if grade_bounds(text) is None:
        n.err("grade", f"{value!r} is not a CTCAE grade ({GRADE_FORMS})")
        return None
    return text


def _derived(n: Any) -> tuple[tuple[str, str], ...]:
    """``{percent: count/denominator}`` or ``{count|denominator: size of <population>}``."""
    data = n.get("derived", dict, default={})
    out = []
    for key, basis in data.items():
        if key not in DERIVABLE:
            n.err("derived", f"{key!r} cannot be declared derived here (allowed: "
                             f"{', '.join(DERIVABLE)})")
        elif not isinstance(basis, str) or not DERIVED_RE.match(basis) or \
                (basis == "count/denominator") != (key == "percent"):
            n.err("derived", f"{key}: {basis!r} does not fit this field ('count/denominator' "
                             "for percent, 'size of <population id>' for count or denominator)")
        else:
            out.append((str(key), basis))
    return tuple(out)


def read_safety(n: Any) -> dict[str, tuple]:
    """The safety lists of one study entry, as keyword arguments of ``kg.model.Study``.

    ``n`` is the loader's field reader of the study mapping; problems are collected on it.
    """
    results = []
    for r in n.children("adverse_events"):
        if r.ok():
            results.append(m.SafetyResult(
                r.record_id(), r.quotes(), r.loc,
                kind=r.choice("kind", SAFETY_KINDS) or "adverse-event", event=r.text("event"),
                term=r.text("term"), grade=_grade(r),
                relatedness=r.choice("relatedness", RELATEDNESS), arm=r.text("arm"),
                population=r.text("population"), count=r.integer("count"),
                denominator=r.integer("denominator"), percent=r.number("percent"),
                time_frame=r.text("time_frame"), endpoint=r.text("endpoint"),
                derived=_derived(r), drafted=r.drafted()))
            r.close()
    comparisons = []
    for c in n.children("harm_comparisons"):
        if c.ok():
            comparisons.append(m.HarmComparison(
                c.record_id(), c.quotes(), c.loc, event=c.text("event"), grade=_grade(c),
                relatedness=c.choice("relatedness", RELATEDNESS),
                experimental=c.text("experimental", True) or "",
                reference=c.text("reference", True) or "", population=c.text("population"),
                results=c.strings("results"), measure=c.choice("measure", HARM_MEASURES),
                estimate=c.number("estimate"), ci_low=c.number("ci_low"),
                ci_high=c.number("ci_high"), ci_level=c.number("ci_level"),
                p_value=c.number("p_value"), p_qualifier=c.choice("p_qualifier", P_QUALIFIERS),
                safety_direction=c.choice("safety_direction", SAFETY_DIRECTIONS),
                drafted=c.drafted()))
            c.close()
    return {"adverse_events": tuple(results), "harm_comparisons": tuple(comparisons)}


def check_safety(s: m.Study, ctx: m.Study, terms: set[str], need: Need) -> None:
    """Check one document's safety records against the study merged over all documents.

    ``terms`` are the adverse-event keys of the verified identifier table.
    """
    arms = {a.id for a in ctx.arms}
    pops = {p.id: p for p in ctx.populations}
    endpoints = {e.id for e in ctx.endpoints}
    results = {r.id: r for r in ctx.adverse_events}
    for r in s.adverse_events:
        _check_groups(r, s.id, arms, pops, need)
        need(r.kind != "adverse-event" or r.event is not None, r.loc, "event",
             "an adverse-event result names its event, as printed")
        if r.term is not None:
            need(r.term in terms, r.loc, "term", f"{r.term!r} is not an adverse-event term of "
                 "the identifier table (identifiers are verified there, never typed here)")
        if r.endpoint is not None:
            need(r.endpoint in endpoints, r.loc, "endpoint",
                 f"unknown endpoint {r.endpoint!r} in study {s.id!r}")
        need(r.count is not None or r.percent is not None, r.loc, "count",
             "a safety result needs a count or a percent")
        _check_rate(r, need)
        for name, basis in r.derived:
            value = getattr(r, name)
            need(value is not None, r.loc, "derived", f"{name} is declared derived but not given")
            if basis.startswith("size of ") and value is not None:
                other = pops.get(basis.removeprefix("size of "))
                need(other is not None and other.size == value, r.loc, name,
                     f"{value} is declared the {basis} but that population "
                     + ("is not in the study" if other is None else
                        f"has size {other.size}" if other.size is not None else
                        "states no size"))
        _check_grade_printed(r, need)
    for c in s.harm_comparisons:
        for label, arm in (("experimental", c.experimental), ("reference", c.reference)):
            need(arm in arms, c.loc, label, f"unknown arm {arm!r} in study {s.id!r}")
        need(c.experimental != c.reference, c.loc, "reference",
             "the reference arm must differ from the experimental arm")
        if c.population is not None:
            need(c.population in pops, c.loc, "population",
                 f"unknown population {c.population!r} in study {s.id!r}")
        for rid in c.results:
            need(rid in results, c.loc, "results",
                 f"unknown adverse-event result {rid!r} in study {s.id!r}")
        need((c.p_value is None) == (c.p_qualifier is None), c.loc, "p_qualifier",
             "p_value and p_qualifier go together")
        need(c.estimate is None or c.measure is not None, c.loc, "measure",
             "an estimate needs a measure")
        need(c.safety_direction is not None or c.estimate is not None, c.loc,
             "safety_direction", "say which arm had more events (safety_direction) or give "
             "the estimate that shows it")
        check_numbers(c, need)  # CI order, estimate in its CI, p in [0, 1], ratios > 0
        _check_grade_printed(c, need)


def _check_groups(r: m.SafetyResult, sid: str, arms: set[str], pops: dict[str, m.Population],
                  need: Need) -> None:
    """A safety result belongs to an arm or a population of its study."""
    need(r.arm is not None or r.population is not None, r.loc, "arm",
         "a safety result names its arm or population")
    if r.arm is not None:
        need(r.arm in arms, r.loc, "arm", f"unknown arm {r.arm!r} in study {sid!r} (its arms: "
             f"{', '.join(sorted(arms)) or 'none'})")
    if r.population is not None:
        need(r.population in pops, r.loc, "population",
             f"unknown population {r.population!r} in study {sid!r}")


def _check_rate(r: m.SafetyResult, need: Need) -> None:
    """Counts, denominators and percentages that cannot be true."""
    if r.count is not None:
        need(r.count >= 0, r.loc, "count", f"must not be negative, got {r.count}")
    if r.denominator is not None:
        need(r.denominator > 0, r.loc, "denominator", f"must be positive, got {r.denominator}")
    if r.percent is not None:
        need(0 <= r.percent <= 100, r.loc, "percent", f"{r.percent}% is not between 0 and 100")
    if r.count is None or r.denominator is None or r.denominator <= 0:
        return
    need(r.count <= r.denominator, r.loc, "count",
         f"{r.count} is above its denominator {r.denominator}")
    if r.percent is not None and r.count <= r.denominator:
        exact = Decimal(100 * r.count) / Decimal(r.denominator)
        places = max(0, -int(r.percent.as_tuple().exponent))
        tolerance = Decimal(1) / Decimal(10) ** places  # rounding or truncation in the last place
        need(abs(exact - r.percent) <= tolerance, r.loc, "percent",
             f"{r.count}/{r.denominator} is {exact:.2f}%, not {r.percent}%")


def _check_grade_printed(r: m.SafetyResult | m.HarmComparison, need: Need) -> None:
    """A stated grade's numbers are printed in the record's quotes (``>=3``: the 3)."""
    bounds = grade_bounds(r.grade)
    if bounds is None or r.grade == "any":
        return
    printed = {p.value for q in r.quotes for p in iter_numbers(q)}
    shown = {bounds[0]} if r.grade.startswith(">=") else set(bounds)
    missing = sorted(g for g in shown if Decimal(g) not in printed)
    need(not missing, r.loc, "grade", f"grade {', '.join(map(str, missing))} is not printed in "
         "the record's quote(s)")
