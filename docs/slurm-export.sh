#!/usr/bin/env bash
# Export a corpus for the reference trainer as a Slurm job array: one array task per shard.
#   sbatch --array=0-63 docs/slurm-export.sh /data/stack.jsonl /scratch/export-bpe bpe:tokenizer=/data/bpe16k/tokenizer.json
# Set CORPUS_SHA256 (e.g. from `sha256sum` of a JSONL file) so ranks skip hashing the whole corpus.
# then, once every task has finished (or as a dependent job: sbatch --dependency=afterok:<jobid>):
#   workbench merge /scratch/export-bpe --out /data/stack-bpe
# Resubmitting the same array is safe: complete shards are verified (size, SHA-256) and skipped,
# killed or truncated ones are redone. Do not change --array's size for an existing directory.
#SBATCH --job-name=workbench-export
#SBATCH --cpus-per-task=8
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --requeue
set -euo pipefail
CORPUS=${1:?usage: sbatch --array=0-N docs/slurm-export.sh CORPUS OUT_DIR SPEC [FORMAT]}
OUT=${2:?output directory}
SPEC=${3:?compressor spec, e.g. zstd or bpe:tokenizer=PATH}
FORMAT=${4:-token-array}
: "${SLURM_ARRAY_TASK_ID:?run under sbatch --array (SLURM_ARRAY_TASK_ID is the rank)}"
: "${SLURM_ARRAY_TASK_COUNT:?run under sbatch --array}"
# Ranks are 0-based: the array must be --array=0-(N-1), so the task count is the world size.
WORKBENCH=${WORKBENCH:-workbench}
exec "$WORKBENCH" export --compressor "$SPEC" --format "$FORMAT" --corpus "$CORPUS" \
  --rank "$SLURM_ARRAY_TASK_ID" --world-size "$SLURM_ARRAY_TASK_COUNT" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" --out "$OUT" ${CORPUS_SHA256:+--corpus-sha256 "$CORPUS_SHA256"}
