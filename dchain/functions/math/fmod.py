"""Elementwise remainder of division with the sign of the dividend (``F.fmod``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Fmod(function_node.FunctionNode):
    """``fmod(x, divisor) = x - divisor * fix(x / divisor)``, C's remainder."""

    def check_type_forward(self, in_types):
        _util.check_binary_float(in_types, ('x', 'divisor'))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, divisor = inputs
        xp = utils.get_xp(x)
        return utils.force_array(xp.fmod(x, divisor)),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sum_to import sum_to
        x, divisor = self.get_retained_inputs()
        gy, = grad_outputs
        xp = x.xp
        ret = []
        for i in indexes:
            if i == 0:
                g = gy
            else:
                # The quotient is piecewise constant: a constant in the gradient.
                g = gy * -xp.fix(x.array / divisor.array)
            shape = (x if i == 0 else divisor).shape
            ret.append(g if g.shape == shape else sum_to(g, shape))
        return tuple(ret)


def fmod(x, divisor):
    """Elementwise remainder of ``x / divisor`` with the sign of ``x`` (floating, broadcasting).
    """
    return Fmod().apply((x, divisor))[0]
