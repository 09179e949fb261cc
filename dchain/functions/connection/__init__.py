"""Connections with parameters, as functions (``F.linear``, ``F.convolution_2d`` ...)."""
from dchain.functions.connection.linear import linear, LinearFunction  # noqa: F401
from dchain.functions.connection.embed_id import embed_id, EmbedIDFunction  # noqa: F401
