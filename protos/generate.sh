#!/bin/sh
# Regenerate the committed Python stubs of the control plane (needs grpcio-tools).
cd "$(dirname "$0")/.." && exec python -m dchain.control._generate "$@"
