#!/usr/bin/env bash
# Train an exported stream with the PyTorch trainer on Slurm: torchrun on every node, one
# process per GPU (DistributedDataParallel; pass --fsdp to shard the model instead).
#   sbatch --nodes=1 --gpus-per-node=8 docs/slurm-torchrun.sh /scratch/stream-gzip /scratch/runs/gzip
# Nodes x GPUs per node is the world size: it must divide the stream's batch, and equal the
# export's array size for a sharded stream. A requeued job resumes from the run's checkpoint.
# Needs `pip install -e trainers/pytorch` (and a CUDA build of torch) in the job's environment.
#SBATCH --job-name=proxytrain
#SBATCH --nodes=1
#SBATCH --ntasks-per-node=1
#SBATCH --gpus-per-node=8
#SBATCH --cpus-per-task=32
#SBATCH --time=48:00:00
#SBATCH --requeue
set -euo pipefail
STREAM=${1:?usage: sbatch docs/slurm-torchrun.sh STREAM OUT_DIR [proxytrain train options...]}
OUT=${2:?run directory}
shift 2
gpus=${SLURM_GPUS_ON_NODE:-$(nvidia-smi --list-gpus | wc -l)}
head=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)
resume=()
[ -f "$OUT/checkpoint.safetensors" ] && resume=(--resume)
srun torchrun --nnodes "$SLURM_NNODES" --nproc-per-node "$gpus" --rdzv-backend c10d \
  --rdzv-endpoint "$head:29500" --rdzv-id "$SLURM_JOB_ID" \
  -m proxytrain train --stream "$STREAM" --out "$OUT" "${resume[@]}" "$@"
