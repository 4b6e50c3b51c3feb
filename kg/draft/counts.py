"""Drafting rules for counts of events per arm, where no percentage stands beside them.

"71 deaths in the A group and 88 in the B group", "15 recurrences (6 A and 9 B)", "(progression
in the A group versus the B group, 241 events versus 267 events, HR ...)": a mixin of
``Drafter`` beside ``rates``, which reads counts printed with their percentages. Lists headed
by each arm's label ("(A=7 out of 41, 17%; B=15 out of 44, 34%)", ``armlists``) are read here
too, counts and percentages alike, before ``rates`` sees their numbers.
"""

from __future__ import annotations

import re

from kg.draft.armlists import arm_lists
from kg.draft.attribution import SECTION
from kg.draft.lexicon import endpoint_mentions
from kg.draft.outcomes import outcome_after, outcome_name
from kg.draft.patterns import NUM, TIME_TO_EVENT, Arm, quote_of
from kg.draft.state import DraftState
from kg.numbers import Printed, iter_numbers

# kinds of response, and how a count of patients with one is printed ("7 achieved partial
# response (PR)", "2 CR", "three disease stabilizations")
RESPONSE_KINDS = (
    ("cr", r"complete\s+(?:clinical\s+)?(?:response|remission|regression)s?|CRs?"),
    ("pr", r"partial\s+(?:response|remission|regression)s?|PRs?"),
    ("sd", r"stable\s+disease|disease\s+stabili[sz]ations?|SD|NC"),
    ("pd", r"progressive\s+disease|PD"),
)
RESPONSE_RE = re.compile(
    rf"(?P<n>\b{NUM}|\b[A-Za-z]+(?:-[a-z]+)?)\s+(?:(?:patients?|cases?|women)\s+)?(?:(?:had|"
    r"achieved|showed|obtained|with)\s+)?(?:an?\s+)?(?P<cat>"
    + "|".join(pat for _, pat in RESPONSE_KINDS).replace("|CRs?", "|(?-i:CRs?)").replace(
        "|PRs?", "|(?-i:PRs?)").replace("|SD|NC", "|(?-i:SD|NC)").replace("|PD", "|(?-i:PD)")
    + r")\b", re.I)

ELLIPTIC_RE = re.compile(rf"(?P<a>\b{NUM}|\b[a-z]+)\s+complete\s+and\s+(?P<b>{NUM}|[a-z]+)\s+"
                         r"partial\s+(?:responses|remissions)\b", re.I)
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



