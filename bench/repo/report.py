#!/usr/bin/env python3
"""Prints the results of bench/repo/run.sh: a table for the terminal, then the same as Markdown.

Usage: report.py RESULTS.tsv --packages N --replaced N --corpus-mb MB --runs N --load L
                 --repo-builder CMD

RESULTS.tsv holds one measured run a line: case, tool, run, wall s, user s, sys s, peak RSS KiB,
and for repo-builder whether its packages matched createrepo_c's (ok / differs / -). For each
case and tool the run with the lowest wall time is reported, with that run's CPU time (user +
sys) and peak RSS."""

import argparse
import os
import subprocess
from datetime import datetime, timezone

CASES = ["full", "noop", "replace"]
TOOLS = ["createrepo_c", "repo-builder"]
# The most repo-builder may take, as a multiple of createrepo_c's wall time, on a repository of at
# least TARGET_PACKAGES packages; on a smaller one the JVM's start-up dominates and the ratio is
# only reported. At TARGET_RSS_PACKAGES packages and more, peak RSS has a ceiling too.
TARGETS = {"full": 1.2, "noop": 0.5, "replace": 0.5}
TARGET_PACKAGES = 10_000
TARGET_RSS_PACKAGES = 50_000
TARGET_RSS_MB = 256


def first_line(command):
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError:
        return "not installed"
    text = (done.stdout + done.stderr).strip()
    return text.splitlines()[0] if text else "?"


def load(path):
    runs = {}
    with open(path) as f:
        for line in f:
            case, tool, run, wall, user, sys_, rss, check = line.rstrip("\n").split("\t")
            runs.setdefault((case, tool), []).append(
                {"run": int(run), "wall": float(wall), "cpu": float(user) + float(sys_),
                 "rss": int(rss) / 1024, "check": check})
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("--packages", type=int, required=True)
    ap.add_argument("--replaced", type=int, required=True)
    ap.add_argument("--corpus-mb", type=float, required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--load", required=True, help="the load average before the runs")
    ap.add_argument("--repo-builder", required=True, help="the repo-builder command prefix used")
    args = ap.parse_args()
    runs = load(args.results)

    labels = {
        "full": f"full index, {args.packages:,} packages, no repodata",
        "noop": "--update, nothing changed",
        "replace": f"--update, {args.replaced} of {args.packages:,} replaced",
    }
    rows = []
    for case in CASES:
        best = {t: min(runs[(case, t)], key=lambda r: r["wall"]) for t in TOOLS if (case, t) in runs}
        for tool in TOOLS:
            if tool not in best:
                continue
            r = best[tool]
            ratio = target = checked = ""
            if tool == "repo-builder" and "createrepo_c" in best:
                # Judged as printed, so a ratio shown as 1.00× never reads as a miss of ≤ 1.0×.
                value = round(r["wall"] / best["createrepo_c"]["wall"], 2)
                goal = TARGETS[case]
                ratio = f"{value:.2f}×"
                if args.packages >= TARGET_PACKAGES:
                    target = f"≤ {goal:.1f}× {'met' if value <= goal else 'MISSED'}"
                else:
                    target = f"no target below {TARGET_PACKAGES:,} packages"
                if args.packages >= TARGET_RSS_PACKAGES:
                    peak = max(x["rss"] for x in runs[(case, tool)])
                    target += (f"; peak RSS {peak:.0f} MB, ≤ {TARGET_RSS_MB} MB "
                               f"{'met' if peak <= TARGET_RSS_MB else 'MISSED'}")
                checks = [x["check"] for x in runs[(case, tool)]]
                bad = sum(1 for c in checks if c != "ok")
                checked = "yes" if bad == 0 else f"NO in {bad} of {len(checks)} runs"
            rows.append([labels[case], tool, f"{r['wall']:.3f}", f"{r['cpu']:.2f}", f"{r['rss']:.0f}",
                         ratio, target, checked])

    uname = os.uname()
    facts = [
        f"run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; nproc {len(os.sched_getaffinity(0))}; "
        f"Linux {uname.release} {uname.machine}; load average before the runs {args.load}",
        f"createrepo_c {first_line(['createrepo_c', '--version']).replace('Version: ', '')}; "
        f"java: {first_line(['java', '-version'])}",
        f"corpus: {args.packages:,} RPMs, {args.corpus_mb:.0f} MiB; best wall time of {args.runs} "
        f"run{'s' if args.runs != 1 else ''}, with that run's CPU time and peak RSS",
        "createrepo_c: createrepo_c --no-database --workers 2 [--update] DIR",
        f"repo-builder: {args.repo_builder} [--update] DIR",
    ]
    header = ["case", "tool", "wall s", "CPU s", "peak RSS MB", "repo-builder / createrepo_c wall",
              "target", "same packages"]

    print()
    for fact in facts:
        print(fact)
    print()
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))).rstrip())

    print()
    print("Markdown:")
    print()
    for fact in facts:
        print(f"{fact}  ")
    print()
    print("| case | tool | wall (s) | CPU (s) | peak RSS (MB) | repo-builder / createrepo_c wall (target) | same packages |")
    print("|---|---|---|---|---|---|---|")
    last_case = None
    for case_label, tool, wall, cpu, rss, ratio, target, checked in rows:
        shown = case_label if case_label != last_case else ""
        last_case = case_label
        ratio_cell = f"{ratio} ({target})" if ratio else ""
        print(f"| {shown} | {tool} | {wall} | {cpu} | {rss} | {ratio_cell} | {checked} |")


if __name__ == "__main__":
    main()
