"""Drafting rules for subgroups: cohorts, marker- and subtype-defined groups, who a value is for.

A mixin of ``Drafter`` used by ``populations`` and the value rules: a subgroup is a population
of its own, quoting the sentence that names it, and a value takes the subgroup its clause names.
"""

from __future__ import annotations

import re

from kg.draft.armlist import blank_brackets
from kg.draft.patterns import (
    NUM,
    STATUS,
    STATUS_WORDS,
    dec,
    quote_of,
    slug,
)
from kg.draft.state import DraftState
from kg.numbers import iter_numbers

# a subgroup's size in each arm, right after its name: "(212 on A versus 230 on B)"
_ON = r"\s+(?:on|in|receiving|given|with|to)\s+(?:the\s+)?"
SUBGROUP_ARMS_RE = re.compile(
    rf"[^().;]{{0,60}}?\(\s*(?P<a>{NUM}){_ON}(?P<x>[^,;()]{{1,40}}?)\s*(?:,|;|versus|vs\.?|and)\s*"
    rf"(?P<b>{NUM}){_ON}(?P<y>[^,;()]{{1,40}}?)\s*\)", re.I)


# a group by menopausal status or age, named after "in" or "among"
STATUS_GROUP_RE = re.compile(r"\b(?:in|among)\s+(?:the\s+)?(?P<g>(?:pre|post|peri)-?menopausal|"
                             r"older|younger|elderly)\s+(?P<w>women|patients|participants)\b", re.I)


