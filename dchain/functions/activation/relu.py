"""Rectified linear unit (``F.relu``)."""
import sys

import numpy

from dchain import _native
from dchain import _temporaries
from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.utils import type_check


class ReLU(function_node.FunctionNode):
    """``max(x, 0)``; backward needs only the sign of the output.

    ``premasked_grad``: a weak reference a following function (max pooling) may set to the
    gradient array it computed for this ReLU's output with the ReLU's mask already applied;
    backward passes exactly that array on unchanged.

    Args:
        in_place (bool): write the output into the input array (only for an input nobody
            can read again, see :mod:`dchain._temporaries`).
    """

    premasked_grad = None

    def __init__(self, in_place=False):
        self.in_place = in_place

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        self.retain_outputs((0,))
        out = x if self.in_place else None
        if _native.available:
            y = _native.relu_forward(x, self.in_place)
            if y is not None:
                return y,
        if xp is numpy and x.dtype != numpy.float16:
            # numpy's clip with both bounds has a SIMD loop that runs about three times
            # faster than maximum against a scalar (NaN still propagates; -0.0 stays -0.0,
            # which compares equal to 0).
            return utils.force_array(numpy.clip(x, x.dtype.type(0), x.dtype.type(numpy.inf),
                                                out=out)),
        return utils.force_array(xp.maximum(x, x.dtype.type(0), out=out)),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        premasked, self.premasked_grad = self.premasked_grad, None
        if premasked is not None and premasked() is gy.array:
            return gy,
        return ReLUGradFromOutput(self.output_data[0]).apply((gy,))


class ReLUGrad(function_node.FunctionNode):
    """``gy * mask``: linear in ``gy``, so its own backward is the same masking."""

    def __init__(self, mask):
        self.mask = mask

    def forward(self, inputs):
        gy, = inputs
        return utils.force_array(gy * self.mask),

    def backward(self, indexes, grad_outputs):
        return ReLUGrad(self.mask).apply(grad_outputs)


class ReLUGradFromOutput(function_node.FunctionNode):
    """``gy * (y > 0)`` from ReLU's output ``y``; linear in ``gy`` like :class:`ReLUGrad`.

    Keeping ``y`` instead of a mask lets the compiled kernel (when built) do the comparison
    and the product in one pass, without a boolean temporary.
    """

    def __init__(self, y):
        self.y = y

    def forward(self, inputs):
        gy, = inputs
        if _native.available:
            gx = _native.relu_backward(self.y, gy)
            if gx is not None:
                return gx,
        return utils.force_array(gy * (self.y > 0)),

    def backward(self, indexes, grad_outputs):
        return ReLUGradFromOutput(self.y).apply(grad_outputs)


def relu(x):
    """Rectified linear unit ``max(x, 0)``, elementwise.

    Args:
        x (Variable or array): floating input of any shape.

    Returns:
        Variable: output of the same shape and dtype. When ``x`` is a temporary Variable no
        one can read again (``F.relu(self.conv(h))``), its array is reused for the output.
    """
    in_place = sys.getrefcount(x) == _temporaries.TEMPORARY_REFCOUNT and \
        type(x) is variable.Variable and _temporaries.overwritable(x)
    return ReLU(in_place).apply((x,))[0]
