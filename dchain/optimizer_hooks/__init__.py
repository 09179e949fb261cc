"""dchain.optimizer_hooks (being built)."""
