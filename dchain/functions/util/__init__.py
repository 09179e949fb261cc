"""Utility functions (``F.forget``)."""
from dchain.functions.util.forget import forget, Forget  # noqa: F401
