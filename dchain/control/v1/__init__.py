"""Generated stubs of dchain.control.v1 (regenerate with protos/generate.sh)."""
