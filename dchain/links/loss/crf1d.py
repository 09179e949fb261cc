"""Linear-chain CRF layer holding the transition costs (``L.CRF1d``)."""
import numpy

from dchain import backend
from dchain import initializers
from dchain import link
from dchain import variable
from dchain.functions.array.concat import concat
from dchain.functions.array.get_item import get_item
from dchain.functions.loss.crf1d import argmax_crf1d, crf1d


def _order_longest_first(seqs):
    return sorted(range(len(seqs)), key=lambda i: -len(seqs[i]))


def _to_time_major(seqs, order):
    """Batch-major sequences (taken in ``order``) as time-major steps ``step[i]`` (B_i, ...)."""
    seqs = [seqs[i] for i in order]
    lengths = [len(s) for s in seqs]
    offsets = numpy.cumsum([0] + lengths[:-1])
    counts = [sum(n > i for n in lengths) for i in range(lengths[0])]
    xp = backend.get_array_module(*seqs)
    offsets = xp.asarray(offsets)
    if any(isinstance(s, variable.Variable) for s in seqs):
        flat = concat(list(seqs), axis=0)
        return [get_item(flat, offsets[:b] + i) for i, b in enumerate(counts)]
    flat = xp.concatenate(seqs, axis=0)
    return [flat[offsets[:b] + i] for i, b in enumerate(counts)]


def _to_batch_major(steps, lengths):
    """Inverse of :func:`_to_time_major` for arrays: per-sequence arrays, longest first."""
    xp = backend.get_array_module(*steps)
    flat = xp.concatenate(steps)
    offsets = xp.asarray(numpy.cumsum([0] + [len(s) for s in steps[:-1]]))
    return [flat[offsets[:n] + b] for b, n in enumerate(lengths)]


class CRF1d(link.Link):
    """Linear-chain conditional random field loss with a learnt transition matrix.

    Args:
        n_label (int): number of labels.
        initial_cost: initializer of ``cost`` (default: zeros).

    Attributes:
        cost (Parameter): transition scores (n_label, n_label).
    """

    def __init__(self, n_label, initial_cost=None):
        super().__init__()
        if initial_cost is None:
            initial_cost = initializers.Zero()
        with self.init_scope():
            self.cost = variable.Parameter(initializers._get_initializer(initial_cost),
                                           (n_label, n_label))

    def forward(self, xs, ys, reduce='mean', transpose=False):
        """Negative log-likelihood of label sequences (see :func:`F.crf1d`).

        Args:
            xs, ys: time-major steps (``xs[i]`` of shape (B_i, n_label), sequences sorted
                longest first); with ``transpose=True``, batch-major lists of sequences
                (``xs[b]`` (L_b, n_label), ``ys[b]`` (L_b,)) in any order.
            reduce (str): ``'mean'`` or ``'no'``; per-sequence losses are returned in the
                order the sequences were given.
        """
        if not transpose:
            return crf1d(self.cost, xs, ys, reduce=reduce)
        order = _order_longest_first(xs)
        loss = crf1d(self.cost, _to_time_major(xs, order), _to_time_major(
            [getattr(y, 'array', y) for y in ys], order), reduce=reduce)
        if reduce == 'no':
            loss = get_item(loss, loss.xp.asarray(numpy.argsort(order)))
        return loss

    def argmax(self, xs, transpose=False):
        """Best label sequences and their scores (see :func:`F.argmax_crf1d`).

        With ``transpose=True``, ``xs`` is a batch-major list and the returned path is a list
        of per-sequence label arrays, both in the given order.
        """
        if not transpose:
            return argmax_crf1d(self.cost, xs)
        order = _order_longest_first(xs)
        score, path = argmax_crf1d(self.cost, _to_time_major(xs, order))
        inverse = numpy.argsort(order)
        per_sequence = _to_batch_major(path, [len(xs[i]) for i in order])
        return get_item(score, score.xp.asarray(inverse)), [per_sequence[i] for i in inverse]
