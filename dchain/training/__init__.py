"""dchain.training (being built)."""
