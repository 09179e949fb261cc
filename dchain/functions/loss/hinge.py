"""Multi-class hinge loss (``F.hinge``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.loss import _compose
from dchain.utils import type_check


class Hinge(function_node.FunctionNode):
    """One-vs-rest hinge: ``max(0, 1 - s x)`` per class, ``s = +1`` for the label, else -1."""

    def __init__(self, norm='L1', reduce='mean'):
        if norm not in ('L1', 'L2'):
            raise NotImplementedError("hinge: norm must be 'L1' or 'L2', got {!r}".format(norm))
        if reduce not in ('mean', 'no'):
            raise ValueError("hinge: reduce must be 'mean' or 'no', got {!r}".format(reduce))
        self.norm = norm
        self.reduce = reduce

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 't'))
        type_check.expect(in_types.size() == 2)
        x_type, t_type = in_types
        type_check.expect(x_type.dtype.kind == 'f', t_type.dtype.kind == 'i',
                          x_type.ndim == 2, t_type.ndim == 1)
        type_check.expect(x_type.shape[0] == t_type.shape[0])

    @staticmethod
    def _label_sign(x, t):
        """-1 at the label, +1 elsewhere: the per-class margin is then ``1 + sign * x``."""
        return 1 - 2 * _compose.onehot(t, x.shape[1], x.dtype, utils.get_xp(x))

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, t = inputs
        xp = utils.get_xp(x)
        if t.size and (int(t.min()) < 0 or int(t.max()) >= x.shape[1]):
            raise ValueError('hinge: labels must be in [0, {}), got values in [{}, {}]'.format(
                x.shape[1], int(t.min()), int(t.max())))
        self._sign = self._label_sign(x, t)
        margin = xp.maximum(1 + self._sign * x, 0)
        loss = margin * margin if self.norm == 'L2' else margin
        if self.reduce == 'mean':
            loss = loss.sum() / x.dtype.type(max(len(x), 1))
        return utils.force_array(loss, x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        active = ((1 + self._sign * x.array) > 0).astype(x.dtype)
        if self.reduce == 'mean':
            gy = gy * (1.0 / max(len(x), 1))
        if self.norm == 'L1':
            gx = gy * (self._sign * active)
        else:
            gx = gy * 2.0 * (x * self._sign + 1.0) * (self._sign * active)
        return gx, None


def hinge(x, t, norm='L1', reduce='mean'):
    """Hinge loss of scores ``x`` (N, K) against integer labels ``t`` (N,).

    Args:
        norm (str): ``'L1'`` or ``'L2'`` (squared hinge).
        reduce (str): ``'mean'`` sums everything and divides by N; ``'no'`` returns the
            (N, K) array of per-class losses.
    """
    return Hinge(norm, reduce).apply((x, t))[0]
