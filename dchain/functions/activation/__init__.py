"""Activation functions (``F.relu``, ``F.tanh``, ``F.sigmoid`` ...)."""
from dchain.functions.activation.tanh import tanh, Tanh  # noqa: F401
