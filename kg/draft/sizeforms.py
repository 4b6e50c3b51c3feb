"""Printed forms that give every arm's size in one sentence, each read on its own.

"the 1,802 in the A group ... the 1,777 in the B group", "86 patients received A; 90 patients
received B", "A (n = 64) or B (n = 61)", "240 eligible women (121 in the A arm and 119 in the B
arm)", and later sets of each arm ("and 368 at 12 weeks (120 on A, ...)"). Each returns the
arms' numbers only when every arm has one, so ``armsizes`` can try them in turn.
"""

from __future__ import annotations

import re

from kg.draft.patterns import NUM
from kg.draft.state import DraftState
from kg.numbers import Printed

# an outcome just before a number: what follows counts patients with it, not an arm
EVENT_BEFORE = (r"\b(?:occurred|developed|seen|observed|reported|experienced|had|found)\s+"
                r"(?:in\s+)?(?:the\s+)?$")


class SizeForms(DraftState):
    """Readers of one sentence's per-arm sizes."""

    def _the_n_in_arm(self, text: str, nums: list[Printed]) -> dict[str, Printed]:
        """"the 1,802 in the A group reported more X than the 1,777 in the B group": each arm's.

        Only when every arm is named so, each once.
        """
        found: dict[str, Printed] = {}
        for mt in re.finditer(rf"\bthe\s+(?P<n>{NUM})\s+(?:(?:patients|women|participants)\s+)?"
                              r"(?:in|on)\s+the\s+(?P<arm>[^,;.()]{1,40}?)\s+(?:group|arm)\b",
                              text, re.I):
            if re.search(r"\b(?:of|among|from)\s*$", text[:mt.start()], re.I):
                continue  # "40 of the 150 women in the A group": a count's denominator
            arm = self.arm_near(mt.group("arm"), 0, len(mt.group("arm")))
            p = next((x for x in nums if x.start == mt.start("n")), None)
            if arm is None or p is None or arm.id in found:
                return {}
            found[arm.id] = p
        return found if len(found) == len(self.d.arms) else {}

    def _received_sizes(self, text: str, nums: list[Printed]) -> dict[str, Printed]:
        """"86 patients received A; 90 patients received B": sizes, when they make a total.

        Also "Forty were treated with A and 44 with B", "A was administered to 112 patients and
        B to 118". Patients who received something may be an outcome's count ("12 patients
        received second-line A"), so each arm must have one and together they must make the
        study's randomised, enrolled or analysed total.
        """
        totals = {x.get("size") for x in self.d.populations if x.get("size") and (
            x.get("parent") is None or x["kind"] == "analysed")}
        if not totals:
            return {}
        found: dict[str, Printed] = {}
        for p in nums:
            mt = re.match(r"\s+(?:(?:patients|women|participants)\s+)?(?:received|had|underwent|"
                          r"were\s+(?:given|treated\s+(?:with|by)))\s+(?P<what>[^;.]{1,80})",
                          text[p.end:], re.I) or (
                re.match(r"\s+(?:(?:patients|women|participants)\s+)?(?:with\s+)?(?P<what>"
                         r"[^,;.()\d]{1,40})", text[p.end:], re.I)
                if found and re.search(r"\band\s+$", text[:p.start]) else None)
            if mt is None:  # "A was administered to 112 patients and B to 118 patients"
                mt = re.search(r"(?:^|;|,|\band\b)(?P<what>(?:(?!\band\b)[^,;.]){1,80}?)\s+"
                               r"(?:(?:was|were)\s+(?:administered|given)\s+)?to\s+$",
                               text[:p.start], re.I)
                if mt is None or not re.match(r"\s+(?:patients|women|participants)\b",
                                              text[p.end:], re.I) or not re.search(
                        r"\badministered\b", text, re.I):
                    continue
            arm = self.arm_near(mt.group("what"), 0, len(mt.group("what")))
            if arm is not None:
                found.setdefault(arm.id, p)
        if len(found) == len(self.d.arms) and sum(p.value for p in found.values()) in totals:
            return found
        return {}

    def _n_after_each_arm(self, text: str, nums: list[Printed]) -> dict[str, Printed]:
        """"A 150 mg every 3 weeks (n = 64) or B daily (n = 61)": each bracket's nearest arm.

        "between the A (n = 402) and B (n = 398) groups" too. The arm is the one named nearest
        before each bracket (after an "or", "to receive", "between"...), every arm has one, no
        arm has two, and together they are no more than the study's total.
        """
        found: dict[str, Printed] = {}
        prev = 0
        for mt in re.finditer(rf"\(\s*n\s*=\s*(?P<n>{NUM})\s*[),;]", text, re.I):
            seg, arm = text[prev:mt.start()], None
            cuts = [0] + [c.end() for c in re.finditer(
                r"\b(?:or|versus|vs\.?|either|to|receive|received|receiving|between)\b|;", seg,
                re.I)]
            for cut in sorted(cuts, reverse=True):
                arm = self.arm_near(seg, cut, len(seg))
                if arm is not None:
                    break
            p = next((x for x in nums if x.start == mt.start("n")), None)
            if arm is None or p is None or arm.id in found:
                return {}
            found[arm.id] = p
            close = text.find(")", mt.start())
            prev = close + 1 if close >= 0 else mt.end()
        totals = [x["size"] for x in self.d.populations if x.get("parent") is None and
                  x.get("size")]
        if len(found) == len(self.d.arms) > 1 and all(
                sum(p.value for p in found.values()) <= t for t in totals):
            return found
        return {}

    def _bracket_parts(self, text: str, nums: list[Printed]) -> dict[str, Printed]:
        """"(n = 44, A; n = 46, B)", "(A, n = 44; B, n = 46)": one bracket, a part per arm.

        Each part between semicolons holds one number (no dose or time) and one arm's name,
        and no share (a share counts patients who had something); every arm has one part, and
        the parts add up to no more than the study's total.
        """
        totals = [x["size"] for x in self.d.populations if x.get("parent") is None and
                  x.get("size")]
        for mt in re.finditer(r"\((?P<inner>[^()]*;[^()]*)\)", text):
            found: dict[str, Printed] = {}
            at = mt.start("inner")
            for part in mt.group("inner").split(";"):
                inside = [x for x in nums if at <= x.start < at + len(part) and not re.match(
                    r"\s*(?:%|mg|g\b|µg|mcg|months?|weeks?|years?|days?)", text[x.end:], re.I)]
                words = re.sub(rf"\bn\s*=\s*|{NUM}|,", " ", part, flags=re.I)
                arm = self.arm_near(words, 0, len(words))
                if len(inside) != 1 or arm is None or arm.id in found or "%" in part:
                    found = {}
                    break
                found[arm.id] = inside[0]
                at += len(part) + 1
            if len(found) == len(self.d.arms) > 1 and all(
                    sum(p.value for p in found.values()) <= t for t in totals):
                return found
        return {}

    def _sizes_summing_to_total(self, text: str, nums: list[Printed]) -> dict[str, Printed]:
        """Each arm's size in a bracket after a total they add up to.

        "Among the 240 eligible women (121 women in the A arm and 119 in the B arm)": the
        bracket's numbers, each followed by an arm, must sum to the total before it.
        """
        for total in nums:
            # "1500 women aged 40-65 (752 in the A arm and 748 in the B arm)"
            mt = re.match(r"\s+(?:[\w-]+\s+){0,3}?(?:patients|women|participants|subjects)\s*"
                          r"(?:(?:were|was)\s+(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)"
                          r"\s*|aged\s+[\d\s–-]+(?:years\s+)?)?\((?P<inner>[^()]+)\)",
                          text[total.end:], re.I)
            if mt is None or re.search(EVENT_BEFORE, text[:total.start], re.I):
                continue  # "rash occurred in 30 patients (12 on A and 18 on B)": events
            a, b = total.end + mt.start("inner"), total.end + mt.end("inner")
            inner = [p for p in nums if a <= p.start < b]
            found: dict[str, Printed] = {}
            for k, p in enumerate(inner):
                stop = inner[k + 1].start if k + 1 < len(inner) else b
                window = re.split(r",|;|\band\b", text[p.end:stop])[0]
                arm = self.arm_near(window, 0, len(window))
                if arm is not None:
                    found.setdefault(arm.id, p)
            if len(found) == len(inner) == len(self.d.arms) and \
                    sum(p.value for p in found.values()) == total.value:
                return found
        return {}

    def _later_set(self, text: str, nums: list[Printed]
                   ) -> tuple[Printed, str, dict[str, Printed]] | None:
        """"... and 368 at 12 weeks (120 placebo, 123 A 20 mg and 125 A 60 mg)": a later set.

        The bracket's numbers (doses left out), each followed by a different arm, one per arm,
        adding up to the number before the bracket.
        """
        for mt in re.finditer(rf"\band\s+(?P<n>{NUM})\s+(?:(?:patients|women|participants)\s+)?"
                              r"(?P<when>(?:at|after)\s+[^()]{1,30}?)\s*\((?P<inner>[^()]+)\)",
                              text, re.I):
            total = next((x for x in nums if x.start == mt.start("n")), None)
            inner = [x for x in nums if mt.start("inner") <= x.start < mt.end("inner") and
                     not re.match(r"\s*(?:mg|g|µg|mcg|%)\b", text[x.end:], re.I)]
            found: dict[str, Printed] = {}
            for k, p in enumerate(inner):
                stop = inner[k + 1].start if k + 1 < len(inner) else mt.end("inner")
                window = re.split(r",|;|\band\b", text[p.end:stop])[0]
                arm = self.arm_near(window, 0, len(window))
                if arm is None or arm.id in found:
                    break
                found[arm.id] = p
            if total is not None and len(found) == len(inner) == len(self.d.arms) and \
                    sum(p.value for p in found.values()) == total.value:
                return total, mt.group("when").strip(), found
        return None
