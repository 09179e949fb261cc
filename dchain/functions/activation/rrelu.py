"""Randomized leaky ReLU (``F.rrelu``)."""
from dchain import function_node
from dchain import utils
from dchain.config import config
from dchain.utils import type_check


class RReLU(function_node.FunctionNode):
    """``x`` where ``x >= 0``, ``r * x`` elsewhere, with ``r`` drawn from ``U(lower, upper)``.

    In training mode each element gets its own random slope (unless ``r`` is given); outside
    training the slope is the mean ``(lower + upper) / 2``.
    """

    def __init__(self, lower=1. / 8, upper=1. / 3, r=None):
        if not 0.0 <= lower < 1.0:
            raise ValueError('rrelu: l must be in [0, 1), got {}'.format(lower))
        if not 0.0 <= upper < 1.0:
            raise ValueError('rrelu: u must be in [0, 1), got {}'.format(upper))
        if not lower < upper:
            raise ValueError('rrelu: l must be less than u, got l={} u={}'.format(lower, upper))
        self.lower = lower
        self.upper = upper
        self.r = r

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')
        if self.r is not None:
            type_check.expect(in_types[0].dtype == self.r.dtype,
                              in_types[0].shape == self.r.shape)

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        if not config.train:
            self.r = xp.full(x.shape, (self.lower + self.upper) / 2, dtype=x.dtype)
        elif self.r is None:
            self.r = xp.random.uniform(self.lower, self.upper, x.shape).astype(
                x.dtype, copy=False)
        self._negative = x < 0
        zero = x.dtype.type(0)
        return utils.force_array(xp.maximum(x, zero) + xp.minimum(x, zero) * self.r, x.dtype),

    def backward(self, indexes, grad_outputs):
        return RReLUGrad(self._negative, self.r).apply(grad_outputs)


class RReLUGrad(function_node.FunctionNode):
    """``gy * r`` where the input was negative, ``gy`` elsewhere; linear in ``gy``."""

    def __init__(self, negative, r):
        self.negative = negative
        self.r = r

    def forward(self, inputs):
        gy, = inputs
        one = gy.dtype.type(1)
        coef = (self.r - one) * self.negative + one
        return utils.force_array(gy * coef, gy.dtype),

    def backward(self, indexes, grad_outputs):
        return RReLUGrad(self.negative, self.r).apply(grad_outputs)


def rrelu(x, l=1. / 8, u=1. / 3, **kwargs):  # noqa: E741 (Chainer's argument name)
    """Randomized leaky ReLU: ``x`` if ``x >= 0`` else ``r * x`` with random slopes ``r``.

    Args:
        x (Variable or array): floating input.
        l (float): lower bound of the slopes, in ``[0, 1)``.
        u (float): upper bound of the slopes, in ``(l, 1)``.
        r (array): keyword only; slopes to use instead of sampling (shape and dtype of ``x``).
            Ignored outside training, where the slope is ``(l + u) / 2``.
        return_r (bool): keyword only; also return the slopes used.

    Returns:
        Variable, or ``(Variable, r)`` with ``return_r=True``.
    """
    r = kwargs.pop('r', None)
    return_r = kwargs.pop('return_r', False)
    if 'train' in kwargs:
        raise ValueError('rrelu: the train argument is not supported anymore; use '
                         "dchain.using_config('train', ...)")
    if kwargs:
        raise TypeError('rrelu() got unexpected keyword arguments: {}'.format(
            ', '.join(sorted(kwargs))))
    func = RReLU(l, u, r)
    out = func.apply((x,))[0]
    if return_r:
        return out, func.r
    return out
