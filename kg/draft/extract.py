"""Find candidate records in a paper's sentences: design, arms, populations, endpoints, numbers.

Plain patterns over sentences, each record quoting the sentence it comes from, so every number a
record carries is printed in its own quote by construction. Values are attributed to arms by the
arm named next to them ("8.7 months with adacotrexate"), by "respectively", or by the order in
which the methods list the arms (experimental first). The rules live in mixins: this module
(design, endpoints, claims), ``arms``, ``populations`` (with ``armsizes``), ``statistics`` (with
``attribution``), ``rates`` and ``safety``; ``patterns`` holds what they share.
"""

from __future__ import annotations

import re

from kg.draft.armlist import arm_list
from kg.draft.arms import Arms
from kg.draft.armsegments import ArmSegments
from kg.draft.counts import Counts
from kg.draft.genericarms import GenericArms
from kg.draft.lexicon import endpoint_mentions
from kg.draft.numberedgroups import NumberedGroups
from kg.draft.patterns import (
    PHASE_RE,
    RANDOM_RE,
    RATIO_RE,
    ROMAN,
    Arm,
    Draft,
    main_conditions,
    quote_of,
    slug,
)
from kg.draft.populations import Populations
from kg.draft.rates import Rates
from kg.draft.safety import Safety
from kg.draft.schedulearms import ScheduleArms
from kg.draft.singlearm import SingleArm
from kg.draft.statistics import Statistics

__all__ = ["Arm", "Draft", "Drafter", "arm_list", "quote_of", "slug"]




# words after which a treatment's name says when or how it is given ("MRI before biopsy")
LINKS = re.compile(r"(?i:before|after|preceding|following|with|without|for|of|to|at|by|via|"
                   r"using|during|plus|and|or|in)")
# words that qualify a treatment's name without naming it
QUALIFIERS = frozenset({"additional", "added", "adjunctive", "extra", "supplementary", "early",
                        "late", "immediate", "delayed", "intensive", "combined", "standard",
                        "conventional", "routine", "usual", "preoperative", "postoperative"})


