"""Elementwise minimum of two variables, with broadcasting (``F.minimum``)."""
from dchain.functions.math.maximum import Maximum


class Minimum(Maximum):
    """``min(x1, x2)``; at ties the gradient goes to ``x1``."""

    def _select_first(self, x1, x2):
        return x1 <= x2


def minimum(x1, x2):
    """Elementwise minimum of ``x1`` and ``x2`` (floating, one dtype, broadcasting)."""
    return Minimum().apply((x1, x2))[0]
