"""Arms a paper calls only "the study group" or "the intervention group", named by what they got.

Made-up papers of our own words in ``tests/fixtures/draft/``; the rule is
``kg/draft/genericarms.py``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg.draft.genericarms import generic_treatments
from kg.draft.unlinked import unlinked_names
from tests.test_draft_forms import addon_lexicon, drafted_and_built
from tests.test_draft_guards import study


def test_generic_groups_take_what_a_respectively_clause_gives_them(tmp_path: Path):
    s = drafted_and_built(tmp_path, "generic-respectively.txt")
    # a study group and a control group "were given ... Brandexa or Ovafin, respectively":
    # the study group is the Brandexa arm, the control group the Ovafin arm
    assert [(a.id, a.regimen) for a in s.arms] == [("brandexa", ("brandexa",)),
                                                   ("ovafin", ("ovafin",))]
    assert {(r.arm, r.value) for r in s.results if r.statistic == "proportion"} == {
        ("brandexa", Decimal("25.0")), ("ovafin", Decimal("18.8"))}
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {("brandexa", 32),
                                                                ("ovafin", 32)}


def test_the_one_generic_group_takes_the_treatment_the_title_tests(tmp_path: Path):
    s = drafted_and_built(tmp_path, "generic-title.txt")
    assert [(a.id, a.regimen) for a in s.arms] == [
        ("telephone-coaching", ("telephone-coaching",)), ("usual-care", ("usual-care",))]
    assert {(r.arm, r.value) for r in s.results if r.statistic == "proportion"} == {
        ("telephone-coaching", Decimal("81")), ("usual-care", Decimal("68"))}


def test_what_a_group_received_names_it_when_the_title_does_not():
    sentences = ["Patients were randomised to an intervention group or a control group.",
                 "The intervention group received the services of a dietitian for six months."]
    got = generic_treatments(sentences, "A randomised trial in breast cancer",
                             ["intervention", "control"])
    assert {n: g.name for n, g in got.items()} == {"intervention": "dietitian"}
    assert sentences[1][got["intervention"].start:].startswith("dietitian")
    # no such sentence and no title naming a treatment: nothing is guessed
    assert generic_treatments(sentences[:1], "A randomised trial", ["intervention", "control"]) \
        == {}


def test_an_endpoint_named_like_an_arm_keeps_its_results(tmp_path: Path):
    # the arm "sentinel-node" and the outcome "sentinel node" share an id; the endpoint is
    # renamed and its results follow it, never silently dropped as dangling
    s = study(tmp_path, "Title: t\n\nWe randomly assigned 300 women to biopsy and clearance (the "
              "clearance group) or to biopsy followed by clearance only when it held "
              "cancer (the sentinel-node group). A sentinel node was found positive in 40 "
              "of the 150 women in the clearance group (26.7 percent) and in 45 of the "
              "150 women in the sentinel-node group (30.0 percent).\n", add_names=True)
    assert "sentinel-node" in {a.id for a in s.arms}
    got = {(r.endpoint, r.arm, r.count, r.value) for r in s.results}
    assert got == {("sentinel-node-2", "clearance", 40, Decimal("26.7")),
                   ("sentinel-node-2", "sentinel-node", 45, Decimal("30.0"))}


def test_an_arm_is_called_by_a_synonym_and_its_abbreviation_with_non(tmp_path: Path):
    # "radiotherapy" in the methods, "the group given examplinib plus irradiation" in the
    # results: one treatment; "staged according to ..." is no assignment's "to"
    s = drafted_and_built(tmp_path, "group-given.txt")
    assert [(a.id, a.regimen) for a in s.arms] == [
        ("examplinib-radiotherapy", ("examplinib", "radiotherapy")),
        ("examplinib", ("examplinib",))]
    assert {(r.arm, r.value) for r in s.results} == {
        ("examplinib-radiotherapy", Decimal("3")), ("examplinib", Decimal("8"))}
    # "non-intravesical (non-IV) care": "the non-IV group" and "10% (non-IV)" are that arm
    s = drafted_and_built(tmp_path / "2", "non-abbreviation.txt")
    assert {(r.endpoint, r.arm, r.value) for r in s.results} == {
        ("symptoms-settled", "intravesical-instillation", Decimal("52")),
        ("symptoms-settled", "non-intravesical-care", Decimal("38")),
        ("local-irritation", "intravesical-instillation", Decimal("40")),
        ("local-irritation", "non-intravesical-care", Decimal("10"))}


def test_a_study_without_randomisation_has_the_arm_its_title_or_verbs_name(tmp_path: Path):
    # no one randomised: the one arm is what all patients underwent, and "30 of 40 patients
    # (75.0%)" of an outcome no endpoint type names is that arm's
    s = study(tmp_path, "Title: Examplinib for older patients with lung cancer\n\nWe followed "
              "40 patients in one centre. All patients underwent treatment with "
              "examplinib after two cycles of carboplatin. Skin dryness settled in 30 of "
              "40 patients (75.0%).\n")
    assert [(a.id, a.regimen) for a in s.arms] == [("examplinib", ("examplinib",))]
    assert {(r.arm, r.count, r.denominator, r.value) for r in s.results} == {
        ("examplinib", 30, 40, Decimal("75.0"))}
    # nothing but the title names it
    (tmp_path / "2").mkdir()
    s = study(tmp_path / "2", "Title: Examplinib for older patients with lung cancer\n\nWe "
              "followed 40 patients in one centre. Skin dryness settled in 30 of 40 patients "
              "(75.0%).\n")
    assert [(a.id, a.regimen) for a in s.arms] == [("examplinib", ("examplinib",))]


def test_a_title_side_is_named_before_what_it_is_for(tmp_path: Path):
    # "A for prophylaxis in ... surgery compared with B" (a title on the abstract's first line):
    # arms A and B, never "surgery"
    s = study(tmp_path, "Examplinib for infection prophylaxis in breast surgery compared with "
              "erlotinib. We studied one hundred women after surgery. Infections occurred "
              "in 5 (10%) of the 50 women in the examplinib group and in 9 (18%) of the "
              "50 women in the erlotinib group.\n", add_names=True)
    assert [a.id for a in s.arms] == ["examplinib", "erlotinib"]
    assert {(r.arm, r.count, r.denominator) for r in s.results} == {
        ("examplinib", 5, 50), ("erlotinib", 9, 50)}


def test_a_chemotherapy_named_by_its_base_is_a_treatment_of_its_own(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nTwo randomized studies compared platinum-based "
              "chemotherapy with no chemotherapy in 600 resected patients. Their 5-year "
              "overall survival rates were 80% and 72% for patients given or not given the "
              "drugs (P = .03).\n", add_names=True)
    assert [a.id for a in s.arms] == ["platinum-based-chemotherapy", "no-chemotherapy"]
    assert {(r.arm, r.value) for r in s.results} == {
        ("platinum-based-chemotherapy", Decimal("80")), ("no-chemotherapy", Decimal("72"))}


def test_radiotherapy_is_proposed_under_one_key_whatever_its_spelling():
    text = "Women were randomised to irradiation or not. Radiation therapy was given daily."
    got = {u.key: u for u in unlinked_names(text, 0, len(text), addon_lexicon())}
    # one entity for every paper, its printed spellings as synonyms: never two keys
    assert "irradiation" not in got and "radiation-therapy" not in got
    assert (got["radiotherapy"].label, got["radiotherapy"].synonyms) == (
        "radiotherapy", ("irradiation", "radiation therapy"))


def test_groups_a_paper_numbers_or_letters_are_arms(tmp_path: Path):
    # "either 4 (group 1) or 8 (group 2) cycles of A": two arms of one drug, told apart by group
    s = drafted_and_built(tmp_path, "numbered-groups.txt")
    assert [(a.id, a.regimen) for a in s.arms] == [("group-1", ("examplinib",)),
                                                   ("group-2", ("examplinib",))]
    assert {(r.arm, r.count, r.denominator, r.value) for r in s.results} == {
        ("group-1", 6, 30, Decimal("20")), ("group-2", 12, 30, Decimal("40"))}
    # "received A (group A), ... B (group B) and ... A plus B (group C)"; "in groups A, B and C"
    s = drafted_and_built(tmp_path / "2", "lettered-groups.txt")
    assert [a.regimen for a in s.arms] == [("examplinib",), ("erlotinib",),
                                           ("examplinib", "erlotinib")]
    assert [r.value for r in s.results] == [Decimal("20.0"), Decimal("23.3"), Decimal("40.0")]
    assert [r.arm for r in s.results] == [a.id for a in s.arms]
    assert {(p.kind, p.size) for p in s.populations if p.arm} == {("randomised", 30)}


def test_procedures_and_care_programmes_are_proposed_as_interventions():
    text = ("Women were randomised to early physiotherapy or routine wound care, and then to "
            "axillary node sampling or observation alone.")
    got = {u.key: u for u in unlinked_names(text, 0, len(text), addon_lexicon())}
    assert {"physiotherapy", "routine-wound-care", "axillary-node-sampling",
            "observation"} <= set(got)
    # a qualifier is no part of a name: "observation alone" is observation
    assert "observation-alone" not in got
    assert all(got[k].kind == "interventions" for k in ("physiotherapy", "observation"))
