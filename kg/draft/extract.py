"""Find candidate records in a paper's sentences: design, arms, populations, endpoints, numbers.

Plain patterns over sentences, each record quoting the sentence it comes from, so every number a
record carries is printed in its own quote by construction. Values are attributed to arms by the
arm named next to them ("8.7 months with adacotrexate"), by "respectively", or by the order in
which the methods list the arms (experimental first). The rules live in three modules: this one
(design, arms, endpoints, claims), ``populations`` and ``statistics``; ``patterns`` holds what
they share.
"""

from __future__ import annotations

import itertools
import re

from kg.draft.armlist import arm_list, blank_brackets, dose_of
from kg.draft.grouparms import group_sides
from kg.draft.lexicon import endpoint_mentions, fold
from kg.draft.patterns import (
    PHASE_RE,
    RANDOM_RE,
    RATIO_RE,
    ROMAN,
    Arm,
    Draft,
    dec,
    main_conditions,
    quote_of,
    slug,
)
from kg.draft.populations import Populations
from kg.draft.rates import Rates
from kg.draft.safety import Safety
from kg.draft.statistics import Statistics

__all__ = ["Arm", "Draft", "Drafter", "arm_list", "quote_of", "slug"]


ARM_SIZE_RE = re.compile(
    r"\bn\s*=\s*(?P<n>\d[\d,]*)\b|\((?:[^()]*?[,;]\s*)?(?P<n2>\d{1,3}(?:[ ,\u2009]\d{3})+|\d+)\s+"
    r"(?:patients|women|participants|subjects|men|cases)\s*\)", re.I)


