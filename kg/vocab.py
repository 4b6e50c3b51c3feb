"""Closed namespaces for the ontology's terms and the external vocabularies we use.

Code names ontology terms only through ``KG``; an unknown name raises at import or call time,
and ``tests/test_vocab.py`` checks that this list and ``ontology/ontology.ttl`` agree exactly.

Size: over 400 lines because it lists every ontology term once (a closed namespace that
ruff and readers can check), one per line.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from kg.prefixes import INSTANCE_IRI, ONTOLOGY_IRI, PREFIXES

KGI = Namespace(INSTANCE_IRI)
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")


class KG(DefinedNamespace):
    """The project ontology (``ontology/ontology.ttl``); closed: unknown names raise."""

    _NS = Namespace(ONTOLOGY_IRI)
    _fail = True

    ActionType: URIRef
    ActivityClaim: URIRef
    AddOnToBackbone: URIRef
    AgentType: URIRef
    Analysed: URIRef
    ApprovalClaim: URIRef
    Arm: URIRef
    AssociationDirection: URIRef
    AttributeValueDiffers: URIRef
    BackgroundClaim: URIRef
    Baseline: URIRef
    BetterOutcome: URIRef
    Biomarker: URIRef
    BiomarkerFinding: URIRef
    BiomarkerPrevalence: URIRef
    Blinding: URIRef
    Claim: URIRef
    ClaimKind: URIRef
    ClinicalTrial: URIRef
    CombinationRegimen: URIRef
    Comparison: URIRef
    ComparisonKind: URIRef
    ComputedFromCountAndDenominator: URIRef
    ConclusionClaim: URIRef
    ConflictReason: URIRef
    Contradiction: URIRef
    CrossCheck: URIRef
    CrossDocumentCheck: URIRef
    CuratedMapping: URIRef
    Day: URIRef
    Derivation: URIRef
    DerivationMethod: URIRef
    Disease: URIRef
    DiseaseControlRate: URIRef
    Document: URIRef
    Dosing: URIRef
    DoubleBlind: URIRef
    Drug: URIRef
    DrugIndicationEvidence: URIRef
    DrugTargetInteraction: URIRef
    EffectDirection: URIRef
    EffectEstimate: URIRef
    EffectMeasure: URIRef
    Endpoint: URIRef
    EndpointNotStated: URIRef
    EndpointType: URIRef
    Enrolled: URIRef
    Equal: URIRef
    EvidenceDirection: URIRef
    EvidenceLevel: URIRef
    EvidenceSpan: URIRef
    FavoursExperimental: URIRef
    FavoursReference: URIRef
    Finding: URIRef
    FirstLine: URIRef
    FourthLine: URIRef
    Gene: URIRef
    Harm: URIRef
    HazardRatio: URIRef
    HypothesisClaim: URIRef
    ImagingFinding: URIRef
    Inhibitor: URIRef
    IntentionToTreat: URIRef
    Intervention: URIRef
    LessThan: URIRef
    LessThanOrEqual: URIRef
    LineOfTherapy: URIRef
    ManualAgent: URIRef
    MappingStatus: URIRef
    MechanismClaim: URIRef
    Milligram: URIRef
    Monotherapy: URIRef
    Month: URIRef
    NoAssociation: URIRef
    NoBenefit: URIRef
    NoDifference: URIRef
    NonApprovalClaim: URIRef
    ObjectiveResponseRate: URIRef
    OpenLabel: URIRef
    OppositeFindings: URIRef
    OutcomeResult: URIRef
    OverallSurvival: URIRef
    PValueQualifier: URIRef
    PartialResponse: URIRef
    PerProtocol: URIRef
    Percent: URIRef
    Phase1: URIRef
    Phase2: URIRef
    Phase2RandomisedLevel: URIRef
    Phase2SingleArmLevel: URIRef
    Phase3: URIRef
    Phase3RandomisedLevel: URIRef
    Placebo: URIRef
    NonDrugIntervention: URIRef
    Population: URIRef
    PopulationKind: URIRef
    PreclinicalLevel: URIRef
    PreclinicalStudy: URIRef
    PredictiveComparison: URIRef
    Pretreated: URIRef
    PrognosticComparison: URIRef
    ProgressionFreeSurvival: URIRef
    ProgressionFreeSurvivalRate: URIRef
    ProgressiveDisease: URIRef
    TimeToProgression: URIRef
    TimeToTreatmentFailure: URIRef
    TimeToResponse: URIRef
    DiseaseFreeSurvival: URIRef
    RecurrenceFreeSurvival: URIRef
    EventFreeSurvival: URIRef
    PathologicalCompleteResponse: URIRef
    CompleteResponse: URIRef
    DurationOfResponse: URIRef
    QualityOfLife: URIRef
    OtherOutcome: URIRef
    Protein: URIRef
    QualifierUnstated: URIRef
    Randomised: URIRef
    Regimen: URIRef
    RegulatoryApprovalLevel: URIRef
    ResponseRate: URIRef
    ReviewStatementLevel: URIRef
    RunIn: URIRef
    SecondLine: URIRef
    Sentence: URIRef
    StableDisease: URIRef
    Study: URIRef
    StudyPhase: URIRef
    Subgroup: URIRef
    SubgroupLevel: URIRef
    SubstitutionOnBackbone: URIRef
    SubstudyAnalysis: URIRef
    SupportsBenefit: URIRef
    SurvivalRate: URIRef
    Table: URIRef
    TableCell: URIRef
    TableRow: URIRef
    TakenFromPopulationSize: URIRef
    TargetFamily: URIRef
    TextMiningAgent: URIRef
    TherapyRole: URIRef
    ThirdLine: URIRef
    TimePoint: URIRef
    TolerabilityClaim: URIRef
    Toxicity: URIRef
    TreatmentEffect: URIRef
    Unit: URIRef
    Verified: URIRef
    VerifiedWeak: URIRef
    Week: URIRef
    WorseOutcome: URIRef
    Year: URIRef
    aboutIndication: URIRef
    aboutIntervention: URIRef
    aboutStudy: URIRef
    aboutTarget: URIRef
    acronym: URIRef
    actionType: URIRef
    adaptive: URIRef
    ageGroup: URIRef
    agentType: URIRef
    agrees: URIRef
    allocationRatio: URIRef
    arm: URIRef
    articleNumber: URIRef
    associatedEndpoint: URIRef
    associationDirection: URIRef
    backboneDrug: URIRef
    biomarkerDriven: URIRef
    biomarkerStatus: URIRef
    blinding: URIRef
    cellText: URIRef
    characterCount: URIRef
    checkedAttribute: URIRef
    checkedCell: URIRef
    checkedStatement: URIRef
    ciHigh: URIRef
    ciLevel: URIRef
    ciLow: URIRef
    claimKind: URIRef
    column: URIRef
    comparisonKind: URIRef
    complementOf: URIRef
    conflictAttribute: URIRef
    conflictNote: URIRef
    conflictReason: URIRef
    conflictingStatement: URIRef
    count: URIRef
    curatedQuote: URIRef
    curationNote: URIRef
    curie: URIRef
    cycle: URIRef
    dailyFrequency: URIRef
    definedByBiomarker: URIRef
    denominator: URIRef
    derivationMethod: URIRef
    derivedAttribute: URIRef
    derivedFrom: URIRef
    describedIn: URIRef
    describesStudy: URIRef
    detectedBy: URIRef
    direction: URIRef
    directionBasis: URIRef
    diseaseSetting: URIRef
    documentKind: URIRef
    doseUnit: URIRef
    doseValue: URIRef
    draftRule: URIRef
    drug: URIRef
    drugUnderTest: URIRef
    durationUnit: URIRef
    durationValue: URIRef
    eligibilitySummary: URIRef
    encodedBy: URIRef
    endOffset: URIRef
    endpoint: URIRef
    endpointType: URIRef
    enrolmentEnd: URIRef
    enrolmentStart: URIRef
    estimate: URIRef
    evidenceDirection: URIRef
    evidenceLevel: URIRef
    experimentalGroup: URIRef
    exploratory: URIRef
    favouredGroup: URIRef
    firstGroup: URIRef
    gene: URIRef
    hasArm: URIRef
    hasCell: URIRef
    hasComparison: URIRef
    hasComponent: URIRef
    hasDerivation: URIRef
    hasDosing: URIRef
    hasEndpoint: URIRef
    hasEvidence: URIRef
    hasFinding: URIRef
    hasMapping: URIRef
    hasMember: URIRef
    hasPopulation: URIRef
    hasResult: URIRef
    hasRow: URIRef
    histology: URIRef
    inArm: URIRef
    inClinicalTrialsFor: URIRef
    inDocument: URIRef
    inSentence: URIRef
    inTable: URIRef
    intervention: URIRef
    isPrimary: URIRef
    issue: URIRef
    journal: URIRef
    keyword: URIRef
    levelFrom: URIRef
    lineOfTherapy: URIRef
    mappingEvidence: URIRef
    mappingStatus: URIRef
    marker: URIRef
    markerState: URIRef
    measure: URIRef
    measuredAt: URIRef
    measurementTime: URIRef
    method: URIRef
    multicentre: URIRef
    pValue: URIRef
    pValueQualifier: URIRef
    pageCount: URIRef
    pages: URIRef
    partOf: URIRef
    phase: URIRef
    placeboControlled: URIRef
    population: URIRef
    populationKind: URIRef
    priorTherapy: URIRef
    publicationStatus: URIRef
    publicationYear: URIRef
    randomised: URIRef
    randomisedDiscontinuation: URIRef
    referenceGroup: URIRef
    referenceNumber: URIRef
    referenceRegimen: URIRef
    regimen: URIRef
    sampleSizeAssumption: URIRef
    scheduleText: URIRef
    secondGroup: URIRef
    sentenceIndex: URIRef
    sha256: URIRef
    significanceBasis: URIRef
    significanceLevel: URIRef
    significant: URIRef
    singleArm: URIRef
    size: URIRef
    sourceFile: URIRef
    sourceUrl: URIRef
    startOffset: URIRef
    statedDoi: URIRef
    statistic: URIRef
    stratificationFactor: URIRef
    studiedFor: URIRef
    studiesCondition: URIRef
    subjectArea: URIRef
    subsetOf: URIRef
    subtypeOf: URIRef
    summarises: URIRef
    supports: URIRef
    symbol: URIRef
    target: URIRef
    targets: URIRef
    terminatedEarly: URIRef
    terminationReason: URIRef
    testedAs: URIRef
    text: URIRef
    therapyUnderTest: URIRef
    timePointAnchor: URIRef
    timePointUnit: URIRef
    timePointValue: URIRef
    timeUnit: URIRef
    timeValue: URIRef
    treats: URIRef
    unit: URIRef
    usesRegimen: URIRef
    value: URIRef
    volume: URIRef
    weakXref: URIRef
    withinRounding: URIRef
    xref: URIRef
    # safety (issue 23)
    AdverseEventResult: URIRef
    DoseModificationResult: URIRef
    DeathOnTreatmentResult: URIRef
    AdverseEventTerm: URIRef
    Relatedness: URIRef
    DoseModificationKind: URIRef
    HarmComparison: URIRef
    SafetyDirection: URIRef
    hasSafetyResult: URIRef
    hasHarmComparison: URIRef
    adverseEvent: URIRef
    eventTerm: URIRef
    gradeRange: URIRef
    gradeLow: URIRef
    gradeHigh: URIRef
    relatedness: URIRef
    modificationKind: URIRef
    timeFrame: URIRef
    safetyDirection: URIRef
    safetyDirectionBasis: URIRef
    comparesResult: URIRef
    restsOn: URIRef
    TreatmentRelated: URIRef
    AnyCause: URIRef
    DoseReduction: URIRef
    DoseInterruption: URIRef
    DiscontinuationDueToAdverseEvent: URIRef
    MoreEvents: URIRef
    FewerEvents: URIRef
    SimilarEvents: URIRef
    RiskRatio: URIRef
    OddsRatio: URIRef
    RateDifference: URIRef


class OA(DefinedNamespace):
    """The W3C Web Annotation terms we use for quotes and offsets."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef


def _materialise(ns: type[DefinedNamespace]) -> None:
    """Store each declared term as a class attribute.

    rdflib answers ``KG.size`` through its metaclass's ``__getattr__`` on every access (~0.6 µs);
    the views and builders ask millions of times. Declared names become plain attributes, and an
    undeclared one still reaches ``__getattr__`` and raises, so the namespace stays closed.
    """
    base = str(ns._NS)  # a declared name's term is the namespace IRI and the name (no lookup)
    for name in ns.__annotations__:
        if not name.startswith("_"):
            setattr(ns, name, URIRef(base + name))


for _ns in (KG, OA, RDF, RDFS, SKOS, OWL, XSD, DCTERMS, PROV):  # rdflib's own: same terms
    _materialise(_ns)

__all__ = ["BIOLINK", "DCTERMS", "KG", "KGI", "OA", "OWL", "PREFIXES", "PROV", "RDF", "RDFS",
           "SKOS", "XSD"]
