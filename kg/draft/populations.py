"""Drafting rules for populations: totals, per-arm sizes, analysed sets, cohorts, subgroups.

A mixin of ``Drafter``: it reads the sentences and the arms found before it, and writes the
``populations`` of the draft, each quoting the sentence that states it.
"""

from __future__ import annotations

import re

from kg.draft.armsizes import ArmSizes
from kg.draft.patterns import (
    NUM,
    PATIENTS_RE,
    RANDOM_RE,
    SIZE_VERB_RE,
    Arm,
    opposite,
    quote_of,
    slug,
)
from kg.draft.subgroups import Subgroups
from kg.numbers import Printed, iter_numbers

# a total and a bracket of two sizes adding up to it: "210 women (104 A and 106 B)"
SUMMED_RE = re.compile(r"\s+(?:(?!of\b)[A-Za-z][\w-]*\s+){0,3}?(?:patients|women|participants|"
                       r"subjects)(?:\s+aged\s+[\d-]+|(?:\s+[a-z][\w-]*){1,3}?)?\s*\((?P<a>\d[\d,]*)\s+"
                       r"[^()\d]+?(?:,|\band\b)\s*(?P<b>\d[\d,]*)\s+[^()\d]+\)", re.I)


class Populations(ArmSizes, Subgroups):
    """Rules that find who was studied."""

    def populations(self) -> None:
        """Randomised or enrolled totals, per-arm sizes, subgroups with their size."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            for p in iter_numbers(text):
                if p.percent or p.value != p.value.to_integral() or p.value < 2:
                    continue
                kind = self._total_kind(text, p)
                if kind is None or any(x["kind"] == kind and x.get("parent") is None
                                       for x in self.d.populations):
                    continue
                if re.match(rf"\s+(?:patients\s+)?(?:were\s+)?(?:treated|enrolled)\s+in\s+"
                            rf"[^,;.]{{3,40}}?\s+and\s+{NUM}\s+in\b", text[p.end:], re.I):
                    continue  # "22 were treated in escalation and 28 in expansion": a part
                if kind == "enrolled" and any(  # fewer enrolled than randomised: an arm's
                        x["kind"] == "randomised" and x.get("size", 0) > p.value
                        for x in self.d.populations):
                    continue
                pid = kind
                if any(x["id"] == pid for x in self.d.populations):
                    pid = f"{kind}-{int(p.value)}"  # safety and efficacy sets, each analysed
                rec = {"id": pid, "label": f"{kind} patients", "kind": kind,
                       "size": int(p.value), "quote": quote_of(text)}
                root = next((x for x in self.d.populations if x.get("parent") is None and
                             x["kind"] in {"enrolled", "randomised"}), None)
                if kind in {"analysed", "per-protocol", "intention-to-treat"} and root is not None:
                    rec["parent"] = root["id"]
                arm = self._set_of_arm(text, p) if kind == "analysed" else None
                if arm is not None:  # "Of the 58 assessable patients in the A group, ..."
                    rec.update(id=f"analysed-{arm.id}", label=f"analysed in {arm.label}",
                               arm=arm.id)
                    self.arm_pops.setdefault(arm.id, rec["id"])
                self.d.populations.append(rec)
                self.use(i, p)
                if kind == "randomised":
                    self.randomised_pop = pid
                if kind in {"enrolled", "randomised"}:
                    self._arm_sizes(i, text, pid, p.end)
        self._title_size()
        self._listed_arm_sizes()
        self._arm_sizes_elsewhere()
        self._total_from_arms()
        roots = [x for x in self.d.populations if x["kind"] in {"enrolled", "randomised"}]
        if self.randomised_pop is None and roots:
            self.randomised_pop = roots[0]["id"]
        if self.randomised_pop is None and self.d.design.get("randomised") and self.d.arms:
            # randomised, with no size stated: the comparisons are still made in that population
            self.d.populations.insert(0, {"id": "randomised", "label": "randomised patients",
                                          "kind": "randomised", "quote": self.d.arms[0].quote})
            self.randomised_pop = "randomised"
        if len(self.d.arms) == 1:  # a single-arm study: every patient had that arm
            for pop in self.d.populations:
                if pop.get("parent") is None and pop["kind"] in {"enrolled", "randomised"}:
                    pop.setdefault("arm", self.d.arms[0].id)

    def _total_from_arms(self) -> None:
        """The root's size: a printed total that is the arms' sizes' sum ("A total of 118")."""
        root = next((x for x in self.d.populations if x.get("parent") is None and
                     x["kind"] in {"enrolled", "randomised"}), None)
        sizes = [x["size"] for x in self.d.populations if x["id"] in self.arm_pops.values() and
                 x.get("size") and x.get("parent") == (root or {}).get("id")]
        if root is None or len(sizes) != len(self.d.arms) or len(sizes) < 2 or \
                root.get("size") == sum(sizes):
            return
        if root.get("size"):  # "260 were enrolled, and 248 were eligible": the arms' own set
            self._set_of_arms(root, sum(sizes))
            return
        for i in range(len(self.spans)):
            text = self.sent(i)
            for p in iter_numbers(text):
                total = re.search(r"\btotal\s+of\s+$", text[:p.start], re.I) or re.match(
                    r"\s+(?:[\w-]+\s+){0,2}?(?:patients|women|participants|subjects)\b",
                    text[p.end:])
                if p.value == sum(sizes) and total:
                    root.update(size=int(p.value), quote=quote_of(text))
                    self.use(i, p)
                    return

    def _set_of_arms(self, root: dict, total: int) -> None:
        """The arms' sizes add up to a set printed under the root ("and 248 were eligible")."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            for p in iter_numbers(text):
                mt = re.match(r"\s+(?:patients\s+|women\s+)?(?:were|was)\s+(?P<k>eligible|"
                              r"evaluable|assessable|analy[sz]ed|randomi[sz]ed)\b", text[p.end:],
                              re.I)
                if p.value != total or mt is None or p.value >= root["size"]:
                    continue
                kind = "randomised" if mt.group("k").lower().startswith("random") else "analysed"
                pid = kind if not any(x["id"] == kind for x in self.d.populations) else \
                    f"{kind}-{total}"
                self.d.populations.append({"id": pid, "label": f"{mt.group('k').lower()} patients",
                                           "kind": kind, "size": total, "parent": root["id"],
                                           "quote": quote_of(text)})
                ids = {x["id"] for x in self.d.populations}
                for x in self.d.populations:
                    if x["id"] in self.arm_pops.values() and x.get("parent") == root["id"]:
                        new = f"{pid}-{x['arm']}"
                        x.update(id=x["id"] if new in ids else new, parent=pid, kind=kind, label=x[
                            "label"].replace(f"{root['id']} to", f"{mt.group('k').lower()} in"))
                        self.arm_pops[x["arm"]] = x["id"]
                self.use(i, p)
                return

    def _set_of_arm(self, text: str, p: Printed) -> Arm | None:
        """The arm an analysed set belongs to: "Of the 58 assessable patients in the A group"."""
        of = re.match(r"\s+(?:(?:evaluable|assessable|eligible)\s+)?(?:patients|cases|women|"
                      r"participants)\s+(?:in|on|of|receiving)\s+(?:the\s+)?(?P<arm>[^,;()]{1,40})",
                      text[p.end:], re.I)
        if of is None or len(self.d.arms) < 2 or not re.search(r"\bof\s+(?:the\s+)?$",
                                                               text[:p.start], re.I):
            return None
        return self.arm_near(of.group("arm"), 0, len(of.group("arm")))

    def _title_size(self) -> None:
        """The study's size from its title ("... in 420 women"), when no sentence gives one."""
        title = self.paper.title or ""
        if not title or title not in self.paper.text or any(
                x.get("parent") is None and x["kind"] in {"enrolled", "randomised"}
                for x in self.d.populations):
            return
        for p in iter_numbers(title):
            if p.percent or p.value != p.value.to_integral() or p.value < 2:
                continue
            if self._total_kind(title, p) == "enrolled":
                self.d.populations.insert(0, {"id": "enrolled", "label": "enrolled patients",
                                              "kind": "enrolled", "size": int(p.value),
                                              "quote": quote_of(title)})
                self.d.used.add(self.paper.text.index(title) + p.start)
                return

    def _total_kind(self, text: str, p: Printed) -> str | None:
        """"enrolled" or "randomised" when ``p`` counts the study's patients, else None.

        "450 patients were randomly assigned", "Of 538 randomized patients", "A total of 291
        patients underwent randomization", "Of the 318 patients who underwent randomization".
        """
        after = text[p.end:p.end + 240]
        if re.match(r"\s+(?:patients|women)\s+(?:were\s+(?:given|treated)|received|underwent)\b"
                    r"[^.;()]*\(\s*group[\s-][A-D1-4]\b", after):
            return None  # "412 women were treated with A (group A)": that group's size
        if re.match(r"\s+(?:patients|women|participants|subjects)\s+(?:in|on)\s+(?:the\s+)?"
                    r"[^,;()\d]{1,40}?\s+(?:group|arm)\b", after, re.I):
            return None  # "3,412 women in the outreach group": that group's size
        if re.match(r"\s+(?:evaluable|assessable|eligible)\s", after) and self._set_of_arm(text, p):
            return "analysed"  # "Of the 55 evaluable cases in the A group, ...": that arm's set
        if re.match(r"\s+(?:groups?|arms?|cohorts?|centres?|centers?|sites?|trials?)\b", after):
            return None  # "Two groups of matched patients were randomized": no patients
        summed = SUMMED_RE.match(after)
        eligible = summed and re.search(r"evaluable|assessable|eligible", summed.group(), re.I)
        if summed and int(summed.group("a").replace(",", "")) + int(
                summed.group("b").replace(",", "")) == p.value and (eligible or not re.search(
                    r"\b(?:in|of|with|among|had|developed)\s+(?:the\s+)?$", text[:p.start],
                    re.I)):  # "rash occurred in 30 patients (12 on A and 18 on B)": events
            # "210 women (104 A and 106 B)", "Among the 240 eligible patients (121 ...
            # and 119 ...)", "Of 52 patients eligible for response (27 A, 25 B)"
            return "analysed" if eligible else \
                "randomised" if self.own_randomisation else "enrolled"
        if re.search(r"\b(?:available|evaluable|assessable|analy[sz]ed)\s+(?:in|for|from|on)\s+"
                     r"(?:the\s+)?$", text[:p.start], re.I) and PATIENTS_RE.match(after):
            return "analysed"  # "Efficacy data were available in 296 patients"
        if text == self.paper.title and re.search(r"\bin\s+$", text[:p.start]) and re.match(
                r"\s+(?:[\w-]+\s+){0,2}?(?:patients|women|men|participants|subjects)\b", after,
                re.I):
            return "enrolled"  # a title's "Alphamab for hot flushes in 420 women"
        if re.search(r"^\s*Of\s+(?:the\s+)?$", text[:p.start]) and re.match(
                r"\s+(?:[\w-]+\s+){0,2}?(?:patients|women|participants)\s*,\s*\d[\d,]*\s+(?:were|"
                r"was)\s+(?:randomly\s+)?(?:assigned|allocated|randomi[sz]ed)\b", after, re.I):
            return "randomised"  # "Of the 704 patients, 351 were assigned to A and 353 to B"
        if re.search(r"\b(?:trial|(?:sub)?study|conducted|comparing\s[^.;]{3,120}?)\s+(?:in|of|"
                     r"among|including|enrolling)\s+$",
                     text[:p.start], re.I) and PATIENTS_RE.match(
                         re.sub(r"^\s+(?:(?!(?:for|of|with|in|to|on|and|or)\b)[A-Za-z][\w-]*\s+)"
                                r"{1,3}?(?=(?:patients|women|"
                                r"participants)\b)", " ", after)):
            return "enrolled"  # "in a randomised trial in 48 older patients"
        if re.search(r"\bin\s+$", text[:p.start]) and re.match(
                r"\s+(?:[\w-]+\s+){0,3}?(?:patients|women|participants)\s+(?:who\s+were\s+)?"
                r"(?:randomly\s+assigned|randomi[sz]ed)\s+to\s+[^.;]{1,80}?\s(?:or|versus|vs\.?)\s",
                after, re.I) and not re.search(r"\b(?:occurred|developed|seen|observed|reported)"
                                               r"\s+in\s+$", text[:p.start], re.I):
            return "randomised"  # "counted in 480 older women randomly assigned to"
        if re.search(rf"(?:{NUM}\s+(?:\([^()]*\)\s+)?of|\bin|\bamong)\s+(?:the\s+)?$",
                     text[:p.start], re.I):
            return None  # "25 of 119 patients who received": a denominator, not a total
        if re.search(r"(?<!total )\bof\s+(?:the\s+)?$", text[:p.start], re.I) and re.match(
                r"\s+(?:[\w-]+\s+){0,2}?(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\s+"
                r"(?:to|into)\b", after, re.I):
            return None  # "Of 402 patients randomised to A": that arm's size
        arm_of = re.search(r"(?P<w>[\w+/-]+(?:\s+[\w+/-]+){0,2}?)\s+(?:regimen\s+)?(?:patients|"
                           r"women)\s*\(\s*n\s*=\s*$|\b(?:arm|group)\s+had\s+$", text[:p.start],
                           re.I)
        if arm_of and (arm_of.group("w") is None or
                       self.arm_near(arm_of.group("w"), 0, len(arm_of.group("w")))):
            return None  # "HD patients (n = 91)", "the low-dose arm had 37 patients": an arm's
        if re.search(r"\b(?:patients|women|men|adults|participants|subjects)\s*\(\s*n\s*=\s*$",
                     text[:p.start], re.I):
            # "Women (n = 9,214) were randomly assigned"
            rest = re.sub(r"^[^()]*?\)(?:\s+with\s+[^.;()]{3,80}?(?=\s+(?:were|was)\s))?", "",
                          after)  # "(n = 255) with X were", "were stratified by Y and randomized"
            verb = SIZE_VERB_RE.match(rest) or re.match(
                r"\s*(?:were|was)\s+stratified\b[^.;]{0,100}?\band\s+(?:randomly\s+assigned|"
                r"randomi[sz]ed|randomly\s+allocated)", rest, re.I)
            if verb:  # "Randomised women (n=120) received ...": randomised, whatever the verb
                return "randomised" if RANDOM_RE.search(verb.group()) or re.search(
                    r"randomi[sz]ed\s+\w+\s*\(\s*n\s*=\s*$", text[:p.start], re.I) \
                    else "enrolled"
        if re.match(r"\s+patients\s+randomi[sz]ed\b(?!\s+(?:to|into)\b)", after, re.I) and \
                re.search(r"\bof\s+$", text[:p.start], re.I):
            return "randomised"  # "Of 694 patients randomized, 688 were assessable"
        verb = re.search(r"\b(?P<v>randomly\s+(?:assigned|allocated)|randomi[sz]ed|enrolled|"
                         r"recruited|included)\s+(?:a\s+total\s+of\s+|approximately\s+|about\s+)?$",
                         text[:p.start], re.I)
        if verb and re.match(r"\s+(?:[\w-]+\s+){0,2}?(?:patients|women|participants|subjects|"
                             r"men|survivors)\b", after, re.I):
            # "we randomly assigned 2418 women", "the trial enrolled 733 patients"
            return "randomised" if RANDOM_RE.search(verb.group("v")) else "enrolled"
        if re.match(r"\s+(?:(?:patients|women|participants)\s+)?(?:\([^()]*\)\s+)?(?:were|was)\s+"
                    r"(?:evaluable|assessable|evaluated|analy[sz]ed)\b|\s+(?:evaluable|assessable)\s+"
                    r"patients\b|\s+(?:patients|women|participants)\s+completed\s+the\s+(?:trial|"
                    r"study)\b", after, re.I):
            return "analysed"  # "118 patients (98%) were assessable", "52 completed the trial"
        if re.match(r"\s+of\s+these\s+(?:patients|women|participants)\s*\(\d[\d,]*\s+(?:in|to)\s",
                    after, re.I):
            return "analysed"  # "90 of these patients (46 in the A arm and 44 in the B arm)"
        if re.search(r"\bthe\s+remaining\s+$", text[:p.start], re.I) and PATIENTS_RE.match(
                after) and SIZE_VERB_RE.match(after[PATIENTS_RE.match(after).end():]) and \
                not RANDOM_RE.search(after[:60]) and any(
                x.get("parent") is None and x.get("size") for x in self.d.populations):
            return "analysed"  # "the remaining 126 patients were divided" after a total of 130
        if re.search(r"^\s*A\s+total\s+of\s+$", text[:p.start], re.I) and re.match(
                r"\s+(?:[A-Za-z][\w-]*\s+){0,4}?(?:patients|women|participants|subjects)\b"
                r"(?![^.;]{0,60}\b(?:experienced|had|developed|died|achieved|responded|showed|"
                r"relapsed|reported)\b)", after, re.I) and not any(
                x.get("parent") is None and x.get("size") for x in self.d.populations):
            # "A total of 158 older lung cancer patients, all pretreated, ..."
            return "randomised" if RANDOM_RE.search(re.split(r"[.;]", after)[0]) else "enrolled"
        if re.match(r"\s+(?:patients\s+)?with\s+(?:[\w-]+\s+){1,5}?(?:were|was)\s+(?:randomi[sz]ed|"
                    r"randomly assigned)\b", after, re.I):
            return "randomised"  # "53 with stable disease were randomized"
        lead = r"\s+(?:patients\s+)?(?:were\s+)?(?:in\s+the\s+|per\s+)?"
        if re.match(lead + r"per[- ]protocol\b", after, re.I):
            return "per-protocol"
        if re.match(lead + r"intention[- ]to[- ]treat\b", after, re.I):
            return "intention-to-treat"
        # "101 patients (36 L, 19 A, and 46 others) were enrolled": the bracket is an aside
        after = re.sub(r"^(\s+\w+)\s*\([^()]*\)", r"\1", after)
        # "Forty-one older lung cancer survivors were ...": who, before the noun
        if not PATIENTS_RE.match(after):  # ("Of 538 randomized patients" keeps its word)
            after = re.sub(r"^\s+(?:[A-Za-z][\w-]*\s+){1,4}?(?=(?:patients|outpatients|women|"
                           r"participants|subjects|survivors)\b)", " ", after)
        pat = PATIENTS_RE.match(after)
        if not pat or re.search(r"\b(?:cohort|arm|group|phase|grade|stage|part|day|cycle|"
                                r"week)\s*$", text[:p.start], re.I):
            return None
        if re.search(r"randomi[sz]ed|randomly assigned", pat.group(), re.I):
            return "randomised"
        if re.search(r"enrolled", pat.group(), re.I):
            return "enrolled"
        rest = after[pat.end():]
        # "patients with X were ...", "women receiving X were ...": who they were, then the verb
        verb = SIZE_VERB_RE.match(rest)
        if not verb and re.match(r"\s+(?:with|receiving|undergoing|developing|requiring|in|"
                                 r"scheduled\s+for|treated\s+"
                                 r"with|from|between|aged|at|who|whose|hospitali[sz]ed|diagnosed|"
                                 r"operated|eligible|previously|consecutively)\s", rest):
            # "men with localised cancer who were fit for surgery were
            # randomized": who they were, then the verb, within the clause
            for mt in re.finditer(r"\b(?:were|was|received|had been)\b", rest):
                clause = rest[:mt.start()]
                if re.search(r"[;:]|\.\s|\d\s+(?:patients|women|men|participants|subjects)\b",
                             clause) or len(clause.split()) > 25:
                    break
                verb = SIZE_VERB_RE.match(rest[mt.start() - 1:])
                if verb:
                    break
        if not verb or (re.search(r"received", verb.group(), re.I) and (len(re.findall(
                r"\b(?:patients|women|participants)\s+received\b", text, re.I)) > 1
                or self.randomised_pop)):
            # "86 patients received A; 90 patients received B": the arms' sizes; "12 patients
            # received second-line B" after the randomised total: some of them, no total
            return None
        if re.match(r"\s+(?:developing|requiring|in)\s", rest) and not re.search(
                r"randomi|assigned|allocated|enrolled|included|recruited|registered|accrued",
                verb.group(), re.I):
            return None  # "Twelve patients developing rash were treated with ...": some of them
        return "randomised" if RANDOM_RE.search(verb.group()) else "enrolled"

    def analysed_sets(self) -> None:
        """Results over fewer patients than were assigned: the evaluable or treated set.

        "54 were evaluable for response" is a population of its own; a count over
        "217 patients who received cabrazumab" or "(19/58) ... among patients with measurable
        disease" is over the arm's analysed set, not over the 220 assigned to it.
        """
        pops = {p["id"]: p for p in self.d.populations}
        whole = pops.get(self.randomised_pop or "")
        shares = self._shares_of_total(whole)
        for r in (*self.d.results, *self.d.adverse_events):  # safety counts have sets too
            n = r.get("denominator")
            here = pops.get(r.get("population", ""))
            if n is None or (here is not None and here["kind"] == "subgroup"):
                continue
            arm = r.get("arm")
            assigned = pops.get(self.arm_pops.get(arm, "")) if arm else None
            sizes = {p.get("size") for p in (whole, assigned) if p is not None}
            if n in sizes:
                continue
            known = next((p for p in self.d.populations if p["kind"] == "analysed" and
                          p.get("size") == n and p.get("arm") in (None, arm)), None)
            if known is None:
                # "71 of the 224 patients in the A group" of an arm with no size yet: its set
                of_arm = arm is not None and assigned is None and re.search(
                    rf"\bof\s+(?:the\s+)?{n}\s+(?:patients|women|participants)\s+(?:in|on|"
                    r"receiving|given)\b", r["quote"], re.I) and not re.search(
                    rf"\b{n}\s+(?:patients\s+)?(?:were\s+)?(?:randomly\s+)?(?:assigned|allocated|"
                    r"randomi[sz]ed)\b", self.paper.text, re.I)  # that many assigned: the arm
                if not of_arm and (arm, n) not in shares and not re.search(
                        r"\b(?:treated|received|evaluable|assessable|"
                                                r"measurable|analy[sz]ed|safety)\b", r["quote"],
                                                re.I):
                    continue
                known = {"id": slug(f"analysed {arm or ''}"), "label": "analysed patients"
                         + (f" ({arm})" if arm else ""), "kind": "analysed", "size": n,
                         "quote": r["quote"]}
                if whole is not None:
                    known["parent"] = whole["id"]
                if arm and len(self.d.arms) > 1:
                    known["arm"] = arm
                if any(p["id"] == known["id"] for p in self.d.populations):
                    continue  # that arm's analysed set has another size: leave it to review
                self.d.populations.append(known)
                pops[known["id"]] = known
            r["population"] = known["id"]

    def _shares_of_total(self, whole: dict | None) -> set[tuple[str, int]]:
        """(arm, n) where each arm's rates have one denominator and together they make the total.

        "(3 of 27) in group 1 and (9 of 23) in group 2" of 50 randomised: the groups' sets.
        """
        if whole is None or not whole.get("size") or len(self.d.arms) < 2 or any(
                self.arm_pops.get(a.id) for a in self.d.arms):
            return set()
        per_arm: dict[str, set[int]] = {}
        for r in self.d.results:
            if r.get("denominator") and r.get("arm"):
                per_arm.setdefault(r["arm"], set()).add(r["denominator"])
        if len(per_arm) != len(self.d.arms) or any(len(v) != 1 for v in per_arm.values()) or \
                sum(next(iter(v)) for v in per_arm.values()) != whole["size"] or any(re.search(
                    rf"\b{n}\s+(?:patients\s+)?(?:were\s+)?(?:randomly\s+)?(?:assigned|"
                    r"allocated|randomi[sz]ed)\b", self.paper.text, re.I)
                    for v in per_arm.values() for n in v):
            return set()  # "241 were assigned to A": what was assigned, read as such or not
        return {(arm, next(iter(v))) for arm, v in per_arm.items()}

    def complements(self) -> None:
        """A subgroup that is the rest of another ("non-epithelioid", "<1%" of ">=1%")."""
        subs = [p for p in self.d.populations if p["kind"] == "subgroup"]
        for p in subs:
            for q in subs:
                if p is q or "complement_of" in p:
                    continue
                histology = p.get("histology") and p["histology"] == f"non-{q.get('histology')}"
                marker = p.get("biomarker") and p.get("biomarker") == q.get("biomarker") and \
                    opposite(p.get("biomarker_status"), q.get("biomarker_status"))
                if histology or marker:
                    p["complement_of"] = [q["id"]]
