"""dchain.datasets (being built)."""
