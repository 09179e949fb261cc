"""Sigmoid cross entropy of logits and binary labels (``F.sigmoid_cross_entropy``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.loss import _compose
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


class SigmoidCrossEntropy(function_node.FunctionNode):
    """``-(t log sigmoid(x) + (1 - t) log(1 - sigmoid(x)))``; labels ``-1`` are ignored."""

    ignore_label = -1

    def __init__(self, normalize=True, reduce='mean'):
        if reduce not in ('mean', 'no'):
            raise ValueError("sigmoid_cross_entropy: reduce must be 'mean' or 'no', got {!r}"
                             .format(reduce))
        self.normalize = normalize
        self.reduce = reduce

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 't'))
        type_check.expect(in_types.size() == 2)
        x_type, t_type = in_types
        type_check.expect(x_type.dtype.kind == 'f', t_type.dtype.kind == 'i',
                          x_type.shape == t_type.shape)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, t = inputs
        xp = utils.get_xp(x)
        mask = t != self.ignore_label
        self._t = t
        weight = mask.astype(x.dtype)
        # softplus(x) - t x, written so that exp never overflows.
        loss = xp.maximum(x, 0) - x * t.astype(x.dtype) + xp.log1p(xp.exp(-xp.abs(x)))
        loss *= weight
        if self.reduce == 'mean':
            count = float(mask.sum()) if self.normalize else float(len(x)) if x.ndim else 1.0
            coeff = x.dtype.type(1.0 / max(count, 1.0))
            weight *= coeff
            loss = loss.sum() * coeff
        self._weight = weight
        return utils.force_array(loss, x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return SigmoidCrossEntropyGrad(self._t, self._weight).apply((x, grad_outputs[0]))[0], \
            None


class SigmoidCrossEntropyGrad(function_node.FunctionNode):
    """``gloss * weight * (sigmoid(x) - t)``; inputs ``x`` and ``gloss``."""

    def __init__(self, t, weight):
        self.t = t
        self.weight = weight

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, gloss = inputs
        xp = utils.get_xp(x)
        half = x.dtype.type(0.5)
        gx = xp.tanh(x * half) * half + half
        gx -= self.t
        gx *= self.weight * gloss
        return utils.force_array(gx, x.dtype),

    def backward(self, indexes, grad_outputs):
        x, gloss = self.get_retained_inputs()
        ggx, = grad_outputs
        s = _compose.sigmoid(x)
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(ggx * s * (1.0 - s) * (gloss * self.weight))
            else:
                g = ggx * (s - self.t.astype(x.dtype)) * self.weight
                ret.append(_sum(g) if gloss.ndim == 0 and g.ndim else g)
        return tuple(ret)


def sigmoid_cross_entropy(x, t, normalize=True, reduce='mean'):
    """Binary cross entropy between ``sigmoid(x)`` and labels ``t`` in {0, 1}.

    Args:
        x (Variable or array): logits.
        t (Variable or array): integer labels of the shape of ``x``; ``-1`` marks an element
            to ignore (no loss, no gradient).
        normalize (bool): with ``reduce='mean'``, divide the summed loss by the number of
            labels that are not ``-1``; if False, by the batch size ``len(x)``.
        reduce (str): ``'mean'`` for a scalar, ``'no'`` for the loss of every element.
    """
    return SigmoidCrossEntropy(normalize, reduce).apply((x, t))[0]

