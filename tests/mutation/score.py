#!/usr/bin/env python3
"""Mutation score per exercise, and every mutant the grading tests did not kill, from Stryker's JSON report.

   python3 tests/mutation/score.py tests/mutation/out/mutation-report.json [--strict]

Survivors named in equivalent.tsv (next to this script) are matched by content, not line number:
same file, same mutator, the same mutated code and replacement. Two scores are printed per
exercise: Stryker's own, and the score over the mutants not named equivalent. Every survivor
that no row names is listed, and so is every row that names a mutant the tests now kill (it
was not equivalent after all) or that matches nothing in the files the report covers (the
code changed). With --strict the exit code is 1 when any of those lists is not empty.
"""
import csv
import json
import os
import re
import sys
from collections import Counter, defaultdict

# Stryker's own definition: killed (and timed-out) mutants over all mutants that ran or could have run.
DETECTED = {"Killed", "Timeout"}
UNDETECTED = {"Survived", "NoCoverage"}
EQUIVALENT_LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "equivalent.tsv")


def exercise_of(path):
    match = re.search(r"solutions[\\/](\d\d-[^\\/]+)[\\/]", path)
    return match.group(1) if match else "other"


def short_path(path):
    """The path under solutions/, with forward slashes: 05-server/TlsServer.cs."""
    path = path.replace("\\", "/")
    index = path.find("solutions/")
    return path[index + len("solutions/"):] if index >= 0 else path


def norm(text):
    return " ".join(text.split())


def span(lines, location):
    """The source text Stryker mutated (columns are 1-based, the end exclusive)."""
    start, end = location["start"], location["end"]
    if start["line"] == end["line"]:
        return lines[start["line"] - 1][start["column"] - 1:end["column"] - 1]
    parts = [lines[start["line"] - 1][start["column"] - 1:]]
    parts += lines[start["line"]:end["line"] - 1]
    parts.append(lines[end["line"] - 1][:end["column"] - 1])
    return "\n".join(parts)


class Equivalent:
    """One row of equivalent.tsv: file, mutator, original, mutated, reason.

    original is a piece of the source line, exactly as written, that covers the mutated code
    (enough of the line to tell two identical mutations apart: "ownsSocket: false", not "false");
    ending in "..." it is instead the start of a mutated span of several lines, whitespace
    collapsed. mutated is Stryker's replacement, whitespace collapsed, "..." likewise.
    """

    def __init__(self, row, number):
        self.file, self.mutator, self.original, self.mutated, self.reason = (c.strip() for c in row)
        self.mutated = norm(self.mutated)
        self.number = number
        self.matched = []

    def matches(self, file, mutator, mutated_span, replacement, line, location):
        if file != self.file or mutator != self.mutator or not prefix_or_equal(self.mutated, replacement):
            return False
        if self.original.endswith("..."):
            return mutated_span.startswith(norm(self.original[:-3]))
        start, end = location["start"], location["end"]
        if start["line"] != end["line"]:
            return False
        # Some occurrence of the piece on the mutant's line covers exactly the columns Stryker changed.
        first, last = start["column"] - 1, end["column"] - 1
        at = line.find(self.original)
        while at >= 0:
            if at <= first and last <= at + len(self.original):
                return True
            at = line.find(self.original, at + 1)
        return False


def prefix_or_equal(pattern, text):
    return text.startswith(pattern[:-3]) if pattern.endswith("...") else text == pattern


def load_equivalents(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8", newline="") as f:
        for number, row in enumerate(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if not row or row[0].startswith("#") or row[0] == "file":
                continue
            if len(row) != 5:
                sys.exit(f"{path}:{number}: expected 5 tab-separated columns (file, mutator, original, mutated, reason), found {len(row)}")
            rows.append(Equivalent(row, number))
    return rows


def main(report_path, strict):
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    equivalents = load_equivalents(EQUIVALENT_LIST)
    counts = defaultdict(Counter)
    unnamed = defaultdict(list)
    killed_but_named = []
    files_seen = set()
    for path, entry in report["files"].items():
        exercise = exercise_of(path)
        file = short_path(path)
        if entry["mutants"]:
            files_seen.add(file)
        lines = entry.get("source", "").split("\n")
        for mutant in entry["mutants"]:
            status = mutant["status"]
            counts[exercise][status] += 1
            if status not in UNDETECTED and status not in DETECTED:
                continue
            location = mutant["location"]
            mutated_span = norm(span(lines, location))
            source_line = lines[location["start"]["line"] - 1]
            replacement = norm(mutant.get("replacement", ""))
            named = [e for e in equivalents if e.matches(file, mutant["mutatorName"], mutated_span, replacement, source_line, location)]
            line = location["start"]["line"]
            described = (file, line, status, mutant["mutatorName"], mutated_span, replacement)
            for e in named:
                e.matched.append(described)
            if status in DETECTED:
                if named:
                    killed_but_named.append((named[0], described))
            elif named:
                counts[exercise]["Equivalent"] += 1
            else:
                unnamed[exercise].append(described)

    # Under 80 columns. "killed" counts timeouts too, as Stryker does; ignored mutants do not count at all.
    print(f"{'exercise':<17} {'score':>6} {'killed':>6} {'surv.':>5} {'no cov':>6} {'c.err':>5} {'equiv':>5} {'w/o equivalents':>18}")
    total = Counter()
    for exercise in sorted(counts):
        c = counts[exercise]
        total.update(c)
        print(row(exercise, c))
    print(row("all", total))

    print("\nNot killed and not named in equivalent.tsv:" + ("" if unnamed else " none"))
    for exercise in sorted(unnamed):
        for file, line, status, mutator, original, replacement in sorted(unnamed[exercise], key=lambda m: (m[0], m[1])):
            show(file, line, status, mutator, original, replacement)

    if killed_but_named:
        print("\nNamed equivalent, but killed (not equivalent after all: remove the row):")
        for e, (file, line, status, mutator, original, replacement) in killed_but_named:
            show(file, line, status, mutator, original, replacement)
            print(f"      named on equivalent.tsv line {e.number}")

    stale = [e for e in equivalents if not e.matched and e.file in files_seen]
    if stale:
        print("\nRows of equivalent.tsv that match no mutant of the files in this report (the code changed):")
        for e in stale:
            print(f"  equivalent.tsv line {e.number}: {e.file} {e.mutator}")
            print(f"      {one_line(e.original)}")
            print(f"      -> {one_line(e.mutated)}")

    if strict and (unnamed or killed_but_named or stale):
        sys.exit(1)


def row(name, c):
    detected = sum(c[s] for s in DETECTED)
    valid = detected + sum(c[s] for s in UNDETECTED)
    score = f"{100.0 * detected / valid:.1f}%" if valid else "n/a"
    named = valid - c["Equivalent"]
    without = f"{100.0 * detected / named:.1f}% ({detected}/{named})" if named else "n/a"
    return (f"{name:<17} {score:>6} {detected:>6} {c['Survived']:>5} {c['NoCoverage']:>6} {c['CompileError']:>5} {c['Equivalent']:>5} "
            f"{without:>18}")


def show(file, line, status, mutator, original, replacement):
    print(f"  {file}:{line} [{status}] {mutator}")
    print(f"      {one_line(original)}")
    print(f"      -> {one_line(replacement)}")


def one_line(text):
    text = norm(text)
    return text if len(text) <= 70 else text[:67] + "..."


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--strict"]
    if len(arguments) != 1:
        sys.exit(__doc__)
    main(arguments[0], strict="--strict" in sys.argv[1:])
