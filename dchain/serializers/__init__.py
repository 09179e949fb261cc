"""dchain.serializers (being built)."""
