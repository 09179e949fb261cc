"""LSTM cell activation (``F.lstm``): gates in, new cell state and output out."""
from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.config import config
from dchain.utils import type_check


def _gates(x):
    """Split ``x`` of shape ``(B, 4H, ...)`` into the four interleaved gate inputs."""
    r = x.reshape((x.shape[0], x.shape[1] // 4, 4) + x.shape[2:])
    return r[:, :, 0], r[:, :, 1], r[:, :, 2], r[:, :, 3]


def _sigmoid(x):
    xp = utils.get_xp(x)
    half = x.dtype.type(0.5)
    return xp.tanh(x * half) * half + half


class LSTM(function_node.FunctionNode):
    """``c = tanh(a) * sig(i) + sig(f) * c_prev``, ``h = sig(o) * tanh(c)``.

    The gate inputs ``a, i, f, o`` are interleaved along axis 1 of ``x``: channel ``4k + j``
    is unit ``k`` of gate ``j``. When ``c_prev`` has more rows than ``x``, the extra rows of
    the cell state pass through unchanged (sequences that have ended in a sorted batch).
    """

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('c_prev', 'x'))
        type_check.expect(in_types.size() == 2)
        c_type, x_type = in_types
        type_check.expect(
            c_type.dtype.kind == 'f',
            x_type.dtype == c_type.dtype,
            c_type.ndim >= 2,
            x_type.ndim == c_type.ndim,
            x_type.shape[0] <= c_type.shape[0],
            x_type.shape[1] == 4 * c_type.shape[1],
        )
        for i in range(2, type_check.eval(c_type.ndim)):
            type_check.expect(x_type.shape[i] == c_type.shape[i])

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        c_prev, x = inputs
        xp = utils.get_xp(x)
        batch = x.shape[0]
        a, i, f, o = _gates(x)
        c = xp.tanh(a) * _sigmoid(i) + _sigmoid(f) * c_prev[:batch]
        h = _sigmoid(o) * xp.tanh(c)
        if batch < c_prev.shape[0]:
            c = xp.concatenate((c, c_prev[batch:]), axis=0)
        return utils.force_array(c, x.dtype), utils.force_array(h, x.dtype)

    def backward(self, indexes, grad_outputs):
        c_prev, x = self.get_retained_inputs()
        gc, gh = grad_outputs
        if config.enable_backprop:
            return _lstm_grad_graph(c_prev, x, gc, gh)
        gc_prev, gx = _lstm_grad_arrays(
            c_prev.array, x.array, None if gc is None else gc.array,
            None if gh is None else gh.array)
        return (variable.Variable(gc_prev, requires_grad=False),
                variable.Variable(gx, requires_grad=False))


def _lstm_grad_arrays(c_prev, x, gc, gh):
    """First-order gradients on arrays (the common case: no graph of the backward needed)."""
    xp = utils.get_xp(x)
    batch = x.shape[0]
    a, i, f, o = _gates(x)
    a = xp.tanh(a)
    i = _sigmoid(i)
    f = _sigmoid(f)
    o = _sigmoid(o)
    cp = c_prev[:batch]
    tc = xp.tanh(a * i + f * cp)
    one = x.dtype.type(1)
    gc_top = xp.zeros_like(cp) if gc is None else gc[:batch]
    if gh is None:
        gh = xp.zeros_like(cp)
    gcc = gc_top + gh * o * (one - tc * tc)
    gx = xp.empty((batch, x.shape[1] // 4, 4) + x.shape[2:], dtype=x.dtype)
    gx[:, :, 0] = gcc * i * (one - a * a)
    gx[:, :, 1] = gcc * a * i * (one - i)
    gx[:, :, 2] = gcc * cp * f * (one - f)
    gx[:, :, 3] = gh * tc * o * (one - o)
    gc_prev = xp.empty_like(c_prev)
    gc_prev[:batch] = gcc * f
    if batch < c_prev.shape[0]:
        gc_prev[batch:] = 0 if gc is None else gc[batch:]
    return gc_prev, gx.reshape(x.shape)


def _lstm_grad_graph(c_prev, x, gc, gh):
    """The same gradients built from differentiable functions (for double backprop)."""
    from dchain.functions.activation.sigmoid import sigmoid
    from dchain.functions.activation.tanh import tanh
    from dchain.functions.array.concat import concat
    from dchain.functions.array.reshape import reshape
    from dchain.functions.array.stack import stack
    batch = x.shape[0]
    n_rows = c_prev.shape[0]
    xr = reshape(x, (batch, c_prev.shape[1], 4) + x.shape[2:])
    a = tanh(xr[:, :, 0])
    i = sigmoid(xr[:, :, 1])
    f = sigmoid(xr[:, :, 2])
    o = sigmoid(xr[:, :, 3])
    cp = c_prev[:batch] if batch < n_rows else c_prev
    tc = tanh(a * i + f * cp)
    gcc = None if gc is None else (gc[:batch] if batch < n_rows else gc)
    if gh is not None:
        gcc_h = gh * o * (1 - tc * tc)
        gcc = gcc_h if gcc is None else gcc + gcc_h
    zero = _zeros_like(a)
    gates = [zero] * 4
    if gcc is not None:
        gates[0] = gcc * i * (1 - a * a)
        gates[1] = gcc * a * i * (1 - i)
        gates[2] = gcc * cp * f * (1 - f)
    if gh is not None:
        gates[3] = gh * tc * o * (1 - o)
    gx = reshape(stack(gates, axis=2), x.shape)
    gc_prev = zero if gcc is None else gcc * f
    if batch < n_rows:
        tail = gc[batch:] if gc is not None else _zeros_like(c_prev[batch:])
        gc_prev = concat((gc_prev, tail), axis=0)
    return gc_prev, gx


def _zeros_like(v):
    return variable.Variable(utils.get_xp(v.array).zeros_like(v.array), requires_grad=False)


def lstm(c_prev, x):
    """Long short-term memory activation.

    ``x`` holds the four gate pre-activations ``a, i, f, o`` interleaved along axis 1 (its
    channel ``4k + j`` is unit ``k`` of gate ``j``), as produced by a linear layer of
    ``4 * n_units`` outputs. The cell computes::

        c = tanh(a) * sigmoid(i) + sigmoid(f) * c_prev
        h = sigmoid(o) * tanh(c)

    Args:
        c_prev (Variable or array): previous cell state of shape ``(B', n_units, ...)`` with
            ``B' >= B``; rows beyond ``B`` are carried over to ``c`` unchanged.
        x (Variable or array): gate inputs of shape ``(B, 4 * n_units, ...)``.

    Returns:
        tuple: ``(c, h)``: the new cell state (shape of ``c_prev``) and the output
        (``(B, n_units, ...)``).
    """
    return tuple(LSTM().apply((c_prev, x)))
