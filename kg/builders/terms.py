"""Controlled values of the evidence files mapped to ontology individuals."""

from __future__ import annotations

from kg.vocab import KG

PHASE = {"1": KG.Phase1, "2": KG.Phase2, "3": KG.Phase3}
LINE = {"first": KG.FirstLine, "second": KG.SecondLine, "third": KG.ThirdLine,
        "fourth": KG.FourthLine, "pretreated": KG.Pretreated}
BLINDING = {"open-label": KG.OpenLabel, "double-blind": KG.DoubleBlind}
STUDY_CLASS = {"clinical": KG.ClinicalTrial, "preclinical": KG.PreclinicalStudy,
               "substudy": KG.SubstudyAnalysis}
POPULATION_KIND = {"enrolled": KG.Enrolled, "run-in": KG.RunIn, "randomised": KG.Randomised,
                   "per-protocol": KG.PerProtocol, "intention-to-treat": KG.IntentionToTreat,
                   "analysed": KG.Analysed, "subgroup": KG.Subgroup}
ENDPOINT_TYPE = {"pfs": KG.ProgressionFreeSurvival, "os": KG.OverallSurvival,
                 "orr": KG.ObjectiveResponseRate, "rr": KG.ResponseRate,
                 "dcr": KG.DiseaseControlRate, "pfs-rate": KG.ProgressionFreeSurvivalRate,
                 "survival-rate": KG.SurvivalRate, "pr": KG.PartialResponse,
                 "sd": KG.StableDisease, "pd": KG.ProgressiveDisease, "toxicity": KG.Toxicity,
                 "biomarker-prevalence": KG.BiomarkerPrevalence,
                 "not-stated": KG.EndpointNotStated,
                 "ttp": KG.TimeToProgression,
                 "ttf": KG.TimeToTreatmentFailure,
                 "ttr": KG.TimeToResponse,
                 "dfs": KG.DiseaseFreeSurvival,
                 "rfs": KG.RecurrenceFreeSurvival,
                 "efs": KG.EventFreeSurvival,
                 "pcr": KG.PathologicalCompleteResponse,
                 "cr": KG.CompleteResponse,
                 "dor": KG.DurationOfResponse,
                 "qol": KG.QualityOfLife,
                 "other": KG.OtherOutcome}
ENDPOINT_ABBREV = {"pfs": "PFS", "os": "OS", "orr": "ORR", "rr": "RR", "dcr": "DCR",
                   "pfs-rate": "PFS rate", "survival-rate": "survival rate",
                   "pr": "partial response", "sd": "stable disease",
                   "pd": "progressive disease", "toxicity": "toxicity",
                   "biomarker-prevalence": "biomarker prevalence",
                   "not-stated": "endpoint not stated",
                   "ttp": "TTP",
                   "ttf": "TTF",
                   "ttr": "time to response",
                   "dfs": "DFS",
                   "rfs": "RFS",
                   "efs": "EFS",
                   "pcr": "pCR",
                   "cr": "CR",
                   "dor": "DOR",
                   "qol": "QoL",
                   "other": "other outcome"}
UNIT = {"month": KG.Month, "week": KG.Week, "day": KG.Day, "year": KG.Year,
        "percent": KG.Percent, "mg": KG.Milligram}
UNIT_SYMBOL = {"month": "months", "week": "weeks", "day": "days", "year": "years",
               "percent": "%", "mg": "mg"}
MEASURE = {"hazard-ratio": KG.HazardRatio, "risk-ratio": KG.RiskRatio, "odds-ratio": KG.OddsRatio}
P_QUALIFIER = {"=": KG.Equal, "<": KG.LessThan, "<=": KG.LessThanOrEqual,
               "unstated": KG.QualifierUnstated}
DIRECTION = {"favours-experimental": KG.FavoursExperimental,
             "favours-reference": KG.FavoursReference, "no-difference": KG.NoDifference}
COMPARISON_KIND = {"treatment-effect": KG.TreatmentEffect, "prognostic": KG.PrognosticComparison,
                   "predictive": KG.PredictiveComparison}
THERAPY_ROLE = {"monotherapy": KG.Monotherapy, "add-on": KG.AddOnToBackbone,
                "combination": KG.CombinationRegimen, "substitution": KG.SubstitutionOnBackbone}
ASSOCIATION = {"better": KG.BetterOutcome, "worse": KG.WorseOutcome, "none": KG.NoAssociation}
FINDING_CLASS = {"biomarker": KG.BiomarkerFinding, "imaging": KG.ImagingFinding}
CLAIM_KIND = {"conclusion": KG.ConclusionClaim, "tolerability": KG.TolerabilityClaim,
              "approval": KG.ApprovalClaim, "non-approval": KG.NonApprovalClaim,
              "mechanism": KG.MechanismClaim, "activity": KG.ActivityClaim,
              "hypothesis": KG.HypothesisClaim, "background": KG.BackgroundClaim}
CONFLICT_REASON = {"attribute-differs": KG.AttributeValueDiffers,
                   "opposite-findings": KG.OppositeFindings}
ACTION = {"inhibitor": KG.Inhibitor}
