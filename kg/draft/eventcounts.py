"""Counts of events per arm in the forms that name them as events, deaths or relapses.

"71 deaths in the A group and 88 in the B group" is read by ``counts``; here are the rest:
"241 events versus 267 events", "340 DFS events among 2,452 women receiving A", "Three patients
in each arm died", "Fewer X occurred in the A group than in the B group (2 vs 9, P = .03)", and
the record each count becomes.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.draft.attribution import SECTION
from kg.draft.lexicon import endpoint_mentions
from kg.draft.outcomes import outcome_name, outcome_names
from kg.draft.patterns import NUM, TIME_TO_EVENT, Arm, quote_of
from kg.draft.state import DraftState, alias_re
from kg.numbers import Printed, iter_numbers

# a count of events among the patients of an arm: "340 DFS events among 2,452 women receiving A",
# "and 410 events among 2,448 women receiving B"
AMONG_RE = re.compile(
    rf"(?P<c>\b{NUM})\s+(?P<what>(?:[\w-]+\s+){{0,3}}?(?:events?|deaths?|recurrences?|relapses?))"
    rf"\s+(?:among|in)\s+(?:the\s+)?(?P<n>{NUM})\s+(?:patients|women|participants)\s+"
    r"(?:receiving|given|treated\s+with|assigned\s+to|randomi[sz]ed\s+to|on)\s+"
    r"(?P<arm>[^,;.()]{1,40}?)(?=\s+(?:and|while|whereas|but)\b|\s*[,;.()]|$)", re.I)

# a sentence about one arm's analysed patients: "Of the 55 evaluable patients in the A group, ..."
OF_ARM_RE = re.compile(SECTION + r"(?:Of|Among)\s+(?:the\s+)?(?P<n>\d[\d,]*)\s+(?:[\w-]+\s+){0,2}?"
                       r"(?:patients|cases|women|participants)\s+(?:in|on|receiving)\s+(?:the\s+)?"
                       r"(?P<arm>[^,;()]{1,40}),")


# two counts, then the arms they belong to, in that order: "Three and eight relapses were seen
# in the A and B groups, respectively", "X occurred in 3 and 8 patients in the A and B arms,
# respectively"
RESPECTIVE_RE = re.compile(
    rf"(?P<a>\b{NUM}|\b[A-Z]?[a-z]+(?:-[a-z]+)?)\s+and\s+(?P<b>{NUM}|[a-z]+(?:-[a-z]+)?)\s+"
    r"(?P<what>[A-Za-z][^,;()\d]{1,80}?)\s+(?:in|with|on|among)\s+(?:the\s+)?"
    r"(?P<arms>[^,;()\d]{3,80}?)\s*(?:groups?|arms?)?,?\s+respectively\b", re.I)


class EventCounts(DraftState):
    """Rules for event counts per arm, and the one way a count becomes a record."""

    def _respective_counts(self, i: int, text: str, subs: list[tuple[int, str]]) -> None:
        """"Three and eight relapses were seen in the A and B groups, respectively".

        The two counts are whole numbers of no unit, the arms two different ones; the outcome
        is the words after the counts ("relapses"), else the clause before them.
        """
        for mt in RESPECTIVE_RE.finditer(text):
            nums = [next(iter(iter_numbers(mt.group(g))), None) for g in "ab"]
            arms = [self.arm_near(x, 0, len(x)) for x in re.split(
                r"\s*,\s*|\s+and\s+|\s+or\s+", mt.group("arms"))]
            unit = re.match(r"\s*(?:%|per\s?cent|months?|weeks?|years?|days?|mg)\b",
                            mt.group("what"), re.I)
            if unit or len(arms) != 2 or arms[0] is None or arms[1] is None or \
                    arms[0] is arms[1] or any(p is None or p.value != p.value.to_integral()
                                              for p in nums):
                continue
            what = re.split(r"\s+(?:were|was|occurred|had|developed|observed|reported|seen)\b",
                            mt.group("what"), maxsplit=1)[0]
            name = outcome_name(text, mt.start()) if re.fullmatch(
                r"(?:patients|women|participants|cases|subjects)", what, re.I) else what
            if not name or self._only_treatment(name):
                continue
            etype = next((t for _, t in endpoint_mentions(name)), None)
            eid = self.endpoint_id(etype, quote_of(text), text) if etype and \
                etype not in TIME_TO_EVENT else self.other_endpoint(name, quote_of(text))
            for g, p, arm in zip("ab", nums, arms, strict=True):
                at = mt.start(g) + p.start  # type: ignore[union-attr]
                self._count(i, text, subs, eid, replace(  # type: ignore[type-var]
                    p, start=at, end=at + p.end - p.start), arm)  # type: ignore[union-attr]

    def _event_pairs(self, i: int, text: str, subs: list[tuple[int, str]]) -> None:
        """"(progression in the A group versus the B group, 241 events versus 267 events, HR ...)".

        Two counts of one kind of event, in the order the arms were named before them; the
        endpoint is the one the sentence names before the counts.
        """
        if len(self.d.arms) != 2:
            return
        masked = self.masked(text)
        pairs = rf"(?P<a>{NUM})\s+(?P<noun>events?|deaths?|relapses?|recurrences?)\s*(?:v\.?|" \
            rf"vs\.?|versus)\s*(?P<b>{NUM})\s+(?P=noun)|" \
            rf"\band\s+(?P<a2>{NUM})\s+and\s+(?P<b2>{NUM})\s+(?P<noun2>events|deaths|relapses|" \
            r"recurrences)\s+(?:in|among)\b|" \
            rf"\((?P<a3>{NUM})\s*(?:v\.?|vs\.?|versus)\s*(?P<b3>{NUM})\s*[,;)]"  # "(2 vs 9, P ..)"
        for mt in re.finditer(pairs, masked, re.I):
            if mt.group("a3"):  # bare counts after a sentence saying events occurred in A and B
                self._bare_pair(i, text, masked, mt, subs)
                continue
            if mt.group("a2"):  # the arms' order is that of the counts before them
                if not re.search(rf"{NUM}\s+[^;]*\band\s+{NUM}\s+in\s+the\b", masked[:mt.start()]) \
                        or len(self._arm_order(text, mt.start())) != 2:
                    continue
                eid = self.endpoint_id(etype, quote_of(text), text) if (
                    etype := self.endpoint_at(text, mt.start())) else \
                    self.other_endpoint(mt.group("noun2"), quote_of(text))
                for g, arm in zip(("a2", "b2"), self._arm_order(text, mt.start()), strict=False):
                    p = next((x for x in iter_numbers(masked) if x.start == mt.start(g)), None)
                    if p is not None:
                        self._count(i, text, subs, eid, p, arm)
                continue
            order = self._arm_order(text, mt.start())
            named = [a for a in self.d.arms if any(re.search(
                rf"(?<![\w-]){re.escape(x)}(?![\w-])", text[:mt.start()], re.I) for x in a.aliases)]
            if len(named) != 2:
                continue  # the arms must be named before the counts, to give their order
            etype = self.endpoint_at(text, mt.start())
            if etype is None:
                continue
            eid = self.endpoint_id(etype, quote_of(text), text)
            for g, arm in zip("ab", order, strict=False):
                p = next((x for x in iter_numbers(masked) if x.start == mt.start(g)), None)
                if p is not None:
                    self._count(i, text, subs, eid, p, arm)

    def _two_kinds_per_arm(self, i: int, text: str, subs: list[tuple[int, str]]) -> None:
        """"60 events and 35 deaths in the A group and 58 events and 30 deaths in the B group"."""
        kinds = r"events?|deaths?|relapses?|recurrences?|progressions?"
        one = (rf"(?P<{{0}}x>{NUM}|[A-Z]?[a-z]+(?:-[a-z]+)?)\s+(?P<{{0}}k>{kinds})\s+and\s+"
               rf"(?P<{{0}}y>{NUM}|[a-z]+)\s+(?P<{{0}}l>{kinds})\s+in\s+(?:the\s+)?"
               r"(?P<{0}arm>[^,;()]{{1,40}}?)\s+(?:group|arm)\b")
        mt = re.search(one.format("a") + r"\s*,?\s+and\s+" + one.format("b"), text, re.I)
        if mt is None or mt.group("ak").lower()[:4] != mt.group("bk").lower()[:4]:
            return
        nums = {p.start: p for p in iter_numbers(text)}
        for side in "ab":
            arm = self.arm_near(mt.group(f"{side}arm"), 0, len(mt.group(f"{side}arm")))
            for g, k in (("x", "k"), ("y", "l")):
                p = nums.get(mt.start(side + g))
                if arm is None or p is None:
                    continue
                noun = mt.group(side + k).lower()
                eid = self.endpoint_id("os", quote_of(text), text) if noun.startswith("death") \
                    else self.other_endpoint(noun.rstrip("s") + "s", quote_of(text))
                self._count(i, text, subs, eid, p, arm)

    def _bare_pair(self, i: int, text: str, masked: str, mt: re.Match,
                   subs: list[tuple[int, str]]) -> None:
        """"Fewer X occurred in the A group than in the B group (2 vs 9, P = .03)": counts.

        Also where only the first arm is named, as the group the sentence is about.
        """
        head = masked[:mt.start()]
        if not re.search(r"\b(?:occurred|developed|reported|experienced|required|needed|were\s+"
                         r"(?:diagnosed|seen|observed|reported|found))\b", head, re.I) or \
                "%" in head[-60:]:
            return
        order = self._arm_order(text, mt.start("a3"))  # the bracket opened: "in the A group ... ("
        named = [a for a in self.d.arms if any(re.search(alias_re(x), head, re.I)
                                               for x in a.aliases)]
        name = next((n for n in outcome_names(text, mt.start()) if not self._only_treatment(n)),
                    None)
        # one arm named as the group the sentence is about: "fewer patients in the A group
        # reported X (13 vs 31, P ...)", that arm's count first
        one = len(named) == 1 and re.search(r"\b(?:in|among)\s+the\s+[^,;()]{1,40}?\s+(?:group|"
                                            r"arm)\b", head, re.I)
        if (len(named) != 2 and not one) or len(order) != 2 or not name or \
                self._only_treatment(name):
            return
        etype = self.endpoint_at(text, mt.start())
        eid = self.endpoint_id(etype, quote_of(text), text) if etype and etype not in \
            TIME_TO_EVENT else self.other_endpoint(name, quote_of(text))
        for g, arm in zip(("a3", "b3"), order, strict=True):
            p = next((x for x in iter_numbers(masked) if x.start == mt.start(g)), None)
            if p is not None and p.value == p.value.to_integral():
                self._count(i, text, subs, eid, p, arm)

    def _each_arm(self, i: int, text: str, subs: list[tuple[int, str]]) -> None:
        """"Three patients in each arm died of sepsis": that count in every arm."""
        # what happened to them: died, had or developed something, stopped ("were lost to
        # severe diarrhoea"); never a design ("were required", "were stratified")
        mt = re.search(r"(?P<c>\b[\w-]+)\s+(?:patients|women|participants|subjects)\s+in\s+each\s+"
                       r"(?:arm|group)\s+(?:have\s+|had\s+)?(?P<what>(?:died|had|developed|experienced|discontinued|"
                       r"stopped|withdrew|were\s+withdrawn|were\s+lost\s+(?:due\s+)?to\s+(?!follow)|"
                       r"were\s+ineligible)[\w -]{0,60}?)(?=\s*(?:[.,;(]|$))", text, re.I)
        p = next((x for x in iter_numbers(text) if x.start == mt.start("c")), None) if mt else None
        if mt is None or p is None or p.value != p.value.to_integral() or p.value < 1:
            return
        name = re.sub(r"^were\s+", "", mt.group("what"), flags=re.I)
        eid = self.other_endpoint(name, quote_of(text))
        for arm in self.d.arms:
            self._count(i, text, subs, eid, p, arm)

    def _events_among(self, i: int, text: str, subs: list[tuple[int, str]]) -> None:
        """"340 DFS events among 2,452 women receiving A and 410 events among 2,448 receiving B".

        Each count with the number of patients it is among, in each arm; the outcome is the
        endpoint the first count names, else the words before "events".
        """
        found = []
        nums = {p.start: p for p in iter_numbers(text)}
        for mt in AMONG_RE.finditer(text):
            arm = self.arm_near(mt.group("arm"), 0, len(mt.group("arm")))
            c, n = nums.get(mt.start("c")), nums.get(mt.start("n"))
            if arm is not None and c is not None and n is not None and c.value < n.value:
                found.append((mt, arm, c, n))
        if len(found) < 2 or len({a.id for _, a, _, _ in found}) != len(found):
            return
        what = found[0][0].group("what")
        etype = next((t for _, t in endpoint_mentions(what)), None)
        eid = self.endpoint_id(etype, quote_of(text), text) if etype else \
            self.other_endpoint(what, quote_of(text))
        # the patients each count is among are that arm's analysed set, unless it has one
        sets = {arm.id: n for _, arm, _, n in found if not any(
            p.get("arm") == arm.id and (p["kind"] == "analysed" or p.get("size") == n.value)
            for p in self.d.populations)}
        if len(sets) == len(found) == len(self.d.arms):
            self._arm_populations(i, text, sets, analysed=True)  # type: ignore[attr-defined]
        for _, arm, c, n in found:
            self._count(i, text, subs, eid, c, arm)
            self.d.results[-1]["denominator"] = int(n.value)
            if arm.id in sets:
                self.d.results[-1]["population"] = f"analysed-{arm.id}"
            self.use(i, n)

    def _count(self, i: int, text: str, subs: list[tuple[int, str]], eid: str, p: Printed,
               arm: Arm) -> None:
        """A count of an arm's events, in the subgroup its clause names, and its number used."""
        rec = {"endpoint": eid, "statistic": "count", "count": int(p.value), "arm": arm.id,
               "quote": quote_of(text)}
        pop = self.pop_at(subs, text, p.start)
        if pop:
            rec["population"] = pop
        of = OF_ARM_RE.match(text)
        if of and pop in (None, self.randomised_pop) and \
                self.arm_near(of.group("arm"), 0, len(of.group("arm"))) is arm:
            rec["denominator"] = int(of.group("n").replace(",", ""))  # over that arm's set
        self.use(i, p)
        self.d.results.append(rec)

    def _only_treatment(self, name: str) -> bool:
        """Whether a would-be outcome name only names a treatment ("on alphamab").

        "false negative SNB" names an outcome of a procedure, and stays.
        """
        rest = name
        for x in reversed(self.lex.find(name, ("drug", "placebo", "intervention"))):
            rest = rest[:x.start] + " " + rest[x.end:]
        return rest != name and not re.search(r"[A-Za-z]{4}", rest)
