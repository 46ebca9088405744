#!/usr/bin/env bash
# The README's tables of the proxy experiment, from the two comparisons' results.json: per model
# and budget the mean raw bits per byte over seeds with its 95% interval, the seed-paired
# difference from bytes only, and (for the sweep) the fitted exponent and the crossover estimate.
#   Benchmarks/proxy-experiment/table.sh [experiments/proxy-compare]
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 - "${1:-experiments/proxy-compare}" <<'PY'
import json, os, sys
folder = sys.argv[1]
def load(name):
    path = os.path.join(folder, name, "results.json")
    return json.load(open(path)) if os.path.exists(path) else None
def interval(point):
    ci = point.get("ci95")
    return f"{point['mean']:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{point['mean']:.3f}"
def difference(record):
    vs = record.get("vs_baseline")
    return f"{vs['difference']:+.3f} [{vs['ci95'][0]:+.3f}, {vs['ci95'][1]:+.3f}]" if vs and vs.get("ci95") else "–"
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}
def paired(record, baseline, budget):
    """Seed-paired difference from bytes only at one budget, from the runs, with its t interval."""
    own = {r["seed"]: r["raw_bits_per_byte"] for r in record["runs"] if r["budget_flops"] == budget}
    base = {r["seed"]: r["raw_bits_per_byte"] for r in baseline["runs"] if r["budget_flops"] == budget}
    d = [own[s] - base[s] for s in sorted(own) if s in base]
    if len(d) < 2: return "–"
    mean = sum(d) / len(d)
    sd = (sum((x - mean) ** 2 for x in d) / (len(d) - 1)) ** 0.5
    half = T95[len(d) - 1] * sd / len(d) ** 0.5
    return f"{mean:+.3f} [{mean - half:+.3f}, {mean + half:+.3f}]"
def models(results):
    return [("bytes only", results["baseline"])] + [(row["id"], row["proxy"]) for row in results["compressors"] if row.get("proxy")]

sweep, single = load("sweep"), load("single")
if sweep:
    rows = models(sweep)
    budgets = sorted({p["budget_flops"] for _, r in rows for p in r["sweep"]})
    print(f"Sweep ({len(sweep['baseline']['seeds'])} seeds; raw bits per byte, mean [95% CI]):\n")
    print("| model | view | steps | " + " | ".join(f"{b:.3g} FLOPs" for b in budgets) + " | vs bytes only (largest budget) | alpha | crossover FLOPs |")
    print("|---|---|---|" + "---:|" * len(budgets) + "---:|---:|---:|")
    for name, record in rows:
        cells = [interval(next(p for p in record["sweep"] if p["budget_flops"] == b)) for b in budgets]
        fit = record.get("fit")
        cross = record.get("crossover_flops")
        cross_text = "–" if name == "bytes only" else ("none" if not cross else f"{cross['estimate']:.2g}" + (f" [{cross['ci95'][0]:.2g}, {cross['ci95'][1]:.2g}]" if cross.get("ci95") else ""))
        steps = "/".join(str(p["steps"]) for p in record["sweep"])
        alpha = f"{fit['alpha']:.3f}" if fit else "–"
        print(f"| {name} | {record.get('compressed_view') or '–'} | {steps} | " + " | ".join(cells) + f" | {difference(record)} | {alpha} | {cross_text} |")
    print()
if single:
    budget = single["baseline"]["sweep"][0]["budget_flops"]
    print(f"At {budget:.3g} FLOPs ({len(single['baseline']['seeds'])} seeds):\n")
    print("| model | view | steps | raw bits/byte [95% CI] | sd | vs bytes only, paired [95% CI] |")
    print("|---|---|---:|---:|---:|---:|")
    rows = [(name, record, single["baseline"]) for name, record in models(single)]
    if sweep:
        rows += [(name, record, sweep["baseline"]) for name, record in models(sweep)[1:]]
    for name, record, baseline in rows:
        point = next((p for p in record["sweep"] if p["budget_flops"] == budget), None)
        if point is None: continue
        vs = "–" if name == "bytes only" else paired(record, baseline, budget)
        print(f"| {name} | {record.get('compressed_view') or '–'} | {point['steps']} | {interval(point)} | {point['sd']:.3f} | {vs} |")
PY
