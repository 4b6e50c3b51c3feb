"""`kg draft`: drafts propose the records a curator expects and always build.

They never carry a number their quote does not print, and attach a known trial to its study.

The fixture abstracts in ``fixtures/draft/`` were written for these tests (made-up drug
examplinib, invented numbers); they use the ``fixtures/addon`` entities.
"""

from __future__ import annotations

import shutil
import string
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import model as m
from kg.draft import DraftError, draft_paper
from kg.draft.armlist import arm_list
from kg.draft.lexicon import Lexicon
from kg.draft.patterns import slug
from kg.draft.reading import read_paper, sentences
from kg.sources.binding import check_numbers_quoted
from kg.sources.loader import load_corpus, load_evidence_file
from tests.conftest import FIXTURES

DRAFTS = FIXTURES / "draft"
DEVSET = Path(__file__).resolve().parents[1] / "benchmarks" / "draft" / "sources"


def sources_with(tmp: Path, entities_from: Path = FIXTURES / "addon") -> Path:
    root = tmp / "sources"
    (root / "texts").mkdir(parents=True)
    (root / "evidence").mkdir()
    for name in ("entities.yaml", "identifiers.yaml"):
        shutil.copy(entities_from / name, root / name)
    return root


def drafted_study(tmp_path: Path, paper: str, add_names: bool = False) -> m.Study:
    """The one study drafted from a fixture paper into fresh sources with the addon entities."""
    root = sources_with(tmp_path)
    (study,) = load_evidence_file(draft_paper(DRAFTS / paper, root, add_names=add_names)
                                  .evidence, []).studies
    return study


@pytest.fixture
def addon_draft(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "examplinib-addon-trial.txt", root)
    return root, report, load_evidence_file(report.evidence, [])


def test_draft_of_a_randomised_add_on_trial(addon_draft):
    _root, report, f = addon_draft
    assert report.text.read_bytes() == (DRAFTS / "examplinib-addon-trial.txt").read_bytes()
    (s,) = f.studies
    assert s.acronym == "EXAMPLE-3" and s.conditions == ("nsclc",)
    assert s.design.phases == ("3",) and s.design.randomised and s.design.blinding == \
        "double-blind" and s.design.allocation_ratio == "2:1"
    assert {frozenset(a.regimen) for a in s.arms} == {
        frozenset({"examplinib", "carboplatin", "paclitaxel"}),
        frozenset({"placebo", "carboplatin", "paclitaxel"})}
    assert sorted(p.size for p in s.populations if p.size) == [150, 300, 450]
    arm_of = {a.id: frozenset(a.regimen) for a in s.arms}
    medians = {(r.endpoint, "examplinib" in arm_of[r.arm], r.value) for r in s.results
               if r.statistic == "median"}
    assert medians == {("os", True, Decimal("12.4")), ("os", False, Decimal("10.1")),
                       ("pfs", True, Decimal("6.2")), ("pfs", False, Decimal("5.0"))}
    orr = {(r.count, r.denominator, r.value) for r in s.results if r.endpoint == "orr"}
    assert orr == {(96, 300, Decimal("32")), (33, 150, Decimal("22"))}
    hrs = {c.endpoint: (c.estimate, c.ci_low, c.ci_high, c.p_value, c.p_qualifier)
           for c in s.comparisons if c.measure == "hazard-ratio"}
    assert hrs == {"os": (Decimal("0.78"), Decimal("0.64"), Decimal("0.95"), Decimal("0.01"), "="),
                   "pfs": (Decimal("0.85"), Decimal("0.70"), Decimal("1.03"), Decimal("0.09"),
                           "=")}
    for c in s.comparisons:
        assert "examplinib" in arm_of[c.experimental] and "placebo" in arm_of[c.reference]
    assert next(e for e in s.endpoints if e.id == "os").primary


def test_a_drafted_file_builds_and_binds_every_number(addon_draft):
    root, report, f = addon_draft
    load_corpus(root)  # raises on any problem
    problems: list[str] = []
    check_numbers_quoted([f], problems)
    assert problems == []
    text = report.evidence.read_text()
    assert text.startswith("# DRAFT written by `kg draft`")
    assert "placed in any record" in text  # the numbers it could not place are listed


def test_draft_of_a_medline_single_arm_combination(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "examplinib-single-arm.txt", root, "single")
    f = load_evidence_file(report.evidence, [])
    assert f.document.authors == ("Writer, Ann",) and f.document.year == 2032
    (s,) = f.studies
    assert s.design.single_arm and s.design.phases == ("2",)
    (arm,) = s.arms
    assert set(arm.regimen) == {"examplinib", "erlotinib"}
    assert arm.dosing[0].dose == 100 and arm.dosing[0].daily_frequency == 2
    assert [p.size for p in s.populations] == [42]
    orr = next(r for r in s.results if r.endpoint == "orr")
    assert (orr.count, orr.denominator, orr.value, orr.ci_low, orr.ci_high) == (
        11, 42, Decimal("26"), Decimal("14"), Decimal("42"))


def test_a_second_report_of_a_known_trial_attaches_to_its_study(tmp_path: Path):
    root = sources_with(tmp_path)
    first = draft_paper(DRAFTS / "examplinib-addon-trial.txt", root, "first")
    second = draft_paper(DRAFTS / "examplinib-addon-trial.txt", root, "second")
    assert first.attached_to is None and second.attached_to == "first"
    corpus, _ = load_corpus(root)
    assert len(corpus.studies) == 1
    assert load_evidence_file(second.evidence, []).studies[0].extends == ("acronym", "EXAMPLE-3")


def test_header_fields_and_sentences():
    paper = read_paper((DRAFTS / "examplinib-addon-trial.txt").read_text())
    assert paper.fields["nct"] == "NCT09999901" and paper.fields["year"] == "2031"
    body = [paper.text[a:b] for a, b in sentences(paper)]
    assert "Results:" in body and body[-1].endswith("prolonged overall survival.")
    joined = read_paper("Title: x\n\nTen patients were enrolled.Median age was 61 years.")
    assert [joined.text[a:b] for a, b in sentences(joined)] == [
        "Ten patients were enrolled.", "Median age was 61 years."]


