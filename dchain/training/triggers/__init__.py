"""dchain.training.triggers (being built)."""
