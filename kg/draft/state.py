"""The state the drafting stages share: the paper, its sentences, the lexicon and the draft.

Each stage (design and arms, populations, endpoints, numbers, claims) is a method over this one
state, in its own module; they all derive from ``DraftState`` here, so no stage module imports
another and none imports the ``Drafter`` that runs them (``kg/draft/extract.py``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.draft.lexicon import Lexicon, endpoint_mentions
from kg.draft.patterns import Arm, Draft
from kg.draft.reading import Paper, sentences
from kg.numbers import Printed


def alias_re(alias: str) -> str:
    """A pattern for an arm's name as a word; "control" is no arm in "disease control rate"."""
    core = rf"(?<![\w-]){re.escape(alias)}(?![\w-])"
    if alias.lower() in {"control", "controls"}:
        core = (r"(?<!disease )(?<!local )(?<!locoregional )(?<!pain )(?<!symptom )"
                rf"(?<!tumor )(?<!tumour ){core}(?!\s+(?:rate|rates|of)\b)")
    elif not re.match(r"(?:no|non|without)\b", alias, re.I):  # "boost" is not in "no boost"
        core = rf"(?<!\bno )(?<!\bNo )(?<!\bwithout ){core}"
    return core


class DraftState:
    """One paper being drafted: its sentences, what was found so far, and shared look-ups."""

    def __init__(self, paper: Paper, lex: Lexicon) -> None:
        """Split the paper into sentences and prepare the record lists."""
        self.paper, self.lex = paper, lex
        self.spans = sentences(paper)
        self.d = Draft()
        self.randomised_pop: str | None = None
        self.conditions: list[str] = []
        self.arm_pops: dict[str, str] = {}
        self.last_groups: list[str] = []  # the subgroups the last sentence naming two or more named
        # an outcome no endpoint type names, by sentence and by the bracket it was named in
        self._outcome_of_sentence: dict[int | tuple[int, int], str] = {}
        self.own_randomisation = False  # the paper randomised its own patients to arms

    def per_arm_unknown(self, run: list[Printed]) -> bool:
        """Whether values per arm ("7.1 v 6.2 months") come where the arms were not read.

        In a randomised trial whose arms are unknown they get no record, rather than one that
        puts an arm's value on the whole population; the draft's header lists them as unplaced.
        """
        return len(run) >= 2 and self.own_randomisation and len(self.d.arms) < 2

    # ------------------------------------------------------------------ helpers

    def tag(self, rule: str) -> None:
        """Name ``rule`` as the one that proposed every record not yet tagged.

        Each record of a draft says which rule made it (``drafted:`` in the file, ``kg:draftRule``
        in the graph) so a curator can judge the rules, and the benchmark can score them.
        """
        d = self.d
        for rec in (*d.populations, *d.endpoints.values(), *d.results, *d.comparisons, *d.claims,
                    *d.adverse_events):
            rec.setdefault("drafted", rule)
        for arm in d.arms:
            arm.rule = arm.rule or rule

    def sent(self, i: int) -> str:
        """Text of sentence i."""
        a, b = self.spans[i]
        return self.paper.text[a:b]

    def use(self, i: int, local: Printed) -> None:
        """Mark a number of sentence i as placed in a record."""
        self.d.used.add(self.spans[i][0] + local.start)

    def endpoint_at(self, text: str, pos: int, default: str | None = None) -> str | None:
        """The endpoint named last before ``pos`` in the sentence.

        Not one inside a closed bracket that defines another ("the objective response (CR +
        PR) rate was 27%"), unless only brackets name one ("the response (ORR) was 27%").
        """
        outside = re.sub(r"\((?:[^()]|\([^()]*\))*\)", lambda m: " " * len(m.group()), text[:pos])
        before = [t for p, t in endpoint_mentions(outside)] or \
            [t for p, t in endpoint_mentions(text) if p < pos]
        return before[-1] if before else default

    def going_on(self, text: str, last: str | None) -> str | None:
        """The endpoint a sentence naming none goes on with: the one named last.

        But "Results were consistent in ..." (subgroups) speaks of the primary endpoint's result.
        """
        if re.search(r"\b(?:consistent|similar)\b", text, re.I):
            return next((e["type"] for e in self.d.endpoints.values() if e.get("primary")), last)
        return last

    def endpoint_id(self, etype: str, quote: str, text: str = "") -> str:
        """An endpoint of the given type (with a time point for rates), created on first use."""
        timepoint = None
        if etype in {"pfs-rate", "survival-rate"}:
            mt = re.search(r"(?<![\d.])(\d+|one|two|three|four|five|six|ten|twelve)[- ]"
                           r"(month|year|week)s?\b|"
                           r"\bat\s+(\d+)\s+(month|year|week)s?\b", text, re.I)
            words = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10,
                     "twelve": 12}
            if mt:
                raw = (mt.group(1) or mt.group(3)).lower()
                unit = (mt.group(2) or mt.group(4)).lower()
                timepoint = (Decimal(words.get(raw, 0) or raw), unit)
            elif (short := re.search(r"\bPF[SR](\d+)\b", text)):
                # "PFR12" after its definition is the endpoint defined; else months, the unit
                # such rates are usually given in
                n = Decimal(short.group(1))
                known = [e for e in self.d.endpoints.values() if e["type"] == etype and
                         e.get("timepoint") == n]
                timepoint = (n, known[0]["timepoint_unit"] if known else "month")
        eid = etype if timepoint is None else f"{etype}-{timepoint[0]}-{timepoint[1]}"
        if eid not in self.d.endpoints:
            rec = {"id": eid, "type": etype, "quote": quote}
            if timepoint is not None:
                rec["timepoint"], rec["timepoint_unit"] = timepoint
            self.d.endpoints[eid] = rec
        return eid

    def arms_named(self, text: str) -> list[Arm]:
        """The arms a sentence names by their whole regimen ("given examplinib plus erlotinib").

        Drugs joined by plus, and, with or "+" make one chain; a chain whose drugs are exactly an
        arm's regimen names that arm (erlotinib inside "examplinib plus erlotinib" is not the
        erlotinib arm).
        """
        # a treatment of no established kind counts where it is an arm's, never as a bare
        # word such as "control"
        given = {k for a in self.d.arms for k in a.regimen}
        found = self.lex.find(text)
        found = sorted(found + [x for x in self.lex.find(text, ("treatment",)) if x.key in given
                                and not any(y.start < x.end and x.start < y.end for y in found)
                                and not re.fullmatch(r"controls?|study|intervention|treatment",
                                                     text[x.start:x.end], re.I)],
                       key=lambda x: x.start)
        chains: list[set[str]] = []
        last = None
        for x in found:
            gap = text[last.end:x.start] if last is not None else None
            if gap is not None and re.fullmatch(r"\s*(?:\+|/|,|plus|and|with|combined with)?\s*",
                                                gap, re.I):
                chains[-1].add(x.key)
            else:
                chains.append({x.key})
            last = x
        out = []
        for arm in self.d.arms:
            if any(chain == set(arm.regimen) for chain in chains) and arm not in out:
                out.append(arm)
        return out

    def unhyphen(self, text: str) -> str:
        """The text with names joined by a hyphen told apart, positions kept.

        "the betanib-alone group", "examplinib-exposed patients": the arm's name and a word;
        "the alphamab-ABC group": a chain of two names.
        """
        text = re.sub(r"-(alone|only|treated|exposed|based|containing)\b", r" \1", text,
                      flags=re.I)
        text = re.sub(r"(?<=[A-Za-z])-(plus|and|with)-(?=[A-Za-z])", r" \1 ", text,
                      flags=re.I)  # "the A-plus-B group"
        for mt in re.finditer(r"(?<![\w-])([A-Za-z]\w*)[-/]([A-Za-z]\w*)(?![\w-])", text):
            if self.lex.find(mt.group(1)) and self.lex.find(mt.group(2)):
                text = text[:mt.end(1)] + "+" + text[mt.end(1) + 1:]
        return text

    def arm_near(self, text: str, start: int, end: int) -> Arm | None:
        """The arm named in text[start:end] ("with velortinib", "in arm A", "given placebo")."""
        # "the betanib-alone group", "examplinib-exposed patients": the arm's name and a word
        orig = self.unhyphen(text[start:end])
        window = orig.lower()
        best: tuple[int, int, Arm] | None = None
        for arm in self.d.arms:
            for alias in arm.aliases:
                mt = re.search(alias_re(alias.lower()), window)
                # the first name, and at one place the longest ("alphamab 900 mg", not
                # "alphamab", for the arm of that dose)
                if mt and (best is None or (mt.start(), -len(alias)) < best[:2]):
                    best = (mt.start(), -len(alias), arm)
        if best is not None and len(self.d.arms) > 1:
            # three arms that share drugs: the chain at the first name is the arm ("9.3% with
            # XRT and placebo" is the XRT-and-placebo arm, not the XRT-and-TAM one)
            chain = re.match(r"(?:\(\w+\))?[\w+/ -]{0,60}", orig[best[0]:])  # "(99)Zr-X"
            whole = self.arms_named(chain.group()) if chain else []
            if len(whole) == 1 and len(whole[0].regimen) > 1:
                return whole[0]
        if best is None:  # "243 to CAPOX alone": an abbreviation of the arm's whole regimen
            whole = self.arms_named(orig)
            return whole[0] if len(whole) == 1 else None
        return best[2]

