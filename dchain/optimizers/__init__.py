"""dchain.optimizers (being built)."""
