"""Tree-LSTM cell activation for N children (``F.tree_lstm``)."""
from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.config import config
from dchain.functions.activation.lstm import _sigmoid, _zeros_like
from dchain.utils import type_check


def _blocks(x, n_split):
    """Split axis 1 of ``x`` into ``n_split`` contiguous blocks (not interleaved)."""
    r = x.reshape((x.shape[0], n_split, x.shape[1] // n_split) + x.shape[2:])
    return [r[:, k] for k in range(n_split)]


class TreeLSTM(function_node.FunctionNode):
    """Cell of an N-ary or child-sum Tree-LSTM (Tai et al., 2015).

    Inputs are ``c_1, ..., c_N, x``; ``x`` holds ``N + 3`` contiguous blocks along axis 1:
    ``a, i, o, f_1, ..., f_N``.
    """

    def check_type_forward(self, in_types):
        n_in = type_check.eval(in_types.size())
        type_check.expect(in_types.size() >= 2)
        type_check.argname(in_types, ['c{}'.format(k + 1) for k in range(n_in - 1)] + ['x'])
        x_type = in_types[n_in - 1]
        type_check.expect(x_type.dtype.kind == 'f', x_type.ndim >= 2)
        ndim = type_check.eval(x_type.ndim)
        for k in range(n_in - 1):
            c_type = in_types[k]
            type_check.expect(
                c_type.dtype == x_type.dtype,
                c_type.ndim == x_type.ndim,
                c_type.shape[0] == x_type.shape[0],
                x_type.shape[1] == (n_in + 2) * c_type.shape[1],
            )
            for i in range(2, ndim):
                type_check.expect(c_type.shape[i] == x_type.shape[i])

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        cs, x = inputs[:-1], inputs[-1]
        xp = utils.get_xp(x)
        blocks = _blocks(x, len(cs) + 3)
        a, i, o = blocks[:3]
        c = xp.tanh(a) * _sigmoid(i)
        for f, c_k in zip(blocks[3:], cs):
            c += _sigmoid(f) * c_k
        h = _sigmoid(o) * xp.tanh(c)
        return utils.force_array(c, x.dtype), utils.force_array(h, x.dtype)

    def backward(self, indexes, grad_outputs):
        inputs = self.get_retained_inputs()
        gc, gh = grad_outputs
        if config.enable_backprop:
            return _tree_lstm_grad_graph(inputs, gc, gh)
        grads = _tree_lstm_grad_arrays([v.array for v in inputs],
                                       None if gc is None else gc.array,
                                       None if gh is None else gh.array)
        return tuple(variable.Variable(g, requires_grad=False) for g in grads)


def _tree_lstm_grad_arrays(inputs, gc, gh):
    cs, x = inputs[:-1], inputs[-1]
    xp = utils.get_xp(x)
    n_split = len(cs) + 3
    blocks = _blocks(x, n_split)
    a = xp.tanh(blocks[0])
    i = _sigmoid(blocks[1])
    o = _sigmoid(blocks[2])
    fs = [_sigmoid(f) for f in blocks[3:]]
    c = a * i
    for f, c_k in zip(fs, cs):
        c += f * c_k
    tc = xp.tanh(c)
    one = x.dtype.type(1)
    if gc is None:
        gc = xp.zeros_like(c)
    if gh is None:
        gh = xp.zeros_like(c)
    gcc = gc + gh * o * (one - tc * tc)
    gx = xp.empty((x.shape[0], n_split, x.shape[1] // n_split) + x.shape[2:], dtype=x.dtype)
    gx[:, 0] = gcc * i * (one - a * a)
    gx[:, 1] = gcc * a * i * (one - i)
    gx[:, 2] = gh * tc * o * (one - o)
    for k, (f, c_k) in enumerate(zip(fs, cs)):
        gx[:, 3 + k] = gcc * c_k * f * (one - f)
    return tuple(gcc * f for f in fs) + (gx.reshape(x.shape),)


def _tree_lstm_grad_graph(inputs, gc, gh):
    """The same gradients built from differentiable functions (for double backprop)."""
    from dchain.functions.activation.sigmoid import sigmoid
    from dchain.functions.activation.tanh import tanh
    from dchain.functions.array.reshape import reshape
    from dchain.functions.array.stack import stack
    cs, x = inputs[:-1], inputs[-1]
    n_split = len(cs) + 3
    r = reshape(x, (x.shape[0], n_split, cs[0].shape[1]) + x.shape[2:])
    a = tanh(r[:, 0])
    i = sigmoid(r[:, 1])
    o = sigmoid(r[:, 2])
    fs = [sigmoid(r[:, 3 + k]) for k in range(len(cs))]
    c = a * i
    for f, c_k in zip(fs, cs):
        c = c + f * c_k
    tc = tanh(c)
    zero = _zeros_like(a)
    gcc = gc
    go = zero
    if gh is not None:
        gcc_h = gh * o * (1 - tc * tc)
        gcc = gcc_h if gcc is None else gcc + gcc_h
        go = gh * tc * o * (1 - o)
    if gcc is None:
        return tuple(_zeros_like(c_k) for c_k in cs) + (_zeros_like(x),)
    blocks = [gcc * i * (1 - a * a), gcc * a * i * (1 - i), go]
    blocks += [gcc * c_k * f * (1 - f) for f, c_k in zip(fs, cs)]
    gx = reshape(stack(blocks, axis=1), x.shape)
    return tuple(gcc * f for f in fs) + (gx,)


def tree_lstm(*inputs):
    """Tree-LSTM unit for N-ary and child-sum Tree-LSTMs (Tai et al., 2015).

    The inputs are the children's cell states ``c_1, ..., c_N`` and the signal ``x``, whose
    axis 1 is split into ``N + 3`` contiguous blocks ``a, i, o, f_1, ..., f_N`` of the
    cells' width. The cell computes::

        c = tanh(a) * sigmoid(i) + sum_k sigmoid(f_k) * c_k
        h = sigmoid(o) * tanh(c)

    Args:
        inputs: ``c_1, ..., c_N`` (each ``(B, n_units, ...)``) and then ``x``
            (``(B, (N + 3) * n_units, ...)``), Variables or arrays.

    Returns:
        tuple: ``(c, h)``, each ``(B, n_units, ...)``.
    """
    return tuple(TreeLSTM().apply(inputs))
