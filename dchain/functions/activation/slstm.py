"""S-LSTM cell activation for binary trees (``F.slstm``)."""
from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.config import config
from dchain.functions.activation.lstm import _gates, _sigmoid, _zeros_like
from dchain.utils import type_check


class SLSTM(function_node.FunctionNode):
    """LSTM cell merging two children: gates come from the sum of the children's inputs.

    ``x1`` and ``x2`` hold gate inputs ``a, i, f, o`` interleaved along axis 1 as in
    :func:`lstm`; each child has its own forget gate.
    """

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('c_prev1', 'c_prev2', 'x1', 'x2'))
        type_check.expect(in_types.size() == 4)
        c1, c2, x1, x2 = in_types
        type_check.expect(
            c1.dtype.kind == 'f',
            c2.dtype == c1.dtype,
            x1.dtype == c1.dtype,
            x2.dtype == c1.dtype,
            c1.ndim >= 2,
            c2.ndim == c1.ndim,
            x1.ndim == c1.ndim,
            x2.ndim == c1.ndim,
            c2.shape == c1.shape,
            x2.shape == x1.shape,
            x1.shape[0] == c1.shape[0],
            x1.shape[1] == 4 * c1.shape[1],
        )
        for i in range(2, type_check.eval(c1.ndim)):
            type_check.expect(x1.shape[i] == c1.shape[i])

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2, 3))
        c1, c2, x1, x2 = inputs
        xp = utils.get_xp(x1)
        a1, i1, f1, o1 = _gates(x1)
        a2, i2, f2, o2 = _gates(x2)
        c = xp.tanh(a1 + a2) * _sigmoid(i1 + i2) + _sigmoid(f1) * c1 + _sigmoid(f2) * c2
        h = _sigmoid(o1 + o2) * xp.tanh(c)
        return utils.force_array(c, x1.dtype), utils.force_array(h, x1.dtype)

    def backward(self, indexes, grad_outputs):
        inputs = self.get_retained_inputs()
        gc, gh = grad_outputs
        if config.enable_backprop:
            return _slstm_grad_graph(*inputs, gc, gh)
        grads = _slstm_grad_arrays(*[v.array for v in inputs],
                                   None if gc is None else gc.array,
                                   None if gh is None else gh.array)
        return tuple(variable.Variable(g, requires_grad=False) for g in grads)


def _slstm_grad_arrays(c1, c2, x1, x2, gc, gh):
    xp = utils.get_xp(x1)
    a1, i1, f1, o1 = _gates(x1)
    a2, i2, f2, o2 = _gates(x2)
    a = xp.tanh(a1 + a2)
    i = _sigmoid(i1 + i2)
    f1 = _sigmoid(f1)
    f2 = _sigmoid(f2)
    o = _sigmoid(o1 + o2)
    tc = xp.tanh(a * i + f1 * c1 + f2 * c2)
    one = x1.dtype.type(1)
    if gc is None:
        gc = xp.zeros_like(c1)
    if gh is None:
        gh = xp.zeros_like(c1)
    gcc = gc + gh * o * (one - tc * tc)
    shape = (x1.shape[0], x1.shape[1] // 4, 4) + x1.shape[2:]
    gx1 = xp.empty(shape, dtype=x1.dtype)
    gx1[:, :, 0] = gcc * i * (one - a * a)
    gx1[:, :, 1] = gcc * a * i * (one - i)
    gx1[:, :, 3] = gh * tc * o * (one - o)
    # The summed gates get the same gradient from both children; forget gates differ.
    gx2 = gx1.copy()
    gx1[:, :, 2] = gcc * c1 * f1 * (one - f1)
    gx2[:, :, 2] = gcc * c2 * f2 * (one - f2)
    return gcc * f1, gcc * f2, gx1.reshape(x1.shape), gx2.reshape(x2.shape)


def _slstm_grad_graph(c1, c2, x1, x2, gc, gh):
    """The same gradients built from differentiable functions (for double backprop)."""
    from dchain.functions.activation.sigmoid import sigmoid
    from dchain.functions.activation.tanh import tanh
    from dchain.functions.array.reshape import reshape
    from dchain.functions.array.stack import stack
    shape = (x1.shape[0], c1.shape[1], 4) + x1.shape[2:]
    r1 = reshape(x1, shape)
    r2 = reshape(x2, shape)
    a = tanh(r1[:, :, 0] + r2[:, :, 0])
    i = sigmoid(r1[:, :, 1] + r2[:, :, 1])
    f1 = sigmoid(r1[:, :, 2])
    f2 = sigmoid(r2[:, :, 2])
    o = sigmoid(r1[:, :, 3] + r2[:, :, 3])
    tc = tanh(a * i + f1 * c1 + f2 * c2)
    zero = _zeros_like(c1)
    gcc = gc
    go = zero
    if gh is not None:
        gcc_h = gh * o * (1 - tc * tc)
        gcc = gcc_h if gcc is None else gcc + gcc_h
        go = gh * tc * o * (1 - o)
    if gcc is None:
        return zero, zero, _zeros_like(x1), _zeros_like(x2)
    ga = gcc * i * (1 - a * a)
    gi = gcc * a * i * (1 - i)
    gf1 = gcc * c1 * f1 * (1 - f1)
    gf2 = gcc * c2 * f2 * (1 - f2)
    gx1 = reshape(stack((ga, gi, gf1, go), axis=2), x1.shape)
    gx2 = reshape(stack((ga, gi, gf2, go), axis=2), x2.shape)
    return gcc * f1, gcc * f2, gx1, gx2


def slstm(c_prev1, c_prev2, x1, x2):
    """S-LSTM unit: an LSTM cell whose state merges two children (Zhu et al., 2015).

    ``x1`` and ``x2`` each hold gate inputs ``a, i, f, o`` interleaved along axis 1 (channel
    ``4k + j`` is unit ``k`` of gate ``j``), as in :func:`lstm`. The cell computes::

        c = tanh(a1 + a2) * sigmoid(i1 + i2)
            + sigmoid(f1) * c_prev1 + sigmoid(f2) * c_prev2
        h = sigmoid(o1 + o2) * tanh(c)

    Args:
        c_prev1 (Variable or array): cell state of the first child, ``(B, n_units, ...)``.
        c_prev2 (Variable or array): cell state of the second child, same shape.
        x1 (Variable or array): gate inputs from the first child, ``(B, 4 * n_units, ...)``.
        x2 (Variable or array): gate inputs from the second child, same shape as ``x1``.

    Returns:
        tuple: ``(c, h)``, each of the shape of ``c_prev1``.
    """
    return tuple(SLSTM().apply((c_prev1, c_prev2, x1, x2)))
