"""Choose elements from two variables by a boolean condition (``F.where``)."""
import numpy

from dchain import backend
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Where(function_node.FunctionNode):
    """``condition ? x : y`` elementwise, with broadcasting; ``condition`` is a constant."""

    def __init__(self, condition):
        self.condition = getattr(condition, 'array', condition)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 'y'))
        type_check.expect(in_types.size() == 2)
        x_type, y_type = in_types
        cond = self.condition
        if cond.dtype != numpy.bool_:
            raise type_check.InvalidType('condition.dtype == numpy.bool_',
                                         'condition.dtype == numpy.{}'.format(cond.dtype))
        type_check.expect(x_type.dtype == y_type.dtype)
        type_check.expect_broadcast_shapes(cond.shape, x_type.shape, y_type.shape)

    def forward(self, inputs):
        x, y = inputs
        xp = utils.get_xp(x, y)
        # The condition is no input of the node, so apply() has not checked its device.
        self.condition = backend.get_device_from_array(x).send(self.condition)
        self._shapes = x.shape, y.shape
        return utils.force_array(xp.where(self.condition, x, y)),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sum_to import sum_to
        gy, = grad_outputs
        zeros = gy.xp.zeros((), gy.dtype)
        ret = []
        if 0 in indexes:
            ret.append(sum_to(Where(self.condition).apply((gy, zeros))[0], self._shapes[0]))
        if 1 in indexes:
            ret.append(sum_to(Where(self.condition).apply((zeros, gy))[0], self._shapes[1]))
        return tuple(ret)


def where(condition, x, y):
    """Take ``x`` where ``condition`` holds and ``y`` elsewhere.

    Args:
        condition (Variable or array): boolean array (not differentiated).
        x, y (Variable, array or scalar): values of one dtype; shapes of all three
            broadcast together. A Python scalar takes the dtype of the other operand.

    Returns:
        Variable: of the broadcast shape.
    """
    from dchain.variable import Variable
    condition = getattr(condition, 'array', condition)
    x_arr = x.array if isinstance(x, Variable) else x
    y_arr = y.array if isinstance(y, Variable) else y
    if numpy.isscalar(x) and numpy.isscalar(y):
        raise TypeError('where: x and y cannot both be scalars')
    xp = utils.get_xp(condition, x_arr, y_arr)
    if numpy.isscalar(x):
        x = xp.asarray(x, dtype=y_arr.dtype)
    elif numpy.isscalar(y):
        y = xp.asarray(y, dtype=x_arr.dtype)
    return Where(condition).apply((x, y))[0]