class Counts(DraftState):
    """Rules that find how many events each arm had."""

    def counts_per_arm(self, i: int, text: str, subs: list[tuple[int, str]]) -> None:
        """Event counts named with their arms ("71 deaths in the A group and 88 in the B group").

        Also "64 on examplinib and 79 on placebo", "143 in the A arm and 157 in the control arm".

        Two or more whole numbers, each followed within a few words by a different arm, in a
        results sentence; the outcome is the endpoint the sentence names, else the words right
        after the first count ("deaths", "cases of leukaemia"), else the clause before them.
        """
        self._response_counts(i, text, subs)
        if len(self.d.arms) < 2:
            return
        if self._summed_counts(i, text, subs):
            return
        self._events_among(i, text, subs)
        self._each_arm(i, text, subs)
        self._event_pairs(i, text, subs)
        placed = {k - self.spans[i][0] for k in self.d.used}
        masked = self.masked(text)
        found: list[tuple[Printed, Arm]] = []
        for p in iter_numbers(masked):
            if p.percent or p.start in placed or p.value != p.value.to_integral() or \
                    re.match(r"\s*(?:%|per ?cent|months?|weeks?|years?|days?|mg|cycles?)\b",
                             masked[p.end:], re.I) or \
                    re.search(r"(?:n\s*=|\bof(?:\s+the)?|/)\s*$", masked[:p.start]):
                continue
            window = re.split(r"[;,(]|\d|\band\b|\bversus\b|\bvs\b", masked[p.end:p.end + 60])[0]
            if len(re.findall(r"[A-Za-z]+", window)) > 10 or re.search(
                    r"\b(?:received|were treated|randomi[sz]ed|assigned|allocated|enrolled)\b",
                    window, re.I):
                continue  # an arm's size, not an event count
            arm = self.arm_near(window, 0, len(window))
            if arm is not None and re.search(r"\b(?:in|on|with|among|for|receiving|given|of)\b",
                                             window, re.I):
                found.append((p, arm))
        # a clause each: "... (26 in the A arm and 34 in the B arm; ...) but ... (19 ... 41 ...)"
        groups: list[list[tuple[Printed, Arm]]] = []
        last = None
        for p, arm in found:
            clause = len(re.findall(r";|\bbut\b|\bwhereas\b|\bwhile\b", masked[:p.start]))
            if groups and clause == last:
                groups[-1].append((p, arm))
            else:
                groups.append([(p, arm)])
            last = clause
        for group in groups:
            if len(group) >= 2 and len({a.id for _, a in group}) == len(group):
                self._counts_of(i, text, masked, group, subs)

    def _counts_of(self, i: int, text: str, masked: str, found: list[tuple[Printed, Arm]],
                   subs: list[tuple[int, str]]) -> None:
        """Records of counts per arm, with the outcome the sentence names for them."""
        first = found[0][0]
        etype = self.endpoint_at(text, len(text))
        if etype is None or etype in TIME_TO_EVENT - {"os"}:
            after = re.match(r"\s*((?:[a-z-]+\s+){0,4}?[a-z-]+?)\s+(?:occurr\w*|in|on|with|"
                             r"among|were|was|had)\b", masked[first.end:], re.I)
            if after and re.fullmatch(r"patients|women|participants|subjects", after.group(1),
                                      re.I):
                after = None  # "12 patients on A": the outcome is named before
            noun = after.group(1) if after else None
            if noun and re.fullmatch(r"deaths?", noun, re.I):
                etype = "os"
            else:
                name = noun or outcome_name(text, first.start)
                if not name or self._only_treatment(name):
                    return
                etype = None
                eid = self.other_endpoint(name, quote_of(text))
        if etype is not None:
            eid = self.endpoint_id(etype, quote_of(text), text)
        for p, arm in found:
            self._count(i, text, subs, eid, p, arm)

    def _summed_counts(self, i: int, text: str, subs: list[tuple[int, str]]) -> bool:
        """"18 recurrences (8 preoperative and 10 postoperative)": each arm's count of them.

        The bracket's numbers, each followed by an arm's name, must add up to the count before
        it; the words between that count and the bracket name the outcome.
        """
        nums = list(iter_numbers(text))
        for total in nums:
            mt = re.match(r"\s+(?P<what>[A-Za-z][\w/ -]{2,60}?)\s*\((?P<inner>[^()]+)\)",
                          text[total.end:])
            if mt is None or total.value != total.value.to_integral() or re.search(
                    r"\b(?:patients|women|men|participants|subjects|were|was|randomi[sz]ed|"
                    r"assigned|enrolled)\b", mt.group("what"), re.I):
                continue  # "53 women were randomized (26 A and 27 B)": the arms' sizes
            a, b = total.end + mt.start("inner"), total.end + mt.end("inner")
            b = a + len(re.split(r";", mt.group("inner"))[0])  # "(82 on A and 104 on B; HR ...)"
            inner = [p for p in nums if a <= p.start < b and not p.percent]
            found: list[tuple[Printed, Arm]] = []
            for k, p in enumerate(inner):
                stop = inner[k + 1].start if k + 1 < len(inner) else b
                window = re.split(r",|;|\band\b", text[p.end:stop])[0]
                arm = self.arm_near(window, 0, len(window)) if len(window.split()) <= 4 else None
                if arm is not None:
                    found.append((p, arm))
            if len(found) < 2 or len(found) != len(inner) or \
                    len({arm.id for _, arm in found}) != len(found) or \
                    sum(p.value for p, _ in found) != total.value or self._only_treatment(
                        mt.group("what")):
                continue
            name = " ".join(mt.group("what").split())
            etype = next((t for _, t in endpoint_mentions(name)), None)
            eid = self.endpoint_id(etype, quote_of(text), text) if etype and \
                etype not in TIME_TO_EVENT else self.other_endpoint(name, quote_of(text))
            for p, arm in found:
                self._count(i, text, subs, eid, p, arm)
            return True
        return False

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
            r"recurrences)\s+(?:in|among)\b"  # "..., and 77 and 58 events in older women"
        for mt in re.finditer(pairs, masked, re.I):
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

    def _response_counts(self, i: int, text: str, subs: list[tuple[int, str]]) -> None:
        """How many patients of one arm had each kind of response, listed together.

        "In the A arm, 2 achieved complete response (CR), 15 partial response and 20 had
        stable disease", "there were 1 CR, 8 PR and 20 PD in the B group", "(two CR, 9 PR; 95%
        CI ...)": two kinds or more in one clause that names one arm (or a sentence that does).
        """
        placed = {k - self.spans[i][0] for k in self.d.used}
        nums = {p.start: p for p in iter_numbers(text)}
        whole = self._arms_in(text)
        for clause in re.finditer(r"[^;]+", text):
            found = []
            # "with 7 complete and 51 partial responses": the first kind's noun left out
            two = ELLIPTIC_RE.search(clause.group())
            hits = [(two.start("a"), "cr"), (two.start("b"), "pr")] if two else [
                (mt.start("n"), next(k for k, pat in RESPONSE_KINDS
                                     if re.fullmatch(pat, mt.group("cat"), re.I)))
                for mt in RESPONSE_RE.finditer(clause.group())]
            for at, kind in hits:
                p = nums.get(clause.start() + at)
                if p is not None and not p.percent and p.start not in placed and \
                        p.value == p.value.to_integral():
                    found.append((p, kind))
            lead = self._lead_arm(clause.group()) or self._lead_arm(text)  # "Of the 280 in A,"
            arms = [lead] if lead else self._arms_in(clause.group()) or whole or \
                self.d.arms[:1] * (len(self.d.arms) == 1)
            # two kinds or more; one alone in a single-arm study ("Two patients had a PR")
            least = 1 if len(self.d.arms) == 1 else 2
            if len(found) < least or len({k for _, k in found}) != len(found) or len(arms) != 1:
                continue
            for p, kind in found:
                self._count(i, text, subs, self.endpoint_id(kind, quote_of(text), text), p,
                            arms[0])

    def labelled_lists(self, i: int, text: str, subs: list[tuple[int, str]]) -> None:
        """"(Group A=7 out of 41, 17%; Group B=15 out of 44, 34%) had X": each arm's by its label.

        Also "48 patients relapsed: AB, 21 patients (9 deaths); CD, 27 patients (13 deaths)". The
        outcome is named after the closing bracket, else right before the colon; every label must
        name a different arm, else the list is left to the other rules.
        """
        if len(self.d.arms) < 2:
            return
        nums = {p.start: p for p in iter_numbers(text)}
        for start, end, items in arm_lists(text):
            arms = [self.arm_near(x.label, 0, len(x.label)) for x in items]
            if None in arms or len({a.id for a in arms if a}) != len(arms):
                continue
            if text[start] == "(":
                close = text.find(")", end)
                name = outcome_after(text, close + 1) if close >= 0 else None
            else:
                head = re.search(r"(?:^|[\d),;])\s*(?P<n>[A-Za-z][A-Za-z -]{2,40}?)\s*$",
                                 text[:start])
                name = head.group("n") if head else None
            if not name:
                continue
            eid = self._named_endpoint(name, text)
            for item, arm in zip(items, arms, strict=True):
                c, n, pct = (nums.get(k) if k is not None else None
                             for k in (item.count, item.total, item.percent))
                rec: dict = {"endpoint": eid, "arm": arm.id, "quote": quote_of(text)}
                if pct is not None:
                    rec.update(statistic="proportion", value=pct.value, unit="percent")
                else:
                    rec["statistic"] = "count"
                if c is not None:
                    rec["count"] = int(c.value)
                if n is not None and c is not None and c.value <= n.value:
                    rec["denominator"] = int(n.value)
                for p in (c, n, pct):
                    if p is not None:
                        self.use(i, p)
                pop = self.pop_at(subs, text, item.count or item.percent or 0)
                if pop:
                    rec["population"] = pop
                self.d.results.append(rec)
                ev = nums.get(item.events) if item.events is not None else None
                if ev is not None and item.event_word:
                    self._count(i, text, subs, self._named_endpoint(item.event_word, text), ev,
                                arm)

    def estimate_outcome(self, text: str, mt: re.Match, est: Printed) -> str | None:
        """What an estimate with no endpoint type is of: "the risk ratio for stroke was 0.81".

        Or, in a sentence counting events per arm, those events: "There were 71 second cancers
        in the A arm and 104 in the B arm (HR = 0.66, ...)" is of "second cancers".
        """
        named = re.match(r"\s+(?:for|of)\s+(?P<n>[a-z][\w -]{2,40}?)\s+(?:was|were|is)\b",
                         text[mt.end():est.start])
        if named and not self.arm_near(named.group("n"), 0, 40):
            return named.group("n")
        counted = re.search(rf"\b(?:were|was)\s+{NUM}\s+(?P<n>[a-z][\w -]{{2,40}}?)\s+in\s+the\s+"
                            rf"[^;()]*?\band\s+{NUM}\b", text[:mt.start()], re.I) or re.search(
            r"\bnumber\s+of\s+(?P<n>[a-z][\w -]{2,40}?)\s+was\s+\d", text[:mt.start()], re.I)
        if counted and not self.arm_near(counted.group("n"), 0, len(counted.group("n"))):
            return counted.group("n")
        return None

    def _named_endpoint(self, name: str, text: str) -> str:
        """The endpoint a list's words name: deaths are OS, else the type named, else its own."""
        etype = "os" if re.fullmatch(r"deaths?", name, re.I) else next(
            (t for _, t in endpoint_mentions(name)), None)
        return self.endpoint_id(etype, quote_of(text), text) if etype else \
            self.other_endpoint(name, quote_of(text))

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
