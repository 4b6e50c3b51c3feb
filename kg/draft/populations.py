"""Drafting rules for populations: totals, per-arm sizes, analysed sets, cohorts, subgroups.

A mixin of ``Drafter``: it reads the sentences and the arms found before it, and writes the
``populations`` of the draft, each quoting the sentence that states it.
"""

from __future__ import annotations

import re

from kg.draft.armsizes import ArmSizes
from kg.draft.patterns import (
    NUM,
    opposite,
    quote_of,
    slug,
)
from kg.draft.subgroups import Subgroups
from kg.draft.totals import TotalKinds
from kg.numbers import iter_numbers


class Populations(ArmSizes, Subgroups, TotalKinds):
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
                # "11/97 vs. 3/95" in a trial of two arms: each count is over the patients of
                # its arm that were assessed for it, no more than were assigned to it
                over_arm = arm is not None and len(self.d.arms) > 1 and (
                    assigned is None or n < (assigned.get("size") or 0))
                if not of_arm and not over_arm and (arm, n) not in shares and not re.search(
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
                    if not over_arm:
                        continue  # that arm's analysed set has another size: leave it to review
                    known["id"] = slug(f"analysed {arm} {n}")  # a set assessed for one outcome
                    if any(p["id"] == known["id"] for p in self.d.populations):
                        continue
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
