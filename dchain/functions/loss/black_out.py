"""BlackOut loss: a sampled softmax with discriminative negatives (``F.black_out``)."""
from dchain.functions.array.get_item import get_item
from dchain.functions.array.reshape import reshape
from dchain.functions.loss import _compose
from dchain.functions.math.exp import exp
from dchain.functions.math.log import log
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


def _check(in_types):
    type_check.argname(in_types, ('x', 't', 'W', 'samples'))
    type_check.expect(in_types.size() == 4)
    x, t, W, samples = in_types
    type_check.expect(x.dtype.kind == 'f', x.ndim == 2, t.dtype.kind == 'i', t.ndim == 1,
                      W.dtype == x.dtype, W.ndim == 2, samples.dtype.kind == 'i',
                      samples.ndim == 2)
    type_check.expect(x.shape[0] == t.shape[0], x.shape[1] == W.shape[1],
                      samples.shape[0] == x.shape[0])


def black_out(x, t, W, samples, reduce='mean'):
    """BlackOut loss ``-log p(t) - sum_{s in samples} log(1 - p(s))``.

    ``p`` is the softmax of the scores ``W_y . x`` restricted to ``{t} + samples``.

    Args:
        x (Variable or array): input vectors (N, D).
        t (Variable or array): integer target ids (N,).
        W (Variable or array): output word vectors (V, D).
        samples (Variable or array): negative ids (N, S), drawn by the caller.
        reduce (str): ``'mean'`` averages over the batch; ``'no'`` returns each row's loss.
    """
    _compose.check_reduce('black_out', reduce, ('mean', 'no'))
    _compose.check_types('black_out', _check, x, t, W, samples)
    x, W = _compose.as_variable(x), _compose.as_variable(W)
    t = getattr(t, 'array', t)
    samples = getattr(samples, 'array', samples)
    xp = x.xp
    n, d = x.shape
    ids = xp.concatenate([t[:, None], samples], axis=1)
    if ids.size and (int(ids.min()) < 0 or int(ids.max()) >= W.shape[0]):
        raise ValueError('black_out: labels and samples must be in [0, {})'.format(W.shape[0]))
    scores = _sum(get_item(W, ids) * reshape(x, (n, 1, d)), axis=2)     # (N, 1 + S)
    log_p = _compose.log_softmax(scores, axis=1)
    pos = get_item(log_p, (slice(None), 0))
    neg = get_item(log_p, (slice(None), slice(1, None)))
    loss = -(pos + _sum(log(1.0 - exp(neg)), axis=1))
    if reduce == 'mean':
        return _sum(loss) * (1.0 / max(n, 1))
    return loss
