"""Mutations of the shipped sources, the way files really break: edits, bad merges, cut saves.

Each kind takes a seeded ``random.Random`` and a file's text and returns the broken text and the
line it broke (or None when the file has nothing to break that way). ``mutate`` picks a file and a
kind; the same seed always gives the same mutation, so any failure can be replayed with
``python -m tests.mutations --seed S --case N``.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# file (relative to the sources folder) -> weight: evidence files break most often
FILES = {"evidence/nsclc-review.yaml": 4, "evidence/santoro-2013.yaml": 3, "entities.yaml": 2,
         "identifiers.yaml": 1}
STRAY = [":", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "#", "'", '"', ",",
         "?", "- ", ": ", "&a ", "*a", "!!str ", "!!binary ", "!!int ", "!!float ", "!!bool ",
         "!!timestamp ", "!!set ", "<<: ", "\t", "[a]: "]
NUMBERS = ["0", "-1", "1e400", ".inf", "-.inf", ".nan", "-0", "1_000", "0x1F", "0o17", "1e-3",
           "007", "99999999999999999999", "0.0000001", "1:30", "1,5", "2013-11-01", "12:00:00"]
VALUES = ["", '""', "[]", "{}", "~", "null", "true", "no", "[a, b]", "{a: 1}", "2013-11-01",
          "'1'", "-", "?", "|", ">", "[[]]", "x" * 200]
MINUS = "\u2212"
NBSP = "\u00a0"
KEY_RE = re.compile(r"^(\s*(?:- )?)([A-Za-z_][\w-]*)(:)(.*)$", re.S)
NUMBER_RE = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w])")


@dataclass(frozen=True)
class Mutation:
    """One broken file: which, how, where, and the bytes that replace it."""

    file: str
    kind: str
    line: int
    data: bytes

    def __str__(self) -> str:
        """Where and how, for failure messages."""
        return f"{self.kind} in {self.file} at line {self.line}"


Kind = Callable[[random.Random, list[str]], tuple[list[str], int] | None]


def _pick(rng: random.Random, lines: list[str], pattern: re.Pattern[str] | None = None
          ) -> int | None:
    """A random line index (matching ``pattern`` if given), or None."""
    candidates = [i for i, line in enumerate(lines)
                  if line.strip() and (pattern is None or pattern.search(line))]
    return rng.choice(candidates) if candidates else None


def delete_line(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A line lost in an edit."""
    i = _pick(rng, lines)
    return None if i is None else (lines[:i] + lines[i + 1:], i + 1)


