"""Transpose a batch of sequences into a sequence of batches (``F.transpose_sequence``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class TransposeSequence(function_node.FunctionNode):
    """``ys[t] = stack(x[t] for x in xs if len(x) > t)`` for lengths sorted decreasingly."""

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        x0 = in_types[0]
        type_check.expect(x0.ndim >= 1)
        ndim = type_check.eval(x0.ndim)
        for prev, t in zip(in_types, in_types[1:]):
            type_check.expect(t.ndim == x0.ndim, t.dtype == x0.dtype,
                              prev.shape[0] >= t.shape[0])
            for d in range(1, ndim):
                type_check.expect(t.shape[d] == x0.shape[d])

    def forward(self, inputs):
        xp = utils.get_xp(*inputs)
        length = len(inputs[0])
        if length == 0:
            return ()
        batch_sizes = [0] * length
        for x in inputs:
            for t in range(len(x)):
                batch_sizes[t] += 1
        # Copy each sequence once into one buffer with time as the leading axis; every
        # output is then a contiguous view of it.
        lengths = [len(x) for x in inputs]
        buf = xp.empty((length, len(inputs)) + inputs[0].shape[1:], inputs[0].dtype)
        for i, x in enumerate(inputs):
            buf[:len(x), i] = x
        self._lengths = lengths
        return tuple(buf[t, :n] for t, n in enumerate(batch_sizes))

    def backward(self, indexes, grad_outputs):
        from dchain.variable import Variable
        xp = next(g.xp for g in grad_outputs if g is not None)
        shape = None
        for g in grad_outputs:
            if g is not None:
                shape, dtype = g.shape[1:], g.dtype
                break
        gys = [g if g is not None else
               Variable(xp.zeros((sum(1 for n in self._lengths if n > t),) + shape, dtype),
                        requires_grad=False)
               for t, g in enumerate(grad_outputs)]
        gxs = TransposeSequence().apply(gys)
        # Sequences of length 0 get no output of the transpose; give them empty gradients.
        ret = list(gxs) + [Variable(xp.zeros((0,) + shape, dtype), requires_grad=False)
                           for n in self._lengths[len(gxs):]]
        return tuple(ret)


def transpose_sequence(xs):
    """Transpose a list of sequences sorted by decreasing length.

    Args:
        xs (list or tuple of Variable or array): sequences ``(L_i, ...)`` with
            ``L_0 >= L_1 >= ...``.

    Returns:
        tuple of Variable: ``ys[t]`` stacks the ``t``-th step of every sequence longer than
        ``t``; applying the function again restores ``xs``.
    """
    if not xs:
        return ()
    return TransposeSequence().apply(tuple(xs))
