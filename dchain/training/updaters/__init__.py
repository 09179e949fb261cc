"""dchain.training.updaters (being built)."""
