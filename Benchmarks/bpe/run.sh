#!/usr/bin/env bash
# The BPE benchmark: our release build against HuggingFace tokenizers and tiktoken,
# measured in the same run on the shipped corpus. Creates the Python venv if missing.
#
#   Benchmarks/bpe/run.sh            # everything (HF's pure-BPE training alone takes minutes)
#   SKIP_NONE=1 Benchmarks/bpe/run.sh  # skip the pure-BPE (pretokenizer=none) comparison
#
# Results: one JSON line per measurement in $OUT/results.jsonl, and a summary on stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/Benchmarks/bpe"
VENV="$ROOT/.venv-bpe"
CORPUS="${CORPUS:-$ROOT/corpora/cpython-stdlib.jsonl}"
SCRATCH="$ROOT/.build-bpe-bench"
OUT="${OUT:-$SCRATCH/results}"
mkdir -p "$OUT"
: > "$OUT/results.jsonl"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet tokenizers tiktoken
fi
PY="$VENV/bin/python"

swift build -c release --package-path "$HERE" --scratch-path "$SCRATCH" >&2
BENCH="$SCRATCH/release/bpe-bench"

record() { tee -a "$OUT/results.jsonl"; }

echo "== training, gpt2 pre-tokenizer, vocab 16384 (train split)" >&2
"$BENCH" train --corpus "$CORPUS" --vocab 16384 --pretokenizer gpt2 --out "$OUT/ours-gpt2-16384" | record
"$PY" "$HERE/reference.py" train --corpus "$CORPUS" --vocab 16384 --pretokenizer gpt2 --out "$OUT/hf-gpt2-16384" | record
"$PY" "$HERE/reference.py" merges "$OUT/ours-gpt2-16384/tokenizer.json" "$OUT/hf-gpt2-16384/tokenizer.json" | record

if [ -z "${SKIP_NONE:-}" ]; then
    echo "== training, no pre-tokenizer (pure BPE), vocab 4096 (train split)" >&2
    "$BENCH" train --corpus "$CORPUS" --vocab 4096 --pretokenizer none --out "$OUT/ours-none-4096" | record
    "$PY" "$HERE/reference.py" train --corpus "$CORPUS" --vocab 4096 --pretokenizer none --out "$OUT/hf-none-4096" | record
    "$PY" "$HERE/reference.py" merges "$OUT/ours-none-4096/tokenizer.json" "$OUT/hf-none-4096/tokenizer.json" | record
fi

echo "== encoding the whole corpus with HF's 16384 tokenizer, one thread" >&2
"$BENCH" encode --corpus "$CORPUS" --tokenizer "$OUT/hf-gpt2-16384/tokenizer.json" --ids-out "$OUT/ours-ids.bin" | record
"$PY" "$HERE/reference.py" encode --corpus "$CORPUS" --tokenizer "$OUT/hf-gpt2-16384/tokenizer.json" --ours-ids "$OUT/ours-ids.bin" | record

echo "== interop: HF tokenizers loads tokenizer.json files we trained and encodes like us" >&2
for pre in gpt2 gpt4 whitespace none; do
    "$BENCH" train --corpus "$CORPUS" --vocab 4096 --pretokenizer "$pre" --out "$OUT/ours-$pre-4096" > /dev/null
    "$BENCH" encode --corpus "$CORPUS" --tokenizer "$OUT/ours-$pre-4096/tokenizer.json" --passes 1 \
        --ids-out "$OUT/ours-$pre-4096/ids.bin" > /dev/null
    "$PY" "$HERE/reference.py" hf-check --corpus "$CORPUS" --tokenizer "$OUT/ours-$pre-4096/tokenizer.json" \
        --ours-ids "$OUT/ours-$pre-4096/ids.bin" | record
done

"$PY" "$HERE/summarize.py" "$OUT/results.jsonl"
