"""Connectionist temporal classification loss (``F.connectionist_temporal_classification``).

The forward (alpha) and backward (beta) recursions run in log space over the extended label
sequence ``blank, l1, blank, l2, ..., blank`` of every sample at once; the only Python loop
is over time steps. Sequences of different lengths share one batch: a sample's alpha stops
moving after its last frame, and its gradient there is zero.
"""
import collections.abc

import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _log_softmax(x):
    xp = utils.get_xp(x)
    y = x - x.max(axis=-1, keepdims=True)
    y -= xp.log(xp.exp(y).sum(axis=-1, keepdims=True))
    return y


def _shift(a, k, fill):
    """``a`` moved ``k`` places along axis 1 (right for k > 0, left for k < 0)."""
    xp = utils.get_xp(a)
    out = xp.full_like(a, fill)
    if k > 0:
        out[:, k:] = a[:, :-k]
    else:
        out[:, :k] = a[:, -k:]
    return out


class ConnectionistTemporalClassification(function_node.FunctionNode):
    """Inputs: ``input_length`` (B,), ``label_length`` (B,), ``t`` (B, L), then T arrays
    ``x_t`` (B, V) of unnormalised label scores."""

    def __init__(self, blank_symbol, reduce='mean'):
        if reduce not in ('mean', 'no'):
            raise ValueError("connectionist_temporal_classification: reduce must be 'mean' or "
                             "'no', got {!r}".format(reduce))
        self.blank_symbol = blank_symbol
        self.reduce = reduce

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() >= 4)
        type_check.argname(in_types, ('input_length', 'label_length', 't', 'x_0'))
        input_length, label_length, t, x0 = in_types[:4]
        type_check.expect(input_length.dtype.kind == 'i', input_length.ndim == 1,
                          label_length.dtype.kind == 'i', label_length.ndim == 1,
                          t.dtype.kind == 'i', t.ndim == 2,
                          x0.dtype.kind == 'f', x0.ndim == 2)
        type_check.expect(t.shape[0] == x0.shape[0],
                          input_length.shape[0] == x0.shape[0],
                          label_length.shape[0] == x0.shape[0])
        for x in in_types[4:]:
            type_check.expect(x.dtype == x0.dtype, x.shape == x0.shape)

    def _extended_path(self, t, label_length):
        """Labels interleaved with blanks, padded with blanks; and where a skip is allowed."""
        xp = utils.get_xp(t)
        b, n_label = t.shape
        path = xp.full((b, 2 * n_label + 1), self.blank_symbol, dtype=numpy.int64)
        path[:, 1::2] = t
        positions = xp.arange(2 * n_label + 1)
        path[positions[None, :] >= 2 * label_length[:, None] + 1] = self.blank_symbol
        prev2 = _shift(path, 2, self.blank_symbol)
        skip = (path != self.blank_symbol) & (path != prev2)
        skip[:, :2] = False
        return path, skip

    def forward(self, inputs):
        input_length, label_length, t = inputs[:3]
        xs = inputs[3:]
        xp = utils.get_xp(xs[0])
        dtype = xs[0].dtype
        # Half precision cannot carry log-probabilities of long sequences.
        work = numpy.dtype(numpy.float32) if dtype == numpy.float16 else dtype
        n_time = len(xs)
        b, n_vocab = xs[0].shape
        if not 0 <= self.blank_symbol < n_vocab:
            raise ValueError('connectionist_temporal_classification: blank_symbol {} is not '
                             'in [0, {})'.format(self.blank_symbol, n_vocab))
        if t.shape[1] and (int(t.min()) < 0 or int(t.max()) >= n_vocab):
            raise ValueError('connectionist_temporal_classification: labels must be in '
                             '[0, {})'.format(n_vocab))
        if b and (int(input_length.max()) > n_time or int(input_length.min()) < 1 or
                  int(label_length.max()) > t.shape[1] or int(label_length.min()) < 0):
            raise ValueError('connectionist_temporal_classification: input_length must be in '
                             '[1, {}] and label_length in [0, {}]'.format(n_time, t.shape[1]))

        log_y = _log_softmax(xp.stack(xs).astype(work, copy=False))        # (T, B, V)
        path, skip = self._extended_path(t, label_length)
        emit = xp.take_along_axis(log_y, xp.broadcast_to(path, (n_time,) + path.shape),
                                  axis=2)                                   # (T, B, S)
        neg_inf = work.type(-numpy.inf)
        alphas = xp.empty_like(emit)
        alpha = xp.full(path.shape, neg_inf, work)
        alpha[:, :2] = emit[0, :, :2]
        alphas[0] = alpha
        for step in range(1, n_time):
            new = xp.logaddexp(alpha, _shift(alpha, 1, neg_inf))
            new = xp.logaddexp(new, xp.where(skip, _shift(alpha, 2, neg_inf), neg_inf))
            new += emit[step]
            alpha = xp.where((step < input_length)[:, None], new, alpha)
            alphas[step] = alpha

        last = 2 * label_length.astype(numpy.int64)                         # L' - 1
        rows = xp.arange(b)
        log_p = alpha[rows, last]
        has_label = label_length > 0
        log_p = xp.where(has_label, xp.logaddexp(log_p, alpha[rows, xp.maximum(last - 1, 0)]),
                         log_p)

        self._saved = (log_y, emit, alphas, path, skip, log_p, input_length, label_length)
        loss = -log_p
        if self.reduce == 'mean':
            loss = loss.sum() / work.type(max(b, 1))
        return utils.force_array(xp.asarray(loss, dtype)),

    def backward(self, indexes, grad_outputs):
        gloss, = grad_outputs
        grads = CTCGrad(self._saved, self.reduce, len(self.inputs) - 3).apply((gloss,))
        ret = []
        for i in indexes:
            ret.append(None if i < 3 else grads[i - 3])
        return tuple(ret)