def test_drafting_errors_are_plain(tmp_path: Path):
    root = sources_with(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    with pytest.raises(DraftError, match="empty"):
        draft_paper(empty, root)
    draft_paper(DRAFTS / "examplinib-single-arm.txt", root, "once")
    draft_paper(DRAFTS / "examplinib-single-arm.txt", root, "once")  # again: an update
    proc = subprocess.run([sys.executable, "-m", "kg", "draft", str(tmp_path / "missing.txt"),
                           "--sources", str(root)], capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "cannot read" in proc.stderr


def test_the_drafter_knows_no_drug_but_the_entity_files(tmp_path: Path):
    # the same sentence drafted against a sources folder that does not know examplinib
    root = sources_with(tmp_path, FIXTURES / "mini")
    (root / "entities.yaml").write_text("drugs:\n  otherinib: {label: otherinib}\n")
    paper = tmp_path / "p.txt"
    paper.write_text("Title: t\n\nForty patients received otherinib. Median overall survival was "
                     "7.1 months.\n")
    f = load_evidence_file(draft_paper(paper, root).evidence, [])
    assert [a.regimen for a in f.studies[0].arms] == [("otherinib",)]


WORDS = ["patients", "randomly", "assigned", "to", "or", "placebo", "examplinib", "median",
         "overall", "survival", "was", "months", "HR", "95%", "CI", "P", "=", "(", ")", ";",
         "versus", "of", "with", "n", "carboplatin", "responses", "occurred", "in", ".", ",",
         "phase", "3", "1:1", "arm", "A", "B", "respectively", "%", "/"]
TOKENS = st.one_of(st.sampled_from(WORDS), st.decimals(0, 500, places=2).map(str),
                   st.text(string.ascii_letters + string.digits + " .,;:()%=-/<", max_size=6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(TOKENS, min_size=1, max_size=80))
def test_any_text_drafts_into_a_file_that_builds_or_fails_plainly(tmp_path_factory, tokens):
    root = sources_with(tmp_path_factory.mktemp("fuzz"))
    paper = root.parent / "paper.txt"
    paper.write_text("Title: made-up\n\n" + " ".join(map(str, tokens)) + "\n")
    try:
        draft_paper(paper, root, "fuzz")
    except DraftError:
        assert not (root / "evidence" / "fuzz.yaml").exists()  # nothing half-written is left
        return
    load_corpus(root)


def test_every_development_abstract_drafts_into_a_file_that_builds(tmp_path: Path):
    texts = sorted((DEVSET / "texts").glob("*.txt"))
    assert len(texts) >= 25
    root = sources_with(tmp_path, DEVSET)
    for text in texts:
        draft_paper(text, root, text.stem)
    corpus, _ = load_corpus(root)
    assert len(corpus.files) == len(texts)


def test_every_drafted_record_names_its_rule_and_the_graph_keeps_it_apart(tmp_path: Path):
    from rdflib import Literal

    from kg.assemble import build
    from kg.vocab import KG

    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "examplinib-addon-trial.txt", root)
    f = load_evidence_file(report.evidence, [])
    (s,) = f.studies
    records = [s, *s.arms, *s.populations, *s.endpoints, *s.results, *s.comparisons, *f.claims]
    assert all(r.drafted for r in records), [r.id for r in records if not r.drafted]
    assert {r.drafted for r in s.comparisons} == {"effect-estimate", "p-value-beside-values"}
    result = build(root)
    g = result.union()
    drafted = set(g.subjects(KG.agentType, KG.TextMiningAgent))
    assert len(drafted) == len(records) == result.report.counts["drafted statements"]
    assert result.report.counts["reviewed statements"] == 0
    assert all(g.value(n, KG.draftRule) is not None for n in drafted)
    hr = next(c for c in s.comparisons if c.estimate is not None)
    assert Literal(hr.drafted) in {g.value(n, KG.draftRule) for n in drafted}


def test_reviewing_a_record_is_deleting_its_drafted_field(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "examplinib-addon-trial.txt", root)
    check = [sys.executable, "-m", "kg", "draft", "--check", str(report.evidence)]
    before = subprocess.run(check, capture_output=True, text=True)
    assert before.returncode == 3, before.stderr
    listed = [ln for ln in before.stdout.splitlines() if "not reviewed" in ln and ":" in ln]
    assert len(listed) == report.records  # the study, its records and the claim: all drafted
    text = report.evidence.read_text()
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines) if "drafted:" in ln and "- {" in ln)
    lines[first] = lines[first].replace(", drafted: " + lines[first].split("drafted: ")[1],
                                        "}")
    report.evidence.write_text("\n".join(lines) + "\n")
    after = subprocess.run(check, capture_output=True, text=True)
    assert len([ln for ln in after.stdout.splitlines() if "not reviewed" in ln and ":" in ln]
               ) == len(listed) - 1
    from kg.assemble import build
    from kg.vocab import KG
    g = build(root).union()
    assert len(set(g.subjects(KG.agentType, KG.ManualAgent))) == 1  # the reviewed record
    cleaned = "\n".join(ln.split(", drafted: ")[0] + ("}" if ", drafted: " in ln else "")
                        if "- {" in ln else ln for ln in lines
                        if not ln.strip().startswith("drafted:")) + "\n"
    report.evidence.write_text(cleaned)
    done = subprocess.run(check, capture_output=True, text=True)
    assert done.returncode == 0 and "every record reviewed" in done.stdout
    bad = subprocess.run([*check[:-1], str(tmp_path / "none.yaml")], capture_output=True,
                         text=True)
    assert bad.returncode == 1 and "cannot read" in bad.stderr and "Traceback" not in bad.stderr


