"""Controlled values the evidence files may use; builders map them to ontology individuals.

The readers check fields against these sets, ``kg vocab`` and docs/evidence-format.md list them.
"""

from __future__ import annotations

import re

PHASES = {"1", "2", "3"}
BLINDING = {"open-label", "double-blind"}
LINES = {"first", "second", "third", "fourth", "pretreated"}
STUDY_KINDS = {"clinical", "preclinical", "substudy"}
POPULATION_KINDS = {"enrolled", "run-in", "randomised", "per-protocol", "intention-to-treat",
                    "analysed", "subgroup"}
ENDPOINT_TYPES = {"pfs", "os", "orr", "rr", "dcr", "pfs-rate", "survival-rate", "pr", "sd", "pd",
                  "toxicity", "biomarker-prevalence", "not-stated", "ttp", "ttf", "ttr", "dfs",
                  "rfs", "efs", "pcr", "cr", "dor", "qol", "other"}
UNITS = {"month", "week", "day", "year", "percent", "mg"}
STATISTICS = {"median", "rate", "proportion", "count"}
MEASURES = {"hazard-ratio", "risk-ratio", "odds-ratio"}
P_QUALIFIERS = {"=", "<", "<=", "unstated"}
DIRECTIONS = {"favours-experimental", "favours-reference", "no-difference"}
COMPARISON_KINDS = {"treatment-effect", "prognostic", "predictive"}
CLAIM_DIRECTIONS = {"benefit", "no-benefit", "harm"}
TIME_UNITS = {"day", "week", "month", "year"}
# Numbers a record may declare derived instead of quoted, and how each may be derived.
DERIVABLE = {"value": "count/denominator", "denominator": "size of", "size": "size of",
             "count": "size of"}
ASSOCIATIONS = {"better", "worse", "none"}
FINDING_KINDS = {"biomarker", "imaging"}
CLAIM_KINDS = {"conclusion", "tolerability", "approval", "non-approval", "mechanism", "activity",
               "hypothesis", "background"}
APPROVAL_CLAIMS = {"approval", "non-approval"}
CONFLICT_REASONS = {"attribute-differs", "opposite-findings"}
ACTIONS = {"inhibitor"}
COLUMN_ROLES = {"trial", "phase", "size", "primary-endpoint", "biomarker-prevalence", "response",
                "survival", "comment"}
XREF_STATUSES = {"verified", "verified_weak"}
RATIO_RE = re.compile(r"^\d+(?:\.\d+)?(?::\d+(?:\.\d+)?)+$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
