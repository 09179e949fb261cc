"""Classification accuracy (``F.accuracy``); not differentiable."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Accuracy(function_node.FunctionNode):
    """Fraction of elements whose highest score (axis 1) is the label."""

    def __init__(self, ignore_label=None):
        self.ignore_label = ignore_label

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 't'))
        type_check.expect(in_types.size() == 2)
        x_type, t_type = in_types
        type_check.expect(x_type.dtype.kind == 'f', t_type.dtype.kind == 'i',
                          x_type.ndim >= 2)
        type_check.expect(t_type.ndim == x_type.ndim - 1)
        type_check.expect(x_type.shape[0] == t_type.shape[0],
                          x_type.shape[2:] == t_type.shape[1:])

    def forward(self, inputs):
        y, t = inputs
        xp = utils.get_xp(y)
        pred = y.argmax(axis=1).reshape(t.shape)
        hit = pred == t
        if self.ignore_label is None:
            value = hit.mean() if hit.size else 0.0
        else:
            mask = t != self.ignore_label
            count = mask.sum()
            # With every label ignored there is nothing to be wrong about: Chainer says 0.
            value = (hit & mask).sum() / count if count else 0.0
        return xp.asarray(value, dtype=y.dtype),


def accuracy(y, t, ignore_label=None):
    """Accuracy of predictions ``y.argmax(axis=1)`` against labels ``t``.

    Args:
        y (Variable or array): scores of shape ``(N, C, d1, ...)``.
        t (Variable or array): integer labels of shape ``(N, d1, ...)``.
        ignore_label (int or None): labels equal to it are left out of the count.

    Returns:
        Variable: a scalar of the dtype of ``y`` (no gradient flows through it).
    """
    return Accuracy(ignore_label).apply((y, t))[0]
