"""Accuracy of binary predictions from logits (``F.binary_accuracy``); not differentiable."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class BinaryAccuracy(function_node.FunctionNode):
    """Fraction of elements where ``x >= 0`` agrees with the label; labels -1 are ignored."""

    ignore_label = -1

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 't'))
        type_check.expect(in_types.size() == 2)
        x_type, t_type = in_types
        type_check.expect(x_type.dtype.kind == 'f', t_type.dtype.kind == 'i',
                          x_type.shape == t_type.shape)

    def forward(self, inputs):
        x, t = inputs
        xp = utils.get_xp(x)
        mask = t != self.ignore_label
        count = mask.sum()
        hit = ((x >= 0) == t) & mask
        value = hit.sum() / count if count else 0.0
        return xp.asarray(value, dtype=x.dtype),


def binary_accuracy(y, t):
    """Accuracy of the binary predictions ``y >= 0`` against labels ``t`` in {0, 1}.

    Args:
        y (Variable or array): logits (positive means class 1).
        t (Variable or array): integer labels of the shape of ``y``; -1 entries are ignored.

    Returns:
        Variable: a scalar of the dtype of ``y`` (0 when every label is ignored).
    """
    return BinaryAccuracy().apply((y, t))[0]
