"""The evidence format, described: every section and field the loader reads, with allowed values.

``kg vocab`` prints it and ``docs/evidence-format.md`` is generated from it; a test checks that
the loader reads exactly these fields (no undocumented field, no documented field it ignores)
and that the generated page is current. Allowed values come from the loader's own sets.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.sources import safety as sf
from kg.sources import values as ld


@dataclass(frozen=True)
class Field:
    """One field of a section: its type, whether it is required, what it means."""

    name: str
    type: str
    meaning: str
    required: bool = False
    values: tuple[str, ...] = ()


def _v(values: set[str]) -> tuple[str, ...]:
    return tuple(sorted(values))


RECORD = (Field("id", "id", "lower-case id, unique within its study or file", True),
          Field("quote", "text or list of text", "the exact words of the source that state "
                "this record (each must occur once in the text; every number of the record must "
                "be printed in one of them)", True))
DRAFTED = Field("drafted", "rule name", "set by `kg draft`: the rule that proposed this record; "
                "the curator deletes the line once the record is checked against its quote "
                "(`kg draft --check FILE` lists what is left)")
DERIVED = Field("derived", "mapping", "numbers the quotes do not print and how they were "
                "obtained: `{value: count/denominator}` or `{field: size of <population id>}`")

SECTIONS: dict[str, tuple[str, tuple[Field, ...]]] = {
    "(top level)": ("An evidence file: everything curated from one source document.", (
        Field("document", "mapping", "the bibliographic record and how to read the text", True),
        Field("target_interactions", "list", "drug-target interactions the document states"),
        Field("studies", "list", "studies the document describes (or adds to, with `extends`)"),
        Field("claims", "list", "statements in prose"),
        Field("contradictions", "list", "statements that disagree, all kept"),
        Field("tables", "list", "tables to parse from the text"),
        Field("audit_explanations", "list", "numbers deliberately not modelled, and why"),
    )),
    "document": ("The source document.", (
        Field("id", "id", "document id, unique over all files", True),
        Field("text", "file name", "the text in `texts/`", True),
        Field("sha256", "text", "checksum of the text (offsets depend on it)", True),
        Field("kind", "text", "what the document is (trial abstract, review chapter ...)", True),
        Field("title", "text", "title", True),
        Field("authors", "list of text", "authors"),
        Field("journal", "text", "journal"),
        Field("year", "whole number", "publication year"),
        Field("volume", "text", "volume"),
        Field("issue", "text", "issue"),
        Field("pages", "text", "pages"),
        Field("page_count", "whole number", "number of pages"),
        Field("article_number", "text", "article number"),
        Field("publication_status", "text", "publication status as printed"),
        Field("keywords", "list of text", "keywords"),
        Field("subject_areas", "list of text", "subject areas"),
        Field("curated_ids", "identifier-table key", "verified identifiers of the document"),
        Field("page_headers", "list of regular expressions", "running headers and page numbers "
              "to skip when matching quotes"),
        Field("source_url", "http(s) address", "where the text was obtained (never fetched)"),
        Field("doi", "DOI", "the DOI the text itself prints (checked against the text)"),
        Field("publication_date", "YYYY, YYYY-MM or YYYY-MM-DD", "date of publication"),
    )),
    "target_interactions[]": ("A drug acting on a target.", (
        *RECORD,
        Field("drug", "drug key", "the drug (entities.yaml)", True),
        Field("target", "target or family key", "the target (entities.yaml)", True),
        Field("action", "choice", "how the drug acts", values=_v(ld.ACTIONS)),
    )),
    "studies[]": ("A study, with everything nested under it. An entry with `extends` adds this "
                  "document's arms, populations, endpoints and statements to a study another "
                  "document defines (id and label then come from there).", (
        *RECORD[:1],
        Field("extends", "study id, or mapping", "the study of another document this entry adds "
              "to: its id, or `{nct: ...}`, `{acronym: ...}`, `{identifiers: ...}`"),
        RECORD[1],
        DRAFTED,
        Field("label", "text", "readable name (required unless `extends`)"),
        Field("kind", "choice", "kind of study (default clinical)", values=_v(ld.STUDY_KINDS)),
        Field("acronym", "text", "trial acronym"),
        Field("refs", "list of whole numbers", "reference numbers the document cites it by"),
        Field("part_of", "study id", "the study a substudy belongs to"),
        Field("conditions", "list of disease keys", "diseases studied"),
        Field("design", "mapping", "design attributes (below)"),
        Field("line_of_therapy", "list of choices", "lines of therapy", values=_v(ld.LINES)),
        Field("prior_therapy", "text", "prior therapy"),
        Field("setting", "text", "disease setting (advanced ...)"),
        Field("enrolment_start", "YYYY-MM", "first month of enrolment"),
        Field("enrolment_end", "YYYY-MM", "last month of enrolment"),
        Field("curated_ids", "identifier-table key", "verified identifiers (NCT, PMID ...)"),
        Field("eligibility", "text", "who could enter, summarised from the source's words"),
        Field("sample_size_assumption", "text", "the assumption the sample size rests on"),
        Field("arms", "list", "arms (below)"),
        Field("populations", "list", "analysis sets and subgroups (below)"),
        Field("endpoints", "list", "outcome measures (below)"),
        Field("results", "list", "reported values (below)"),
        Field("comparisons", "list", "comparisons and effect estimates (below)"),
        Field("findings", "list", "biomarker and imaging findings (below)"),
        Field("adverse_events", "list", "adverse events, dose modifications and deaths per arm "
              "(below)"),
        Field("harm_comparisons", "list", "adverse events compared between arms (below)"),
    )),
    "studies[].design": ("Design attributes; leave out what the source does not say.", (
        Field("phase", "list of choices", "trial phase(s)", values=_v(ld.PHASES)),
        Field("randomised", "true/false", "randomised"),
        Field("placebo_controlled", "true/false", "placebo-controlled"),
        Field("blinding", "choice", "blinding", values=_v(ld.BLINDING)),
        Field("single_arm", "true/false", "single-arm"),
        Field("adaptive", "true/false", "adaptive design"),
        Field("multicentre", "true/false", "more than one centre"),
        Field("randomised_discontinuation", "true/false", "randomised discontinuation design"),
        Field("biomarker_driven", "true/false", "treatment assigned by biomarker"),
        Field("terminated_early", "true/false", "stopped early"),
        Field("termination_reason", "text", "why it stopped"),
        Field("allocation_ratio", "ratio such as 2:1", "randomisation ratio, experimental first "
              "(its numbers must be printed in the study's quotes)"),
        Field("stratification", "list of text", "factors randomisation was stratified by"),
    )),
    "studies[].arms[]": ("An arm: its regimen of one or more interventions.", (
        *RECORD,
        DRAFTED,
        Field("label", "text", "readable name", True),
        Field("regimen", "list of drug keys or placebo", "what the arm received", True),
        Field("dosing", "list", "dose and schedule per intervention (below)"),
    )),
    "studies[].arms[].dosing[]": ("Dose and schedule of one intervention.", (
        Field("intervention", "drug key or placebo", "which intervention", True),
        Field("dose", "number", "dose"),
        Field("unit", "choice", "dose unit", values=_v(ld.UNITS)),
        Field("daily_frequency", "whole number", "doses a day"),
        Field("duration", "number", "duration"),
        Field("duration_unit", "choice", "duration unit", values=_v(ld.UNITS)),
        Field("schedule", "text", "the schedule as written"),
    )),
    "studies[].populations[]": ("An analysis set or subgroup.", (
        *RECORD,
        DRAFTED,
        Field("label", "text", "readable name", True),
        Field("kind", "choice", "kind of population", True, _v(ld.POPULATION_KINDS)),
        Field("size", "whole number", "number of patients"),
        Field("parent", "population id", "the population this one is part of"),
        Field("arm", "arm id", "the arm its patients received"),
        Field("histology", "disease key", "histology that defines it"),
        Field("biomarker", "biomarker key", "biomarker that defines it"),
        Field("biomarker_status", "text", "status of that biomarker (mutant, wild type ...)"),
        Field("age_group", "text", "age group (elderly ...)"),
        Field("complement_of", "list of population ids", "it is the rest of its parent after "
              "these groups ('other histologies')"),
        DERIVED,
    )),
    "studies[].endpoints[]": ("An outcome measure.", (
        *RECORD,
        DRAFTED,
        Field("type", "choice", "endpoint type", True, _v(ld.ENDPOINT_TYPES)),
        Field("primary", "true/false", "the primary endpoint"),
        Field("timepoint", "number", "time point (with timepoint_unit)"),
        Field("timepoint_unit", "choice", "unit of the time point", values=_v(ld.UNITS)),
        Field("timepoint_anchor", "text", "from when the time point counts"),
        Field("marker", "biomarker key", "the marker a biomarker-prevalence endpoint measures "
              "(required for that type)"),
        Field("name", "text", "the outcome as the source names it (required for type `other`: "
              "a symptom, a complication, a score the endpoint types do not name)"),
    )),
    "studies[].results[]": ("A value reported for one endpoint in one arm and/or population.", (
        *RECORD,
        DRAFTED,
        Field("endpoint", "endpoint id", "which endpoint", True),
        Field("arm", "arm id", "which arm"),
        Field("population", "population id", "which population"),
        Field("statistic", "choice", "what kind of value", True, _v(ld.STATISTICS)),
        Field("value", "number", "the value (with unit)"),
        Field("unit", "choice", "unit of the value", values=_v(ld.UNITS)),
        Field("count", "whole number", "number of patients"),
        Field("denominator", "whole number", "out of how many"),
        Field("ci_low", "number", "confidence interval, low"),
        Field("ci_high", "number", "confidence interval, high"),
        Field("ci_level", "number", "confidence level as a fraction (0.95)"),
        DERIVED,
    )),
    "studies[].comparisons[]": ("A comparison of two arms (a treatment effect) or of two groups "
                                "defined by a marker or histology (prognostic, predictive).", (
        *RECORD,
        DRAFTED,
        Field("kind", "choice", "what is compared (default: treatment-effect, or prognostic "
              "when `groups` is given)", values=_v(ld.COMPARISON_KINDS)),
        Field("endpoint", "endpoint id", "which endpoint"),
        Field("experimental", "arm id", "the experimental arm (treatment effects)"),
        Field("reference", "arm id", "the reference arm (treatment effects)"),
        Field("groups", "two population ids", "the groups compared (prognostic, predictive); "
              "the first is the numerator of a hazard ratio"),
        Field("favoured", "population id", "the group that did better (not with `direction`)"),
        Field("population", "population id", "the population the comparison is made in"),
        Field("measure", "choice", "effect measure", values=_v(ld.MEASURES)),
        Field("estimate", "number", "effect estimate"),
        Field("ci_low", "number", "confidence interval, low"),
        Field("ci_high", "number", "confidence interval, high"),
        Field("ci_level", "number", "confidence level as a fraction"),
        Field("p_value", "number", "p-value (with p_qualifier)"),
        Field("p_qualifier", "choice", "relation the p-value states", values=_v(ld.P_QUALIFIERS)),
        Field("significant", "true/false", "significance as the source states it"),
        Field("direction", "choice", "which arm it favours (prognostic: only no-difference)",
              values=_v(ld.DIRECTIONS)),
        Field("method", "text", "test or analysis as written"),
        DERIVED,
    )),
    "studies[].findings[]": ("A biomarker or imaging finding.", (
        *RECORD,
        DRAFTED,
        Field("kind", "choice", "finding kind (default biomarker)", values=_v(ld.FINDING_KINDS)),
        Field("label", "text", "readable statement", True),
        Field("marker", "biomarker key", "the marker", True),
        Field("measurement_time", "text", "when measured, as written"),
        Field("measured_at", "list", "when measured, typed: `baseline` or `{day|week|month|"
              "year: N, cycle: N}`"),
        Field("marker_state", "text", "state of the marker (elevated, increase ...)"),
        Field("endpoints", "list of choices", "outcomes it relates to", values=_v(
            ld.ENDPOINT_TYPES)),
        Field("association", "choice", "direction of the association", values=_v(
            ld.ASSOCIATIONS)),
        Field("population", "population id", "where it was found"),
        Field("exploratory", "true/false", "the source calls it exploratory"),
    )),
    "studies[].adverse_events[]": (
        "A safety result: how many patients of an arm or population had an adverse event, a dose "
        "change or died on treatment. Built as a `kg:AdverseEventResult` (a subclass of "
        "`kg:OutcomeResult`: its percent is `kg:value` with `kg:unit kg:Percent`, its count "
        "`kg:count`), a `kg:DoseModificationResult` or a `kg:DeathOnTreatmentResult`. One record "
        "per event, grade and arm: a table row of two arms is two records quoting the row and "
        "each arm's header (`n=60`).", (
            *RECORD,
            DRAFTED,
            Field("kind", "choice", "what is counted (default adverse-event; the others are "
                  "because of adverse events, or deaths on treatment)",
                  values=_v(sf.SAFETY_KINDS)),
            Field("event", "text", "the event exactly as printed (required for an adverse "
                  "event; the cause for a dose change or death, where stated)"),
            Field("term", "identifier-table key", "a verified MedDRA or CTCAE identifier of the "
                  "event (section `adverse_event_terms` of the identifier table); never typed "
                  "here"),
            Field("grade", "grade", f"CTCAE grade or range: {sf.GRADE_FORMS} (its numbers must be "
                  "printed in the quotes); a death is grade 5"),
            Field("relatedness", "choice", "only where the source says",
                  values=_v(sf.RELATEDNESS)),
            Field("arm", "arm id", "which arm (an arm or a population is required)"),
            Field("population", "population id", "which population (the safety population)"),
            Field("count", "whole number", "patients with the event (count or percent required)"),
            Field("denominator", "whole number", "out of how many (at least the count)"),
            Field("percent", "number", "percentage of patients, 0 to 100 (agrees with "
                  "count/denominator to the last printed place)"),
            Field("time_frame", "text", "the period events were counted over, as worded"),
            Field("endpoint", "endpoint id", "the study's toxicity endpoint, if it names one"),
            Field("derived", "mapping", "numbers the quotes do not print: `{percent: "
                  "count/denominator}` or `{count|denominator: size of <population id>}`"),
        )),
    "studies[].harm_comparisons[]": (
        "Adverse events compared between an experimental and a reference arm: built as a "
        "`kg:HarmComparison` with a `kg:safetyDirection`, and a graded drug-indication evidence "
        "item carrying that safety direction (never an efficacy direction).", (
            *RECORD,
            DRAFTED,
            Field("event", "text", "the event(s) compared, as printed"),
            Field("grade", "grade", f"CTCAE grade or range: {sf.GRADE_FORMS}"),
            Field("relatedness", "choice", "only where the source says",
                  values=_v(sf.RELATEDNESS)),
            Field("experimental", "arm id", "the experimental arm", True),
            Field("reference", "arm id", "the reference arm", True),
            Field("population", "population id", "the population the comparison is made in"),
            Field("results", "list of adverse-event ids", "the two arms' safety results it "
                  "compares, when printed"),
            Field("measure", "choice", "effect measure", values=_v(sf.HARM_MEASURES)),
            Field("estimate", "number", "effect estimate (rate difference in percentage points)"),
            Field("ci_low", "number", "confidence interval, low"),
            Field("ci_high", "number", "confidence interval, high"),
            Field("ci_level", "number", "confidence level as a fraction"),
            Field("p_value", "number", "p-value (with p_qualifier)"),
            Field("p_qualifier", "choice", "relation the p-value states",
                  values=_v(sf.P_QUALIFIERS)),
            Field("safety_direction", "choice", "which arm had more events, as the source "
                  "states it (else read from the estimate's CI or p-value; one of the two is "
                  "required)", values=_v(sf.SAFETY_DIRECTIONS)),
        )),
    "claims[]": ("A statement in prose.", (
        *RECORD,
        DRAFTED,
        Field("kind", "choice", "kind of claim", True, _v(ld.CLAIM_KINDS)),
        Field("label", "text", "readable statement", True),
        Field("drugs", "list of drug keys", "drugs it is about"),
        Field("indications", "list of disease keys", "diseases it is about"),
        Field("studies", "list of study ids", "studies it cites"),
        Field("targets", "list of target keys", "targets it names"),
        Field("negated", "true/false", "it states an absence (not approved, no benefit)"),
        Field("direction", "choice", "benefit, no benefit or harm (default from negated)",
              values=_v(ld.CLAIM_DIRECTIONS)),
        Field("rests_on", "list of study-id/record-id", "the results, comparisons and safety "
              "records it rests on (`kg:restsOn`); its evidence level is theirs, never more"),
    )),
    "contradictions[]": ("Statements that disagree; all stay in the graph.", (
        Field("id", "id", "id, unique in the file", True),
        Field("quote", "text or list of text", "words of the source, if any"),
        Field("statements", "list of record ids", "the statements that disagree (two or more)",
              True),
        Field("reason", "choice", "why", True, _v(ld.CONFLICT_REASONS)),
        Field("attribute", "text", "the attribute that differs, as a property CURIE"),
        Field("note", "text", "what disagrees, in words", True),
    )),
    "tables[]": ("A table parsed from the text.", (
        Field("id", "id", "table id", True),
        Field("caption", "text", "the caption as printed (start of the table)", True),
        Field("end", "text", "text that ends the table", True),
        Field("row_pattern", "regular expression", "one named group per column after the first",
              True),
        Field("columns", "list", "columns (below)", True),
        Field("biomarker", "biomarker key", "the biomarker the table is about"),
        Field("abbreviations", "mapping", "abbreviations used in cells"),
        Field("rows", "list", "which study each row describes (below)", True),
    )),
    "tables[].columns[]": ("A column of a table.", (
        Field("key", "text", "group name in row_pattern", True),
        Field("header", "text", "the header as printed", True),
        Field("role", "choice", "what its cells mean for cross-checks", True,
              _v(ld.COLUMN_ROLES)),
    )),
    "tables[].rows[]": ("Which study a row describes.", (
        Field("trial", "text", "the row's first cell", True),
        Field("study", "study id", "the study it describes", True),
        Field("population", "population id or study-id/population-id", "the population the "
              "row's numbers are about"),
    )),
    "audit_explanations[]": ("A number in the text deliberately not modelled.", (
        Field("quote", "text", "the words around it", True),
        Field("reason", "text", "why it is not modelled", True),
    )),
}


def reference_lines() -> list[str]:
    """The format as Markdown: one table per section, then the controlled values."""
    out = ["# Evidence file format", "",
           "Generated by `kg vocab --markdown` from `kg/sources/schema.py`; a test keeps it "
           "current. One YAML file per source document in `kg/sources/evidence/`; identifiers "
           "are never typed in it (entities name keys of the verified identifier table).", ""]
    for section, (about, fields) in SECTIONS.items():
        out += [f"## `{section}`", "", about, "", "| field | type | required | meaning |",
                "|---|---|---|---|"]
        for f in fields:
            meaning = f.meaning + (f"; one of: {', '.join(f.values)}" if f.values else "")
            out.append(f"| `{f.name}` | {f.type} | {'yes' if f.required else ''} | "
                       f"{meaning.replace('|', '/')} |")
        out.append("")
    return out + SAFETY_NOTES


SAFETY_NOTES = [
    "## Writing safety records (by hand or from code)", "",
    "One mapping per event, grade and arm, under the study; every number printed in the "
    "record's own quotes. A drafter emits the same keys (`kg.model.SafetyResult` and "
    "`kg.model.HarmComparison` hold them, field for field). The printed forms and their records:",
    "",
    "```yaml",
    "adverse_events:",
    "  # 'grade 3 hand-foot skin reaction in 9 of 60 patients' (the examplinib arm)",
    "  - {id: hfsr-g3-examplinib, event: hand-foot skin reaction, grade: 3, arm: examplinib,",
    "     count: 9, denominator: 60,",
    "     quote: \"grade 3 hand-foot skin reaction in 9 of 60 patients\"}",
    "  # 'neutropenia 71% vs 58%' (grade 3-4, two arms): one record per arm, same quote",
    "  - {id: neutropenia-g34-a, event: neutropenia, grade: 3-4, arm: a,",
    "     percent: 71,",
    "     quote: \"neutropenia 71% vs 58%\"}",
    "  # 'dose reductions were needed in 38% of patients'",
    "  - {id: dose-reduction-a, kind: dose-reduction, arm: a, percent: 38,",
    "     quote: \"dose reductions were needed in 38% of patients\"}",
    "  # 'two treatment-related deaths (sepsis)': kind death is grade 5",
    "  - {id: deaths-a, kind: death, event: sepsis, relatedness: treatment-related, arm: a,",
    "     count: 2, quote: \"two treatment-related deaths (sepsis)\"}",
    "harm_comparisons:",
    "  - {id: diarrhoea-or, event: diarrhoea, experimental: a, reference: b,",
    "     measure: odds-ratio, estimate: 3.86, ci_low: 1.40, ci_high: 10.6, ci_level: 0.95,",
    "     safety_direction: more-events,",
    "     quote: \"more frequent with A than with B (odds ratio 3.86, 95% CI 1.40-10.6)\"}",
    "```", "",
    "A grade outside 1 to 5, a count above its denominator, a percent that disagrees with "
    "count/denominator, and an arm or population the study does not have are each one "
    "`file:line: field: ...` error. A claim such as 'well tolerated' names the safety records "
    "it rests on under `rests_on` (`study-id/record-id`). The graph, the `adverse-events` "
    "query, the study page's safety table, the report's dot plot, "
    "`output/tables/adverse-events.csv` and the KGX `biolink:has_adverse_event` edges all read "
    "these records.", ""]
