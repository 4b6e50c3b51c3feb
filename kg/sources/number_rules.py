"""Number rules: values a record cannot hold whatever its source says (CI order, p in [0, 1]...).

Each rule names the field it concerns, so the problem points at the line to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from kg import model as m

RATIOS = {"hazard-ratio", "risk-ratio", "odds-ratio"}  # estimates that cannot be 0 or below


def check_numbers(r: m.Result | m.Comparison | m.HarmComparison,
                  need: Callable[[bool, m.Loc, str, str], None]) -> None:
    """Impossible numbers: CI order, estimate outside CI, p outside [0,1], counts and percents."""
    if r.ci_low is not None or r.ci_high is not None:
        need(r.ci_low is not None and r.ci_high is not None, r.loc, "ci_low",
             "a confidence interval needs both ci_low and ci_high")
        if r.ci_low is not None and r.ci_high is not None:
            need(r.ci_low <= r.ci_high, r.loc, "ci_low",
                 f"CI low {r.ci_low} is above CI high {r.ci_high}")
            point = r.value if isinstance(r, m.Result) else r.estimate
            if point is not None and r.ci_low <= r.ci_high:
                need(r.ci_low <= point <= r.ci_high, r.loc,
                     "value" if isinstance(r, m.Result) else "estimate",
                     f"{point} lies outside its CI {r.ci_low}-{r.ci_high}")
    if r.ci_level is not None:
        need(0 < r.ci_level < 1, r.loc, "ci_level", f"must be a fraction in (0, 1), got "
                                                    f"{r.ci_level}")
    if not isinstance(r, m.Result):  # a comparison of outcomes or of harms
        if r.p_value is not None:
            need(0 <= r.p_value <= 1, r.loc, "p_value", f"{r.p_value} is not in [0, 1]")
        if r.measure in RATIOS and r.estimate is not None:
            need(r.estimate > 0, r.loc, "estimate",
                 f"a {r.measure.replace('-', ' ')} must be positive, got {r.estimate}")
        return
    if r.unit == "percent" and r.value is not None:
        need(0 <= r.value <= 100, r.loc, "value", f"{r.value}% is not between 0 and 100")
    if r.value is not None and r.unit in {"month", "week", "day", "year"}:
        need(r.value >= 0, r.loc, "value", f"a duration cannot be negative, got {r.value}")
    if r.count is not None:
        need(r.count >= 0, r.loc, "count", f"must not be negative, got {r.count}")
    if r.count is not None and r.denominator is not None:
        need(r.denominator > 0, r.loc, "denominator", f"must be positive, got {r.denominator}")
        need(r.count <= r.denominator, r.loc, "count",
             f"{r.count} is above its denominator {r.denominator}")
        if r.unit == "percent" and r.value is not None and r.denominator > 0:
            exact = Decimal(100 * r.count) / Decimal(r.denominator)
            places = max(0, -int(r.value.as_tuple().exponent))
            # one unit in the last stated place: sources round (8.77 -> 8.8) or truncate
            # (25/57 = 43.86 printed as 43.8); anything further off is a real disagreement
            tolerance = Decimal(1) / Decimal(10) ** places
            need(abs(exact - r.value) <= tolerance, r.loc, "value",
                 f"{r.count}/{r.denominator} is {exact:.2f}%, not {r.value}%")

