"""Noise functions (``F.dropout``, ``F.gaussian`` ...)."""
from dchain.functions.noise.dropout import dropout, Dropout  # noqa: F401
from dchain.functions.noise.gaussian import gaussian, Gaussian  # noqa: F401
from dchain.functions.noise.gumbel_softmax import gumbel_softmax  # noqa: F401
from dchain.functions.noise.simplified_dropconnect import (  # noqa: F401
    simplified_dropconnect, SimplifiedDropconnect)
from dchain.functions.noise.zoneout import zoneout, Zoneout  # noqa: F401
