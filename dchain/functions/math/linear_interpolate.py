"""Elementwise linear interpolation ``p x + (1 - p) y`` (``F.linear_interpolate``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class LinearInterpolate(function_node.FunctionNode):
    """``p * x + (1 - p) * y`` for three floating inputs of one dtype and shape."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('p', 'x', 'y'))
        type_check.expect(in_types.size() == 3)
        p, x, y = in_types
        type_check.expect(p.dtype.kind == 'f', p.dtype == x.dtype, p.dtype == y.dtype,
                          p.shape == x.shape, p.shape == y.shape)

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2))
        p, x, y = inputs
        # y + p (x - y): two temporaries instead of four.
        d = x - y
        d *= p
        d += y
        return utils.force_array(d),

    def backward(self, indexes, grad_outputs):
        p, x, y = self.get_retained_inputs()
        gz, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(gz * (x - y))
            elif i == 1:
                ret.append(gz * p)
            else:
                ret.append(gz * (1 - p))
        return tuple(ret)


def linear_interpolate(p, x, y):
    """Elementwise ``p * x + (1 - p) * y`` (floating inputs of one dtype and shape)."""
    return LinearInterpolate().apply((p, x, y))[0]
