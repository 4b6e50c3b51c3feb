"""Shares listed arm by arm, each part of the list closed by its arm's name.

"The falls in scores at weeks 3 and 6 were 18% (95% CI 10 to 26) and 14% (2 to 26) in the placebo
group; 29% (20 to 38) and 27% (14 to 40) in the group assigned A 10 mg; and 44% ... in the group
assigned A 40 mg": the parts are cut at semicolons, each part's percentages belong to the arm
named at its end, and the outcome is what the sentence names before the first part. The value
rules would see a run of six percentages and three arm names; here the list's shape says whose
each value is.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.draft.lexicon import endpoint_mentions
from kg.draft.outcomes import outcome_name
from kg.draft.patterns import NUM, dec, quote_of
from kg.draft.state import DraftState
from kg.numbers import iter_numbers

# one part: percentages, each with its own bracket (a CI) or none, joined by "and" or a comma,
# then the arm: "in the placebo group", "for the group assigned A 10 mg", "with A"
PART_RE = re.compile(
    rf"^\s*(?:and\s+)?(?P<values>{NUM}\s?%(?:\s*\([^()]*\))?(?:\s*(?:,|\band\b)\s*{NUM}\s?%"
    rf"(?:\s*\([^()]*\))?)*)\s+(?:in|for|among|with|on)\s+(?:the\s+)?(?P<arm>[^;,()]{{2,60}}?)"
    r"\s*$", re.I)


class ArmSegments(DraftState):
    """The rule for per-arm parts of a list cut at semicolons."""

    def segment_lists(self, i: int, text: str, subs: list[tuple[int, str]]) -> None:
        """Each part's percentages go to the arm that closes it; two or more arms, all different.

        Only a sentence whose values all sit in such parts, every part naming a known arm:
        otherwise the list is left to the other rules.
        """
        if len(self.d.arms) < 2 or text.count(";") < 1:
            return
        first = re.search(rf"{NUM}\s?%", text)
        if first is None:
            return
        body = text[first.start():].rstrip(" .")
        parts, at = [], first.start()
        for piece in body.split(";"):
            mt = PART_RE.match(piece)
            if mt is None:
                return
            arm = self.arm_near(mt.group("arm"), 0, len(mt.group("arm")))
            if arm is None:
                return
            parts.append((at + mt.start("values"), at + mt.end("values"), arm))
            at += len(piece) + 1
        if len(parts) < 2 or len({a.id for _, _, a in parts}) != len(parts):
            return
        lead = re.split(r":\s+(?=[A-Z])", text[:first.start()])[-1]  # after "Results: "
        etype = next((t for _, t in endpoint_mentions(lead)), None)
        # the outcome is the lead up to its time points: "The falls in X from baseline to ..."
        cut = re.split(r",?\s+(?:respectively|from\s+baseline|between\s+baseline|at\s+(?:weeks?|"
                       r"months?|years?)|were|was)\b", lead, maxsplit=1, flags=re.I)[0]
        words = re.sub(r"^\s*(?:the|a|an)\s+", "", cut, flags=re.I).split()
        named = " ".join(words) if 2 <= len(words) <= 8 and not re.search(
            r"\d|[(),:]", cut) else outcome_name(text, first.start())
        if etype is None and not named:
            return
        eid = self.endpoint_id(etype, quote_of(text), text) if etype else \
            self.other_endpoint(named, quote_of(text))  # type: ignore[attr-defined]
        brackets = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text)]
        for p in iter_numbers(text):
            arm = next((arm for a, b, arm in parts if a <= p.start < b), None)
            if arm is None or not p.percent or any(x <= p.start < y for x, y in brackets):
                continue  # a CI's bounds are the value's, not values of their own
            self.use(i, p)
            rec = {"endpoint": eid, "statistic": "proportion", "value": p.value,
                   "unit": "percent", "arm": arm.id, "quote": quote_of(text)}
            # its own bracket, a CI: "(95% CI 10 to 26)", "(2 to 26)" after the first
            ci = re.match(rf"\s*\(\s*(?:(?P<lvl>\d+)\s?%\s*CI[,:]?\s*)?(?P<a>{NUM})\s*%?\s*"
                          rf"(?:-|–|to)\s*(?P<b>{NUM})\s*%?\s*\)", text[p.end:])
            if ci and dec(ci.group("a")) <= p.value <= dec(ci.group("b")):
                rec.update(ci_low=dec(ci.group("a")), ci_high=dec(ci.group("b")))
                if ci.group("lvl"):
                    rec["ci_level"] = Decimal(ci.group("lvl")) / 100
                for q in iter_numbers(text[p.end:p.end + ci.end()], words=False):
                    self.d.used.add(self.spans[i][0] + p.end + q.start)
            pop = self.pop_at(subs, text, p.start)  # type: ignore[attr-defined]
            if pop:
                rec["population"] = pop
            self.d.results.append(rec)
