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
from kg.draft.eventcounts import EventCounts
from kg.draft.lexicon import endpoint_mentions
from kg.draft.outcomes import outcome_after, outcome_name, outcome_names
from kg.draft.patterns import NUM, TIME_TO_EVENT, Arm, quote_of
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
class Counts(EventCounts):
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
        self._respective_counts(i, text, subs)
        self._each_arm(i, text, subs)
        self._event_pairs(i, text, subs)
        self._two_kinds_per_arm(i, text, subs)
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
                    r"assigned|enrolled|allocated|received)\b", mt.group("what"), re.I):
                continue  # "53 women were randomized (26 A and 27 B)": the arms' sizes; also
                # "118 received their allocated treatment (68 received A and 50 received B)"
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
            if re.fullmatch(r"cases?|instances?|times", name, re.I):  # "X occurred in 8 cases"
                name = outcome_name(text, total.start) or name
            etype = next((t for _, t in endpoint_mentions(name)), None)
            eid = self.endpoint_id(etype, quote_of(text), text) if etype and \
                etype not in TIME_TO_EVENT else self.other_endpoint(name, quote_of(text))
            for p, arm in found:
                self._count(i, text, subs, eid, p, arm)
            return True
        return False

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
                # "61 events (VB 27, observation 34) occurred": what the bracket follows
                if all(x.percent is None and x.total is None for x in items):
                    name = name or next(iter(outcome_names(text, start)), None)
            else:
                head = re.search(r"(?:^|[\d),;])\s*(?P<n>[A-Za-z][A-Za-z -]{2,40}?)\s*$",
                                 text[:start])
                name = head.group("n") if head else None
                if name and re.fullmatch(r"(?:patients|women|participants|cases)", name.strip()):
                    name = outcome_name(text, start)  # "X was found in 30 patients: ..."
            if not name:
                continue
            eid = self._named_endpoint(name, text)
            whole = re.search(rf"(?P<c>{NUM})\s*\(\s*(?P<p>{NUM})\s?%\s*\)\s*(?:patients|women|"
                              r"participants|cases)?\s*$", text[:start])
            if whole and text[start] == ":":  # "in 30 (28.8%) patients: group A = 12 (23.5%), ..."
                c, pct = (nums[whole.start(g)] for g in ("c", "p"))  # all arms together
                self.d.results.append({
                    "endpoint": eid, "statistic": "proportion", "value": pct.value,
                    "unit": "percent", "count": int(c.value), "quote": quote_of(text),
                    "population": self.randomised_pop})
                self.use(i, c)
                self.use(i, pct)
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
        # "... and 14 of the 198 in the B arm had a new event (HR = 2.1, ...)": what they had
        had = re.search(r"\b(?:had|experienced|developed)\s+(?:an?\s+)?(?P<n>[a-z][\w -]{2,40}?)"
                        r"\s*[(\[,]?\s*$", text[:mt.start()])
        if had and not self.arm_near(had.group("n"), 0, len(had.group("n"))):
            return had.group("n")
        return None

    def _named_endpoint(self, name: str, text: str) -> str:
        """The endpoint a list's words name: deaths are OS, else the type named, else its own."""
        etype = "os" if re.fullmatch(r"deaths?", name, re.I) else next(
            (t for _, t in endpoint_mentions(name)), None)
        return self.endpoint_id(etype, quote_of(text), text) if etype else \
            self.other_endpoint(name, quote_of(text))
