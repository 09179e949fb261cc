"""Squared L2 norm of each sample of a batch (``F.batch_l2_norm_squared``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class BatchL2NormSquared(function_node.FunctionNode):
    """``sum(x[i] ** 2)`` over all axes but the first."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f',
                          in_types[0].ndim >= 2)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        x2 = x.reshape(len(x), -1)
        xp = utils.get_xp(x)
        # One row-wise dot product per sample: no squared temporary of the whole batch.
        return utils.force_array(xp.einsum('ij,ij->i', x2, x2)),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.broadcast_to import broadcast_to
        from dchain.functions.array.reshape import reshape
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        gy = broadcast_to(reshape(gy, (len(gy),) + (1,) * (x.ndim - 1)), x.shape)
        return gy * x * 2,


def batch_l2_norm_squared(x):
    """Squared L2 norm of each sample: ``x`` of shape ``(B, ...)`` gives shape ``(B,)``."""
    return BatchL2NormSquared().apply((x,))[0]