class Drafter(Populations, Statistics, Rates, Safety):
    """Drafts one paper against a lexicon.

    The stages run in order over one ``DraftState`` (``kg/draft/state.py``): design and arms
    here, then populations (``populations.py``), endpoints, adverse events (``safety.py``),
    medians and effect estimates (``statistics.py``), rates and counts (``rates.py``), analysed
    sets and claims. Each stage reads what the earlier ones found and adds records.
    """

    # ------------------------------------------------------------------ design and arms

    def design(self) -> None:
        """Phase, randomisation, blinding, control, centres, ratio, line of therapy."""
        d = self.d.design
        title = self.paper.title
        body = self.paper.text[self.paper.body[0]:self.paper.body[1]]
        self.conditions = self.d.conditions = \
            main_conditions(self.lex, title) or main_conditions(self.lex, body)
        for text in [title, *(self.sent(i) for i in range(len(self.spans)))]:
            found = False
            for source in (text,):
                mt = PHASE_RE.search(source)
                if mt and "phase" not in d:
                    p = mt.group("p")
                    d["phase"] = ROMAN.get(p.upper(), p) if p else "1"
                    found = True
                if RANDOM_RE.search(source) and "randomised" not in d and \
                        not re.search(r"non-?randomi[sz]ed", source, re.I):
                    d["randomised"] = True
                    found = True
                ratio = RATIO_RE.search(source)
                if ratio and RANDOM_RE.search(source) and "allocation_ratio" not in d:
                    d["allocation_ratio"] = f"{ratio.group('a')}:{ratio.group('b')}"
                    found = True
                if re.search(r"double-blind", source, re.I) and "blinding" not in d:
                    d["blinding"], found = "double-blind", True
                if re.search(r"open-label", source, re.I) and "blinding" not in d:
                    d["blinding"], found = "open-label", True
                if re.search(r"single-arm|single arm|non-?randomi[sz]ed", source, re.I) and \
                        "single_arm" not in d:
                    d["single_arm"], found = True, True
                if re.search(r"placebo", source, re.I) and "placebo_controlled" not in d and \
                        RANDOM_RE.search(source):
                    d["placebo_controlled"], found = True, True
                if re.search(r"multicent(?:re|er)|multi-cent", source, re.I) and \
                        "multicentre" not in d:
                    d["multicentre"], found = True, True
            if found and quote_of(text) not in self.d.design_quotes:
                self.d.design_quotes.append(quote_of(text))
        lines = []
        for pattern, line in ((r"first-line|previously untreated|treatment-naive", "first"),
                              (r"second-line", "second"), (r"third-line", "third"),
                              (r"previously treated|pretreated|refractory", "pretreated")):
            if re.search(pattern, title, re.I):
                lines.append(line)
        if lines:
            self.d.study["line_of_therapy"] = lines[:1]

    def arms(self) -> None:
        """Arms from the randomisation sentence, or one arm for a single-arm study."""
        self.own_randomisation = bool(RANDOM_RE.search(self.paper.title or "") or any(re.search(
            r"\b(?:were|was|been)\s+(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\b|"
            r"\bwe\s+randomi[sz]ed\b|\brandomly\s+assigned\b", self.sent(i), re.I)
            for i in range(len(self.spans))))
        for i in range(len(self.spans)):
            text = self.sent(i)
            # the verb, not the adjective ("a randomised phase 2 trial"); its "to", not "up to"
            mt = re.search(r"(?:randomly assigned|randomi[sz]ed(?!\s+(?:phase|trial|study|"
                           r"controlled|clinical|double|open|multi|placebo))|allocated)"
                           r"[^.;]*?(?<!up )\bto\b", text, re.I)
            if not mt:
                continue
            tail = text[mt.end():]
            tail = re.split(r"\.\s|;|\. The|, stratified|\. Random", tail)[0]
            each = re.search(r",?\s*(?:each|both)\s+(?:added to|given with|combined with|plus|"
                             r"in combination with|with)\s+(.*)$", tail, re.I)
            last_or = max((m.end() for m in re.finditer(r"\s(?:or|versus|vs\.?)\s", tail)),
                          default=-1)
            shared = re.search(r",\s*(?:(?:each|both|all)\s+)?(?:given|administered)\s+(?:with|"
                               r"together with|in combination with)\s+(.*)$", tail[last_or:],
                               re.I) if last_or >= 0 else None
            backbone: list[str] = []
            clause = (each.start(), each.group(1)) if each else \
                (last_or + shared.start(), shared.group(1)) if shared else None
            if clause is not None:
                backbone = [x.key for x in self.lex.find(clause[1]) if x.kind == "drug"]
                if not backbone and re.match(r"(?:the\s+)?(?:same\s+)?chemotherapy", clause[1],
                                             re.I):
                    # "received pemetrexed and cisplatin ... and were randomised to A or placebo,
                    # given with chemotherapy": the chemotherapy is named before the assignment
                    backbone = [x.key for x in self.lex.find(text[:mt.start()])
                                if x.kind == "drug"]
                tail = tail[:clause[0]]
            parts = re.split(r"\s*(?:,?\s+or\s+|\s+versus\s+|\s+vs\.?\s+|\s+v\s+)\s*", tail)
            if len(parts) == 2 and "," in parts[0] and not re.search(
                    r"\b(?:and|plus|with|followed|then)\b|\+|/", parts[0], re.I):
                # "to placebo, alphamab 300 mg, or alphamab 900 mg": three arms, not two
                commas = [m.start() for m in re.finditer(",", blank_brackets(parts[0]))]
                bounds = [0, *commas, len(parts[0])]
                pieces = [parts[0][a:b].strip(" ,") for a, b in itertools.pairwise(bounds)]
                if len(pieces) >= 2 and all(self.lex.find(x) for x in pieces):
                    parts = [*pieces, parts[1]]
            arms = []
            for part in parts:
                # "A or B after surgery": what all arms had before or after is no arm's part
                part = re.split(r"\s+(?:after|before|prior\s+to|following)\s", part)[0]
                found = self.lex.find(part)
                regimen = [x.key for x in found]
                if not regimen and not re.search(r"\balone\b|same|control|standard|"
                                                  r"chemotherapy", part, re.I):
                    continue
                regimen = list(dict.fromkeys(regimen + [b for b in backbone
                                                        if b not in regimen]))
                letter = re.search(r"\barm ([A-D])\b", part)
                arms.append((part, regimen, letter.group(1) if letter else None))
            arms = self._comparators(arms)
            if len(arms) >= 2:
                self._make_arms(arms, quote_of(text), [a[0] for a in arms], self.spans[i][0],
                                text)
                return
        if self._arms_by_syntax() or self._arms_by_comparison() or self._arms_by_groups() or \
                self._arms_by_dose():
            return
        if self.own_randomisation:
            return  # a randomised trial whose arms were not read has no arm, never one wrong arm
        # single arm: the study drugs named where patients received them
        for i in range(len(self.spans)):
            text = self.sent(i)
            verb = re.search(r"received|were treated with|was given|were given|evaluated|assessed",
                             text, re.I)
            if verb:
                # the drugs given, not those of earlier treatment ("after radiotherapy and
                # temozolomide received quenvastat", "previously treated with trastuzumab")
                given = re.split(r"\b(?:previously|pretreated|after|following|refractory|who had|"
                                 r"progress\w*)\b", text[verb.end():], maxsplit=1)[0]
                regimen = list(dict.fromkeys(x.key for x in self.lex.find(given))) or \
                    list(dict.fromkeys(x.key for x in self.lex.find(text)))
                if regimen:
                    self._make_arms([(text, regimen, None)], quote_of(text), [text])
                    self.tag("single-arm-treatment")
                    return

    def _arms_by_syntax(self) -> bool:
        """Arms from a list (``armlist.arm_list``) in an assignment sentence, else the title."""
        order = [i for i in range(len(self.spans)) if RANDOM_RE.search(self.sent(i))]
        order += [i for i in range(min(3, len(self.spans))) if i not in order]
        texts = [(self.sent(i), self.spans[i][0]) for i in order]
        title = self.paper.title
        if title and title in self.paper.text:
            texts.insert(1 if order else 0, (title, self.paper.text.index(title)))
        for text, offset in texts:  # offset: where the text starts in the paper
            found = arm_list(text, self.lex)
            if len(found) >= 2:
                self._make_arms([(part, regimen, None) for part, regimen in found],
                                quote_of(text), [part for part, _ in found], offset, text)
                self.tag("arms-from-list")
                return True
        return False

    def _arms_by_comparison(self) -> bool:
        """Arms from "a trial comparing A with B" in a randomised study's own sentence.

        "The study was a randomized trial comparing alphamab 60 mg every 3 months with
        placebo", "we assessed whether alphamab was active compared with betanib": each side's
        drugs and interventions, as the lexicon knows them; both sides must name some, and
        differ.
        """
        if not self.own_randomisation and not self.d.design.get("randomised"):
            return False
        for i in range(len(self.spans)):
            text = self.sent(i)
            mt = re.search(r"\bcompar(?:ing|es)\s+(?P<a>[^.;]{1,100}?)\s+"
                           r"(?:with|to|versus|vs\.?)\s+(?P<b>[^.;]{1,100})", text, re.I) or \
                re.search(r"(?:^|[,;:]\s*)(?P<a>[^.;,]{1,100}?)\s+(?:was\s+|were\s+)?compared\s+"
                          r"(?:with|to)\s+(?P<b>[^.;]{1,100})", text, re.I)
            if not mt or re.match(r"(?:the|two|both|three)\s+(?:arms|groups|regimens)\b",
                                  mt.group("a"), re.I):
                continue
            b = re.split(r"\s+(?:in|among|for)\s+(?:\d|patients|women|men|participants|"
                         r"subjects|those|postmenopausal|premenopausal)|,|\s+after\s|\s+before\s",
                         mt.group("b"))[0]
            sides = [(mt.group("a"), mt.start("a")), (b, mt.start("b"))]
            regimens = [list(dict.fromkeys(x.key for x in self.lex.find(s))) for s, _ in sides]
            if not all(regimens) or set(regimens[0]) == set(regimens[1]):
                continue
            arms = [(s, r, None) for (s, _), r in zip(sides, regimens, strict=True)]
            self._make_arms(arms, quote_of(text), [s for s, _ in sides], self.spans[i][0], text)
            self.tag("arms-from-comparison")
            return True
        return False

    def _arms_by_dose(self) -> bool:
        """Two arms of one drug at two doses, in a randomised trial.

        "A randomised study of alphamab 20 mg (n = 55) and 50 mg (n = 57)".
        """
        if not self.own_randomisation:
            return False
        dose = r"\d+(?:\.\d+)?\s*(?:mg|g|µg|mcg)(?:/(?:m2|m\(2\)|kg|d|day))?"
        for i in range(len(self.spans)):
            text = self.sent(i)
            for x in self.lex.find(text, ("drug",)):
                mt = re.match(rf"\s+(?P<a>{dose}\s*(?:\([^()]*\))?)\s*,?\s*(?:and|or|versus|vs\.?)"
                              rf"\s+(?P<b>{dose}\s*(?:\([^()]*\))?)", text[x.end:])
                if not mt:
                    continue
                parts = [text[x.start:x.end + mt.end("a")], mt.group("b")]
                if dose_of(parts[0]) is None or dose_of(parts[0]) == dose_of(parts[1]):
                    continue
                self._make_arms([(p, [x.key], None) for p in parts], quote_of(text), parts,
                                self.spans[i][0], text)
                self.tag("arms-by-dose")
                return True
        return False

    def _arms_by_groups(self) -> bool:
        """Arms from the names an assignment gives its groups (``grouparms``).

        A side's components are the drugs and interventions the lexicon knows in it, else the
        treatment it names, under the key its name gives: an unclassified intervention the draft
        proposes for ``entities.yaml`` until the curator adds it.
        """
        for i in range(len(self.spans)):
            text = self.sent(i)
            sides = group_sides(text)
            if not sides:
                continue
            arms = []
            for side in sides:
                regimen: list[str] = []
                for comp in side.components:
                    found = [x.key for x in self.lex.find(comp)]
                    if re.match(r"(?:no|without)\s", comp, re.I):
                        # "no radiotherapy" gives no radiotherapy: only a name of the whole
                        found = [x.key for x in self.lex.find(comp) if x.start == 0]
                    regimen += found or [self.lex.names["treatment"].get(fold(comp), slug(comp))]
                arms.append((side.text, list(dict.fromkeys(regimen)), None))
            before = len(self.d.arms)
            self._make_arms(arms, quote_of(text), [s.text for s in sides], self.spans[i][0],
                            text)
            # a group is also called by the head noun of what only it gets ("the booklet
            # group" for "the pictorial booklet plus the clinic visit")
            heads = [{c.split()[-1].lower() for c in s.components} for s in sides]
            for k, (arm, side) in enumerate(zip(self.d.arms[before:], sides, strict=True)):
                arm.aliases += [f"{side.name} group", f"{side.name} arm", side.name]
                others = set().union(*(h for j, h in enumerate(heads) if j != k))
                arm.aliases += [f"{c.split()[-1]} group" for c in side.components
                                if len(c.split()) > 1 and c.split()[-1].lower() not in others]
            self.tag("arms-from-groups")
            return True
        return False

    def _comparators(self, arms: list) -> list:
        """Fill an arm named without a known drug ("CAPOX alone", "the same chemotherapy").

        It is the experimental arm's backbone: its drugs less the study drug the title names
        first.
        """
        named = [a for a in arms if a[1]]
        if not named or len(arms) < 2:
            return named
        first = named[0][1]
        title_drugs = [x.key for x in self.lex.find(self.paper.title) if x.kind == "drug"]
        study = [d for d in title_drugs[:1] if d in first] or first[:1]
        out = []
        for part, regimen, letter in arms:
            if not regimen:
                regimen = [d for d in first if d not in study and d != "placebo"]
                if not regimen:
                    continue
            out.append((part, regimen, letter))
        return out

    def _make_arms(self, arms: list, quote: str, part_texts: list[str],
                   offset: int | None = None, source: str | None = None) -> None:
        """Arms from (part, regimen, letter), with the dosing and size each part prints.

        ``source`` (at ``offset`` in the paper) is the sentence the parts come from.
        """
        all_drugs = [set(r) for _, r, _ in arms]
        for (_part, regimen, letter), part in zip(arms, part_texts, strict=True):
            others = set().union(*(s for s in all_drugs if s != set(regimen))) if \
                len(arms) > 1 else set()
            own = [r for r in regimen if r not in others] or regimen
            names = {**self.lex.entities.interventions, **self.lex.entities.drugs}
            label = " + ".join(names[r].label if r in names else r for r in regimen)
            aliases = []
            for r in own:
                e = names.get(r)
                aliases += [e.label, *e.synonyms] if e else [r]
            # the abbreviations the text defines for this arm's own components ("TAM")
            aliases += [abbr for abbr, parts in self.lex.local.items()
                        if {x.key for x in parts} <= set(own) or
                        {x.key for x in parts} == set(regimen)]
            if letter:
                aliases.append(f"arm {letter}")
                label = f"arm {letter}: {label}"
            if len(arms) == 2 and regimen is arms[-1][1]:  # the comparator is "the control group"
                aliases += ["control group", "control arm", "control"]
            key = "-".join(regimen)
            if sum(set(r) == set(regimen) for _, r, _ in arms) > 1 and dose_of(part):
                label += f" {dose_of(part)}"  # arms of one drug at two doses
                key += f"-{dose_of(part)}"
                aliases += [label, f"{label.split(' + ')[-1]}", str(dose_of(part))]
            arm = Arm(slug(key), label, regimen, quote, aliases)
            arm.dosing = self._dosing(part, regimen)
            if offset is not None and source is not None and part in source:
                # the arm's size where it is named: "(250 mg; n = 313)", "(386 women)",
                # "(Group A, 45 patients)"
                n = ARM_SIZE_RE.search(part)
                if n:
                    g = "n" if n.group("n") else "n2"
                    arm.size = (int(re.sub(r"\D", "", n.group(g))),
                                offset + source.index(part) + n.start(g))
            self.d.arms.append(arm)

    def _dosing(self, text: str, regimen: list[str]) -> list[dict]:
        out = []
        for drug in regimen:
            e = self.lex.entities.drugs.get(drug)
            if e is None:
                continue
            names = "|".join(re.escape(n) for n in (e.label, *e.synonyms))
            mt = re.search(rf"(?:{names})\s+(?P<dose>\d+(?:\.\d+)?)\s*mg(?!\s*/)\b"
                           rf"(?:\s+(?P<freq>once|twice)\s+daily)?", text, re.I)
            if mt:
                rec = {"intervention": drug, "dose": dec(mt.group("dose")), "unit": "mg"}
                if mt.group("freq"):
                    rec["daily_frequency"] = {"once": 1, "twice": 2}[mt.group("freq").lower()]
                out.append(rec)
        return out

    # ------------------------------------------------------------------ endpoints

    def endpoints(self) -> None:
        """The primary endpoint as stated."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            mt = re.search(r"primary (?:end ?point|endpoint|outcome|objective)s?\s+(?:was|were|"
                           r"is|included)\s+", text, re.I)
            if mt:
                named = [t for p, t in endpoint_mentions(text) if p >= mt.end()]
                if named:
                    eid = self.endpoint_id(named[0], quote_of(text), text[mt.end():])
                    self.d.endpoints[eid]["primary"] = True

    # ------------------------------------------------------------------ claims

    def claims(self) -> None:
        """The conclusion sentence as a conclusion claim about the study's drugs."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            if re.match(r"\s*(?:CONCLUSIONS?|Conclusions?|INTERPRETATION|Interpretation)\b",
                        text) or (i == len(self.spans) - 1 and not re.search(r"\d", text)):
                drugs = list(dict.fromkeys(x.key for x in self.lex.find(text) if
                                           x.kind == "drug"))
                if not drugs or re.search(r"\d", text):
                    continue
                # "A prolonged TTP but not PFS" is mixed, not a negated conclusion
                negated = bool(re.search(r"\b(?:not|no|failed|did not)\b", text, re.I)) and \
                    not re.search(r"\b(?:but|however|although|whereas|while)\b", text, re.I)
                self.d.claims.append({
                    "kind": "conclusion", "label": quote_of(text)[:120], "drugs": drugs,
                    "negated": negated, "quote": quote_of(re.sub(
                        r"^\s*(?:CONCLUSIONS?|Conclusions?|INTERPRETATION|Interpretation):?\s*",
                        "", text))})

    def run(self) -> Draft:
        """All passes, in the order later ones depend on."""
        self.design()
        self.arms()
        self.tag("arms-from-assignment")
        self.populations()
        self.tag("population-size")
        self.endpoints()
        self.tag("primary-endpoint")
        self.safety()
        self.tag("adverse-event")
        self.numbers()
        self.complements()
        if len(self.d.arms) == 1:  # one arm: every result is that arm's
            for r in self.d.results:
                if not r.get("arm"):
                    r["arm"] = self.d.arms[0].id
        self.tag("rate-or-count")
        self.analysed_sets()
        self.tag("analysed-set")
        self.claims()
        self.tag("conclusion-sentence")
        return self.d
