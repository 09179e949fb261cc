#!/usr/bin/env bash
# Installed in the images as /usr/local/bin/dchain-gpu-rank.
# Give each rank of a multi-GPU pod its own GPU, then run the rank's command:
#   dchain-launch -n 8 ... -- dchain-gpu-rank python train.py --device @cupy:0
# mpiexec tells each process its rank within the host (MPICH: MPI_LOCALRANKID, Open MPI:
# OMPI_COMM_WORLD_LOCAL_RANK); the GPU with that index becomes the rank's only visible one.
set -euo pipefail
CUDA_VISIBLE_DEVICES=${MPI_LOCALRANKID:-${OMPI_COMM_WORLD_LOCAL_RANK:-0}}
export CUDA_VISIBLE_DEVICES
exec "$@"
