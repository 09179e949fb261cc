"""dchain.iterators (being built)."""