class Drafter(Arms, ScheduleArms, SingleArm, GenericArms, NumberedGroups, Populations, Statistics,
              Rates, Counts, ArmSegments, Safety):
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

    def _surface_aliases(self) -> None:
        """An arm is also called by the words its quote uses for what only it gets.

        "with or without irradiation" forms an arm of radiation therapy; the results then say
        "the group given examplinib plus irradiation".
        """
        for arm in self.d.arms:
            others = {k for a in self.d.arms if a is not arm for k in a.regimen}
            arm.aliases += list(dict.fromkeys(
                arm.quote[x.start:x.end] for x in self.lex.find(arm.quote)
                if x.key in arm.regimen and x.key not in others and
                arm.quote[x.start:x.end] not in arm.aliases))

    def _more_aliases(self) -> None:
        """The other names results use for an arm, found from the arms and the text.

        An abbreviation printed after the arm's whole regimen ("gemcitabine plus docetaxel
        (GD)"); "no" and the other arm's name for a "no ..." arm ("no MRI" beside "MRI"); and a
        treatment of several words by its long first word ("for intratumoral injection") or,
        after a qualifier, by the rest ("additional MRI" is "MRI"), where no other arm's name
        holds it.
        """
        for mt in re.finditer(r"(?P<span>(?:[\w-]+\s+){1,6}?[\w-]+)\s*\((?P<a>(?-i:[A-Z]"
                              r"[A-Za-z0-9-]{0,7}))\)", self.paper.text):
            # "gemcitabine plus docetaxel (GD)": the abbreviation of an arm's whole regimen
            for start in (m.start() for m in re.finditer(r"\b\w", mt.group("span"))):
                keys = {x.key for x in self.lex.find(mt.group("span")[start:])}
                owners = [a for a in self.d.arms if set(a.regimen) == keys]
                if len(owners) == 1 and len(keys) > 1:
                    owners[0].aliases += [mt.group("a"), f"{mt.group('a')} group",
                                          f"{mt.group('a')} arm"]
                    break
        if len(self.d.arms) == 2:  # "no further imaging" is "no MRI" beside an MRI arm
            for arm, other in (self.d.arms, self.d.arms[::-1]):
                if re.match(r"(?:no|without)\s", arm.label, re.I) and not re.match(
                        r"(?:no|without)\s", other.label, re.I):
                    words = other.label.split()
                    if arm.label.lower() == f"no {other.label.lower()}":
                        # "boost dose" and "no boost dose": "boost" and "no boost" too
                        other.aliases += [" ".join(words[:k]) for k in range(1, len(words))
                                          if len(" ".join(words[:k])) >= 4]
                    # "no boost" beside a "boost dose" arm also called "boost"
                    arm.aliases += [f"no{sep}{a}" for a in (other.label, *other.aliases)
                                    for sep in (" ", "-") if not re.search(
                                        r"\b(?:group|arm)$", a) and len(a) >= 3]
        for arm in self.d.arms:
            words = arm.label.split()
            if len(words) < 2 or not words[0].isalpha() or self.lex.find(arm.label, ("drug",)):
                continue
            # "additional MRI" is "MRI", what is added being the arm's own; "additional MRI
            # before biopsy" too, the words after a link saying when or how
            rest = words[1:] if words[0].lower() in QUALIFIERS else words
            cut = next((i for i, w in enumerate(rest) if i and LINKS.fullmatch(w)), None)
            heads = [rest[0] if rest is words else " ".join(rest)]
            if cut:
                heads.append(" ".join(rest[:cut]))
            heads += [w for w in words if re.fullmatch(r"[A-Z]{2,6}", w)]  # "SLN biopsy"
            for head in dict.fromkeys(heads):
                if (len(head) >= 6 or head.isupper()) and head not in arm.aliases and not any(
                        head.lower() in a.label.lower() for a in self.d.arms if a is not arm):
                    arm.aliases.append(head)

    def _role_aliases(self) -> None:
        """What a two-arm paper calls its arms by their role ("the experimental arm").

        "The standard arm" too, and "the combination" beside "monotherapy" where one arm adds
        to the other. Only for the two arms of a trial whose comparator is known (it is "the
        control arm"), and never a name another arm has already.
        """
        if len(self.d.arms) != 2:
            return
        control = [a for a in self.d.arms if "control arm" in a.aliases]
        if len(control) != 1:
            return
        ref = control[0]
        new = next(a for a in self.d.arms if a is not ref)
        roles = [(new, ("experimental", "investigational", "intervention", "study"),
                  ("arm", "group")),
                 (ref, ("standard", "reference", "comparator"), ("arm", "group"))]
        if set(ref.regimen) < set(new.regimen):
            roles += [(new, ("combination", "combination therapy", "combined treatment"), ("", )),
                      (ref, ("monotherapy", "single-agent", "single agent"), ("", "arm", "group"))]
            # "56% without velbrinib": the arm that goes without what the other adds
            names = {**self.lex.entities.interventions, **self.lex.entities.drugs}
            added = [n for k in set(new.regimen) - set(ref.regimen) for n in (
                [names[k].label, *names[k].synonyms] if k in names else [k.replace("-", " ")])]
            roles.append((ref, tuple(f"{w} {n}" for w in ("without", "no") for n in added), ("",)))
        taken = {x.lower() for a in self.d.arms for x in a.aliases}
        for arm, words, kinds in roles:
            arm.aliases += [n for w in words for k in kinds
                            if (n := f"{w} {k}".strip()).lower() not in taken]

    def run(self) -> Draft:
        """All passes, in the order later ones depend on."""
        self.design()
        self.arms()
        self._name_generic_arms()
        self._surface_aliases()
        for arm in self.d.arms:  # "the no-chemotherapy group" names the "no chemotherapy" arm
            arm.aliases += [a.replace(" ", "-") for a in arm.aliases
                            if " " in a and len(a.split()) <= 3 and not re.search(
                                r"\b(?:group|arm)$", a)]
        self._more_aliases()
        self._role_aliases()
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
