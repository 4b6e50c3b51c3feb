"""Drafting rules for shares of patients: rates, proportions and counts, per arm.

"71 of 307 patients (23.1%)", "29% and 24%, respectively", "8 (19%) patients in the walking
group and 14 (37%) in the usual care group", and outcomes the endpoint types do not name ("night
sweats in 36% vs 24%"), each attributed to an arm the way ``statistics`` attributes medians.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.draft.lexicon import endpoint_mentions
from kg.draft.outcomes import outcome_after, outcome_names
from kg.draft.patterns import (
    JOIN_RE,
    LABEL_BEFORE_RE,
    NUM,
    THRESHOLD_BEFORE_RE,
    TIME_TO_EVENT,
    dec,
    quote_of,
    slug,
)
from kg.draft.state import DraftState
from kg.numbers import Printed, iter_numbers

# how a count is printed with its denominator and percentage
COUNT_FORMS = (
    # "12 of 47 patients (26%)", "71 of the 224 patients in the A group (31.7 percent)"
    re.compile(rf"(?P<c>{NUM}|[A-Za-z-]+)(?:\s+(?:out\s+)?of\s+(?:the\s+)?|(?<=\d)\s*/\s*)"
               rf"(?P<n>{NUM})\b(?:\s+[\w-]+){{0,7}}?\s*"
               rf"\((?P<pct>{NUM})\s?(?:%|per\s?cent\b)"),
    re.compile(rf"(?P<c>{NUM}|[A-Za-z]+)\s*\((?P<pct>{NUM})\s?%\)\s+of\s+(?:the\s+)?(?P<n>{NUM})\b"),
    # "117 (49%) of 241"
    re.compile(rf"(?P<pct>{NUM})\s?%\s*\((?P<c>{NUM})\s*/\s*(?P<n>{NUM})"),  # "60.4% (58/96"
    # "GD (70 of 205, 34.1%)"
    re.compile(rf"(?<=\()\s*(?P<c>{NUM})\s+of\s+(?P<n>{NUM}),\s*(?P<pct>{NUM})\s?%\s*\)"),
    # "17/50 (34%)"
    re.compile(rf"(?<![\d/])(?P<c>{NUM})\s*/\s*(?P<n>{NUM})\s*\((?P<pct>{NUM})\s?%\)"),
    # "(11/97 vs. 3/95)": two counts over their sets compared, no share printed
    re.compile(rf"(?<=\()\s*(?P<c>{NUM})\s*/\s*(?P<n>{NUM})(?=\s*(?:vs\.?|versus|v\.?)\s*\d+\s*/\s*\d+\s*[),;])"),
    re.compile(rf"(?<=\d)\s*(?:vs\.?|versus|v\.?)\s*(?P<c>{NUM})\s*/\s*(?P<n>{NUM})(?=\s*[),;])"),
    re.compile(rf"(?P<pct>{NUM})\s?%\s*\((?P<c>{NUM}|[a-z]+)\s+(?:of|out\s+of)\s+"
               rf"(?P<n>{NUM})\)"),  # "10% (two of 20)"
    # no share printed, an arm's patients as the denominator: "31 of the 198 women in the A
    # arm and 14 of the 198 women in the B arm had a new event"
    re.compile(rf"(?P<c>{NUM}|[A-Za-z]+(?:-[a-z]+)?)(?:\s+(?:out\s+)?of\s+(?:the\s+)?|\s*/\s*)(?P<n>{NUM})\s+"
               r"(?:(?:patients|women|participants|subjects)\s+)?(?:in|on|among|receiving|given|treated\s+"
               r"with|assigned\s+to)\s+(?:the\s+)?[^,;()]{1,40}?(?=\s+(?:and|had|experienced|"
               r"developed|achieved|were|was)\b|\s*[,;.)(])"),
)


# two endpoints' rates for each arm in turn: "rates of A and B were 22 and 61% for X, and 14
# and 52% for Y"
_PAIR = rf"(?P<{{0}}>{NUM})\s?%?\s*and\s+(?P<{{1}}>{NUM})\s?%\s*(?:for|in|with|on)\s+(?:the\s+)?"
TWO_ENDPOINTS_RE = re.compile(
    r"(?P<ends>\b[\w-]+(?:\s+[\w-]+){0,4}?\s+and\s+[\w-]+(?:\s+[\w-]+){0,4}?)\s+(?:rates?\s*)?"
    r"(?:were\s+|was\s+|:\s*)" + _PAIR.format("a", "b") + r"(?P<x>[^,;()]{1,40}?)\s*(?:,\s*and|;|,|"
    r"\s+and|\s+versus|\s+vs\.?|\s+v\.?)\s+(?:in\s+)?" + _PAIR.format("c", "d") +
    r"(?P<y>[^,;.()]{1,40})", re.I)
# "overall and disease-free survival": two endpoints sharing their last word
SHARED_SURVIVAL_RE = re.compile(r"\b(overall|(?:disease|relapse|recurrence|event|progression|"
                                r"metastasis|distant[- ]disease)-free)\s+(and|or)\s+(?=[\w-]+\s+"
                                r"survival)", re.I)

# a time point printed with a rate ("at 2 years", "five-year")
TIME_POINT_RE = re.compile(r"\b(?:\d+|one|two|three|four|five|six|ten|twelve)[- ](?:month|year|"
                           r"week)s?\b|\bat\s+\d+\s+(?:month|year|week)s?\b", re.I)

class Rates(DraftState):
    """Rules that find how many patients had an outcome, in each arm."""

    def rates(self, i: int, text: str, subs: list[tuple[int, str]]) -> list[dict]:
        """Counts and percentages: "71 of 307 patients (23.1%)", "29% and 24%, respectively"."""
        out = []
        self.labelled_lists(i, text, subs)  # type: ignore[attr-defined]
        self.segment_lists(i, text, subs)  # type: ignore[attr-defined]
        masked = self.masked(text)
        taken: set[int] = set()
        # in text order, so a later count can take the outcome an earlier one named
        for mt in sorted((mt for pattern in COUNT_FORMS for mt in pattern.finditer(text)),
                         key=lambda m: m.start()):
            if any(mt.start() <= k - self.spans[i][0] < mt.end() for k in self.d.used) or \
                    taken & set(range(mt.start(), mt.end())):
                continue  # placed already (an adverse event's count, another form's count)
            rec = self._count_rate(i, text, mt, subs)
            if rec:
                out.append(rec)
                taken.update(range(mt.start(), mt.end()))
        self._counts_in_arm_order(out, text)
        out += self._two_endpoints_per_arm(i, text, subs)
        placed = {k - self.spans[i][0] for k in self.d.used}  # by the safety stage, say
        pcts = [p for p in iter_numbers(masked, words=False) if p.percent and
                p.start not in taken and p.start not in placed
                and not re.match(r"\s*%?\s*(?:CI|confidence)", masked[p.end:p.end + 16], re.I)
                and not re.match(r"\s*%?\s*or\s+(?:more|greater|higher|less|lower)",
                                 masked[p.end:p.end + 20], re.I)  # a threshold, not a result
                # a threshold: "adverse events with > or = 12% incidence", "at least 20%"
                and not THRESHOLD_BEFORE_RE.search(masked[:p.start])
                # a share of the trial, no outcome: "who accounted for 41% of the participants"
                and not re.search(r"\b(?:accounted\s+for|accounting\s+for|representing|"
                                  r"represented|attained)\s+$", masked[:p.start], re.I)
                # a relative effect, no arm's rate: "a 27% decrease in the risk", "44% lower"
                and not re.match(r"\s*%?\s*(?:relative\s+|absolute\s+)?(?:reduction|decrease|"
                                 r"increase|improvement|lower|higher|greater|fewer|more|less)\b|"
                                 r"\s*%?\s*of\s+(?:which|whom|these|them)\b",  # of the count before
                                 masked[p.end:p.end + 30], re.I)]
        # "24 versus 18 %", "70.5 and 79.3 %": one percent sign for the pair
        every = [p for p in iter_numbers(masked, words=False)]
        for k, p in enumerate(every[1:], 1):
            q = every[k - 1]
            if p in pcts and not q.percent and q.start not in taken | placed and \
                    not re.search(r"(?:\bof|/)\s*$", masked[:q.start]) and \
                    not LABEL_BEFORE_RE.search(masked[:q.start]) and re.fullmatch(
                    r"\s*(?:versus|vs\.?|v\.?|and|or)\s*", masked[q.end:p.start], re.I) and \
                    "%" in p.text and q.value <= 100:
                pcts.append(Printed(q.value, q.start, q.end, q.text, True, q.form))
        pcts.sort(key=lambda x: x.start)
        runs: list[list[Printed]] = []
        for p in pcts:
            if runs and JOIN_RE.match(masked[runs[-1][-1].end:p.start].replace("%", "")):
                runs[-1].append(p)
            else:
                runs.append([p])
        named_here: str | None = None  # the outcome a sentence's first values named
        prev_end = 0
        for run in runs:
            if self.per_arm_unknown(run):
                continue
            etype = self.endpoint_at(text, run[0].start)
            # "Seven (8%) complete responses", "two (3%) had a partial response": named after
            close = re.match(r"\s*\)\s+(?:(?:had|achieved|showed)\s+(?:an?\s+)?)?",
                             text[run[-1].end:])
            if close and len(run) == 1:
                at = run[-1].end + close.end()
                etype = next((t for p, t in endpoint_mentions(text) if p == at), etype)
            # a time-to-event endpoint has percentages only as a rate at a time point
            # ("5-year DFS 85% vs 80%"); os and pfs have their own rate types for that
            when = re.search(r"\d+[- ]years?\b|\b(?:one|two|three|four|five|ten)[- ]years?\b|"
                             # "the RFS rates were 51% and 61%": no time given
                             r"\bat \d+ (?:years|months)|\brates?\s+(?:was|were|of)\b",
                             text[:run[0].start], re.I)
            if (etype in {"os", "pfs"} and re.search(r"\brates?\b", re.split(
                    r"[;,]", text[:run[0].start])[-1], re.I)) or (etype == "os" and re.match(
                    r"\s*survival\b", text, re.I)):  # in the values' own clause, or its subject
                # "the rates of overall survival at three years were 84% and 77%"
                etype = {"os": "survival-rate", "pfs": "pfs-rate"}[etype]
            at_time = etype in TIME_TO_EVENT - {"os", "pfs"} and when
            if etype is None and len(self.d.arms) >= 2:
                # an outcome the endpoint types do not name ("hot flushes in 41% vs 28%"),
                # when the values are per arm: a pair, or an arm named beside the value
                arms = self._attribute(text, run, masked)
                # "X in 84% of the A group and in 62% of the B group": one outcome
                given = {k for a in self.d.arms for k in a.regimen}
                # "on velortinib" names an arm, not an outcome; nor does a disease
                def plain(n: str, given: set[str] = given) -> bool:
                    return not ({x.key for x in self.lex.find(n)} & given or
                                self.lex.find(n, ("disease",)) or self.arm_near(n, 0, len(n)))
                # "received surgery (28% vs 18%; P = .03) and radiotherapy (36% vs 19%; ...)":
                # a later pair takes the outcome named between it and the pair before
                between = text[prev_end:run[0].start] if named_here else ""
                local = next((n for n in outcome_names(between, len(between)) if plain(n)),
                             None) if re.match(r"[^()]*\)?\s*(?:,\s*)?and\s+\w", between) \
                    else None
                name = local or named_here or next(
                    (n for n in outcome_names(text, run[0].start) if plain(n)), None) or \
                    outcome_after(
                        text, text.find(")", run[-1].end) + 1 if re.match(
                            r"\s*\)", text[run[-1].end:]) else run[-1].end)
                if name and (len(run) >= 2 or any(arms)) and all(arms):
                    named_here, prev_end = name, run[-1].end
                    eid = self.other_endpoint(name, quote_of(text))
                    for p, arm in zip(run, arms, strict=True):
                        rec = self._result(eid, "proportion", p, "percent", text, arm, subs)
                        self._count_before(rec, text, p, i)
                        out.append(self._keep(rec, i, text, p, single=len(run) == 1))
                continue
            if etype is None or (etype in TIME_TO_EVENT and not at_time):
                continue
            # a rate's time point is its own mention's: "the 1-year ... and the 2-year ..."
            at = max((k for k, t in endpoint_mentions(text) if k < run[0].start and t == etype),
                     default=0)
            # ... or one printed after it, nearer the values: "...; at 2 years, the rate was"
            later = [m.start() for m in TIME_POINT_RE.finditer(text, at + 1, run[0].start)]
            eid = self.endpoint_id(etype, quote_of(text), text[later[-1] if later and re.search(
                r";", text[at:later[-1]]) else at:])
            arms = self._attribute(text, run, masked)
            for p, arm in zip(run, arms, strict=True):
                statistic = "rate" if etype.endswith("-rate") or at_time else "proportion"
                rec = self._result(eid, statistic, p, "percent", text, arm, subs)
                self._count_before(rec, text, p, i)
                out.append(self._keep(rec, i, text, p, single=len(run) == 1))
        return out

    def _two_endpoints_per_arm(self, i: int, text: str, subs: list[tuple[int, str]]
                               ) -> list[dict]:
        """"Rates of DFS and OS were 22 and 61% for A, and 14 and 52% for B": a pair per arm.

        Each arm's pair is in the order the two endpoints are named; a time point before the
        values makes them rates at that time.
        """
        mt = TWO_ENDPOINTS_RE.search(text)
        if mt is None or len(self.d.arms) < 2:
            return []
        kinds = [t for _, t in endpoint_mentions(SHARED_SURVIVAL_RE.sub(
            r"\1 survival \2 ", mt.group("ends")))]
        arms = [self.arm_near(mt.group(g), 0, len(mt.group(g))) for g in "xy"]
        if len(kinds) != 2 or kinds[0] == kinds[1] or None in arms or arms[0] is arms[1]:
            return []
        when = TIME_POINT_RE.search(text[:mt.start("a")])
        out = []
        nums = {p.start: p for p in iter_numbers(text, words=False)}
        for kind, groups in zip(kinds, ("ac", "bd"), strict=True):
            if when and kind in {"os", "pfs"}:
                kind = {"os": "survival-rate", "pfs": "pfs-rate"}[kind]
            eid = self.endpoint_id(kind, quote_of(text), text[when.start():] if when else "")
            for g, arm in zip(groups, arms, strict=True):
                p = nums[mt.start(g)]
                rec = self._result(eid, "rate" if when else "proportion", p, "percent", text,
                                   arm, subs)
                out.append(self._keep(rec, i, text, p, single=False))
        return out

    def _count_before(self, rec: dict, text: str, p: Printed, i: int) -> None:
        """The count printed before a percentage: "12 (12%)", "six patients (10%)", "12 [12%]".

        Or in square brackets after it: "55% [N = 6]" ("(n = 60)" is a group's size).
        """
        after = re.match(r"\s*%?\s*\[\s*[Nn]\s*=\s*(?P<c>\d+)\s*\]", text[p.end:]) or re.match(
            # "14% (nine PR; 95% CI ...)": a count of responders in the bracket after the rate
            r"\s*%?\s*\(\s*(?P<c>\d+|[a-z]+(?:-[a-z]+)?)\s+(?:PRs?|CRs?|(?:partial\s+|complete\s+)?"
            r"responses?|responders?|patients|women|cases)\s*[;)]", text[p.end:])
        of = re.match(r"\s*%?\s*(?:\[[^\[\]]*\]\s*)?\(\s*(?P<c>\d+)\s+of\s+(?P<n>\d+)"
                      r"(?:\s+[a-z]+)?\s*[);,]", text[p.end:]) or re.match(  # "... (19 of 28)"
            r"\s*%?\s*\[\s*(?P<c>\d[\d,]*)\s*/\s*(?P<n>\d[\d,]*)\s*\]", text[p.end:]) or re.match(
            # "[19/28]"; "4% treated with A, 3 of 68 vs ..."
            r"\s*%?\s*(?:[A-Za-z][^,;()\d]{0,40})?,\s*(?P<c>\d+)\s+of\s+(?P<n>\d+)\b", text[p.end:])
        c_, n_ = (int(of.group(g).replace(",", "")) for g in "cn") if of else (0, 0)
        if of and 0 < c_ <= n_ and abs(Decimal(100) * c_ / n_ - p.value) <= 1:
            rec["count"], rec["denominator"] = c_, n_
            for g in "cn":
                self.d.used.add(self.spans[i][0] + p.end + of.start(g))
            return
        c = next(iter(iter_numbers(after.group("c"))), None) if after else None
        if after and c is not None and c.value == c.value.to_integral() and c.value > 0:
            rec["count"] = int(c.value)
            self.d.used.add(self.spans[i][0] + p.end + after.start("c"))
            return
        before = text[max(0, p.start - 40):p.start]
        over = re.search(r"(?<![\d/])(?P<c>\d[\d,]*)\s*/\s*(?P<n>\d[\d,]*)\s*[(\[]\s*$", before)
        if over:  # "25/44 (56.8%)": a count over its set, not 44 patients
            c_, n_ = (int(over.group(g).replace(",", "")) for g in "cn")
            if 0 < c_ <= n_ and abs(Decimal(100) * c_ / n_ - p.value) <= 1:
                rec["count"], rec["denominator"] = c_, n_
            return
        label = re.search(r"\s+(?:in\s+)?(?:the\s+)?(?:groups?|arms?|cohorts?)\s+(?:[A-D1-9]|"
                          r"I{1,3})\s*\(\s*$", before, re.I)
        if label:  # "30 women in group 1 (75%)": 30, never the group's number
            before = before[:label.start()] + " ("
        for words in range(4):  # the nearest number: "9 (22%)", "nine patients (22%)"
            count = re.search(rf"(?<![\w.])(?P<c>{NUM}|[A-Z]?[a-z]+(?:-[a-z]+)?)\s*"
                              rf"(?:\w+\s+){{{words}}}[(\[]\s*$", before)
            c = next(iter(iter_numbers(count.group("c"))), None) if count else None
            if count and re.search(r"\b(?:years?|months?|weeks?|days?|hours?|mg|cycles?)\b",
                                   count.group(), re.I):
                return  # "at three years (1.8 percent ...)": a time, not a count
            if count and c is not None:
                # the whole number ending there: "Nine hundred seven (92%)" is 907, not 7
                whole = next((x for x in iter_numbers(before) if x.start <= count.start("c") <
                              x.end), None)
                c, at = (whole, whole.start) if whole is not None else (c, count.start())
                if c.value == c.value.to_integral() and c.value > 0:
                    rec["count"] = int(c.value)
                    self.d.used.add(self.spans[i][0] + max(0, p.start - 40) + at)
                return

    def other_endpoint(self, name: str, quote: str) -> str:
        """An endpoint of type ``other`` named as the source names the outcome."""
        eid = slug(name)
        if eid not in self.d.endpoints:
            self.d.endpoints[eid] = {"id": eid, "type": "other", "name": name, "quote": quote}
        return eid

    def _counts_in_arm_order(self, found: list[dict], text: str) -> None:
        """"210 of 431 (48.7%) v 134 of 430 (31.2%)" with no arm named: the arms in their order.

        Only when there is one count a arm, none attributed, and they are joined by "v", "vs",
        "versus" or "and": the way abstracts list arms in the order of the methods.
        """
        if len(found) != len(self.d.arms) or len(found) < 2 or any(r.get("arm") for r in found):
            return
        if not re.search(r"\s(?:v|vs\.?|versus|and)\s", text):
            return
        for rec, arm in zip(found, self.d.arms, strict=True):
            rec["arm"] = arm.id

    def _count_rate(self, i: int, text: str, mt: re.Match[str],
                    subs: list[tuple[int, str]]) -> dict | None:
        count = next(iter(iter_numbers(mt.group("c"))), None)
        if count is None:
            return None
        n = dec(mt.group("n"))
        pct = dec(mt.group("pct")) if mt.groupdict().get("pct") else None
        if count.value > n or n == 0 or (pct is not None and abs(
                Decimal(100) * count.value / n - pct) > 1):
            return None
        # the endpoint named before the count ("responses were observed in 14 of 52"), else the
        # one right after it ("14 of 52 (27%) had a partial response")
        etype = self.endpoint_at(text, mt.start()) or self.endpoint_at(
            text, mt.end() + 40) or self.endpoint_at(text, len(text))
        # the arm named inside the form ("71 of the 224 patients in the A group (31.7%)"), else
        # right after it
        label = re.search(r"([\w+/-]+(?:\s+[\w+/-]+){0,3})\s*[(\[]\s*$", text[:mt.start()])
        near = self.arm_near(label.group(1), 0, len(label.group(1))) if label else None
        arm = (self._pair_in_bracket(text, mt) or near or  # type: ignore[attr-defined]
               self.arm_near(text, mt.start("n"), mt.start("pct") if pct is not None else
                             mt.end()) or
               self.arm_near(text, mt.end(), min(len(text), mt.end() + 40))) if \
            len(self.d.arms) > 1 else next(iter(self.d.arms), None) if not re.search(
                r"\b(?:control|controls|historical|comparison|reference|untreated)\b",
                text, re.I) else None  # a single arm's own, unless others are counted
        if etype is None:
            # an outcome no endpoint type names, in one arm: "Three (3%) of the 94 patients in
            # the A group had nosebleeds", "A node was positive in 71 of the 224 ..."
            given = {k for a in self.d.arms for k in a.regimen}

            def arm_like(n: str) -> bool:  # "... for intratumoral injection and"
                return bool({x.key for x in self.lex.find(n, ("drug", "placebo", "intervention"))}
                            & given or self.arm_near(n, 0, len(n)))
            # "More patients in the A arm stopped early (11/97 vs. 3/95)": not "A"
            name = outcome_after(text, mt.end()) or next(
                (n for n in outcome_names(text, mt.start()) if not arm_like(n)), None)
            # "Lumpectomy could be offered in 52% (14 of 27)": the surgery
            name = name and re.sub(r"\s+(?:could|can|might|may)\s+be\s+\w+$", "", name)
            if not name or arm_like(name):
                # "..., as did 5 of the 47 patients in the B group": the outcome named first
                # "... with Y (six of 43 in the A group, and eight of 47 in the B group)": Y
                opened = text.rfind("(", 0, mt.start())
                name = self._outcome_of_sentence.get((i, opened)) if opened > text.rfind(
                    ")", 0, mt.start()) else None
                name = name or self._outcome_of_sentence.get(i)
            if arm is None or not name:
                return None
            self._outcome_of_sentence.setdefault(i, name)
            self._outcome_of_sentence.setdefault((i, text.rfind("(", 0, mt.start())), name)
            eid = self.other_endpoint(name, quote_of(text))
            etype = "other"
        else:
            eid = self.endpoint_id(etype, quote_of(text), text)
        statistic = "rate" if etype.endswith("-rate") else "proportion"
        rec = {"endpoint": eid, "statistic": statistic, "count": int(count.value),
               "denominator": int(n), "value": pct, "unit": "percent", "quote": quote_of(text)}
        if pct is None:  # a count over its set, no share printed
            rec.update(statistic="count", value=None, unit=None)
            rec = {k: v for k, v in rec.items() if v is not None}
        if arm is not None:
            rec["arm"] = arm.id
        pop = self.pop_at(subs, text, mt.start())
        if pop:
            rec["population"] = pop
        for p in iter_numbers(text[mt.start():mt.end()]):
            self.d.used.add(self.spans[i][0] + mt.start() + p.start)
        ci = re.match(rf"[^()]{{0,12}}?(?P<lvl>\d+)\s?%\s*CI[,:]?\s*(?P<a>{NUM})\s*(?:-|–|to)\s*"
                      rf"(?P<b>{NUM})", text[mt.end():mt.end() + 40])
        if ci and pct is not None and dec(ci.group("a")) <= pct <= dec(ci.group("b")):
            rec["ci_low"], rec["ci_high"] = dec(ci.group("a")), dec(ci.group("b"))
            rec["ci_level"] = Decimal(ci.group("lvl")) / 100
            for p in iter_numbers(text[mt.end():mt.end() + ci.end()], words=False):
                self.d.used.add(self.spans[i][0] + mt.end() + p.start)
        self.d.results.append(rec)
        return rec

