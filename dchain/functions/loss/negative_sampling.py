"""Negative sampling loss of word2vec (``F.negative_sampling``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.config import config
from dchain.functions.array.get_item import get_item, GetItemGrad
from dchain.functions.array.reshape import reshape
from dchain.functions.loss import _compose
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


class NegativeSamplingFunction(function_node.FunctionNode):
    """``-log s(x.w_t) - sum_j log s(-x.w_j)`` over drawn negatives ``j`` (``s``: sigmoid).

    Inputs are ``x`` (N, D), ``t`` (N,) and ``W`` (V, D). The samples are drawn in forward
    and kept in ``self.samples`` (N, 1 + sample_size), column 0 being ``t``.
    """

    ignore_label = -1

    def __init__(self, sampler, sample_size, reduce='sum'):
        if reduce not in ('sum', 'no'):
            raise ValueError("negative_sampling: reduce must be 'sum' or 'no', got {!r}"
                             .format(reduce))
        if sample_size < 0:
            raise ValueError('negative_sampling: sample_size must be >= 0, got {}'
                             .format(sample_size))
        self.sampler = sampler
        self.sample_size = sample_size
        self.reduce = reduce

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 't', 'W'))
        type_check.expect(in_types.size() == 3)
        x_type, t_type, w_type = in_types
        type_check.expect(x_type.dtype.kind == 'f', x_type.ndim == 2,
                          t_type.dtype.kind == 'i', t_type.ndim == 1,
                          w_type.dtype == x_type.dtype, w_type.ndim == 2)
        type_check.expect(x_type.shape[0] == t_type.shape[0],
                          x_type.shape[1] == w_type.shape[1])

    def _sample(self, t, n_vocab):
        xp = utils.get_xp(t)
        negatives = self.sampler((len(t), self.sample_size))
        negatives = xp.asarray(negatives).astype(t.dtype, copy=False)
        samples = xp.concatenate([t[:, None], negatives], axis=1)
        # Ignored rows gather row 0 so the index stays in bounds; their loss is masked.
        safe = samples.copy()
        safe[:, 0] = xp.where(self._mask, t, 0)
        if safe.size and (int(safe.min()) < 0 or int(safe.max()) >= n_vocab):
            raise ValueError('negative_sampling: labels and samples must be in [0, {})'
                             .format(n_vocab))
        return samples, safe

    def forward(self, inputs):
        self.retain_inputs((0, 2))
        x, t, W = inputs
        xp = utils.get_xp(x)
        self._mask = t != self.ignore_label
        self.samples, self._index = self._sample(t, len(W))
        w = W[self._index]                              # (N, S + 1, D)
        wx = xp.matmul(w, x[:, :, None])[:, :, 0]
        wx[:, 0] *= -1
        self._wx = wx
        # -log sigmoid(-z) = softplus(z) = logaddexp(0, z)
        loss = xp.logaddexp(x.dtype.type(0), wx).sum(axis=1)
        loss *= self._mask
        if self.reduce == 'sum':
            loss = loss.sum()
        return utils.force_array(loss, x.dtype),

    def backward(self, indexes, grad_outputs):
        x, W = self.get_retained_inputs()
        gloss, = grad_outputs
        if not config.enable_backprop:
            # A first-order backward records nothing: compute on arrays, skipping the graph.
            return self._backward_arrays(indexes, x.array, W.array, gloss.array)
        n, d = x.shape
        sign = numpy.ones(self.samples.shape[1], x.dtype)
        sign[0] = -1
        sign = x.xp.asarray(sign)
        w = get_item(W, self._index)                    # (N, S + 1, D)
        wx = _sum(w * reshape(x, (n, 1, d)), axis=2) * sign
        weight = self._mask.astype(x.dtype)
        g = _compose.sigmoid(wx) * sign * reshape(gloss * weight, (n, 1))     # d loss / d (x . w_j)
        g3 = reshape(g, g.shape + (1,))
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(_sum(g3 * w, axis=1))
            elif i == 1:
                ret.append(None)
            else:
                gw = g3 * reshape(x, (n, 1, d))
                ret.append(GetItemGrad((self._index,), W.shape, W.dtype).apply((gw,))[0])
        return tuple(ret)


    def _backward_arrays(self, indexes, x, W, gloss):
        xp = utils.get_xp(x)
        half = x.dtype.type(0.5)
        g = xp.tanh(self._wx * half) * half + half             # sigmoid of the signed scores
        g[:, 0] *= -1
        g *= (self._mask * gloss).astype(x.dtype, copy=False)[:, None]
        w = W[self._index]
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(variable.Variable(xp.matmul(g[:, None, :], w)[:, 0],
                                             requires_grad=False))
            elif i == 1:
                ret.append(None)
            else:
                rows = (g[:, :, None] * x[:, None, :]).reshape(-1, x.shape[1])
                gw = _compose.scatter_add_rows(len(W), self._index.ravel(), rows)
                ret.append(variable.Variable(gw, requires_grad=False))
        return tuple(ret)


def negative_sampling(x, t, W, sampler, sample_size, reduce='sum', return_samples=False):
    """Negative sampling loss: logistic regression of the true word against sampled ones.

    Args:
        x (Variable or array): input vectors (N, D).
        t (Variable or array): integer target ids (N,); -1 marks a row to ignore.
        W (Variable or array): output word vectors (V, D).
        sampler (callable): ``sampler(shape)`` returns an integer array of word ids of
            ``shape`` (e.g. ``WalkerAlias(counts ** 0.75).sample``).
        sample_size (int): negatives per row.
        reduce (str): ``'sum'`` for a scalar, ``'no'`` for each row's loss.
        return_samples (bool): also return the ids used, an (N, 1 + sample_size) array whose
            first column is ``t``.
    """
    func = NegativeSamplingFunction(sampler, sample_size, reduce)
    loss = func.apply((x, t, W))[0]
    if return_samples:
        return loss, func.samples
    return loss
