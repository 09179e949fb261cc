"""Connections with parameters, as functions (``F.linear``, ``F.convolution_2d`` ...)."""
from dchain.functions.connection.linear import linear, LinearFunction  # noqa: F401