def test_names_the_entity_file_lacks_are_proposed_not_invented(tmp_path: Path):
    root = sources_with(tmp_path, FIXTURES / "mini")
    (root / "entities.yaml").write_text("drugs:\n  otherinib: {label: otherinib}\n")
    paper = tmp_path / "p.txt"
    paper.write_text("Title: t\n\nForty patients with advanced HER2-negative gastric "
                     "adenocarcinoma received otherinib 200 mg daily with newmeltinib and "
                     "QX-4410. Median overall survival was 7.1 months.\n")
    report = draft_paper(paper, root)
    assert report.unlinked == ["disease gastric adenocarcinoma", "drug newmeltinib",
                               "drug QX-4410"]
    text = report.evidence.read_text()
    head = text[:text.index("\ndocument:")]
    assert "#     newmeltinib: {label: newmeltinib}    # p.txt:3" in head
    assert "#     gastric-adenocarcinoma: {label: gastric adenocarcinoma}" in head
    assert "identifiers" not in head.split("Names not in entities.yaml")[1].split("\n#   ")[1]
    f = load_evidence_file(report.evidence, [])
    assert [a.regimen for a in f.studies[0].arms] == [("otherinib",)]  # nothing unknown linked


def test_cohorts_their_sizes_respectively_and_a_prognostic_marker(tmp_path: Path):
    root = sources_with(tmp_path)
    entities = root / "entities.yaml"
    entities.write_text(entities.read_text().replace(
        "biomarkers:", "  nonsquamous-nsclc: {label: non-squamous non-small cell lung cancer, "
        "subtype_of: [nsclc]}\nbiomarkers:"))
    f = load_evidence_file(draft_paper(DRAFTS / "examplinib-cohorts.txt", root).evidence, [])
    (s,) = f.studies
    (arm,) = s.arms
    assert arm.regimen == ("examplinib",)  # erlotinib was earlier treatment, not the arm's
    pops = {p.id: p for p in s.populations}
    squamous = next(p for p in s.populations if p.histology == "squamous-nsclc")
    assert squamous.size == 35 and pops[squamous.parent].size == 60
    pfs = {r.population: r.value for r in s.results if r.endpoint == "pfs"}
    assert pfs[squamous.id] == Decimal("5.1")  # "5.1 and 3.9 months, respectively"
    orr = next(r for r in s.results if r.endpoint == "orr" and r.population == squamous.id)
    assert (orr.count, orr.denominator, orr.value) == (7, 35, Decimal("20.0"))
    (hr,) = [c for c in s.comparisons if c.estimate is not None]
    assert hr.kind == "prognostic" and hr.estimate == Decimal("1.84")
    first, second = (pops[g] for g in hr.groups)
    assert (first.biomarker, first.biomarker_status) == ("kras-mutation", "mutated")
    assert (second.biomarker, second.biomarker_status) == ("kras-mutation", "wild type")
    assert second.complement_of == (first.id,)


def test_arm_sizes_in_prose_the_control_group_and_treated_sets(tmp_path: Path):
    f = load_evidence_file(draft_paper(DRAFTS / "examplinib-control.txt",
                                       sources_with(tmp_path)).evidence, [])
    (s,) = f.studies
    arm = {a.id: a for a in s.arms}
    sizes = {tuple(arm[p.arm].regimen): p.size for p in s.populations
             if p.arm and p.kind == "randomised"}
    assert sizes == {("examplinib",): 200, ("carboplatin",): 100}
    orr = {tuple(arm[r.arm].regimen): r for r in s.results if r.endpoint == "orr"}
    assert (orr[("examplinib",)].count, orr[("examplinib",)].denominator) == (52, 196)
    treated = next(p for p in s.populations if p.id == orr[("carboplatin",)].population)
    assert treated.kind == "analysed" and treated.size == 97  # not the 100 assigned
    os_ = {tuple(arm[r.arm].regimen): r.value for r in s.results if r.endpoint == "os"}
    assert os_ == {("examplinib",): Decimal("10.2"), ("carboplatin",): Decimal("8.1")}
    hrs = [c for c in s.comparisons if c.estimate is not None]
    assert len(hrs) == 1 and (hrs[0].ci_low, hrs[0].p_value) == (Decimal("0.60"),
                                                                 Decimal("0.03"))


def test_every_statement_with_evidence_says_who_made_it(graph):
    from kg.vocab import KG

    stated = set(graph.subjects(KG.hasEvidence, None))
    assert stated
    unsaid = [s for s in stated if graph.value(s, KG.agentType) not in (KG.ManualAgent,
                                                                         KG.TextMiningAgent)]
    assert unsaid == []


def test_a_trial_named_only_in_a_background_clause_is_not_this_papers_trial(tmp_path: Path):
    root = sources_with(tmp_path)
    known = draft_paper(DRAFTS / "examplinib-addon-trial.txt", root, "known")
    before = known.evidence.read_bytes()
    report = draft_paper(DRAFTS / "examplinib-background-trial.txt", root, "other")
    assert report.attached_to is None
    text = report.evidence.read_text()
    assert "EXAMPLE-3 (known) is named only as background" in text
    f = load_evidence_file(report.evidence, [])
    (s,) = f.studies
    assert s.extends is None and s.id == "other" and s.acronym is None
    assert {frozenset(a.regimen) for a in s.arms} == {frozenset({"examplinib", "erlotinib"}),
                                                      frozenset({"erlotinib"})}
    assert sorted(p.size for p in s.populations if p.arm) == [48, 48]
    corpus, _ = load_corpus(root)  # both build; the reviewed study is untouched
    assert known.evidence.read_bytes() == before
    assert len(corpus.studies["known"].arms) == 2 and len(corpus.studies) == 2
    arm_of = {a.id: frozenset(a.regimen) for a in s.arms}
    rash = next(e for e in s.endpoints if e.type == "other")  # not an endpoint type
    assert rash.name == "Hoarseness"
    assert {("examplinib" in arm_of[r.arm], r.value) for r in s.results
            if r.endpoint == rash.id} == {(True, Decimal("15")), (False, Decimal("2"))}
    rash = {("examplinib" in arm_of[r.arm], r.event, r.grade, r.percent)
            for r in s.adverse_events}
    assert rash == {(True, "rash", "3", Decimal("21")), (False, "rash", "3", Decimal("8"))}


