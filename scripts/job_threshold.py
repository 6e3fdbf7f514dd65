#!/usr/bin/env python3
"""Chooses the anomaly job's default threshold (`DEFAULT_THRESHOLD` in crates/anomaly/src/config.rs)
the way docs/benchmarks.md describes, and prints the figures it is chosen by.

Runs the NAB test and the synthetic corpora's tests of crates/anomaly with
ANOMALY_THRESHOLD_CURVE=1, which makes them print each corpus' normalised standard-profile score at
every threshold of NAB's grid. The threshold chosen is the one with the best mean score over the
development corpora (NAB, `daily`, `varied`; the lowest on ties); each is also held out in turn
(the threshold chosen on the other two, scored on it), and the held-out corpora (`field`, `ops`,
`mixed`, `signals`, `brief`, `routine`, `sessions`, `network`, `cycles`, `environment`) are scored at the chosen threshold. Nothing here changes the code: the constant is set by hand from the output.

Usage: scripts/job_threshold.py [--current 0.732]
"""
import argparse
import collections
import os
import subprocess
import sys

DEVELOPMENT = ["nab", "daily", "varied"]
HELD_OUT = ["field", "ops", "mixed", "signals", "brief", "routine", "sessions", "network", "cycles", "environment"]


def curves(root):
    """{corpus: {threshold: standard score}} from the tests' output."""
    env = dict(os.environ, ANOMALY_THRESHOLD_CURVE="1")
    found = collections.defaultdict(dict)
    for test, name in (("nab", "nab_score_with_default_settings"), ("synthetic", "")):
        command = ["cargo", "test", "--release", "-p", "telemetryhub-anomaly", "--test", test]
        if name:
            command.append(name)
        command += ["--", "--nocapture", "--test-threads", "1"]
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        for line in result.stdout.splitlines():
            parts = line.split("\t")
            if len(parts) == 5 and parts[0] == "curve" and parts[2] == "standard":
                found[parts[1]][float(parts[3])] = float(parts[4])
    missing = [c for c in DEVELOPMENT + HELD_OUT if c not in found]
    if missing:
        sys.exit(f"no curve printed for {missing}")
    return found


def best(found, corpora, thresholds):
    """The threshold with the best mean score over `corpora`, the lowest on ties."""
    return max(thresholds, key=lambda t: (sum(found[c][t] for c in corpora), -t))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--current", type=float, default=None, help="threshold to compare with")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = curves(root)
    # The thresholds every corpus was scored at (the grid; the NAB test's also has 0).
    thresholds = sorted(set.intersection(*(set(found[c]) for c in DEVELOPMENT + HELD_OUT)))
    chosen = best(found, DEVELOPMENT, thresholds)
    mean = sum(found[c][chosen] for c in DEVELOPMENT) / len(DEVELOPMENT)
    print(f"chosen on {', '.join(DEVELOPMENT)}: {chosen:.3f} (mean standard score {mean:.2f})")
    for corpus in DEVELOPMENT:
        others = [c for c in DEVELOPMENT if c != corpus]
        threshold = best(found, others, thresholds)
        print(f"  {corpus:<7} held out: chosen {threshold:.3f} on the others, scores {found[corpus][threshold]:6.2f}"
              f" (its own best {max(found[corpus].values()):6.2f} at {best(found, [corpus], thresholds):.3f})")
    for corpus in HELD_OUT:
        print(f"  {corpus:<7} (held out) at {chosen:.3f}: {found[corpus][chosen]:6.2f}")
    if args.current is not None:
        current = min(thresholds, key=lambda t: abs(t - args.current))
        scores = ", ".join(f"{c} {found[c][current]:.2f}" for c in DEVELOPMENT + HELD_OUT)
        print(f"at {current:.3f}: {scores}")


if __name__ == "__main__":
    main()
