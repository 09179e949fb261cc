"""Huber loss (``F.huber_loss``): quadratic near zero, linear beyond ``delta``."""
from dchain import function_node
from dchain import utils
from dchain.functions.loss import _compose
from dchain.utils import type_check


class HuberLoss(function_node.FunctionNode):
    """``0.5 d^2`` where ``|d| <= delta``, else ``delta (|d| - delta / 2)``, ``d = x - t``."""

    def __init__(self, delta, reduce='sum_along_second_axis'):
        if reduce not in ('sum_along_second_axis', 'no'):
            raise ValueError("huber_loss: reduce must be 'sum_along_second_axis' or 'no', got "
                             "{!r}".format(reduce))
        self.delta = delta
        self.reduce = reduce

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 't'))
        type_check.expect(in_types.size() == 2)
        x_type, t_type = in_types
        type_check.expect(x_type.dtype.kind == 'f', x_type.dtype == t_type.dtype,
                          x_type.shape == t_type.shape)
        if self.reduce == 'sum_along_second_axis':
            type_check.expect(x_type.ndim >= 2)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, t = inputs
        xp = utils.get_xp(x)
        delta = x.dtype.type(self.delta)
        diff = x - t
        abs_diff = xp.abs(diff)
        loss = xp.where(abs_diff <= delta, diff * diff * x.dtype.type(0.5),
                        delta * (abs_diff - delta * x.dtype.type(0.5)))
        if self.reduce == 'sum_along_second_axis':
            loss = loss.sum(axis=1)
        return utils.force_array(loss, x.dtype),

    def backward(self, indexes, grad_outputs):
        x, t = self.get_retained_inputs()
        gy, = grad_outputs
        if self.reduce == 'sum_along_second_axis':
            gy = _compose.expand_class_axis(gy)
        diff = x - t
        inside = (abs(diff.array) <= self.delta)
        # clip(d, -delta, delta): d inside the band, a constant +-delta outside it.
        clipped = diff * inside.astype(x.dtype) + \
            (~inside * utils.get_xp(diff.array).sign(diff.array) * self.delta).astype(x.dtype)
        gx = clipped * gy
        return tuple(gx if i == 0 else -gx for i in indexes)


def huber_loss(x, t, delta, reduce='sum_along_second_axis'):
    """Huber loss of ``x`` against ``t``: smooth L1 with threshold ``delta``.

    Args:
        x, t (Variable or array): floating inputs of one shape and dtype.
        delta (float): where the loss turns from quadratic to linear.
        reduce (str): ``'sum_along_second_axis'`` sums over axis 1 (one value per sample);
            ``'no'`` keeps every element.
    """
    return HuberLoss(delta, reduce).apply((x, t))[0]