def test_a_restated_arm_is_the_reviewed_one_and_a_differing_part_gets_a_new_id(tmp_path: Path):
    root = sources_with(tmp_path)
    first = draft_paper(DRAFTS / "examplinib-addon-trial.txt", root, "first")
    reviewed = first.evidence.read_bytes()
    second = draft_paper(DRAFTS / "examplinib-addon-trial.txt", root, "second")
    f = load_evidence_file(second.evidence, [])
    known = load_evidence_file(first.evidence, []).studies[0]
    assert {a.id for a in f.studies[0].arms} == {a.id for a in known.arms}  # restated as is
    # a later report printing another total: its randomised set is drafted under a new id
    paper = tmp_path / "update.txt"
    paper.write_text((DRAFTS / "examplinib-addon-trial.txt").read_text().replace(
        "A total of 450 patients", "A total of 452 patients"))
    third = draft_paper(paper, root, "third")
    pops = {p.id: p.size for p in load_evidence_file(third.evidence, []).studies[0].populations}
    assert pops.get("randomised-draft") == 452 and "randomised" not in pops
    assert first.evidence.read_bytes() == reviewed  # the reviewed study is untouched
    corpus, _ = load_corpus(root)
    (study,) = corpus.studies.values()
    assert len(study.arms) == 2 and {r.arm for r in study.results if r.arm} <= {
        a.id for a in study.arms}


def test_drafting_again_keeps_what_a_curator_reviewed(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "examplinib-background-trial.txt", root, "again")
    lines = report.evidence.read_text().splitlines()
    k = next(i for i, ln in enumerate(lines) if "value: 4.1" in ln)
    reviewed = lines[k].replace(", drafted: median-per-arm", "")
    assert reviewed != lines[k]
    lines[k] = reviewed
    report.evidence.write_text("\n".join(lines) + "\n")
    entities = root / "entities.yaml"
    entities.write_text(entities.read_text().replace(
        "  erlotinib: {label: erlotinib}", "  erlotinib: {label: erlotinib}\n"
        "  docetaxel: {label: docetaxel}"))
    again = draft_paper(DRAFTS / "examplinib-background-trial.txt", root, "again")
    assert reviewed in again.evidence.read_text().splitlines()
    f = load_evidence_file(again.evidence, [])
    kept = [r for r in f.studies[0].results if r.value == Decimal("4.1")]
    assert len(kept) == 1 and kept[0].drafted == ""
    load_corpus(root)
    # a reviewed record the loader rejects is never dropped: drafting stops, the file stays
    broken = again.evidence.read_text().replace(reviewed, reviewed.replace("}", ", colour: red}"))
    again.evidence.write_text(broken)
    with pytest.raises(DraftError, match="reviewed record"):
        draft_paper(DRAFTS / "examplinib-background-trial.txt", root, "again")
    assert again.evidence.read_text() == broken


def test_a_changed_text_under_the_same_id_is_refused_and_nothing_is_lost(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "examplinib-single-arm.txt", root, "once")
    before = report.evidence.read_bytes()
    with pytest.raises(DraftError, match="exists with another text"):
        draft_paper(DRAFTS / "examplinib-cohorts.txt", root, "once")
    assert report.evidence.read_bytes() == before


def test_an_abbreviation_the_title_defines_is_no_trial_acronym(tmp_path: Path):
    root = sources_with(tmp_path)
    paper = tmp_path / "abbr.txt"
    paper.write_text("Title: Examplinib with carboplatin and paclitaxel (CP) versus CP alone in "
                     "non-small cell lung cancer\n\nForty patients were randomly assigned to "
                     "examplinib plus carboplatin and paclitaxel or carboplatin and paclitaxel."
                     "\n")
    f = load_evidence_file(draft_paper(paper, root).evidence, [])
    assert f.studies[0].acronym is None


def made_up_lexicon(*non_drugs: str) -> Lexicon:
    """Three made-up drugs, and non-drug interventions named as given, as a drafting lexicon."""
    return Lexicon(m.Entities(
        {k: m.Drug(k, k, (), (), None) for k in ("alphamab", "betanib", "gammide")},
        {}, {}, {}, {}, {},
        {slug(n): m.NonDrugIntervention(slug(n), n, (), None) for n in non_drugs}))


def test_arms_from_a_list_with_bracketed_doses_and_sizes():
    lex = made_up_lexicon()
    found = arm_list("Patients were randomly assigned to receive either alphamab (10 mg/kg, every "
                     "3 weeks; n = 120) or betanib plus gammide (50 mg, orally; n = 118).", lex)
    assert [r for _, r in found] == [["alphamab"], ["betanib", "gammide"]]
    assert found[0][0].endswith("n = 120)") and "n = 118" in found[1][0]
    assert [r for _, r in arm_list("Alphamab versus betanib as first-line therapy", lex)] == [
        ["alphamab"], ["betanib"]]
    assert arm_list("alphamab was given with or without food", lex) == []


def test_real_drug_names_are_proposed_with_unverified_candidate_ids(tmp_path: Path):
    from kg.draft.druglex import lexicon
    if not lexicon():
        pytest.fail("the drug lexicon package is a pinned dependency and must be installed")
    root = sources_with(tmp_path)
    paper = tmp_path / "p.txt"
    paper.write_text("Title: t\n\nSixty patients were randomly assigned to docetaxel or "
                     "examplinib. Median overall survival was 7.1 versus 6.0 months.\n")
    report = draft_paper(paper, root)
    head = report.evidence.read_text().split("\ndocument:")[0]
    line = next(ln for ln in head.splitlines() if ln.startswith("#     docetaxel:"))
    assert "{label: docetaxel}" in line and "candidate DRUGBANK:DB01248 (unverified)" in line
    assert "identifiers" not in line
    assert "drug docetaxel" in report.unlinked


