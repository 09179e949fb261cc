"""Learnable bias added along axes of the input (``L.Bias``)."""
from dchain import link
from dchain import variable
from dchain.functions.math.bias import bias


class Bias(link.Link):
    """Adds a bias broadcast along the axes of the input from ``axis`` (see :func:`F.bias`).

    Args:
        axis (int): the first axis of the input that the bias spans.
        shape (tuple of int or None): shape of the learnable bias ``b`` (zeros at first).
            None: the link has no parameter and the bias is the second argument of
            :meth:`forward`.

    Attributes:
        b (Parameter): the bias, if ``shape`` was given.
    """

    def __init__(self, axis=1, shape=None):
        super().__init__()
        if shape is not None:
            if isinstance(shape, int):
                shape = (shape,)
            with self.init_scope():
                self.b = variable.Parameter(0, tuple(shape))
        self.axis = axis

    def forward(self, *xs):
        """``bias(x, b)`` with the link's ``b``, or ``bias(x, y)`` for ``forward(x, y)``."""
        if hasattr(self, 'b'):
            if len(xs) != 1:
                raise TypeError('L.Bias with a learnable bias takes one input, got {}'.format(
                    len(xs)))
            return bias(xs[0], self.b, self.axis)
        if len(xs) != 2:
            raise TypeError('L.Bias without a learnable bias takes two inputs (x, bias), got '
                            '{}'.format(len(xs)))
        return bias(xs[0], xs[1], self.axis)