class CTCGrad(function_node.FunctionNode):
    """Gradients of the CTC loss w.r.t. every frame's scores, from one beta recursion."""

    def __init__(self, saved, reduce, n_time):
        self.saved = saved
        self.reduce = reduce
        self.n_time = n_time

    def forward(self, inputs):
        gloss, = inputs
        log_y, emit, alphas, path, skip, log_p, input_length, label_length = self.saved
        xp = utils.get_xp(log_y)
        n_time, b, n_vocab = log_y.shape
        work = log_y.dtype
        neg_inf = work.type(-numpy.inf)
        rows = xp.arange(b)
        last = 2 * label_length.astype(numpy.int64)
        init = xp.full(path.shape, neg_inf, work)
        init[rows, last] = 0
        second = xp.maximum(last - 1, 0)
        init[rows, second] = xp.where(label_length > 0, work.type(0), init[rows, second])
        skip_from = _shift(skip, -2, False)      # may jump from s to s + 2

        # posterior[t, b, s]: probability that frame t of sample b is at path position s.
        posterior = xp.empty_like(alphas)
        beta = init
        for step in range(n_time - 1, -1, -1):
            if step < n_time - 1:
                nxt = beta + emit[step + 1]
                rec = xp.logaddexp(nxt, _shift(nxt, -1, neg_inf))
                rec = xp.logaddexp(rec, xp.where(skip_from, _shift(nxt, -2, neg_inf), neg_inf))
                beta = xp.where((step >= input_length - 1)[:, None], init, rec)
            posterior[step] = alphas[step] + beta
        # A sample whose labels cannot fit in its frames has p = 0 and no usable gradient;
        # dividing by 1 there keeps its (all -inf) posteriors at 0 instead of nan.
        finite = xp.isfinite(log_p)
        posterior = xp.exp(posterior - xp.where(finite, log_p, 0)[None, :, None])
        valid = (xp.arange(n_time)[:, None] < input_length[None, :])        # (T, B)
        posterior *= valid[:, :, None]

        # Sum the posteriors of path positions sharing a label, for all frames at once.
        index = (xp.arange(n_time * b).reshape(n_time, b, 1) * n_vocab + path[None]).ravel()
        occupancy = xp.bincount(index, weights=posterior.ravel(),
                                minlength=n_time * b * n_vocab).reshape(n_time, b, n_vocab)
        grad = xp.exp(log_y) * valid[:, :, None] - occupancy.astype(work, copy=False)
        scale = gloss.astype(work) if self.reduce == 'no' else \
            xp.full((b,), gloss.astype(work) / work.type(max(b, 1)), work)
        scale = xp.where(finite, scale, work.type(0))
        grad *= scale[None, :, None]
        grad = grad.astype(gloss.dtype, copy=False)
        return tuple(grad[i] for i in range(n_time))

    def backward(self, indexes, grad_outputs):
        raise NotImplementedError('connectionist_temporal_classification is differentiable '
                                  'once only (no double backprop)')


def connectionist_temporal_classification(x, t, blank_symbol, input_length=None,
                                          label_length=None, reduce='mean'):
    """CTC loss of frame-wise label scores against unaligned label sequences.

    Args:
        x (list of Variable, or an array/Variable of shape (T, B, V)): unnormalised scores
            of the V labels (blank included) for each of the T frames.
        t (Variable or array): integer labels (B, L), padded beyond ``label_length``.
        blank_symbol (int): the label id of the blank.
        input_length (array or None): frames per sample (B,); None means T for all.
        label_length (array or None): labels per sample (B,); None means L for all.
        reduce (str): ``'mean'`` averages ``-log p(t | x)`` over the batch; ``'no'`` returns
            it per sample.
    """
    if isinstance(x, collections.abc.Sequence):
        xs = tuple(x)
        if not xs:
            raise ValueError('connectionist_temporal_classification: x has no frames')
    else:
        from dchain.functions.array.get_item import get_item
        if getattr(x, 'ndim', None) != 3:
            raise TypeError('connectionist_temporal_classification: x must be a list of (B, '
                            'V) variables or one (T, B, V) array')
        xs = tuple(get_item(x, i) for i in range(x.shape[0]))
    t_array = getattr(t, 'array', t)
    x0 = getattr(xs[0], 'array', xs[0])
    xp = utils.get_xp(x0)
    b = x0.shape[0] if x0.ndim else 0
    if input_length is None:
        input_length = xp.full((b,), len(xs), numpy.int32)
    if label_length is None:
        label_length = xp.full((b,), t_array.shape[1] if t_array.ndim == 2 else 0,
                               numpy.int32)
    input_length = getattr(input_length, 'array', input_length)
    label_length = getattr(label_length, 'array', label_length)
    node = ConnectionistTemporalClassification(blank_symbol, reduce)
    inputs = (input_length, label_length, t) + xs
    return node.apply(inputs)[0]
