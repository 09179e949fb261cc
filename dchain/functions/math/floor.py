"""Elementwise floor (``F.floor``); piecewise constant, so no gradient."""
from dchain import utils
from dchain import variable
from dchain.utils import type_check


def rounding(func_name, x, round_array):
    """Apply ``round_array(xp, array)`` to a Variable or array; a Variable without gradient.

    Rounding functions are flat almost everywhere, so Chainer returns them outside the graph.
    """
    array = variable.as_array(x)
    if not hasattr(array, 'dtype'):
        raise TypeError('{}: expected a Variable or an array, got {}'.format(
            func_name, type(x).__name__))
    if array.dtype.kind not in 'fiu':
        raise type_check.InvalidType('x.dtype.kind in "fiu"', 'x.dtype == {}'.format(
            array.dtype))
    xp = utils.get_xp(array)
    return variable.Variable(utils.force_array(round_array(xp, array), array.dtype),
                             requires_grad=False)


def floor(x):
    """Elementwise floor, in the input dtype (no gradient)."""
    return rounding('F.floor', x, lambda xp, a: xp.floor(a))
