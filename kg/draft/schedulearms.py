"""Arms of one drug given on two schedules, read from the assignment sentence.

"randomly assigned to alphamab administered either weekly (8 doses) or once every 4 weeks
(two cycles)": two arms, each the drug on its schedule, called by the schedule's words as the
results use them ("the weekly arm", "once-every-4-weeks alphamab"). A mixin of ``Drafter``.
"""

from __future__ import annotations

import re

from kg.draft.patterns import RANDOM_RE, quote_of, slug
from kg.draft.state import DraftState

SCHEDULE = (r"(?:once\s+)?(?:weekly|daily|twice\s+daily|monthly|every\s+\d+\s+(?:days|weeks)|"
            r"every\s+(?:two|three|four)\s+weeks|\d+-weekly)")
SIDES_RE = re.compile(rf"\b(?:either\s+)?(?P<a>{SCHEDULE})\s*(?:\([^()]*\))?\s*,?\s+or\s+"
                      rf"(?P<b>{SCHEDULE})\b", re.I)


def schedule_names(schedule: str) -> list[str]:
    """What the results may call an arm on ``schedule``: "once every 3 weeks", "every-3-weeks"."""
    words = " ".join(schedule.lower().split())
    bare = re.sub(r"^once\s+", "", words)
    return list(dict.fromkeys([words, bare, words.replace(" ", "-"), bare.replace(" ", "-")]))


class ScheduleArms(DraftState):
    """The rule that reads two schedules of one drug as two arms."""

    def _arms_by_schedule(self) -> bool:
        """Two arms of the one drug named before two schedules in an assignment sentence."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            if not RANDOM_RE.search(text):
                continue
            mt = SIDES_RE.search(text)
            drugs = [x for x in self.lex.find(text[:mt.start()], ("drug",))] if mt else []
            if not mt or len({x.key for x in drugs}) != 1:
                continue
            drug = drugs[0].key
            sides = [mt.group("a"), mt.group("b")]
            self._make_arms([(s, [drug], None) for s in sides],  # type: ignore[attr-defined]
                            quote_of(text), sides)
            for arm, side in zip(self.d.arms[-2:], sides, strict=True):
                names = schedule_names(side)
                bare = re.sub(r"^once\s+", "", " ".join(side.lower().split()))
                arm.id, arm.label = slug(f"{drug}-{bare}"), f"{arm.label} {bare}"
                arm.aliases += [f"{n} {w}" for n in names for w in ("group", "arm")] + names + [
                    f"{n} {x}" for n in names
                    for x in (text[drugs[0].start:drugs[0].end].lower(),)]
            shared = set(self.d.arms[-2].aliases) & set(self.d.arms[-1].aliases)
            for arm in self.d.arms[-2:]:  # the drug's own name calls neither arm
                arm.aliases = [a for a in arm.aliases if a not in shared]
            self.tag("arms-by-schedule")
            return True
        return False
