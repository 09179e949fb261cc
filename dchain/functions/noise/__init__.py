"""Noise functions (``F.dropout``, ``F.gaussian`` ...)."""
from dchain.functions.noise.dropout import dropout, Dropout  # noqa: F401
