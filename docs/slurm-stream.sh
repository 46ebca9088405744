#!/usr/bin/env bash
# Export a proxy-training run's stream as a Slurm job array: one array task per training rank.
#   sbatch --array=0-7 docs/slurm-stream.sh /data/stack.jsonl /scratch/stream-gzip gzip \
#       --rate 0.9 --width 2048 --layers 20 --heads 16 --context 2048 --batch 1024 --budget-flops 1e20
# SPEC "-" exports the bytes-only baseline. Every option after SPEC is `workbench train`'s.
# Rank R writes rows R*B/N ..< (R+1)*B/N of every step (N = the array size, which must divide
# --batch) as shard-R-of-N.*; rank 0 also writes the evaluation documents and, with
# --save-initial-weights, the initial weights. Every rank packs the whole stream (packing is
# sequential) and writes only its rows. Resubmitting skips complete shards.
#SBATCH --job-name=workbench-stream
#SBATCH --cpus-per-task=8
#SBATCH --mem=32G
#SBATCH --time=08:00:00
#SBATCH --requeue
set -euo pipefail
CORPUS=${1:?usage: sbatch --array=0-N docs/slurm-stream.sh CORPUS OUT_DIR SPEC [train options...]}
OUT=${2:?output directory}
SPEC=${3:?compressor spec, or - for bytes only}
shift 3
: "${SLURM_ARRAY_TASK_ID:?run under sbatch --array (SLURM_ARRAY_TASK_ID is the rank)}"
: "${SLURM_ARRAY_TASK_COUNT:?run under sbatch --array}"
WORKBENCH=${WORKBENCH:-workbench}
compressor=()
[ "$SPEC" = "-" ] || compressor=(--compressor "$SPEC")
exec "$WORKBENCH" export --format training-stream "${compressor[@]}" --corpus "$CORPUS" \
  --rank "$SLURM_ARRAY_TASK_ID" --world-size "$SLURM_ARRAY_TASK_COUNT" --out "$OUT" "$@"