class Subgroups(DraftState):
    """Rules that find the subgroups a results sentence names."""

    def subgroups(self, i: int, text: str) -> list[tuple[int, str]]:
        """Subgroups a results sentence names: a subtype of the study's disease or a biomarker.

        Returns (position, population id); a size comes from "(n = 421)" or "the 139 patients
        with ..." next to the name.
        """
        out = self._subgroup_arm_sizes(i, text, self._subgroups(i, text))
        self._sized_split(i, text)
        return out

    def _status_groups(self, text: str) -> list[tuple[int, str]]:
        """Groups by menopausal status or age a value is reported "in" or "among".

        "(HR = 0.66 ...) among younger women, ... (HR = 1.31 ...) in older women": each estimate
        of its group, not of the whole randomised population.
        """
        out = []
        for mt in STATUS_GROUP_RE.finditer(text):
            label = f"{mt.group('g')} {mt.group('w')}".lower()
            pid = slug(label)
            if not any(p["id"] == pid for p in self.d.populations):
                rec = {"id": pid, "label": label, "kind": "subgroup",
                       "quote": quote_of(text)}
                if self.randomised_pop:
                    rec["parent"] = self.randomised_pop
                self.d.populations.append(rec)
            out.append((mt.start("g"), pid))
        return out

    def _sized_split(self, i: int, text: str) -> None:
        """Two groups of patients that split a set, or a subgroup analysis's own set.

        "Of these 300 women, 128 had X and 172 had Y": a split only when the two sizes add up
        to the set named before them or to the root; "a subgroup analysis of 214 women with X".
        """
        nums = {p.start: p for p in iter_numbers(text)}
        mt = re.search(rf"(?P<a>\b{NUM}|\b[A-Z][a-z]+(?:-[a-z]+)?)\s+(?:patients|women)\s+"
                       rf"(?P<v>had|were)\s+(?P<x>[A-Za-z][^,;.()]{{1,59}}?),?\s+and\s+(?P<b>{NUM})\s+"
                       rf"(?:patients\s+|women\s+)?(?:had|were)\s+(?P<y>[A-Za-z][^,;.()]{{1,59}}?)"
                       r"\s*(?=[.;,]|$)", text)
        sizes = [nums.get(mt.start(g)) for g in "ab"] if mt else []
        whole = re.search(rf"\bOf\s+(?:these|the|all)\s+(?P<n>{NUM})\b", text[:mt.start()]) \
            if mt else None
        root = next((p for p in self.d.populations if p.get("parent") is None), None)
        arms = [p["size"] for p in self.d.populations if p.get("arm") and p.get("size") and
                p.get("parent") == (root or {}).get("id")]  # or the arms' sizes add up to it
        totals = {int(dec(whole.group("n")))} if whole else {(root or {}).get("size"), sum(arms)}
        if mt and None not in sizes and sum(int(p.value) for p in sizes) in totals:  # type: ignore
            ids = [slug(mt.group(g)) for g in "xy"]
            for g, pid, p, other in zip("xy", ids, sizes, ids[::-1], strict=True):
                if any(x["id"] == pid for x in self.d.populations):
                    return
                self.d.populations.append({
                    "id": pid, "label": f"patients who {mt.group('v')} {mt.group(g)}",
                    "kind": "subgroup",
                    "size": int(p.value), "parent": (root or {}).get("id"),  # type: ignore
                    "complement_of": [other], "quote": quote_of(text)})
                self.use(i, p)  # type: ignore[arg-type]
        one = re.search(rf"\bsubgroup\s+analysis\s+of\s+(?P<n>{NUM})\s+(?P<w>(?:patients|women)\s+"
                        r"with\s+[^.;()]{3,60}?)\s+(?:indicated|showed|suggested|found|revealed)\b",
                        text, re.I)
        if one and nums.get(one.start("n")) and root:
            pid = slug(one.group("w"))
            if not any(x["id"] == pid for x in self.d.populations):
                self.d.populations.append({"id": pid, "label": one.group("w"), "kind": "subgroup",
                                           "size": int(dec(one.group("n"))), "parent": root["id"],
                                           "quote": quote_of(text)})
                self.use(i, nums[one.start("n")])

    def _subgroup_arm_sizes(self, i: int, text: str, subs: list[tuple[int, str]]
                            ) -> list[tuple[int, str]]:
        """"In women with diabetes (212 on A versus 230 on B)": the subgroup's size in each arm."""
        for pos, pid in subs[:1] if len(self.d.arms) >= 2 else []:
            mt = SUBGROUP_ARMS_RE.match(text, pos)
            arms = [self.arm_near(mt.group(g), 0, len(mt.group(g))) for g in "xy"] if mt else []
            if not mt or None in arms or arms[0] is arms[1]:
                continue
            nums = {p.start: p for p in iter_numbers(text)}
            for g, arm in zip("ab", arms, strict=True):
                p = nums.get(mt.start(g))
                if p is None or any(x["id"] == f"{pid}-{arm.id}" for x in self.d.populations):
                    continue
                self.d.populations.append({
                    "id": f"{pid}-{arm.id}", "label": f"{pid} on {arm.label}", "kind": "subgroup",
                    "size": int(p.value), "parent": pid, "arm": arm.id, "quote": quote_of(text)})
                self.use(i, p)
        return subs

    def _subgroups(self, i: int, text: str) -> list[tuple[int, str]]:
        out = self._cohorts(i, text) + self._status_groups(text)
        led = self._leading_group(i, text)
        if led:
            return [*out, led]
        named = self.lex.find(text, ("disease", "biomarker"))
        out += self._marker_groups(i, text, [(x.start, x.end) for x in named])
        for x in named:
            if x.kind == "disease" and not (self.conditions and any(
                    c in self.lex.ancestors(x.key) for c in self.conditions)):
                continue
            status = self._status(text, x.start, x.end) if x.kind == "biomarker" else None
            if x.kind == "biomarker" and status is None:
                continue  # a marker named without a status defines no group of patients
            pid = slug(f"{x.key} {status}" if status else text[x.start:x.end])
            size = None
            after = re.match(rf"[^()]{{0,25}}?\(\s*n\s*=\s*(?P<n>{NUM})", text[x.end:])
            before = re.search(rf"(?:^|[:,;(]|\band)\s*(?P<n>{NUM})\s+(?:\(\s*{NUM}\s*%\)\s+)?"
                               rf"(?:(?:patients|participants)\s+)?(?:(?:with|whose|who had|had)"
                               rf"\s+[\w\s-]{{0,30}})?$", text[:x.start])
            found = after or before
            if found and not any(p["id"] == pid for p in self.d.populations):
                size = int(dec(found.group("n")))
                base = x.end if found is after else 0
                for p in iter_numbers(text[base:], words=False):
                    if base + p.start == base + found.start("n"):
                        self.d.used.add(self.spans[i][0] + base + p.start)
            if not any(p["id"] == pid for p in self.d.populations):
                rec = {"id": pid, "label": text[x.start:x.end], "kind": "subgroup",
                       "quote": quote_of(text)}
                if size is not None:
                    rec["size"] = size
                if self.randomised_pop:
                    rec["parent"] = self.randomised_pop
                rec["histology" if x.kind == "disease" else "biomarker"] = x.key
                if status:
                    rec["biomarker_status"] = status
                self.d.populations.append(rec)
            out.append((x.start, pid))
        pops = {p["id"]: p for p in self.d.populations}
        if sum(1 for _, pid in out if pops.get(pid, {}).get("biomarker")) != 1:
            return out  # one side named with its marker, the other (maybe) by status alone
        # "MGMT-methylated tumours (n = 23) ... than those with unmethylated tumours (n = 35)": the
        # other group of the marker this sentence names first
        taken = {pid for _, pid in out}
        more = [x for x in self._marker_groups(i, text, [(x.start, x.end) for x in named])
                if x[1] not in taken]
        return sorted(out + more)

    def _leading_group(self, i: int, text: str) -> tuple[int, str] | None:
        """A group the sentence opens with: "In the older subgroup of premenopausal patients,".

        "In patients with a high mitotic index (n = 412), ...": the values of the sentence are
        that group's, not the whole population's. Never an arm, a subtype or marker (their own
        rules read those), nor the whole study ("in both arms", "in the intention-to-treat
        population").
        """
        lead = re.match(r"\s*(?:In|Among)\s+(?:the\s+)?(?P<g>[^,;()\d]{3,70}?)\s*"
                        r"(?:\((?P<inner>[^()]*)\))?\s*,", text) or re.match(
            # "Patients with brain metastases at baseline (n = 19) had an ORR of ...": the subject
            r"\s*(?P<g>(?:Patients|Women|Men|Those)\s+(?:with|who\s+had)\s+[^,;()\d]{3,60}?)\s*"
            r"\((?P<inner>\s*n\s*=\s*\d+\s*)\)\s+(?:had|showed|achieved)\b", text)
        if lead is None:
            return None
        g = " ".join(lead.group("g").split())
        if not re.search(r"\b(?:subgroups?|patients|women|men|participants|those|cohort)\b", g,
                         re.I) or re.search(r"(?:^|\s)(?:non-?)?(?:mutant|mutated|wild-type|"
                                            r"methylated|unmethylated|positive|negative)\b", g,
                                            re.I) \
                or self.arm_near(g, 0, len(g)) is not None \
                or self.lex.find(g, ("disease", "biomarker")) or re.search(
                    r"\b(?:both|each|all|two|three|overall|whole|entire|intention|study|trial|"
                    r"groups|arms?|group|evaluable|assessable|measurable|randomi[sz]ed|eligible|"
                    r"completed|treated|available|data|analy[sz]ed)\b", g, re.I):
            # "Among patients with measurable disease": who could be assessed, an analysed set
            return None
        pid = slug(g)[:48].strip("-")
        if not any(p["id"] == pid for p in self.d.populations):
            rec = {"id": pid, "label": g, "kind": "subgroup", "quote": quote_of(text)}
            size = re.search(rf"\bn\s*=\s*(?P<n>{NUM})", lead.group("inner") or "", re.I)
            if size:
                rec["size"] = int(dec(size.group("n")))
                for p in iter_numbers(text[lead.start("inner"):lead.end("inner")], words=False):
                    if lead.start("inner") + p.start == lead.start("inner") + size.start("n"):
                        self.d.used.add(self.spans[i][0] + lead.start("inner") + p.start)
            if self.randomised_pop:
                rec["parent"] = self.randomised_pop
            self.d.populations.append(rec)
        return (lead.start("g"), pid)

    def _marker_groups(self, i: int, text: str, names: list[tuple[int, int]]
                       ) -> list[tuple[int, str]]:
        """A group named by its status alone: "the non-mutant cohort (n = 122)".

        It is a group of the one marker the study's subgroups are defined by (none when there are
        several markers, or none).
        """
        markers = {p["biomarker"] for p in self.d.populations if p.get("biomarker")}
        if len(markers) != 1:
            return []
        (marker,) = markers
        out = []
        for mt in re.finditer(r"\b(?:the\s+)?(?P<st>non-?mutant|mutant|mutated|wild-type|"
                              r"unmethylated|methylated|positive|negative)\s+(?:cohort|subgroup|"
                              r"group|tumou?rs|population)\b", text, re.I):
            if any(a < mt.end() and mt.start() < b for a, b in names):
                continue  # the marker is named there: the lexicon rule reads it
            word = mt.group("st").lower().replace("-", " ")
            status = {"non mutant": "not mutated", "nonmutant": "not mutated",
                      "wild type": "not mutated"}.get(word, STATUS_WORDS.get(word, word))
            pid = slug(f"{marker} {status}")
            if not any(p["id"] == pid for p in self.d.populations):
                rec: dict = {"id": pid, "label": mt.group(0), "kind": "subgroup",
                             "biomarker": marker, "biomarker_status": status,
                             "quote": quote_of(text)}
                size = re.match(rf"\s*\(\s*n\s*=\s*(?P<n>{NUM})\s*[);]", text[mt.end():])
                if size and "." not in size.group("n"):
                    rec["size"] = int(dec(size.group("n")))
                    self.d.used.add(self.spans[i][0] + mt.end() + size.start("n"))
                if self.randomised_pop:
                    rec["parent"] = self.randomised_pop
                self.d.populations.append(rec)
            out.append((mt.start(), pid))
        return out

    def _respectively_groups(self, text: str, subs: list[tuple[int, str]],
                             values: list[dict]) -> None:
        """Values listed "respectively" after a sentence that named the groups.

        "Median PFS was 16.3, 10.9 and 14.0 weeks, respectively" after a sentence naming three
        cohorts: in a single-arm study the values are those cohorts', in order.
        """
        pids = list(dict.fromkeys(pid for _, pid in sorted(subs)))
        if len(pids) == 2 and len(self.d.arms) <= 1 and re.search(
                r"\bthan\b|\bcompared\b|\bversus\b|\bvs\b", text, re.I):
            # "MGMT-methylated (n = 23) had a longer median PFS than those with unmethylated
            # tumours (n = 35): 16.4 vs 8.1 weeks": a pair of values, the two groups in order
            pairs: dict[str, list[dict]] = {}
            for v in values:
                pairs.setdefault(v["endpoint"], []).append(v)
            for pair in pairs.values():
                if len(pair) == 2 and {v.get("population") for v in pair} <= set(pids):
                    for v, pid in zip(pair, pids, strict=True):
                        v["population"] = pid
        if subs or len(self.d.arms) > 1 or not re.search(r"respectively", text, re.I):
            return
        by_endpoint: dict[str, list[dict]] = {}
        for v in values:
            by_endpoint.setdefault(v["endpoint"], []).append(v)
        for group in by_endpoint.values():
            if len(group) == len(self.last_groups) >= 2:
                for v, pid in zip(group, self.last_groups, strict=True):
                    v["population"] = pid
                    v["drafted"] = "respectively-groups"

    def _cohorts(self, i: int, text: str) -> list[tuple[int, str]]:
        """Cohorts named by number or letter ("cohort 1", "Cohort B"), sized by "28 in cohort 1"."""
        out = []
        for mt in re.finditer(r"\b[Cc]ohort\s+(\d{1,2}|[A-D])\b", text):
            pid = slug(f"cohort {mt.group(1)}")
            if not any(p["id"] == pid for p in self.d.populations):
                rec: dict = {"id": pid, "label": f"cohort {mt.group(1)}", "kind": "subgroup",
                             "quote": quote_of(text)}
                size = re.search(rf"(?<![\d.])(?P<n>{NUM})\s+(?:patients\s+)?(?:were\s+)?in\s+$",
                                 text[:mt.start()])
                after = re.match(rf"\s*\(\s*n\s*=\s*(?P<n>{NUM})", text[mt.end():])
                found = size or after
                if found and "." not in found.group("n"):
                    rec["size"] = int(dec(found.group("n")))
                    offset = found.start("n") if found is size else mt.end() + found.start("n")
                    self.d.used.add(self.spans[i][0] + offset)
                if self.randomised_pop:
                    rec["parent"] = self.randomised_pop
                self.d.populations.append(rec)
            out.append((mt.start(), pid))
        return out

    def _status(self, text: str, start: int, end: int) -> str | None:
        """A biomarker's status as printed beside it: "≥1%", "KRAS-mutant", "a FLT3 mutation"."""
        cmp = re.match(rf"\s*(?:expression|level|score)?\s*(?:of\s+)?(?P<op>≥|≤|>=|<=|<|>|at least|"
                       rf"less than)\s*(?P<v>{NUM}\s*(?:%|ng/mL|ng/ml)?)", text[end:end + 40], re.I)
        if cmp:
            op = {"≥": ">=", "≤": "<=", "at least": ">=", "less than": "<"}.get(
                cmp.group("op").lower(), cmp.group("op"))
            return f"{op}{cmp.group('v').replace(' ', '')}"
        worded = re.match(rf"\s*(?:expression|level|score)?\s*(?:of\s+)?(?P<v>{NUM}\s*%?)\s+or\s+"
                          rf"(?:more|greater|higher|above)|\s*(?:expression|level|score)?\s*"
                          rf"(?:below|under)\s+(?P<u>{NUM}\s*%?)", text[end:end + 40], re.I)
        if worded:
            return f">={worded.group('v')}" if worded.group("v") else f"<{worded.group('u')}"
        noun = re.match(r"\s*(?:promoter\s+|gene\s+)?(methylation|mutations?|overexpression|"
                        r"amplification)\b", text[end:end + 30], re.I)
        if noun and not re.search(r"(?:without|no|non-?)\s*(?:an?\s+)?\S*\s*$", text[:start],
                                  re.I):
            return {"methylation": "methylated", "overexpression": "overexpressing",
                    "amplification": "amplified"}.get(noun.group(1).lower(), "mutated")
        window = text[max(0, start - 20):end + 25]
        status = re.search(STATUS, window, re.I)
        if status:
            word = status.group().lower().replace("-", " ")
            return STATUS_WORDS.get(word, word)
        if re.search(r"mutation", text[start:end + 12], re.I):
            negated = re.search(r"(?:without|no|non-?)\s*(?:an?\s+)?\S*\s*$", text[:start], re.I)
            return "not mutated" if negated else "mutated"
        return None

    def pop_at(self, subs: list[tuple[int, str]], text: str, pos: int) -> str | None:
        """The subgroup a value at ``pos`` is stated for, else the whole population.

        The subgroup named last before it in the same clause; or, when the value comes first,
        the one named right after it with no other number between ("67.9% [95% CI ...]
        (19 of 28) in cohort 1 and 40.9% ... in cohort 2").
        """
        value = re.match(rf"{NUM}\s*%?", text[pos:])
        start = pos + (value.end() if value else 0)
        bare = re.sub(r"\([^()]*\)|\[[^\]]*\]", lambda m: " " * len(m.group()), text)
        for p, pid in subs:
            if p >= start and re.fullmatch(r"\s*(?:months?|mo|weeks?|days?|years?)?[\s,]*(?:in|"
                                            r"among|for)\s+(?:the\s+)?(?:patients\s+with\s+)?"
                                            r"(?:[a-z-]+\s+){0,2}", bare[start:p], re.I):
                return pid
        sized = blank_brackets(text)  # a bracket's ";" ends no clause: "(<3 mitoses; n = 450)"
        before = [(p, pid) for p, pid in subs if p < pos and not re.search(
            r"[;.]\s|\bwhereas\b|\bcompared with\b", sized[p:pos])]
        return before[-1][1] if before else self.randomised_pop
