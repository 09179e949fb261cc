"""Index of the minimum along an axis (``F.argmin``); not differentiable."""
from dchain.functions.math.argmax import ArgMax


class ArgMin(ArgMax):
    """``argmin`` over one axis (None: the flattened array), as int32."""

    _name = 'F.argmin'

    def _reduce(self, xp, x):
        return xp.argmin(x, axis=self.axis)


def argmin(x, axis=None):
    """Indices of the minimum values along ``axis`` (int32; no gradient).

    Args:
        x (Variable or array): floating input.
        axis (None or int): the axis; None uses the flattened array.
    """
    return ArgMin(axis).apply((x,))[0]