def test_arms_of_non_drug_interventions_sizes_in_words_and_counts_beside_percentages(
        tmp_path: Path):
    root = sources_with(tmp_path)
    paper = DRAFTS / "exercise-usual-care.txt"
    first = draft_paper(paper, root, "ex")
    head = first.evidence.read_text().split("\ndocument:")[0]
    assert "#   interventions:" in head
    assert "#     usual-care: {label: usual care}" in head
    assert load_evidence_file(first.evidence, []).studies[0].arms == ()  # nothing unknown linked
    entities = root / "entities.yaml"
    entities.write_text(entities.read_text() + "\ninterventions:\n  exercise: {label: supervised "
                        "exercise programme, synonyms: [exercise]}\n  usual-care: {label: usual "
                        "care}\n")
    f = load_evidence_file(draft_paper(paper, root, "ex").evidence, [])
    (s,) = f.studies
    assert [a.regimen for a in s.arms] == [("exercise",), ("usual-care",)]
    assert {(p.arm, p.size) for p in s.populations} == {(None, 80), ("exercise", 41),
                                                         ("usual-care", 39)}
    fatigue = {(r.arm, r.count, r.value) for r in s.results if r.endpoint == "toxicity"}
    assert fatigue == {("exercise", 9, Decimal("22")), ("usual-care", 17, Decimal("44"))}
    corpus, _ = load_corpus(root)
    assert set(corpus.entities.interventions) == {"exercise", "usual-care"}


def test_a_non_drug_intervention_is_no_drug_in_the_graph(tmp_path: Path):
    from rdflib import RDF, Dataset

    from kg.vocab import KG
    root = sources_with(tmp_path)
    (root / "entities.yaml").write_text((root / "entities.yaml").read_text() + (
        "\ninterventions:\n  exercise: {label: supervised exercise programme, synonyms: "
        "[exercise]}\n  usual-care: {label: usual care}\n"))
    draft_paper(DRAFTS / "exercise-usual-care.txt", root, "ex")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", "--sources", str(root), "--out",
                           str(out), "--no-html"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    g = Dataset()
    g.parse(out / "graph.trig", format="trig")
    def typed(cls):
        return {q[0] for q in g.quads((None, RDF.type, cls, None))}

    nodes = typed(KG.NonDrugIntervention)
    assert len(nodes) == 2 and not typed(KG.Drug) & nodes
    components = {q[2] for q in g.quads((None, KG.hasComponent, None, None))}
    assert nodes <= components  # the arms' regimens are made of them
    assert not any("exercise" in str(q[0]) for q in g.quads((None, RDF.type,
                                                             KG.DrugIndicationEvidence, None)))


def test_safety_sentences_are_drafted_as_adverse_events_of_the_right_arm(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "examplinib-safety.txt", root, "sf")
    (s,) = load_evidence_file(report.evidence, []).studies
    combo = next(a.id for a in s.arms if set(a.regimen) == {"examplinib", "erlotinib"})
    alone = next(a.id for a in s.arms if a.regimen == ("erlotinib",))
    got = {(r.kind, r.event, r.grade, r.arm, r.count, r.denominator, r.percent)
           for r in s.adverse_events}
    assert got == {
        ("adverse-event", "diarrhoea", "3-4", combo, 9, 60, None),  # "9 of 60 patients given"
        ("adverse-event", "neutropenia", "3-4", combo, None, None, Decimal("12")),  # "12% versus
        ("adverse-event", "neutropenia", "3-4", alone, None, None, Decimal("3")),  # 3%"
        ("adverse-event", "rash", "any", combo, None, None, Decimal("44")),  # a list "X (44%)"
        ("adverse-event", "fatigue", "any", combo, None, None, Decimal("31")),
        ("adverse-event", "nausea", "any", combo, None, None, Decimal("23")),
        ("dose-reduction", None, None, combo, None, None, Decimal("38"))}
    assert not [r for r in s.results if r.endpoint == "toxicity"]  # not twice
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {(combo, 60), (alone, 58)}
    load_corpus(root)


def test_the_drafting_walkthrough_of_the_manual(tmp_path: Path):
    """docs/drafting.md's steps: a paper of unknown drugs, drafted, names added, built."""
    root = tmp_path / "scratch"
    shutil.copytree(Path(__file__).resolve().parents[1] / "kg" / "sources", root)
    paper = DRAFTS / "capecitabine-docetaxel.txt"

    def kg(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True,
                              text=True)

    first = kg("draft", str(paper), "--sources", str(root))
    assert first.returncode == 0, first.stderr
    assert "proposed at the top of the draft: disease breast cancer, drug capecitabine, drug " \
           "docetaxel" in first.stdout
    evidence = root / "evidence" / "capecitabine-docetaxel.yaml"
    assert "candidate DRUGBANK:DB01101 (unverified)" in evidence.read_text()
    before = (root / "entities.yaml").read_text()
    second = kg("draft", str(paper), "--sources", str(root), "--add-names")
    assert second.returncode == 0, second.stderr
    assert "added 3 name(s) to entities.yaml" in second.stdout
    after = (root / "entities.yaml").read_text()
    assert after.startswith(before[:200]) and "identifiers: capecitabine" not in after
    (s,) = load_evidence_file(evidence, []).studies
    assert sorted(a.regimen for a in s.arms) == [("capecitabine",), ("docetaxel",)]
    assert sorted((p.arm or "", p.size) for p in s.populations) == [
        ("", 146), ("capecitabine", 73), ("docetaxel", 73)]
    medians = {(r.arm, r.value) for r in s.results if r.endpoint == "ttp"}
    assert medians == {("capecitabine", Decimal("6.1")), ("docetaxel", Decimal("5.4"))}
    assert {(r.event, r.grade, r.arm, r.percent) for r in s.adverse_events} == {
        ("neutropenia", "3-4", "capecitabine", Decimal("4")),
        ("neutropenia", "3-4", "docetaxel", Decimal("52")),
        ("hand-foot syndrome", "3", "capecitabine", Decimal("18")),
        ("hand-foot syndrome", "3", "docetaxel", Decimal("1"))}
    assert kg("draft", "--check", str(evidence)).returncode == 3
    built = kg("build", "--sources", str(root), "--out", str(tmp_path / "out"), "--no-html")
    assert built.returncode == 0, built.stderr


