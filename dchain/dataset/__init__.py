"""dchain.dataset (being built)."""
