#!/usr/bin/env bash
# The workbench's own study: which cheap statistic predicts which compressor makes a good proxy?
# On each shipped corpus (CPython's standard library; Perl's core modules), one comparison of the
# configurations below, 2 seeds each, at the quick preset's model and 4e12 FLOPs (the quick
# budget when the study ran; wide alphabets in the bytes view, so every model trains at least
# --min-steps steps), with the statistics, the
# robust stage and screening. Resumable: rerun to continue. The results.json of each run is copied
# to docs/study/, from which docs/study.md is written (`table` prints its tables).
#   Benchmarks/proxy-study/run.sh                   # both corpora, into experiments/proxy-study
#   CORPORA=cpython-stdlib Benchmarks/proxy-study/run.sh
#   CORPORA=perl-modules SEEDS=1 STAGES=rate,stats,train Benchmarks/proxy-study/run.sh   # docs/study.md's second corpus
#   Benchmarks/proxy-study/run.sh table             # the tables of docs/study.md
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUT="${OUT:-$ROOT/experiments/proxy-study}"
CORPORA="${CORPORA:-cpython-stdlib perl-modules}"
SEEDS="${SEEDS:-2}"
STAGES="${STAGES:-rate,stats,train,robust}"
ROBUST_SAMPLE_BYTES="${ROBUST_SAMPLE_BYTES:-131072}"   # per model, of the measured split, for the robust stage
CONFIGS=(
  bytes nibbles bytepairs gzip:level=9 gzip:container=raw zstd:level=3 zstd:level=19 brotli:quality=11
  bpe:vocab=1024 bpe:vocab=4096 bpe:vocab=16384 bpe:vocab=4096,as=gray ac:window=16 ac:window=20 ac:context=segment
)

if [ "${1:-}" != "table" ]; then
    mkdir -p "$OUT" "$ROOT/docs/study"
    BIN="$OUT/workbench"   # a copy: rebuilding the tree while the runs go on changes nothing
    if [ ! -x "$BIN" ]; then
        swift build -c release --product workbench >&2
        cp "$ROOT/.build/release/workbench" "$BIN"
    fi
    specs=(); for config in "${CONFIGS[@]}"; do specs+=(--compressor "$config"); done
    for corpus in $CORPORA; do
        run="$OUT/$corpus"
        resume=(); [ -f "$run/config.json" ] && resume=(--resume)
        echo "== $corpus ($(date -u +%H:%M:%S))" >&2
        "$BIN" compare "${specs[@]}" --corpus "corpora/$corpus.jsonl" --stages "$STAGES" --preset quick --budget-flops 4e12 \
            --seeds "$SEEDS" --robust-sample-bytes "$ROBUST_SAMPLE_BYTES" --compressed-view auto --out "$run" "${resume[@]}" || echo "$corpus: some rows failed (see $run/report.md)" >&2
        cp "$run/results.json" "$ROOT/docs/study/$corpus-results.json"
    done
fi

python3 - "$ROOT/docs/study" $CORPORA <<'PY'
import json, os, sys
folder, corpora = sys.argv[1], sys.argv[2:]
def ci(values):
    return f"[{values[0]:+.3f}, {values[1]:+.3f}]" if values else ""
