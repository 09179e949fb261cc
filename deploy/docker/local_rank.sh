#!/usr/bin/env bash
# Run a rank's command with "{local_rank}" in its arguments replaced by the rank's index on
# its host, and DCHAIN_LOCAL_RANK exported (installed in the images as dchain-local-rank):
#
#   dchain-launch -n 8 --hostfile hosts -- dchain-local-rank python train.py --device '@cupy:{local_rank}'
#   srun --gpu-bind=none bash deploy/docker/local_rank.sh python train.py --device '@cupy:{local_rank}'
#
# One process per GPU with every GPU of the host visible, each on GPU <local rank>: the GPU
# communicators (pure_nccl, hierarchical, ...) use GPU comm.intra_rank, which is this index.
# The launchers name it differently: Slurm SLURM_LOCALID, MPICH MPI_LOCALRANKID, Open MPI
# OMPI_COMM_WORLD_LOCAL_RANK.
set -euo pipefail
DCHAIN_LOCAL_RANK=${MPI_LOCALRANKID:-${OMPI_COMM_WORLD_LOCAL_RANK:-${SLURM_LOCALID:-0}}}
export DCHAIN_LOCAL_RANK
exec "${@//\{local_rank\}/$DCHAIN_LOCAL_RANK}"