def test_endpoints_per_clause_shared_backbones_subgroups_and_mixed_conclusions(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "examplinib-forms.txt", root, "fm")
    f = load_evidence_file(report.evidence, [])
    (s,) = f.studies
    # a control "placebo plus carboplatin and paclitaxel" keeps its backbone; a drug named in
    # eligibility ("prior erlotinib was allowed") joins no arm
    assert {frozenset(a.regimen) for a in s.arms} == {
        frozenset({"examplinib", "carboplatin", "paclitaxel"}),
        frozenset({"placebo", "carboplatin", "paclitaxel"})}
    test = next(a.id for a in s.arms if "examplinib" in a.regimen)
    medians = {(r.endpoint, r.arm == test, r.value) for r in s.results if r.statistic == "median"}
    assert medians == {  # "PFS (7·1 v 6·2 months; HR ...) and TTP (7·4 v 6·0 months; HR ...)"
        ("pfs", True, Decimal("7.1")), ("pfs", False, Decimal("6.2")),
        ("ttp", True, Decimal("7.4")), ("ttp", False, Decimal("6.0")),
        ("ttr", True, Decimal("1.4")), ("ttr", False, Decimal("2.8"))}  # a time, not a rate
    hrs = {(c.endpoint, c.estimate, c.population) for c in s.comparisons}
    sub = next(p.id for p in s.populations if p.biomarker == "kras-mutation")
    assert hrs == {("pfs", Decimal("0.86"), "randomised"), ("ttp", Decimal("0.77"), "randomised"),
                   ("os", Decimal("0.52"), sub)}  # the subgroup's HR stays in its subgroup
    assert next(p.size for p in s.populations if p.id == sub) == 48
    (claim,) = f.claims
    assert claim.negated is False  # "prolonged TTP but not PFS" is mixed, not "no benefit"
    load_corpus(root)


def test_event_counts_named_with_their_arms(tmp_path: Path):
    root = sources_with(tmp_path)
    paper = tmp_path / "counts.txt"
    paper.write_text("Title: Examplinib versus erlotinib in lung cancer\n\nPatients were "
                     "randomly assigned to examplinib (n = 120) or erlotinib (n = 118). After a "
                     "median follow-up of 40 months, 93 deaths occurred in the examplinib group "
                     "and 106 in the erlotinib group. Brain metastases developed in 12 patients "
                     "on examplinib and 21 on erlotinib.\n")
    (s,) = load_evidence_file(draft_paper(paper, root).evidence, []).studies
    counts = {(r.endpoint, r.arm, r.count) for r in s.results if r.statistic == "count"}
    assert counts == {("os", "examplinib", 93), ("os", "erlotinib", 106),
                      ("brain-metastases", "examplinib", 12),
                      ("brain-metastases", "erlotinib", 21)}
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {("examplinib", 120),
                                                                ("erlotinib", 118)}
    load_corpus(root)


def test_a_regimen_abbreviation_defined_after_it_and_a_no_treatment_arm(tmp_path: Path):
    text = ("Patients were randomised to alphamab or BG (betanib/gammide) for six cycles, and "
            "later to betanib or no chemotherapy.")
    lex = made_up_lexicon("no chemotherapy").with_abbreviations(text)
    assert [x.key for x in lex.local["BG"]] == ["betanib", "gammide"]
    first, second = text.split(", and ")
    assert [r for _, r in arm_list(first, lex)] == [["alphamab"], ["betanib", "gammide"]]
    assert [r for _, r in arm_list(second, lex)] == [["betanib"], ["no-chemotherapy"]]
    root = sources_with(tmp_path, FIXTURES / "mini")
    (root / "entities.yaml").write_text("drugs:\n  alphamab: {label: alphamab}\n")
    paper = tmp_path / "p.txt"
    paper.write_text("Title: t\n\nWomen were randomly assigned to alphamab or no chemotherapy.\n")
    head = draft_paper(paper, root).evidence.read_text().split("\ndocument:")[0]
    assert "#     no-chemotherapy: {label: no chemotherapy}" in head


def test_arms_named_by_their_groups_are_proposed_as_unclassified_treatments(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "group-arms.txt", root, add_names=True)
    entities = (root / "entities.yaml").read_text()
    assert "stair-climbing: {label: stair-climbing, kind: unclassified}" in entities
    assert "control: {label: control, kind: unclassified}" in entities
    (s,) = load_evidence_file(report.evidence, []).studies
    assert sorted(a.regimen for a in s.arms) == [("control",), ("stair-climbing",)]
    sizes = {p.arm: p.size for p in s.populations if p.arm}
    assert sizes == {"stair-climbing": 42, "control": 40}
    rates = {(r.endpoint, r.arm, r.value) for r in s.results if r.unit == "percent"}
    assert rates == {("sleep-quality", "stair-climbing", Decimal("55")),
                     ("sleep-quality", "control", Decimal("30")),
                     # each value takes the arm its clause opens with
                     ("orr", "stair-climbing", Decimal("14")), ("orr", "control", Decimal("9"))}
    medians = {(r.arm, r.value) for r in s.results if r.statistic == "median"}
    assert medians == {("stair-climbing", Decimal("8.5")), ("control", Decimal("11.0"))}
    corpus, _ = load_corpus(root)
    assert corpus.entities.interventions["control"].unclassified
    # the lexicon never reads "control" as that treatment in other sentences
    assert not Lexicon(corpus.entities).find("local control of the disease")


