"""The "Download tables" block: links to the evidence tables ``kg build`` writes beside a page."""

from __future__ import annotations

from markupsafe import escape

from kg.export.tables import README, load_specs


def downloads_block(folder: str = "tables/") -> str:
    """A list of the evidence tables (CSV) with what one row is, and their README.

    Plain ``str`` like the page's other blocks: a Markup added to the page's str would escape it.
    """
    items = "".join(
        f'<li><a href="{escape(folder + spec.csv_name)}" download>{escape(spec.csv_name)}</a>'
        f" — {escape(spec.description)}</li>" for spec in load_specs())
    return (
        f'<section id="downloads"><h2>Download tables</h2><p>The graph as spreadsheets, one '
        f'CSV per kind of statement; <a href="{escape(folder + README)}">every column is '
        f"described in the README</a>.</p><ul>{items}</ul></section>")
