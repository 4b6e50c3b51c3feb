"""How many patients each arm had: sizes printed beside the arms, after a total, or on their own.

A mixin of ``Drafter`` used by ``populations``: each number is an arm's size only where the
printed form says so, and the arms' sizes never invent a total.
"""

from __future__ import annotations

import re

from kg.draft.patterns import NUM, quote_of
from kg.draft.sizeforms import EVENT_BEFORE, SizeForms
from kg.numbers import Printed, iter_numbers


class ArmSizes(SizeForms):
    """Rules that find each arm's size."""

    def _listed_arm_sizes(self) -> None:
        """Arm sizes printed beside the arms ("A (n = 60) or B (n = 58)"), no total invented."""
        if any(p.get("arm") for p in self.d.populations) or len(self.d.arms) < 2 or \
                not all(a.size for a in self.d.arms):
            return
        root = self._root()
        for arm in self.d.arms:
            size, at = arm.size  # type: ignore[misc]
            pid = f"{root['id']}-{arm.id}"
            self.d.populations.append({
                "id": pid, "label": f"{root['id']} to {arm.label}", "kind": root["kind"],
                "size": size, "parent": root["id"], "arm": arm.id, "quote": arm.quote})
            self.arm_pops[arm.id] = pid
            self.d.used.add(at)

    def _arm_sizes_elsewhere(self) -> None:
        """Arm sizes stated with no total before them, in the forms that state nothing else.

        "212 were assigned to A and 208 to B", "(25 alphamab, 22 betanib)", "(131 control and
        127 intervention)", "604 and 597 in the A and control arms, respectively", "Of 402
        patients randomised to A, ...": each number is an arm's size only when the form says
        it is, and two arms' sizes are needed unless the form names the assignment.
        """
        if len(self.d.arms) < 2:
            return
        if any(p.get("arm") for p in self.d.populations):
            self._more_arm_sets()
            return
        for i in range(len(self.spans)):
            text = self.sent(i)
            found: dict[str, Printed] = {}
            nums = [p for p in iter_numbers(text) if not p.percent and p.value >= 2 and
                    p.value == p.value.to_integral()]
            for p in nums:
                after = text[p.end:p.end + 90]
                assigned = re.match(r"\s+(?:(?:patients|women|participants|subjects)\s+)?"
                                    r"(?:(?:were|was)\s+)?(?:(?:randomly\s+)?(?:assigned|allocated|"
                                    r"randomi[sz]ed)\s+)?(?:to|into|on)\s+(?:receive\s+)?(?:the\s+)?"
                                    r"(?P<arm>[^,;()]{1,60})", after, re.I)
                if assigned and not re.search(EVENT_BEFORE, text[:p.start], re.I) and (
                        re.search(r"assigned|allocated|randomi[sz]ed", after[:40], re.I)
                                 or re.search(r"assigned|allocated|randomi[sz]ed", text[:p.start],
                                              re.I)):
                    arm = self.arm_near(assigned.group("arm"), 0, len(assigned.group("arm")))
                    if arm is not None and not re.match(r"\s*(?:months?|weeks?|years?|days?|"
                                                        r"mg|cycles?)\b", after, re.I):
                        found.setdefault(arm.id, p)
                        continue
                named = re.match(r"\s+(?!(?:and|or|in|on|of|to|versus|vs)\b)(?P<arm>[^,;()]{1,40}?)"
                                 r"\s*(?:[,;)]|\band\b)", after)
                bracket = text.rfind("(", 0, p.start)
                if named and re.search(r"\(\s*[^()]*$", text[:p.start]) and not re.search(
                        EVENT_BEFORE[:-1] + r"\d[\d,]*\s+(?:[\w-]+\s+){0,2}?(?:patients|women|"
                        r"participants)\s*$", text[:max(bracket, 0)], re.I) and not re.match(
                        r"\s*(?:%|months?|weeks?|years?|days?|mg)", after, re.I):
                    arm = self.arm_near(named.group("arm"), 0, len(named.group("arm")))
                    if arm is not None and len(named.group("arm").split()) <= 4 and \
                            "%" not in named.group("arm"):  # "(58 on A [88%]; ...)": counts
                        found.setdefault(arm.id, p)  # "(25 alphamab, 22 alphamab 300 mg)"
                        continue
                had = re.search(r"(?P<arm>\b[\w +/-]{1,40}?\s+(?:arm|group))\s+had\s+$",
                                text[:p.start], re.I)
                if had and re.match(r"\s+(?:[\w-]+\s+)?(?:patients|women|participants)\b", after):
                    arm = self.arm_near(had.group("arm"), 0, len(had.group("arm")))
                    if arm is not None:  # "the low-dose arm had 37 assessable patients"
                        found.setdefault(arm.id, p)
                        continue
                eq = re.search(r"(?:^|[(;])\s*(?P<arm>[^(),;]{1,40}?),?\s*n\s*=\s*$",
                               text[:p.start]) or re.search(  # "control group (n = 95, ..."
                    r"(?P<arm>\b[A-Za-z][\w +/-]{0,40}?\s+(?:group|arm))\s*\((?:[^()]{3,60},\s*)?"
                    r"n\s*=\s*$",  # "the INTRA group (intratumoral injection, n=35)"
                    text[:p.start], re.I)
                if eq:  # "(ddAB, n = 101; AB-C, n = 98)"
                    arm = self.arm_near(eq.group("arm"), 0, len(eq.group("arm")))
                    if arm is not None:
                        found.setdefault(arm.id, p)
                        continue
                listed = re.match(r"\s+(?:patients|women|participants)\s+(?:in|on)\s+(?:the\s+)?"
                                  r"(?P<arm>[^,;()\d]{1,40}?)(?:\s*(?:,|\band\b)|\.?$)", after)
                if listed and re.fullmatch(rf"(?:There\s+were\s+|{NUM}\s+(?:patients|women|"
                                           rf"participants)\s+(?:in|on)\s+[^,;()\d]{{1,40}}?"
                                           rf"(?:,\s*|\s+and\s+)|\s+)*", text[:p.start], re.I):
                    # "There were 58 patients in the A group and 36 patients in the B group."
                    arm = self.arm_near(listed.group("arm"), 0, len(listed.group("arm")))
                    if arm is not None:
                        found.setdefault(arm.id, p)
            # "included 3,412 women in the outreach group and 3,398 in the control group"
            # also "32 women were in the A group and 30 in the B group", "Of 210, 104 were in"
            two = re.search(rf"(?:^\s*|,\s+|\b(?:included|enrolled|comprised|randomi[sz]ed|"
                            rf"assigned|allocated)(?:\s+a\s+total\s+of)?\s+)(?P<a>{NUM}|"
                            rf"[A-Z][a-z]+(?:-[a-z]+)?)\s+(?:(?:patients|women|participants|"
                            rf"subjects)\s+)?(?:were\s+)?(?:in|on|to)\s+"
                            rf"(?:the\s+)?(?P<x>[^,;()\d]"
                            rf"{{1,40}}?),?\s+and\s+(?P<b>{NUM})\s+(?:(?:patients|women|participants"
                            rf"|subjects)\s+)?(?:in|on|to)\s+(?:the\s+)?(?P<y>[^,;()\d]{{1,40}}?)"
                            r"(?=[,;.)]|\s+(?:who|with|and)\b|$)", text, re.I)
            pair = [self.arm_near(two.group(g), 0, len(two.group(g))) for g in "xy"] if two \
                else []
            sizes = [next((x for x in nums if x.start == two.start(g)), None) for g in "ab"] \
                if two else []  # a number, or one in words ("Thirty-two women were in ...")
            if two and not re.search(r"\b(?:included|enrolled|comprised|randomi[sz]ed|assigned|"
                                     r"allocated|were\s+in)\b", two.group(), re.I) and \
                    sum(int(x.value) for x in sizes if x) not in {
                        x.get("size") for x in self.d.populations if x.get("parent") is None}:
                sizes = []  # "rash in 19 patients, 11 in the A arm and 8 in the B arm": events
            if pair and None not in pair and pair[0] is not pair[1] and sizes and \
                    None not in sizes:
                for arm, size in zip(pair, sizes, strict=True):
                    found.setdefault(arm.id, size)
            received = self._received_sizes(text, nums) or self._n_after_each_arm(
                text, nums) or self._bracket_parts(text, nums)
            if received:
                found = received
            summed = self._sizes_summing_to_total(text, nums) or self._the_n_in_arm(text, nums)
            if summed:
                found = summed
            resp = re.search(rf"(?P<a>{NUM})\s+and\s+(?P<b>{NUM})\s+(?:patients\s+|women\s+)?in\s+"
                             r"the\s+(?P<arms>[^,;.]{3,80}?)\s+(?:arms?|groups?)\b,?\s+"
                             r"respectively", text, re.I)
            if resp:
                names = re.split(r"\s+and\s+", resp.group("arms"))
                pair = [self.arm_near(x, 0, len(x)) for x in names]
                if len(pair) == 2 and None not in pair and pair[0] is not pair[1]:
                    for arm, g in zip(pair, ("a", "b"), strict=True):
                        p = next(x for x in nums if x.start == resp.start(g))
                        found.setdefault(arm.id, p)  # type: ignore[union-attr]
            if len(found) == len(self.d.arms):
                total = sum(p.value for p in found.values())
                self._arm_populations(i, text, found, analysed=any(  # they make the analysed set
                    x["kind"] == "analysed" and x.get("size") == total for x in self.d.populations))
                return self._more_arm_sets()
        # "HD patients (n = 91; ...) received ...", "SD regimen patients (n = 94) received":
        # each arm's size in a sentence of its own
        each: dict[str, tuple[int, str, Printed]] = {}
        for i in range(len(self.spans)):
            text = self.sent(i)
            # ... and "Forty patients in the A group were injected with ...", a sentence each
            for mt in [*re.finditer(rf"(?P<arm>[\w +/-]{{1,40}}?)\s+(?:regimen\s+)?(?:patients|"
                                    rf"women)\s*\(\s*n\s*=\s*(?P<n>{NUM})", text, re.I),
                       *re.finditer(rf"^\s*(?P<n>{NUM}|[A-Z][a-z]+(?:-[a-z]+)?)\s+(?:patients|"
                                    r"women)\s+in\s+(?:the\s+)?(?P<arm>[\w +/-]{1,40}?)\s+(?:group|"
                                    r"arm)\s+(?:were\s+(?:given|treated|injected)|received)\b",
                                    text),
                       # "the control group consisting of 46 patients received X"
                       *re.finditer(rf"(?P<arm>[\w +/-]{{1,40}}?)\s+(?:group|arm)\s+"
                                    rf"(?:consisting\s+of|comprising|comprised\s+of)\s+"
                                    rf"(?P<n>{NUM})\s+(?:patients|women)\b", text, re.I),
                       # "Ninety patients were treated with A (group A)"
                       *re.finditer(rf"^\s*(?P<n>{NUM}|[A-Z][a-z]+(?:[- ](?:and\s+)?[a-z]+)"
                                    r"{0,4}?)\s+(?:patients|women)\s+(?:were\s+(?:given|treated)|received|"
                                    r"underwent)\b[^.;()]*\((?P<arm>group[\s-][A-D1-4])\b", text)]:
                arm = self.arm_near(mt.group("arm"), 0, len(mt.group("arm")))
                p = next((x for x in iter_numbers(text) if x.start == mt.start("n")), None)
                if arm is not None and p is not None:
                    each.setdefault(arm.id, (i, text, p))
        if len(each) == len(self.d.arms) and len(self.d.arms) > 1:
            for arm_id, (i, text, p) in each.items():
                self._arm_populations(i, text, {arm_id: p})
            return
        # "Of 402 patients randomised to A, ...": one arm's size, where the form says so
        for i in range(len(self.spans)):
            text = self.sent(i)
            mt = re.match(rf"\s*Of\s+(?:the\s+)?(?P<n>{NUM})\s+(?:patients|women|participants)\s+"
                          r"(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\s+to\s+(?:receive\s+)?"
                          r"(?:the\s+)?(?P<arm>[^,;()]{1,60}),", text, re.I)
            arm = self.arm_near(mt.group("arm"), 0, len(mt.group("arm"))) if mt else None
            if mt is None or arm is None or arm.id in self.arm_pops:
                continue
            p = next(x for x in iter_numbers(text) if x.start == mt.start("n"))
            self._arm_populations(i, text, {arm.id: p})

    def _more_arm_sets(self) -> None:
        """Further sets of each arm, named so ("the 9,210 in the A group ... the 9,188 in ...")."""
        root, have = self._root(), {p.get("size") for p in self.d.populations}
        for i in range(len(self.spans)):
            text = self.sent(i)
            later = self._later_set(text, list(iter_numbers(text)))
            if later and int(later[0].value) not in have:
                self._later_populations(i, text, root, *later)
                continue
            found = self._the_n_in_arm(text, list(iter_numbers(text)))
            if not found or {int(p.value) for p in found.values()} & have:
                continue
            for arm in self.d.arms:
                pid = f"analysed-{arm.id}-{int(found[arm.id].value)}"
                self.d.populations.append({
                    "id": pid, "label": f"analysed in {arm.label} ({found[arm.id].text})",
                    "kind": "analysed", "size": int(found[arm.id].value), "parent": root["id"],
                    "arm": arm.id, "quote": quote_of(text)})
                self.use(i, found[arm.id])

    def _later_populations(self, i: int, text: str, root: dict, total: Printed, when: str,
                           found: dict[str, Printed]) -> None:
        """The set analysed at a later time, and each arm's part of it, under the root."""
        pid = f"analysed-{int(total.value)}"
        self.d.populations.append({"id": pid, "label": f"analysed {when}", "kind": "analysed",
                                   "size": int(total.value), "parent": root["id"],
                                   "quote": quote_of(text)})
        self.use(i, total)
        for arm in self.d.arms:
            self.d.populations.append({
                "id": f"{pid}-{arm.id}", "label": f"analysed {when} in {arm.label}",
                "kind": "analysed", "size": int(found[arm.id].value), "parent": pid,
                "arm": arm.id, "quote": quote_of(text)})
            self.use(i, found[arm.id])

    def _root(self) -> dict:
        """The randomised (or enrolled) population arms' sizes hang under, made when missing.

        Made with no size: the arms' sizes never invent a total.
        """
        root = next((x for x in self.d.populations if x.get("parent") is None and
                     x["kind"] in {"enrolled", "randomised"}), None)
        if root is None:
            root = {"id": "randomised", "label": "randomised patients", "kind": "randomised",
                    "quote": self.d.arms[0].quote}
            self.d.populations.insert(0, root)
            self.randomised_pop = "randomised"
        return root

    def _arm_populations(self, i: int, text: str, found: dict[str, Printed],
                         analysed: bool = False) -> None:
        """One population per arm, under the randomised (or enrolled) root.

        Where the sentence is about who was analysed ("Toxicity data were available from ..."),
        the populations are the arms' analysed sets, not what was assigned.
        """
        root = self._root()
        analysed = analysed or re.search(r"\b(?:evaluable|assessable|available|eligible|"
                                         r"analy[sz]e[ds]|analy[sz]is)\b", text, re.I)
        whole = sum(p.value for p in found.values())  # the analysed set they make, if printed
        parent = next((x["id"] for x in self.d.populations if analysed and x["kind"] ==
                       "analysed" and not x.get("arm") and x.get("size") == whole), root["id"])
        for arm in self.d.arms:
            if arm.id not in found:
                continue
            p = found[arm.id]
            pid = f"{'analysed' if analysed else root['id']}-{arm.id}"
            self.d.populations.append({
                "id": pid, "label": f"analysed in {arm.label}" if analysed else
                f"{root['id']} to {arm.label}", "kind": "analysed" if analysed else root["kind"],
                "size": int(p.value), "parent": parent, "arm": arm.id,
                "quote": quote_of(text)})
            self.arm_pops[arm.id] = pid
            self.use(i, p)

    def _arm_sizes(self, i: int, text: str, parent: str, after_total: int) -> None:
        """Per-arm sizes printed after a total.

        "(adacotrexate n=224; paclitaxel n=222)", "(arm A, 83; arm B, 81)", "194 to the pelorasib
        group and 97 to the placebo group", "270 received quenvastat and 268 received placebo",
        "(201 per group)".
        """
        numbers = [p for p in iter_numbers(text) if not p.percent and p.start >= after_total
                   and p.value == p.value.to_integral()]
        found: dict[str, Printed] = {}
        for p in numbers:
            before = text[max(0, p.start - 40):p.start]
            if re.search(r"(?:n\s*=\s*|,\s*)$", before, re.I) and not re.search(
                    r"\b(?:days?|weeks?|cycles?)\s+[\d,\s]*$", before, re.I):  # "days 1, 8"
                seg = re.split(r"[;)]|\bor\b", before)[-1]
                arm = self.arm_near(seg, 0, len(seg))
                if arm is not None:
                    found.setdefault(arm.id, p)
                    continue
            label = re.search(r"[(,;]\s*(?:and\s+)?(?P<g>[A-Za-z][\w+/-]*(?:\s+[A-Za-z][\w+/-]*)"
                              r"{0,2}?)\s*[:=]?\s*$", before)
            if label and re.search(r"\b(?:days?|weeks?|cycles?|or|and)$", label.group("g"), re.I):
                label = None  # "on days 1, 8 and 15": a schedule
            arm = self.arm_near(label.group("g"), 0, len(label.group("g"))) if label else None
            if arm is not None and re.match(r"\s*[,;)]|\s+and\b", text[p.end:]):
                found.setdefault(arm.id, p)  # "(VB 156, observation 154)": label first
                continue
            follow = text[p.end:p.end + 80]
            if re.match(r"\s+per\s+(?:group|arm)\b", follow, re.I):
                for arm in self.d.arms:
                    found.setdefault(arm.id, p)
                continue
            lead = re.match(r"\s+(?:patients\s+|participants\s+)?(?:(?:were|was)\s+)?"
                            r"(?:(?:randomly\s+)?(?:assigned|allocated|randomi[sz]ed)\s+)?"
                            r"(?:to|received|in|"
                            r"to receive)\s+(?:the\s+)?", follow, re.I)
            if lead:
                seg = re.split(r"[,;)(]|\band\b|\bvs?\b|\bversus\b", follow[lead.end():])[0]
                arm = self.arm_near(seg, 0, len(seg))
                if arm is not None:
                    found.setdefault(arm.id, p)
        each = re.search(rf"\(\s*(?P<a>{NUM})\s+and\s+(?P<b>{NUM})\s+(?:patients\s+)?in\s+"
                         r"(?:each\s+)?(?:the\s+)?respective\s+(?:treatment\s+)?(?:groups?|arms?)",
                         text, re.I)
        if each and len(self.d.arms) == 2 and not found:  # "(47 and 49 patients in each
            found = {arm.id: next(p for p in numbers if p.start == each.start(g))  # respective
                     for arm, g in zip(self.d.arms, "ab", strict=True)}  # treatment group)"
        if len(found) < 2 and len(self.d.arms) > 1:
            return  # one arm's size alone is more likely something else
        for arm in self.d.arms:
            p = found.get(arm.id)
            if p is None:
                continue
            pid = f"{parent}-{arm.id}"
            if not any(x["id"] == pid for x in self.d.populations):
                self.d.populations.append({
                    "id": pid, "label": f"{parent} to {arm.label}", "kind": parent
                    if parent in {"randomised", "enrolled"} else "randomised",
                    "size": int(p.value), "parent": parent, "arm": arm.id,
                    "quote": quote_of(text)})
                self.arm_pops[arm.id] = pid
                self.use(i, p)
