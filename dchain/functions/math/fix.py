"""Elementwise rounding toward zero (``F.fix``); piecewise constant, so no gradient."""
from dchain.functions.math.floor import rounding


def fix(x):
    """Elementwise rounding toward zero, in the input dtype (no gradient)."""
    return rounding('F.fix', x, lambda xp, a: xp.fix(a))