def test_a_group_named_with_a_shared_component_and_sizes_in_words(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "booklet-arms.txt", root, add_names=True)
    (s,) = load_evidence_file(report.evidence, []).studies
    assert sorted(a.regimen for a in s.arms) == [("clinic-visit",),
                                                ("pictorial-booklet", "clinic-visit")]
    assert sorted(p.size for p in s.populations) == [47, 49, 96]
    booklet = next(a.id for a in s.arms if len(a.regimen) == 2)
    visit = next(a.id for a in s.arms if len(a.regimen) == 1)
    counts = {(r.endpoint, r.arm, r.count, r.denominator, r.value) for r in s.results
              if r.count is not None}
    assert counts == {("satisfaction", booklet, 41, None, Decimal("84")),
                      ("satisfaction", visit, 29, None, Decimal("62")),
                      # an outcome no endpoint type names, named once for both arms
                      ("second-visit", booklet, 3, 49, Decimal("6")),
                      ("second-visit", visit, 5, 47, Decimal("11"))}


def test_an_assignment_that_names_no_groups_gives_no_arms():
    from kg.draft.grouparms import group_sides
    for sentence in ("Patients were randomly assigned to balance for age and centre.",
                     "We did a randomised study to compare the results of 3 or 6 cycles.",
                     "Patients were randomized to undergo (10 women) or not undergo (10) it.",
                     "Women were randomly divided into two groups."):
        assert group_sides(sentence) == [], sentence
    sides = group_sides("Women were randomised to the study group and the control group.")
    assert [s.name for s in sides] == ["study", "control"] or sides == []


def test_arm_sizes_stated_without_a_total(tmp_path: Path):
    s = drafted_study(tmp_path, "sizes-without-total.txt")
    arm_of = {a.id: a.regimen for a in s.arms}
    sizes = {arm_of[p.arm]: p.size for p in s.populations if p.arm}
    assert sizes == {("examplinib",): 158, ("erlotinib",): 152}
    whole = [p for p in s.populations if not p.arm and not p.parent]
    assert [p.size for p in whole] == [None]  # no total is printed, none is invented


def test_an_arm_that_goes_without_and_a_bracket_inside_the_assignment(tmp_path: Path):
    s = drafted_study(tmp_path, "or-not.txt", add_names=True)
    regimens = {a.id: a.regimen for a in s.arms}
    assert regimens == {"whole-breast-radiotherapy": ("whole-breast-radiotherapy",),
                        "no-whole-breast-radiotherapy": ("no-whole-breast-radiotherapy",)}
    assert {p.arm: p.size for p in s.populations if p.arm} == {
        "whole-breast-radiotherapy": 104, "no-whole-breast-radiotherapy": 106}
    rates = {(r.arm, r.value) for r in s.results}
    assert rates == {("whole-breast-radiotherapy", Decimal("4")),
                     ("no-whole-breast-radiotherapy", Decimal("11"))}
    from kg.draft.grouparms import group_sides
    sides = group_sides("Patients were randomly assigned to oral examplinib (30 mg daily; n = "
                        "421) or no additional treatment (n = 408) after surgery.")
    assert [s.name for s in sides] == ["oral examplinib", "no additional treatment"]


def test_values_take_the_arm_named_right_before_them(tmp_path: Path):
    s = drafted_study(tmp_path, "arm-before-value.txt")
    arm_of = {a.id: a.regimen[0] for a in s.arms}
    got = {(r.endpoint, arm_of[r.arm], r.value) for r in s.results}
    assert got == {("orr", "examplinib", Decimal("31")), ("orr", "erlotinib", Decimal("17")),
                   ("rr", "examplinib", Decimal("24")), ("rr", "erlotinib", Decimal("20")),
                   ("pfs", "examplinib", Decimal("7.9")), ("pfs", "erlotinib", Decimal("5.1"))}


def test_survival_rates_without_a_time_point_and_an_outcome_named_after_its_arm(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "rates-without-time.txt", root, add_names=True)
    (s,) = load_evidence_file(report.evidence, []).studies
    assert sorted(a.regimen for a in s.arms) == [("erlotinib",), ("examplinib",)]  # not surgery
    got = {(r.endpoint, r.arm, r.statistic, r.value) for r in s.results}
    assert got == {("dfs", "examplinib", "rate", Decimal("71")),
                   ("dfs", "erlotinib", "rate", Decimal("64")),
                   ("radiotherapy", "examplinib", "proportion", Decimal("41")),
                   ("radiotherapy", "erlotinib", "proportion", Decimal("22"))}
    assert next(e for e in s.endpoints if e.id == "dfs").timepoint is None


def test_arms_from_a_randomised_trial_comparing_one_thing_with_another(tmp_path: Path):
    s = drafted_study(tmp_path, "comparing.txt")
    assert sorted(a.regimen for a in s.arms) == [("examplinib",), ("placebo",)]
    assert {(r.arm, r.value) for r in s.results} == {("placebo", Decimal("4")),
                                                     ("examplinib", Decimal("1"))}


def test_values_take_arms_named_after_them_in_order_and_past_a_denominator(tmp_path: Path):
    s = drafted_study(tmp_path, "order-after.txt")
    got = {(r.endpoint, r.arm, r.value) for r in s.results}
    assert got == {("hospital-admission", "examplinib", Decimal("12")),
                   ("hospital-admission", "erlotinib", Decimal("30")),
                   ("orr", "examplinib", Decimal("34")), ("orr", "erlotinib", Decimal("21"))}
    assert {p.arm: p.size for p in s.populations if p.arm} == {"examplinib": 140,
                                                               "erlotinib": 138}


