#!/usr/bin/env bash
# The README's table of the proxy experiment, from the comparison's results.json: per model and
# budget the mean raw bits per byte over seeds with its 95% interval, the seed-paired difference
# from bytes only, and the fit.
#   Benchmarks/proxy-experiment/table.sh [experiments/proxy-compare/run/results.json]
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 - "${1:-experiments/proxy-compare/run/results.json}" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
models = [("bytes only", results["baseline"])] + [(row["id"], row["proxy"]) for row in results["compressors"] if row.get("proxy")]
def interval(point):
    ci = point.get("ci95")
    return f"{point['mean']:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{point['mean']:.3f}"
budgets = sorted({p["budget_flops"] for _, r in models for p in r["sweep"]})
print("| model | view | steps | " + " | ".join(f"{b:.3g} FLOPs" for b in budgets) + " | vs bytes only (main budget) | alpha | crossover FLOPs |")
print("|---|---|---|" + "---:|" * len(budgets) + "---:|---:|---:|")
for name, record in models:
    cells = [interval(next(p for p in record["sweep"] if p["budget_flops"] == b)) for b in budgets]
    vs = record.get("vs_baseline")
    vs_text = f"{vs['difference']:+.3f} [{vs['ci95'][0]:+.3f}, {vs['ci95'][1]:+.3f}]" if vs and vs.get("ci95") else "–"
    fit = record.get("fit")
    cross = record.get("crossover_flops")
    cross_text = "–" if name == "bytes only" else ("none" if not cross else f"{cross['estimate']:.2g}" + (f" [{cross['ci95'][0]:.2g}, {cross['ci95'][1]:.2g}]" if cross.get("ci95") else ""))
    steps = "/".join(str(p["steps"]) for p in record["sweep"])
    print(f"| {name} | {record.get('compressed_view') or '–'} | {steps} | " + " | ".join(cells) + f" | {vs_text} | {fit['alpha']:.4f} | {cross_text} |" if fit else "")
PY
