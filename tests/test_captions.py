"""Captions and doses of study parts (issue 22): drafted records read like curated ones.

A drafted study is labelled with its paper's whole title; a colon in it must not leak into every
arm and population caption, and a dose recorded as numbers (as ``kg draft`` writes it) must show
in the study page's "dose and schedule" column.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS

from kg.assemble import build
from kg.builders import iris
from kg.builders.studies import short_name
from kg.paths import SOURCES_DIR
from kg.render.abstract import study_abstract
from kg.render.projection import info
from kg.sources.loader import load_corpus
from kg.vocab import KG
from tests.conftest import SAFETY

TITLE = "SOLACE: a made-up randomised phase II trial of examplinib against placebo"


def test_a_name_with_a_colon_gives_way_to_the_acronym_or_its_head():
    s = load_corpus(SAFETY)[0].studies["trial-s"]
    assert short_name(s) == s.label == "Trial S of examplinib against placebo"
    titled = dataclasses.replace(s, label="Examplinib in NSCLC: a made-up randomised trial")
    assert short_name(titled) == "Examplinib in NSCLC"
    assert short_name(dataclasses.replace(titled, acronym="EXAMPLE")) == "EXAMPLE"


def test_curated_study_names_are_kept_as_they_are():
    """No shipped label has a colon, so no shipped caption changes."""
    studies = load_corpus(SOURCES_DIR)[0].studies.values()
    assert len(studies) > 20
    assert all(short_name(s) == s.label for s in studies)


@pytest.fixture(scope="module")
def titled(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The safety fixture with its study labelled by a whole title with a colon, as drafted."""
    root = tmp_path_factory.mktemp("titled") / "safety"
    shutil.copytree(SAFETY, root)
    path = root / "evidence" / "examplinib-safety.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    label: Trial S of examplinib against placebo\n"
    assert old in text
    path.write_text(text.replace(old, f'    label: "{TITLE}"\n    acronym: SOLACE\n'),
                    encoding="utf-8")
    return build(root).union()


def test_parts_are_captioned_with_the_acronym_never_the_rest_of_the_title(titled: Graph):
    study = iris.study("trial-s")
    assert str(titled.value(study, RDFS.label)) == TITLE  # the study keeps its whole title
    parts = [o for prop in (KG.hasArm, KG.hasPopulation, KG.hasEndpoint, KG.hasSafetyResult,
                            KG.hasHarmComparison) for o in titled.objects(study, prop)]
    assert len(parts) > 15
    for node in parts:
        label = str(titled.value(node, RDFS.label))
        assert label.startswith("SOLACE: ") and "made-up randomised" not in label, label
    a = study_abstract(titled, study)
    assert sorted(r.cells["arm"] for r in a.arms) == ["examplinib", "placebo"]
    assert all(":" not in r.cells["population"] for r in a.populations)


def test_a_dose_recorded_as_numbers_is_shown(titled: Graph):
    """The fixture's dose has value, unit and frequency but no schedule text, like a drafted one."""
    arms = {r.cells["arm"]: r.cells for r in study_abstract(titled, iris.study("trial-s")).arms}
    assert arms["examplinib"]["dose and schedule"] == "examplinib: 200 mg twice daily"
    assert arms["placebo"]["dose and schedule"] == ""


def test_a_curated_schedule_is_shown_as_curated(real):
    """Shipped doses carry their schedule text; the page shows it unchanged."""
    g = real.union()
    shown = [r.cells["dose and schedule"] for s in g.subjects(KG.hasArm, None)
             for r in study_abstract(g, s).arms if r.cells["dose and schedule"]]
    schedules = {str(o) for o in g.objects(None, KG.scheduleText)}
    assert shown and schedules
    assert all(any(t in cell for t in schedules) for cell in shown), shown



def test_the_node_panel_shows_a_dose_recorded_as_numbers(titled: Graph):
    facts = info(titled, iris.study_part("trial-s", "arm", "examplinib")).facts
    assert ("schedule", "200 mg twice daily") in facts
    assert not [f for f in info(titled, iris.study_part("trial-s", "arm", "placebo")).facts
                if f[0] == "schedule"]
