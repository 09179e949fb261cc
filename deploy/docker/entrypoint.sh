#!/usr/bin/env bash
# Container entrypoint of the dchain images: run a command, or hand options to dchain-launch.
#
#   docker run IMAGE                                  -> the data-parallel MNIST example, 1 rank
#   docker run IMAGE -n 2 -- python train.py ...      -> dchain-launch -n 2 -- python train.py ...
#   docker run IMAGE python train.py ...              -> runs the command as given
#   docker run IMAGE dchain status ...                -> any other command, as given
set -euo pipefail

if [[ $# -eq 0 ]]; then
    set -- python examples/mnist/train_mnist_multi_node.py --dataset digits
fi

# Options first (e.g. "-n 2") mean "launch this under dchain-launch".
if [[ "$1" == -* ]]; then
    if command -v dchain-launch >/dev/null 2>&1; then
        exec dchain-launch "$@"
    fi
    exec python -m launcher "$@"
fi

exec "$@"
