"""Softmax cross entropy of class scores and integer labels (``F.softmax_cross_entropy``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.functions.loss import _compose
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


def _log_softmax(x):
    xp = utils.get_xp(x)
    log_y = x - x.max(axis=1, keepdims=True)
    log_y -= xp.log(xp.exp(log_y).sum(axis=1, keepdims=True))
    return log_y


def _target_index(x_shape, t):
    """Flat indexes into a C-contiguous ``x`` of the entries ``x[n, t[n, r], r]``."""
    xp = utils.get_xp(t)
    n, c = x_shape[:2]
    rest = t.size // n if n else 0
    rows = xp.arange(n).reshape(n, 1) * c + t.reshape(n, rest)
    return (rows * rest + xp.arange(rest)).ravel()


def _check_labels(t, mask, n_class):
    """Valid labels must index a class: a negative one would silently wrap around."""
    if t.size == 0:
        return
    valid = t[mask]
    if valid.size and (int(valid.min()) < 0 or int(valid.max()) >= n_class):
        raise ValueError(
            'softmax_cross_entropy: labels must be in [0, {}) or equal to ignore_label; got '
            'values in [{}, {}]'.format(n_class, int(valid.min()), int(valid.max())))


class SoftmaxCrossEntropy(function_node.FunctionNode):
    """``-log softmax(x)[t]`` over the class axis 1, averaged or per element.

    The forward pass is a log-sum-exp on arrays; backward is one fused node,
    :class:`SoftmaxCrossEntropyGrad`, whose own backward makes the loss twice differentiable.
    """

    def __init__(self, normalize=True, cache_score=True, class_weight=None, ignore_label=-1,
                 reduce='mean'):
        if reduce not in ('mean', 'no'):
            raise ValueError("softmax_cross_entropy: reduce must be 'mean' or 'no', got {!r}"
                             .format(reduce))
        if class_weight is not None:
            class_weight = getattr(class_weight, 'array', class_weight)
            if class_weight.ndim != 1:
                raise ValueError('softmax_cross_entropy: class_weight must be a 1-d array, got '
                                 'shape {}'.format(class_weight.shape))
        self.normalize = normalize
        self.cache_score = cache_score
        self.class_weight = class_weight
        self.ignore_label = ignore_label
        self.reduce = reduce

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 't'))
        type_check.expect(in_types.size() == 2)
        x_type, t_type = in_types
        type_check.expect(x_type.dtype.kind == 'f', t_type.dtype.kind == 'i',
                          x_type.ndim >= 2)
        type_check.expect(t_type.ndim == x_type.ndim - 1)
        type_check.expect(x_type.shape[0] == t_type.shape[0],
                          x_type.shape[2:] == t_type.shape[1:])
        if self.class_weight is not None:
            type_check.expect(x_type.shape[1] == self.class_weight.shape[0])

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, t = inputs
        xp = utils.get_xp(x)
        shifted = x - x.max(axis=1, keepdims=True)
        e = xp.exp(shifted)
        z = e.sum(axis=1)                                   # (N, d1, ...)
        mask = t != self.ignore_label
        _check_labels(t, mask, x.shape[1])
        safe_t = xp.where(mask, t, 0)
        self._target_index = _target_index(x.shape, safe_t)
        # Only the targets' log-probabilities are needed: no full log-softmax is built.
        log_p = shifted.ravel()[self._target_index].reshape(t.shape) - xp.log(z)
        if self.cache_score:
            e /= xp.expand_dims(z, 1)
            self.y = e
        else:
            self.y = None
        weight = mask.astype(x.dtype)
        if self.class_weight is not None:
            weight *= self.class_weight.astype(x.dtype, copy=False)[safe_t]
        self._weight = weight
        self._safe_t = safe_t
        loss = -(log_p * weight)
        if self.reduce == 'no':
            return utils.force_array(loss, x.dtype),
        count = float(mask.sum()) if self.normalize else float(len(x))
        self._coeff = 1.0 / max(count, 1.0)
        return utils.force_array(loss.sum() * x.dtype.type(self._coeff), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gloss, = grad_outputs
        weight = self._weight
        if self.reduce == 'mean':
            weight = weight * weight.dtype.type(self._coeff)
        grad = SoftmaxCrossEntropyGrad(self._safe_t, self._target_index, weight, self.y)
        return grad.apply((x, gloss))[0], None


class SoftmaxCrossEntropyGrad(function_node.FunctionNode):
    """``gloss * weight * (softmax(x) - onehot(t))``; inputs ``x`` and ``gloss``.

    ``weight`` (shape of ``t``) folds in the ignore mask, class weights and the mean's
    normalisation; ``gloss`` is a scalar (reduce='mean') or has the shape of ``t``.
    """

    def __init__(self, safe_t, target_index, weight, y=None):
        self.safe_t = safe_t
        self.target_index = target_index
        self.weight = weight
        self.y = y

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, gloss = inputs
        xp = utils.get_xp(x)
        gx = self.y.copy() if self.y is not None else xp.exp(_log_softmax(x))
        gx.ravel()[self.target_index] -= 1
        gx *= xp.expand_dims(self.weight * gloss, 1)
        return gx,

    def backward(self, indexes, grad_outputs):
        x, gloss = self.get_retained_inputs()
        ggx, = grad_outputs
        y = _compose.softmax(x, axis=1)
        ret = []
        for i in indexes:
            if i == 0:
                scale = _compose.expand_class_axis(gloss * self.weight)
                ret.append(scale * y * (ggx - _sum(ggx * y, axis=1, keepdims=True)))
            else:
                xp = x.xp
                delta = y - _compose.onehot(self.safe_t, x.shape[1], x.dtype, xp)
                g = _sum(ggx * delta, axis=1) * self.weight
                ret.append(_sum(g) if gloss.ndim == 0 else g)
        return tuple(ret)


def _check_soft(in_types):
    type_check.argname(in_types, ('x', 't'))
    x_type, t_type = in_types
    type_check.expect(x_type.dtype.kind == 'f', t_type.dtype == x_type.dtype,
                      x_type.ndim >= 2, x_type.shape == t_type.shape)


def _soft_target_cross_entropy(x, t, reduce, soft_target_loss):
    """Cross entropy (or KL divergence) against a distribution over classes, by composition."""
    _compose.check_types('softmax_cross_entropy', _check_soft, x, t)
    t = getattr(t, 'array', t)
    xp = utils.get_xp(t)
    loss = -_sum(_compose.log_softmax(x, axis=1) * t, axis=1)
    if soft_target_loss == 'kl-divergence':
        # The target's entropy term: a constant, with 0 log 0 taken as 0.
        with numpy.errstate(divide='ignore', invalid='ignore'):
            neg_entropy = xp.where(t > 0, t * xp.log(t), 0).sum(axis=1).astype(t.dtype)
        loss = loss + neg_entropy
    if reduce == 'mean':
        return _sum(loss) * (1.0 / max(loss.size, 1))
    return loss


def softmax_cross_entropy(x, t, normalize=True, cache_score=True, class_weight=None,
                          ignore_label=-1, reduce='mean', enable_double_backprop=False,
                          soft_target_loss='cross-entropy'):
    """Cross entropy between ``softmax(x)`` over axis 1 and integer labels ``t``.

    Args:
        x (Variable or array): class scores of shape ``(N, C, d1, ...)``.
        t (Variable or array): integer labels of shape ``(N, d1, ...)``.
        normalize (bool): with ``reduce='mean'``, divide the summed loss by the number of
            labels not equal to ``ignore_label``; if False, by the batch size ``N``.
        cache_score (bool): keep the softmax computed in forward for backward (faster,
            more memory); if False, backward recomputes it.
        class_weight (array or None): per-class weights of shape ``(C,)`` multiplying each
            element's loss.
        ignore_label (int): labels equal to it contribute no loss and no gradient.
        reduce (str): ``'mean'`` returns a scalar; ``'no'`` returns the loss of every
            element, shaped like ``t`` (zero where ignored).
        enable_double_backprop (bool): accepted for compatibility; the loss is always
            twice differentiable.
        soft_target_loss (str): when ``t`` is a floating array of the shape of ``x`` (a
            distribution over classes for every element), ``'cross-entropy'`` computes
            ``-sum(t log softmax(x))`` over axis 1 and ``'kl-divergence'`` subtracts the
            target's entropy from it; ``'mean'`` then averages over all elements, and
            ``normalize``, ``class_weight`` and ``ignore_label`` do not apply. ``t`` gets
            no gradient.

    Returns:
        Variable: the loss, of the dtype of ``x``.
    """
    del enable_double_backprop
    if soft_target_loss not in ('cross-entropy', 'kl-divergence'):
        raise ValueError("softmax_cross_entropy: soft_target_loss must be 'cross-entropy' or "
                         "'kl-divergence', got {!r}".format(soft_target_loss))
    if getattr(t, 'dtype', None) is not None and t.dtype.kind == 'f':
        if reduce not in ('mean', 'no'):
            raise ValueError("softmax_cross_entropy: reduce must be 'mean' or 'no', got {!r}"
                             .format(reduce))
        return _soft_target_cross_entropy(x, t, reduce, soft_target_loss)
    return SoftmaxCrossEntropy(normalize, cache_score, class_weight, ignore_label,
                               reduce).apply((x, t))[0]