@pytest.mark.parametrize(("paper", "sizes"), [
    ("totals.txt", {"enrolled": 212}),  # "... in 212 patients with ..." in the title
    ("totals-2.txt", {"randomised": 112, "analysed": 104}),  # words, several words before
    ("totals-3.txt", {"randomised": 212}),  # "Adults (n = 212) were randomly assigned"
])
def test_study_sizes_in_more_printed_forms(tmp_path: Path, paper: str, sizes: dict):
    s = drafted_study(tmp_path, paper)
    assert {p.kind: p.size for p in s.populations if not p.arm and p.size} == sizes


def test_a_pair_of_percentages_sharing_one_sign(tmp_path: Path):
    s = drafted_study(tmp_path, "one-percent-sign.txt")
    assert {(r.arm, r.value, r.unit) for r in s.results} == {
        ("examplinib", Decimal("36"), "percent"), ("erlotinib", Decimal("21"), "percent")}


def test_one_arms_size_and_an_outcome_named_after_its_rate(tmp_path: Path):
    s = drafted_study(tmp_path, "outcome-after.txt")
    assert {(p.arm, p.size) for p in s.populations if p.size} == {("examplinib", 150)}
    (r,) = s.results
    assert (r.endpoint, r.arm, r.count, r.value) == ("second-line-chemotherapy", "examplinib", 41,
                                                     Decimal("27.3"))


def test_counts_with_their_arms_in_brackets_and_words_and_no_relative_effect(tmp_path: Path):
    s = drafted_study(tmp_path, "counts-with-arms.txt")
    got = {(r.endpoint, r.arm, r.count) for r in s.results}
    assert got == {("events", "examplinib", 57), ("events", "erlotinib", 92),
                   ("local-relapses", "examplinib", 12), ("local-relapses", "erlotinib", 25),
                   ("pr", "examplinib", 2), ("pr", "erlotinib", 1)}
    # "a 30% decrease in the risk" is a relative effect, never an arm's rate
    assert not any(r.value == 30 for r in s.results)


def test_three_arms_listed_with_commas_and_two_doses_of_one_drug(tmp_path: Path):
    s = drafted_study(tmp_path, "three-arms.txt")
    labels = {a.id: a.label for a in s.arms}
    assert sorted(labels.values()) == ["examplinib 300 mg", "examplinib 900 mg", "placebo"]
    got = {(labels[r.arm], r.value) for r in s.results}
    assert got == {("placebo", Decimal("18")), ("examplinib 300 mg", Decimal("29")),
                   ("examplinib 900 mg", Decimal("44"))}


@pytest.mark.parametrize(("paper", "kind", "sizes"), [
    ("arm-size-forms.txt", "randomised", {"examplinib": 63, "erlotinib": 41}),
    ("arm-size-forms-2.txt", "analysed", {"examplinib": 60, "erlotinib": 38}),
    ("three-arms.txt", "analysed",
     {"placebo": 114, "examplinib-300-mg": 118, "examplinib-900-mg": 120}),
])
def test_arm_sizes_where_each_arm_is_named_and_analysed_sets(tmp_path: Path, paper: str,
                                                            kind: str, sizes: dict):
    s = drafted_study(tmp_path, paper)
    assert {p.arm: p.size for p in s.populations if p.arm} == sizes
    assert {p.kind for p in s.populations if p.arm} == {kind}


def test_values_per_arm_of_a_randomised_trial_whose_arms_were_not_read(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "arms-unread.txt", root)
    (s,) = load_evidence_file(report.evidence, []).studies
    assert s.arms == ()  # never one wrong arm
    # the pair belongs to arms nobody named: not put on the whole population, but listed
    assert {(r.endpoint, r.value) for r in s.results} == {("os", Decimal("12.5"))}
    assert {"7.1", "6.2"} <= {u.split(": ")[-1] for u in report.unplaced}


def test_two_arms_of_one_drug_at_two_doses_named_by_their_dose(tmp_path: Path):
    s = drafted_study(tmp_path, "two-doses.txt")
    labels = {a.id: a.label for a in s.arms}
    assert sorted(labels.values()) == ["examplinib 25 mg", "examplinib 75 mg"]
    assert {labels[p.arm]: p.size for p in s.populations if p.arm} == {
        "examplinib 25 mg": 48, "examplinib 75 mg": 51}
    assert {(labels[r.arm], r.value) for r in s.results} == {
        ("examplinib 25 mg", Decimal("24.4")), ("examplinib 75 mg", Decimal("9.1"))}


def test_arms_from_a_comparison_after_the_drug_and_a_trials_size(tmp_path: Path):
    s = drafted_study(tmp_path, "compared-with.txt")
    assert sorted(a.regimen for a in s.arms) == [("erlotinib",), ("examplinib",)]
    assert [(p.kind, p.size) for p in s.populations if p.size] == [("enrolled", 64)]
    assert {(r.arm, r.value) for r in s.results} == {("examplinib", Decimal("16")),
                                                     ("erlotinib", Decimal("9"))}


def test_arms_with_or_without_an_added_drug_and_values_after_compared_with(tmp_path: Path):
    s = drafted_study(tmp_path, "compared-first.txt")
    regimens = {a.id: a.regimen for a in s.arms}
    assert sorted(regimens.values()) == [("erlotinib",), ("erlotinib", "examplinib")]
    got = {(regimens[r.arm], r.value) for r in s.results}
    assert got == {(("erlotinib", "examplinib"), Decimal("13")), (("erlotinib",), Decimal("39"))}


def test_an_adverse_event_rate_keeps_its_count_and_denominator(tmp_path: Path):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / "safety-count-percent.txt", root)
    (s,) = load_evidence_file(report.evidence, []).studies
    (ae,) = s.adverse_events
    regimen = {a.id: a.regimen for a in s.arms}[ae.arm]
    assert (ae.event.lower(), ae.count, ae.denominator, ae.percent, regimen) == (
        "rash", 31, 118, Decimal("26"), ("examplinib", "erlotinib"))
