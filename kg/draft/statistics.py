"""Drafting rules for numbers: hazard ratios with CI and p, medians, rates, counts, p-values.

A mixin of ``Drafter``: each value is attributed to an arm (named beside it, "respectively", or
in the order the methods list the arms) and to the population it was stated for.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.draft.attribution import Attribution
from kg.draft.lexicon import endpoint_mentions
from kg.draft.masking import mask_statistics
from kg.draft.medianlists import median_lists
from kg.draft.patterns import (
    ASSIGNED_RE,
    BACKGROUND_RE,
    CI_RE,
    EFFECT_RE,
    JOIN_RE,
    LABEL_BEFORE_RE,
    NUM,
    OTHER_SIDE,
    P_RE,
    TIME_TO_EVENT,
    UNIT_NAMES,
    UNIT_RE,
    Arm,
    dec,
    quote_of,
    slug,
)
from kg.numbers import Printed, iter_numbers


class Statistics(Attribution):
    """Rules that find what was measured and compared."""

    def masked(self, text: str) -> str:
        """The sentence with statistics in brackets blanked (``masking.mask_statistics``)."""
        return mask_statistics(text)

    def numbers(self) -> None:
        """Hazard ratios with CI and p, medians, rates and counts, p-values of comparisons."""
        heads = [i for i in range(len(self.spans)) if re.match(
            r"\s*(?:RESULTS|Results|FINDINGS|Findings)\b", self.sent(i))]
        for i in range(len(self.spans)):
            text = self.sent(i)
            if re.match(r"\s*(?:BACKGROUND|Background|Introduction)\b", text) or (
                    BACKGROUND_RE.search(text) and not any(ASSIGNED_RE.search(self.sent(k))
                                                           for k in range(i))):
                continue  # another study's findings, told before this one's methods
            if not re.search(r"\d", text) and not any(iter_numbers(text)):
                continue  # no number, in digits or words ("Two partial responses ...")
            # groups are those results are reported for; before the results a marker or
            # histology is eligibility ("HER2-negative breast cancer"), not a subgroup
            subs = self.subgroups(i, text) if not heads or i >= heads[0] else []
            self.tag("subgroup-named")
            hrs = self.hazard_ratios(i, text, subs)
            self.tag("effect-estimate")
            medians = self.medians(i, text, subs)
            self.tag("median-per-arm")
            values = medians + self.rates(i, text, subs)
            self.counts_per_arm(i, text, subs)
            self.tag("rate-or-count")
            self._respectively_groups(text, subs, values)
            if len({pid for _, pid in subs}) >= 2:
                self.last_groups = list(dict.fromkeys(pid for _, pid in subs))
            if not hrs:
                self.p_values(i, text, values, subs)
                self.tag("p-value-beside-values")

    def hazard_ratios(self, i: int, text: str, subs: list[tuple[int, str]]) -> list[dict]:
        """Every "HR 0.81 (95% CI 0.68-0.97); P=.021" of a sentence."""
        out = []
        nums = list(iter_numbers(text, words=False))
        found = list(EFFECT_RE.finditer(text))
        # "hazard ratio [HR], 1.03": the bracketed abbreviation is the same mention
        found = [m for k, m in enumerate(found) if not (
            k and re.fullmatch(r"\s*[\[(]", text[found[k - 1].end():m.start()]))]
        for n, mt in enumerate(found):
            after = [p for p in nums if p.start >= mt.end()]
            est = next((p for p in after if not p.percent and
                        not text[p.end:p.end + 3].lstrip().startswith("%")), None)
            if est is None or est.start - mt.end() > 25 or (
                    mt.group() in {"RR", "OR"} and not (est.value < 20 and CI_RE.search(
                        text, est.end, est.end + 40))):  # a response rate, not a ratio
                continue
            rec: dict = {"kind": "treatment-effect", "estimate": est.value, "measure":
                         "hazard-ratio" if mt.group("hr") else "risk-ratio" if mt.group("rr")
                         else "odds-ratio"}
            self.use(i, est)
            limit = found[n + 1].start() if n + 1 < len(found) else len(text)
            ci = CI_RE.search(text, est.end, limit)
            bare = re.match(rf"\s*[\[(]\s*(?P<a>{NUM})\s*(?:-|–|to)\s*(?P<b>{NUM})\s*[\])]",
                            text[est.end:limit])
            if not ci and bare:  # "HR 0·68 [0·55–0·84]": the bounds with no level printed
                a_, b_ = dec(bare.group("a")), dec(bare.group("b"))
                if a_ <= est.value <= b_:
                    rec["ci_low"], rec["ci_high"] = a_, b_
                    for q in nums:
                        if est.end + bare.start("a") <= q.start < est.end + bare.end("b"):
                            self.use(i, q)
            if ci:
                bounds = [p for p in nums if ci.end() <= p.start < limit and not p.percent][:2]
                if len(bounds) == 2 and bounds[0].value <= est.value <= bounds[1].value:
                    rec["ci_low"], rec["ci_high"] = bounds[0].value, bounds[1].value
                    for b in bounds:
                        self.use(i, b)
                    if ci.group("level"):
                        rec["ci_level"] = Decimal(ci.group("level")) / 100
                        for lvl in (p for p in nums if p.start == ci.start("level")):
                            self.use(i, lvl)
            pm = P_RE.search(text, est.end, limit)
            if pm:
                self._p(rec, pm, i, nums)
            who = mt.group("for") or ""
            etype = ("os" if who.lower() == "death" else "pfs" if who else
                     self.endpoint_at(text, mt.start(), self.going_on(text, self._last_endpoint)))
            other = None if etype else self.estimate_outcome(text, mt, est)  # type: ignore[attr-defined]
            if etype is None and other is None:
                continue
            rec["endpoint"] = self.other_endpoint(other, quote_of(text)) if other else \
                self.endpoint_id(etype, quote_of(text), text)
            self._last_endpoint = etype
            groups = self._prognostic_groups(text, subs, mt.start())
            if groups:
                rec.update(kind="prognostic", groups=groups, quote=quote_of(text))
                if self.randomised_pop:
                    rec["population"] = self.randomised_pop
                self.d.comparisons.append(rec)
                out.append(rec)
                continue
            out.append(self._add_comparison(rec, subs, text, mt.start()))
        return out

    def _prognostic_groups(self, text: str, subs: list[tuple[int, str]], pos: int
                           ) -> list[str] | None:
        """The marker groups a hazard ratio compares when it compares no arms.

        In a single-arm study every hazard ratio does; in a randomised one, when the sentence
        says so ("MGMT methylation was associated with longer OS", "regardless of treatment").
        The group named is the first; the second is the rest (created when not yet named).
        """
        if len(self.d.arms) >= 2 and not re.search(
                r"associated with|prognostic|regardless of (?:treatment|arm|group)|irrespective "
                r"of (?:treatment|arm|group)", text, re.I):
            return None
        pops = {p["id"]: p for p in self.d.populations}
        named = list(dict.fromkeys(pid for p, pid in subs if p < pos))
        both = [pid for pid in named if pops[pid].get("biomarker")]
        if len(both) == 2 and pops[both[0]]["biomarker"] == pops[both[1]]["biomarker"]:
            return both  # "elevated LDH had shorter survival than those with normal LDH"
        first = pops.get(named[-1]) if named else None
        if first is None or not first.get("biomarker") or not first.get("biomarker_status"):
            return None
        other = OTHER_SIDE.get(first["biomarker_status"])
        if other is None and first["biomarker_status"].startswith(">="):
            other = "<" + first["biomarker_status"][2:]
        if other is None:
            return None
        rest = next((p for p in self.d.populations if p.get("biomarker") == first["biomarker"]
                     and p.get("biomarker_status") == other), None)
        if rest is None:
            rest = {"id": slug(f"{first['biomarker']} {other}"),
                    "label": f"{first['label']}: {other}", "kind": "subgroup",
                    "biomarker": first["biomarker"], "biomarker_status": other,
                    "quote": first["quote"]}
            if first.get("parent"):
                rest["parent"] = first["parent"]
            self.d.populations.append(rest)
        return [first["id"], rest["id"]]

    def _add_comparison(self, rec: dict, subs: list[tuple[int, str]], text: str, pos: int
                        ) -> dict:
        """Complete a comparison with its arms, population and quote, and keep it."""
        self._sides(rec)
        pop = self.pop_at(subs, text, pos)
        if pop:
            rec["population"] = pop
        rec["quote"] = quote_of(text)
        self.d.comparisons.append(rec)
        return rec

    _last_endpoint: str | None = None

    def _p(self, rec: dict, pm: re.Match[str], i: int, nums: list[Printed]) -> None:
        value = dec(pm.group("p"))
        if value > 1:
            return
        q = pm.group("q")
        rec["p_value"], rec["p_qualifier"] = value, {"≤": "<=", ">": "="}.get(q, q)
        if q == ">":
            rec["p_qualifier"] = "unstated"
        for p in nums:
            if p.start == pm.start("p") or (p.start <= pm.start("p") < p.end):
                self.use(i, p)

    def _sides(self, rec: dict) -> None:
        arms = self.d.arms
        if len(arms) >= 2:  # the comparator second, where one arm is called the control
            first, second = sorted(arms[:2], key=lambda a: "control" in a.aliases)
            rec["experimental"], rec["reference"] = first.id, second.id

    def _unit_after(self, text: str, end: int) -> str | None:
        mt = UNIT_RE.match(text[end:end + 40])
        return UNIT_NAMES.get(mt.group(1).lower().rstrip(".")) if mt else None

    def medians(self, i: int, text: str, subs: list[tuple[int, str]]) -> list[dict]:
        """Medians with a time unit, attributed to arms."""
        masked = self.masked(text)
        nums = [p for p in iter_numbers(masked, words=False) if not p.percent and not re.match(
            r"[-–](?:months?|weeks?|years?|days?)\b", masked[p.end:p.end + 8], re.I)  # "6-month"
            and not LABEL_BEFORE_RE.search(masked[:p.start])]  # "in cohort 1 and 5.5 months"
        runs: list[list[Printed]] = []
        for p in nums:
            if runs and JOIN_RE.match(masked[runs[-1][-1].end:p.start]):
                runs[-1].append(p)
            else:
                runs.append([p])
        out = self._listed_medians(i, text, subs)
        for run in runs:
            if self.per_arm_unknown(run) or re.search(
                    r"\b(?:(?:at|after|by|within|beyond|over|during)\s+(?:the\s+)?(?:first\s+)?|"
                    r"(?:less|more|fewer|longer|shorter)\s+than\s+|up\s+to\s+|"
                    r"(?:benefit|gain|improvement|difference|prolongation|advantage)\s+of\s+)$",
                    masked[:run[0].start], re.I):
                continue  # "at 4 years", "less than 10 months", "a benefit of 9 months"
            unit = None
            for p in run:
                unit = unit or self._unit_after(masked, p.end)
            last_unit = self._unit_after(masked, run[-1].end)
            unit = last_unit or unit
            if unit not in {"month", "week", "day", "year"}:
                continue
            etype = self.endpoint_at(text, run[0].start)
            other = None if etype else self._median_outcome(text[:run[0].start])
            if unit in {"day", "year"} and etype is not None and not (
                    unit == "year" and re.search(r"\bmedian\s+(?:overall\s+)?survival\b",
                                                 text[:run[0].start], re.I)
                    and not re.search(r"follow", text[:run[0].start], re.I)):
                continue  # time-to-event endpoints are read in months and weeks only, but for
                # "median survival was 3.1 years"
            if other is None and ((etype not in TIME_TO_EVENT and not re.search(
                    r"median", text[:run[0].start], re.I)) or etype is None):
                continue
            if other is None and not re.search(
                    r"median|survival|time|duration|PFS|OS|DFS|RFS|EFS|TT[PFR]|DOR",
                    text[:run[0].start], re.I):
                continue
            eid = self.other_endpoint(other, quote_of(text)) if other else \
                self.endpoint_id(etype, quote_of(text), text)
            self._last_endpoint = etype
            arms = self._attribute(text, run, masked)
            for p, arm in zip(run, arms, strict=True):
                rec = self._result(eid, "median", p, unit, text, arm, subs)
                out.append(self._keep(rec, i, text, p, single=len(run) == 1))
        return out

    def _listed_medians(self, i: int, text: str, subs: list[tuple[int, str]]) -> list[dict]:
        """"(median OS: A, 31 months; B, 24 months; P = .03)": each arm's, named before it."""
        out = []
        items = median_lists(text)
        nums = {x.start: x for x in iter_numbers(text, words=False)} if items else {}
        for item in items:
            etype = next((t for _, t in endpoint_mentions(item.what)), None)
            arm = self.arm_near(item.arm, 0, len(item.arm))
            p = nums.get(item.start)
            if etype in TIME_TO_EVENT and arm is not None and p is not None:
                rec = self._result(self.endpoint_id(etype, quote_of(text), text), "median", p,
                                   item.unit, text, arm, subs)
                out.append(self._keep(rec, i, text, p, single=False))
        return out

    @staticmethod
    def _median_outcome(before: str) -> str | None:
        """An outcome no endpoint type names, when a median of a time is given for it.

        "Median time to return to work was 8.5 weeks ...", "the median duration of drainage
        was 7 days": "time to return to work", "duration of drainage". Never a baseline trait
        ("median age was 63 years") or the follow-up.
        """
        found = None
        for mt in re.finditer(r"\bmedian\s+(?P<name>(?:times?|durations?|length|interval)\s+"
                              r"(?:(?:needed|required|spent)\s+)?(?:to|of|until|from|before|for)\s+"
                              r"(?:[\w-]+\s+){0,5}?[\w-]+)"
                              # "..., with its interquartile range, were"
                              r"(?:\s*,[^,;]{0,60},)?\s+(?:was|were|is|of|in|for|with|:)\b",
                              before, re.I):
            found = mt.group("name")
        subject = re.match(r"\s*(?:the\s+)?(?P<name>(?:(?:total|overall)\s+)?(?:time|duration|"
                           r"interval)\s+(?:to|of|until)\s+"
                           r"(?:[\w-]+\s+){0,5}?[\w-]+)(?:\s*\([^()]*\))?\s+(?:was|were)\b",
                           before, re.I)
        if found is None and subject and re.search(r"\(\s*median\s*,?\s*$", before, re.I):
            found = subject.group("name")  # "Time to X was longer for A (median, 9 months)"
        if found is None or re.search(r"follow|diagnosis|randomi", found, re.I):
            return None
        return " ".join(found.split()).lower()

    def _result(self, eid: str, statistic: str, p: Printed, unit: str, text: str,
                arm: Arm | None, subs: list[tuple[int, str]]) -> dict:
        """A result of one printed value, with its arm and the population it was stated for."""
        rec = {"endpoint": eid, "statistic": statistic, "value": p.value, "unit": unit,
               "quote": quote_of(text)}
        if arm is not None:
            rec["arm"] = arm.id
        pop = self.pop_at(subs, text, p.start)
        if pop:
            rec["population"] = pop
        return rec

    def _keep(self, rec: dict, i: int, text: str, p: Printed, single: bool) -> dict:
        """Keep a result; a value standing alone takes the CI printed right after it."""
        if single:
            self._result_ci(text, p, rec, i)
        self.use(i, p)
        self.d.results.append(rec)
        return rec

    def _result_ci(self, text: str, p: Printed, rec: dict, i: int) -> None:
        mt = re.match(rf"\s*(?:months?|weeks?|%)?\s*[(\[,;]\s*(?:\d+\s+of\s+\d+(?:\s+[a-z]+)?"
                      rf"\s*[;,]\s*)?(?P<lvl>\d+)\s?%\s*"
                      rf"(?:CI|confidence\s+interval)[,:]?\s*(?P<a>{NUM})"
                      rf"\s*(?:-|–|to|,)\s*(?P<b>{NUM})", text[p.end:])
        if mt:
            a, b = dec(mt.group("a")), dec(mt.group("b"))
            if a <= p.value <= b:
                rec["ci_low"], rec["ci_high"] = a, b
                rec["ci_level"] = Decimal(mt.group("lvl")) / 100
                base = p.end
                for q in iter_numbers(text[base:base + mt.end()], words=False):
                    self.d.used.add(self.spans[i][0] + base + q.start)

    def p_values(self, i: int, text: str, values: list[dict], subs: list[tuple[int, str]]) -> None:
        """A p-value beside two arms' values is the comparison of those arms."""
        pm = P_RE.search(text)
        if not pm or len(self.d.arms) < 2:
            return
        arms = {v.get("arm") for v in values} - {None}
        if len(arms) != 2:  # one arm's values, or a test across three arms or more
            return
        rec: dict = {"kind": "treatment-effect", "endpoint": values[0]["endpoint"]}
        self._p(rec, pm, i, list(iter_numbers(text, words=False)))
        if "p_value" not in rec:
            return
        self._add_comparison(rec, subs, text, pm.start())
        if len(self.d.arms) > 2:  # the two arms whose values it sits beside
            rec["experimental"], rec["reference"] = [a.id for a in self.d.arms if a.id in arms]
