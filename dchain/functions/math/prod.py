"""Product of elements over given axes (``F.prod``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Prod(function_node.FunctionNode):
    """Product over ``axis`` (None: all axes), optionally keeping the reduced axes.

    The gradient is ``gy * y / x`` when ``x`` has no zeros (differentiable again). With zeros
    it is the product of the other elements of the line, exact but differentiable again only
    with respect to ``gy``.
    """

    def __init__(self, axis=None, keepdims=False):
        self.axis = _util.normalize_axis(axis, 'F.prod')
        self.keepdims = keepdims

    def check_type_forward(self, in_types):
        _util.check_unary_float(in_types)
        _util.check_axis(in_types[0], self.axis)

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        x, = inputs
        return utils.force_array(x.prod(axis=self.axis, keepdims=self.keepdims), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.broadcast_to import broadcast_to
        x, = self.get_retained_inputs()
        shape = x.shape
        gy = broadcast_to(
            _util.expand_reduced(grad_outputs[0], shape, self.axis, self.keepdims), shape)
        xa = x.array
        zero = xa == 0
        if not zero.any():
            y, = self.get_retained_outputs()
            y = broadcast_to(_util.expand_reduced(y, shape, self.axis, self.keepdims), shape)
            return gy * y / x,
        xp = x.xp
        one = xa.dtype.type(1)
        n_zero = zero.sum(axis=self.axis, keepdims=True)
        x_nonzero = xp.where(zero, one, xa)
        # Product of the nonzero elements: the gradient of the only zero of a line, and
        # (divided by x) the gradient of the elements of a line without zeros.
        nonzero_prod = x_nonzero.prod(axis=self.axis, keepdims=True)
        others = xp.where(n_zero == 0, nonzero_prod / x_nonzero,
                          xp.where(zero & (n_zero == 1), nonzero_prod, 0)).astype(xa.dtype)
        return gy * others,


def prod(x, axis=None, keepdims=False):
    """Product of the elements of ``x`` over ``axis``.

    Args:
        x (Variable or array): floating input.
        axis (None, int or tuple of int): axes to reduce; None reduces all.
        keepdims (bool): keep the reduced axes with length 1.
    """
    return Prod(axis, keepdims).apply((x,))[0]
