#!/usr/bin/env python3
"""Mutation score per exercise, and every mutant the grading tests did not kill, from Stryker's JSON report.

   python3 tests/mutation/score.py tests/mutation/out/mutation-report.json
"""
import json
import re
import sys
from collections import Counter, defaultdict

# Stryker's own definition: killed (and timed-out) mutants over all mutants that ran or could have run.
DETECTED = {"Killed", "Timeout"}
UNDETECTED = {"Survived", "NoCoverage"}


def exercise_of(path):
    match = re.search(r"solutions[\\/](\d\d-[^\\/]+)[\\/]", path)
    return match.group(1) if match else "other"


def main(report_path):
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    counts = defaultdict(Counter)
    undetected = defaultdict(list)
    for path, entry in report["files"].items():
        exercise = exercise_of(path)
        source = entry.get("source", "").split("\n")
        for mutant in entry["mutants"]:
            counts[exercise][mutant["status"]] += 1
            if mutant["status"] in UNDETECTED:
                line = mutant["location"]["start"]["line"]
                original = source[line - 1].strip() if 0 < line <= len(source) else ""
                short = path[path.find("solutions"):] if "solutions" in path else path
                undetected[exercise].append((short, line, mutant["status"], mutant["mutatorName"], mutant.get("replacement", ""), original))

    print(f"{'exercise':<20} {'score':>7} {'killed':>7} {'survived':>9} {'no cover':>9} {'timeout':>8} {'compile err':>12} {'ignored':>8}")
    total = Counter()
    for exercise in sorted(counts):
        c = counts[exercise]
        total.update(c)
        print(row(exercise, c))
    print(row("all", total))
    for exercise in sorted(undetected):
        print(f"\n{exercise}: not killed")
        for short, line, status, mutator, replacement, original in sorted(undetected[exercise], key=lambda m: (m[0], m[1])):
            print(f"  {short}:{line} [{status}] {mutator}: -> {one_line(replacement)}")
            print(f"      {one_line(original)}")


def row(name, c):
    detected = sum(c[s] for s in DETECTED)
    valid = detected + sum(c[s] for s in UNDETECTED)
    score = f"{100.0 * detected / valid:.1f}%" if valid else "n/a"
    return f"{name:<20} {score:>7} {c['Killed']:>7} {c['Survived']:>9} {c['NoCoverage']:>9} {c['Timeout']:>8} {c['CompileError']:>12} {c['Ignored']:>8}"


def one_line(text):
    text = " ".join(text.split())
    return text if len(text) <= 110 else text[:107] + "..."


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
