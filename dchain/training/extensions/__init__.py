"""dchain.training.extensions (being built)."""
