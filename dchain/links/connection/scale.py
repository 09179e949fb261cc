"""Learnable scale multiplied along axes of the input, optionally plus a bias (``L.Scale``)."""
from dchain import link
from dchain import variable
from dchain.functions.math.scale import scale
from dchain.links.connection.bias import Bias


class Scale(link.Chain):
    """Multiplies by a scale broadcast along the axes of the input from ``axis``.

    See :func:`F.scale`.

    Args:
        axis (int): the first axis of the input that the scale spans.
        W_shape (tuple of int or None): shape of the learnable scale ``W`` (ones at first).
            None: the link has no ``W`` and the scale is the second argument of
            :meth:`forward`.
        bias_term (bool): also add a learnable bias (an :class:`L.Bias` child ``bias``).
        bias_shape (tuple of int or None): shape of the bias when ``W_shape`` is None
            (required then with ``bias_term``); otherwise the bias has ``W_shape``.

    Attributes:
        W (Parameter): the scale, if ``W_shape`` was given.
        bias (L.Bias): the bias link, if ``bias_term``.
    """

    def __init__(self, axis=1, W_shape=None, bias_term=False, bias_shape=None):
        super().__init__()
        if isinstance(W_shape, int):
            W_shape = (W_shape,)
        with self.init_scope():
            if W_shape is not None:
                self.W = variable.Parameter(1, tuple(W_shape))
                if bias_term:
                    self.bias = Bias(axis, W_shape)
            elif bias_term:
                if bias_shape is None:
                    raise ValueError('L.Scale: bias_shape is required when bias_term is True '
                                     'and W_shape is None')
                self.bias = Bias(axis, bias_shape)
        self.axis = axis

    def forward(self, *xs):
        """``scale(x, W)`` with the link's ``W``, or ``scale(x, y)`` for ``forward(x, y)``;
        then the bias if the link has one."""
        if hasattr(self, 'W'):
            if len(xs) != 1:
                raise TypeError('L.Scale with a learnable W takes one input, got {}'.format(
                    len(xs)))
            z = scale(xs[0], self.W, self.axis)
        else:
            if len(xs) != 2:
                raise TypeError('L.Scale without a learnable W takes two inputs (x, scale), '
                                'got {}'.format(len(xs)))
            z = scale(xs[0], xs[1], self.axis)
        if hasattr(self, 'bias'):
            return self.bias(z)
        return z
