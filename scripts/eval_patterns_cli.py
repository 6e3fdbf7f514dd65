#!/usr/bin/env python3
"""Scores `telemetryhub patterns` as an outside evaluation would: the binary is run on each
Loghub-2k system's structured file (its Content column), and its CSV output is compared with the
ground truth. GA groups lines by the EventId the command wrote against the truth's EventId (as
logparser's evaluator does) and, beside it, by the EventTemplate it wrote; PA compares templates
with the truth's EventTemplate (whitespace runs as one space), as crates/patterns/src/accuracy.rs
does.

    scripts/eval_patterns_cli.py --binary target/release/telemetryhub \
        --data ../shared/bench-data/loghub2k

Every `<System>_2k.log_structured_corrected.csv` under --data is scored (its EventTemplate is the
truth); the mean over the systems is printed last.
"""

import argparse
import collections
import csv
import pathlib
import subprocess
import sys
import tempfile


def grouping_accuracy(predicted, truth):
    """Share of lines whose predicted group holds exactly the lines of their true group."""
    sizes_p = collections.Counter(predicted)
    sizes_t = collections.Counter(truth)
    pairs = collections.Counter(zip(predicted, truth))
    correct = sum(n for (p, t), n in pairs.items() if sizes_p[p] == n and sizes_t[t] == n)
    return correct / len(truth) if truth else 1.0


def normal(template):
    return " ".join(template.split())


def read_rows(path):
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        return list(csv.DictReader(file))


def score(binary, structured, workdir):
    truth = read_rows(structured)
    if not truth:
        sys.exit(f"{structured}: no rows")
    true_events = [row["EventId"] for row in truth]
    true_templates = [row["EventTemplate"] for row in truth]
    output = pathlib.Path(workdir) / (structured.stem + ".parsed.csv")
    run = subprocess.run(
        [binary, "patterns", "--input", str(structured), "--csv-column", "Content", "--output", str(output)],
        stderr=subprocess.PIPE,
        text=True,
    )
    if run.returncode != 0:
        sys.exit(f"{structured}: telemetryhub patterns failed:\n{run.stderr}")
    rows = read_rows(output)
    if len(rows) != len(truth):
        sys.exit(f"{structured}: {len(rows)} lines parsed, {len(truth)} in the truth")
    ids = [row["EventId"] for row in rows]
    templates = [row["EventTemplate"] for row in rows]
    pa = sum(normal(p) == normal(t) for p, t in zip(templates, true_templates)) / len(truth)
    return grouping_accuracy(ids, true_events), grouping_accuracy(templates, true_events), pa, len(set(ids))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the telemetryhub binary")
    parser.add_argument("--data", required=True, help="a folder of Loghub-2k structured files")
    args = parser.parse_args()
    files = sorted(pathlib.Path(args.data).glob("*_2k.log_structured_corrected.csv"))
    if not files:
        sys.exit(f"no *_2k.log_structured_corrected.csv under {args.data}")
    totals = []
    print(f"{'system':12} {'GA by id':>9} {'GA by template':>15} {'PA':>7} {'patterns':>9}")
    with tempfile.TemporaryDirectory() as workdir:
        for structured in files:
            ga_id, ga_template, pa, patterns = score(args.binary, structured, workdir)
            totals.append((ga_id, ga_template, pa))
            system = structured.name.split("_2k")[0]
            print(f"{system:12} {ga_id:9.4f} {ga_template:15.4f} {pa:7.4f} {patterns:9}")
    means = [sum(column) / len(totals) for column in zip(*totals)]
    print(f"{'mean':12} {means[0]:9.4f} {means[1]:15.4f} {means[2]:7.4f}")


if __name__ == "__main__":
    main()
