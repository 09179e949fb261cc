"""Fully connected maxout layer (``L.Maxout``)."""
import numpy

from dchain import link
from dchain.functions.activation.maxout import maxout
from dchain.links.connection.linear import Linear


class Maxout(link.Chain):
    """``y_i = max_j (W_ij . x + b_ij)``: ``pool_size`` affine units per output, keep the max.

    Internally a :class:`~dchain.links.Linear` of ``out_size * pool_size`` outputs, whose
    output ``i * pool_size + j`` is the unit ``j`` of output ``i``.

    Args:
        in_size (int or None): input size (None: inferred on the first call).
        out_size (int): output size.
        pool_size (int): number of units pooled into each output.
        initialW: initializer, scalar, or array of shape ``(out_size, pool_size, in_size)``
            for the weights.
        initial_bias: initializer, scalar, or array of shape ``(out_size, pool_size)`` for
            the bias; None removes the bias.

    Attributes:
        linear (Linear): the affine part.
    """

    def __init__(self, in_size, out_size, pool_size, initialW=None, initial_bias=0):
        super().__init__()
        linear_out_size = out_size * pool_size
        if isinstance(initialW, numpy.ndarray) or hasattr(initialW, 'ndim'):
            if initialW.ndim != 3:
                raise ValueError('Maxout: initialW must have 3 dimensions (out_size, '
                                 'pool_size, in_size), got shape {}'.format(initialW.shape))
            initialW = initialW.reshape(linear_out_size, -1)
        nobias = initial_bias is None
        if hasattr(initial_bias, 'ndim') and not numpy.isscalar(initial_bias):
            if initial_bias.ndim != 2:
                raise ValueError('Maxout: initial_bias must have 2 dimensions (out_size, '
                                 'pool_size), got shape {}'.format(initial_bias.shape))
            initial_bias = initial_bias.reshape(linear_out_size)
        self.out_size = out_size
        self.pool_size = pool_size
        with self.init_scope():
            self.linear = Linear(in_size, linear_out_size, nobias=nobias, initialW=initialW,
                                 initial_bias=initial_bias)

    def forward(self, x):
        """Affine map of ``x`` (flattened after the batch axis), then max over each pool."""
        return maxout(self.linear(x), self.pool_size)