for corpus in corpora:
    path = os.path.join(folder, f"{corpus}-results.json")
    if not os.path.exists(path): continue
    results = json.load(open(path))
    base = results["baseline"]
    print(f"\n### {corpus}: {results['corpus']['documents']} documents, {results['corpus']['bytes']} bytes measured, {len(base['seeds'])} seeds\n")
    print("| compressor | bytes/symbol | norm. entropy | colliding values | stability (delete 10%) | view | steps | raw bits/byte [95% CI] | gap to bytes only [95% CI] | CRLF delta vs bytes | tabs delta vs bytes |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    b = base.get("raw_bits_per_byte_ci95")
    interval = f" [{b[0]:.3f}, {b[1]:.3f}]" if b else ""  # one seed: no interval
    print(f"| *bytes only* | 1.000 | – | – | – | – | {base['steps']} | {base['raw_bits_per_byte']:.3f}{interval} | – | – | – |")
    for row in results["compressors"]:
        p = row.get("proxy") or {}
        rate = row.get("rate") or {}
        usage = row.get("symbol_usage") or {}
        coll = row.get("collisions")
        stab = (row.get("stability") or {}).get("delete_10_percent", {})
        rb = p.get("robustness") or {}
        vs = p.get("vs_baseline") or {}
        ci95 = p.get("raw_bits_per_byte_ci95")
        cell = f"{p['raw_bits_per_byte']:.3f} [{ci95[0]:.3f}, {ci95[1]:.3f}]" if p and ci95 else (f"{p['raw_bits_per_byte']:.3f}" if p else row["status"])
        gap = f"{vs['difference']:+.3f} {ci(vs.get('ci95'))}" if vs else "–"
        def rob(name):
            r = rb.get(name)
            return f"{r['vs_bytes']:+.4f}" if r and r.get("vs_bytes") is not None else "–"
        print(f"| `{row['spec'][:48]}` | {rate.get('bytes_per_symbol', 0):.3f} | {usage.get('normalized_entropy', 0):.3f} | "
              f"{(coll['colliding_value_share'] * 100):.1f}% | {stab.get('mean', 0):.3f} | {p.get('compressed_view', '–')} | {p.get('steps', '–')} | {cell} | {gap} | {rob('crlf_line_endings')} | {rob('tab_indentation')} |" if coll is not None else
              f"| `{row['spec'][:48]}` | {rate.get('bytes_per_symbol', 0):.3f} | {usage.get('normalized_entropy', 0):.3f} | no spans | {stab.get('mean', 0):.3f} | {p.get('compressed_view', '–')} | {p.get('steps', '–')} | {cell} | {gap} | {rob('crlf_line_endings')} | {rob('tab_indentation')} |")
    # Not a workbench statistic: raw bytes per trained token (bytes per symbol over the tokens a
    # symbol takes in the trained view), which sets the raw tokens' share of training at a given
    # rate r: r_raw = (1 - r) / ((1 - r) + r / bytes_per_token). Spearman's rho with the gap,
    # computed here from the same results.json (average ranks for ties).
    def ranks(values):
        order = sorted(range(len(values)), key=lambda i: values[i])
        out = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]: j += 1
            for k in range(i, j + 1): out[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return out
    def spearman(x, y):
        rx, ry = ranks(x), ranks(y)
        mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
        sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
        return sxy / (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    pairs = []
    for row in results["compressors"]:
        p = row.get("proxy") or {}
        vs = p.get("vs_baseline") or {}
        rate, desc = row.get("rate") or {}, row.get("descriptor") or {}
        if not vs or not rate: continue
        alphabet = desc.get("alphabet_size") or row.get("alphabet_size") or 256
        per_symbol = 1 if p.get("compressed_view") != "bytes" else max(1, -(-(alphabet - 1).bit_length() // 8))
        pairs.append((row["spec"], rate["bytes_per_symbol"] / per_symbol, vs["difference"]))
    if len(pairs) >= 4:
        print(f"\nRaw bytes per trained token ({corpus}): " + ", ".join(f"`{n[:24]}` {b:.2f}" for n, b, _ in pairs))
        print(f"Spearman's rho of raw bytes per trained token with the gap: {spearman([b for _, b, _ in pairs], [g for _, _, g in pairs]):+.3f} (n = {len(pairs)})")
    print(f"\nScreening ({corpus}): Spearman's rho with the gap to bytes only\n")
    print("| statistic | rho | 95% CI | p | n |")
    print("|---|---:|---:|---:|---:|")
    for s in results.get("screening") or []:
        rho = s.get("spearman")
        c = s.get("ci95")
        print(f"| {s['statistic']} | {rho:+.3f} | {('[%+.2f, %+.2f]' % tuple(c)) if c else '–'} | {s['p_value']:.3g}{'' if s['exact'] else ' (est.)'} | {s['n']} |" if rho is not None else f"| {s['statistic']} | – | – | – | {s['n']} |")
PY