def delete_key_line(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A field lost: the line holding one key."""
    i = _pick(rng, lines, KEY_RE)
    return None if i is None else (lines[:i] + lines[i + 1:], i + 1)


def duplicate_line(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A line doubled by a bad merge."""
    i = _pick(rng, lines)
    return None if i is None else (lines[:i + 1] + lines[i:], i + 1)


def swap_lines(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """Two lines exchanged, neighbours or not."""
    i = _pick(rng, lines)
    if i is None or len(lines) < 2:
        return None
    j = min(i + 1, len(lines) - 1) if rng.random() < 0.5 else rng.randrange(len(lines))
    out = list(lines)
    out[i], out[j] = out[j], out[i]
    return out, min(i, j) + 1


def _block(lines: list[str], i: int) -> int:
    """End (exclusive) of the list item starting at line ``i``."""
    indent = len(lines[i]) - len(lines[i].lstrip())
    j = i + 1
    while j < len(lines):
        stripped = lines[j].lstrip()
        ind = len(lines[j]) - len(stripped)
        if stripped.strip() and (ind < indent or (ind == indent and stripped.startswith("- "))):
            break
        j += 1
    return j


ITEM_RE = re.compile(r"^\s*- \w+:")


def duplicate_block(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A whole record pasted twice (duplicate ids)."""
    i = _pick(rng, lines, ITEM_RE)
    if i is None:
        return None
    j = _block(lines, i)
    return lines[:j] + lines[i:j] + lines[j:], j + 1


def delete_block(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A whole record lost (dangling references)."""
    i = _pick(rng, lines, ITEM_RE)
    return None if i is None else (lines[:i] + lines[_block(lines, i):], i + 1)


def change_number(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A number mistyped, scaled, negated or written in a form YAML reads differently."""
    i = _pick(rng, lines, NUMBER_RE)
    if i is None:
        return None
    matches = list(NUMBER_RE.finditer(lines[i]))
    mt = rng.choice(matches)
    old = mt.group()
    choice = rng.random()
    if choice < 0.3:
        new = rng.choice(NUMBERS)
    elif choice < 0.5:
        new = old.lstrip("-") if old.startswith("-") else "-" + old
    elif choice < 0.7:
        new = old + "0"
    else:
        digits = [k for k, c in enumerate(old) if c.isdigit()]
        k = rng.choice(digits)
        new = old[:k] + str(rng.randrange(10)) + old[k + 1:]
    out = list(lines)
    out[i] = lines[i][:mt.start()] + new + lines[i][mt.end():]
    return out, i + 1


def break_indentation(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A line indented one or two spaces off, or with a tab."""
    i = _pick(rng, lines)
    if i is None:
        return None
    line = lines[i]
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    how = rng.choice(["more", "less", "tab"])
    if how == "more" or indent == 0:
        new = " " * (indent + rng.choice([1, 2, 3])) + stripped
    elif how == "less":
        new = " " * max(0, indent - rng.choice([1, 2])) + stripped
    else:
        new = "\t" + line[1:]
    out = list(lines)
    out[i] = new
    return out, i + 1


def stray_character(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A character that means something to YAML, typed somewhere in a line."""
    i = _pick(rng, lines)
    if i is None:
        return None
    line = lines[i].rstrip("\n")
    k = rng.randrange(len(line) + 1)
    out = list(lines)
    out[i] = line[:k] + rng.choice(STRAY) + line[k:] + "\n"
    return out, i + 1


def rename_key(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A key renamed: a typo, another key of the file, or changed case."""
    i = _pick(rng, lines, KEY_RE)
    if i is None:
        return None
    mt = KEY_RE.match(lines[i])
    assert mt is not None
    key = mt.group(2)
    others = sorted({m.group(2) for line in lines if (m := KEY_RE.match(line))} - {key})
    how = rng.random()
    if how < 0.4 and others:
        new = rng.choice(others)
    elif how < 0.7 and len(key) > 1:
        k = rng.randrange(len(key))
        new = key[:k] + key[k + 1:]
    elif how < 0.85:
        new = key.upper()
    else:
        new = key + "s"
    out = list(lines)
    out[i] = mt.group(1) + new + mt.group(3) + mt.group(4)
    return out, i + 1


def unicode_minus(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A hyphen or minus pasted from a PDF as U+2212, or a minus sign put before a number."""
    i = _pick(rng, lines, re.compile(r"[-\d]"))
    if i is None:
        return None
    line = lines[i]
    spots = [k for k, c in enumerate(line) if c == "-"]
    out = list(lines)
    if spots and rng.random() < 0.6:
        k = rng.choice(spots)
        out[i] = line[:k] + MINUS + line[k + 1:]
    else:
        mt = rng.choice(list(NUMBER_RE.finditer(line)) or [None])
        if mt is None:
            return None
        out[i] = line[:mt.start()] + MINUS + line[mt.start():]
    return out, i + 1


def no_break_space(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A space pasted as U+00A0, in the indentation, after a colon or inside a value."""
    i = _pick(rng, lines, re.compile(" "))
    if i is None:
        return None
    line = lines[i]
    k = rng.choice([k for k, c in enumerate(line) if c == " "])
    out = list(lines)
    out[i] = line[:k] + NBSP + line[k + 1:]
    return out, i + 1


def empty_value(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """A value blanked or replaced by null, an empty list or mapping, a bool, a date ..."""
    i = _pick(rng, lines, re.compile(r"^\s*(- )?[\w-]+: \S"))
    if i is None:
        return None
    mt = KEY_RE.match(lines[i])
    assert mt is not None
    value = rng.choice(VALUES)
    out = list(lines)
    out[i] = f"{mt.group(1)}{mt.group(2)}:{' ' if value else ''}{value}\n"
    return out, i + 1


def swap_values(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """Two values exchanged between keys (an id where a number was, a list where text was)."""
    pattern = re.compile(r"^\s*(- )?[\w-]+: \S")
    i, j = _pick(rng, lines, pattern), _pick(rng, lines, pattern)
    if i is None or j is None or i == j:
        return None
    mi, mj = KEY_RE.match(lines[i]), KEY_RE.match(lines[j])
    assert mi is not None and mj is not None
    out = list(lines)
    out[i] = mi.group(1) + mi.group(2) + ":" + mj.group(4)
    out[j] = mj.group(1) + mj.group(2) + ":" + mi.group(4)
    return out, min(i, j) + 1


def truncate(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """The file cut short by an interrupted save, anywhere, even mid-line."""
    text = "".join(lines)
    k = rng.randrange(len(text))
    cut = text[:k]
    return cut.splitlines(keepends=True), cut.count("\n") + 1


def empty_file(rng: random.Random, lines: list[str]) -> tuple[list[str], int] | None:
    """The file emptied, or left with only its comments or a bare document marker."""
    keep = rng.choice([[], ["\n"], [line for line in lines if line.startswith("#")], ["---\n"],
                       ["{}\n"], ["[]\n"], ["document:\n"]])
    return keep, 1


KINDS: dict[str, Kind] = {k.__name__.replace("_", "-"): k for k in (
    delete_line, delete_key_line, duplicate_line, swap_lines, duplicate_block, delete_block,
    change_number, break_indentation, stray_character, rename_key, unicode_minus,
    no_break_space, empty_value, swap_values, truncate, empty_file)}
BYTE_KINDS = ("invalid-utf8", "bom", "crlf")


def _bytes_kind(rng: random.Random, kind: str, text: str) -> tuple[bytes, int]:
    """Mutations of the encoding rather than the text."""
    data = text.encode("utf-8")
    if kind == "bom":
        return b"\xef\xbb\xbf" + data, 1
    if kind == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8"), 1
    k = rng.randrange(len(data))
    return data[:k] + rng.choice([b"\xff", b"\xc3", b"\x00", b"\x1b"]) + data[k:], (
        data[:k].count(b"\n") + 1)


def mutate(rng: random.Random, sources: Path) -> Mutation:
    """One mutation of one of the shipped files, chosen by ``rng``."""
    names = list(FILES)
    while True:
        name = rng.choices(names, weights=[FILES[n] for n in names])[0]
        text = (sources / name).read_text(encoding="utf-8")
        kind = rng.choice(BYTE_KINDS if rng.random() < 0.1 else list(KINDS))
        if kind in BYTE_KINDS:
            data, line = _bytes_kind(rng, kind, text)
            return Mutation(name, kind, line, data)
        result = KINDS[kind](rng, text.splitlines(keepends=True))
        if result is not None:
            lines, line = result
            return Mutation(name, kind, line, "".join(lines).encode("utf-8"))


def case_rng(seed: int, case: int) -> random.Random:
    """The generator of one case: replayable alone, independent of the other cases."""
    return random.Random(f"{seed}-{case}")  # noqa: S311 - fuzzing, not cryptography


def main() -> None:
    """Print a mutation and its diff, to replay a failure by hand."""
    import difflib

    from kg.paths import SOURCES_DIR

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--case", type=int, required=True)
    p.add_argument("--write", type=Path, help="copy the sources here with the mutation applied")
    args = p.parse_args()
    mutation = mutate(case_rng(args.seed, args.case), SOURCES_DIR)
    print(mutation)
    old = (SOURCES_DIR / mutation.file).read_text(encoding="utf-8").splitlines()
    new = mutation.data.decode("utf-8", errors="replace").splitlines()
    print("\n".join(list(difflib.unified_diff(old, new, lineterm="", n=1))[:40]))
    if args.write:
        import shutil

        shutil.copytree(SOURCES_DIR, args.write)
        (args.write / mutation.file).write_bytes(mutation.data)


if __name__ == "__main__":
    main()
