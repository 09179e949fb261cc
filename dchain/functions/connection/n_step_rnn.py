"""Multi-layer Elman RNNs over variable-length sequences (``F.n_step_rnn``,
``F.n_step_birnn``), and the layer/direction/time loop shared with the LSTM and GRU versions.

Sequences come as a list sorted by decreasing length. The loop works time-major: all
sequences are gathered into one ``(total_steps, features)`` matrix ordered by time step, so
each layer's input projection is a single matrix product over every step; only the
recurrent part runs step by step, on the rows of the sequences still active at that step.
"""
import numpy

from dchain import variable
from dchain.config import config
from dchain.utils import type_check


def _as_variable(x):
    return x if isinstance(x, variable.Variable) else variable.Variable(x, requires_grad=False)


def _check_sequences(xs, hx_batch):
    if not isinstance(xs, (list, tuple)) or len(xs) == 0:
        raise ValueError('xs must be a non-empty list of sequences (arrays or Variables)')
    lengths = [len(x) for x in xs]
    for a, b in zip(lengths, lengths[1:]):
        if a < b:
            raise ValueError('xs must be sorted by decreasing length; got lengths {}'.format(
                lengths))
    if lengths[-1] == 0:
        raise ValueError('every sequence of xs must have at least one step')
    if hx_batch is not None and hx_batch != len(xs):
        raise ValueError('hx has a batch of {} but xs has {} sequences'.format(
            hx_batch, len(xs)))
    return lengths


def _check_types(name, n_dirs, n_weights, hx, cx, ws, bs, xs):
    """Shapes and dtypes of every array, checked up front under the caller's argument names.

    Without this a wrong shape surfaces deep in the loop, in a LinearFunction, Concat or Stack
    whose inputs the caller never named, or as a numpy broadcast error (a bias of the wrong
    length). The units ``N`` are the rows of ``ws[0][-1]``, the first recurrent matrix.
    """
    names, arrays = [], []

    def add(label, a):
        names.append(label)
        arrays.append(a.array if isinstance(a, variable.Variable) else a)

    for i, x in enumerate(xs):
        add('xs[{}]'.format(i), x)
    for i, (w, b) in enumerate(zip(ws, bs)):
        for j in range(n_weights):
            add('ws[{}][{}]'.format(i, j), w[j])
        for j in range(n_weights):
            add('bs[{}][{}]'.format(i, j), b[j])
    for label, state in (('hx', hx), ('cx', cx)):
        if state is not None:
            add(label, state)

    def check(in_types):
        type_check.argname(in_types, names)
        types = iter(in_types)
        x_types = [next(types) for _ in xs]
        x0 = x_types[0]
        type_check.expect(x0.dtype.kind == 'f')
        for x in x_types:
            type_check.expect(x.dtype == x0.dtype, x.ndim == 2, x.shape[1] == x0.shape[1])
        units = None
        for i in range(len(ws)):
            w_types = [next(types) for _ in range(n_weights)]
            b_types = [next(types) for _ in range(n_weights)]
            if units is None:
                type_check.expect(w_types[-1].ndim == 2)
                units = w_types[-1].shape[0]
            # Layer 0 reads xs; later layers read the previous layer's directions side by side.
            in_size = x0.shape[1] if i < n_dirs else units * n_dirs
            for j, w in enumerate(w_types):
                type_check.expect(w.dtype == x0.dtype, w.ndim == 2, w.shape[0] == units,
                                  w.shape[1] == (in_size if j < n_weights // 2 else units))
            for b in b_types:
                type_check.expect(b.dtype == x0.dtype, b.ndim == 1, b.shape[0] == units)
        for s in types:
            # ndim and batch are checked before (ValueError); units and dtype remain.
            type_check.expect(s.dtype == x0.dtype, s.shape[2] == units)

    type_check.run_check(check, tuple(arrays), name)


def _time_major_layout(lengths):
    """Batch size per step and the row permutation from sequence- to time-major order."""
    n_steps = lengths[0]
    batch_sizes = [sum(1 for n in lengths if n > t) for t in range(n_steps)]
    offsets = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]])
    # Row t of sequence i sits at offsets[i] + t in the sequence-major concatenation.
    order = numpy.concatenate([offsets[:b] + t for t, b in enumerate(batch_sizes)])
    return batch_sizes, order


def n_step_rnn_base(n_layers, dropout_ratio, hx, cx, ws, bs, xs, use_bi_direction,
                    n_weights, cell, name):
    """Run ``cell`` over every layer, direction and time step.

    Args:
        cell: provides ``cell.prepare(w, b) -> (W_in, b_in, params)`` (the input projection
            of one layer and direction, and whatever the steps need) and
            ``cell(xw_t, h, c, params) -> (h_new, c_new)``: one step on the active rows given
            the input projection ``xw_t`` of that step. ``c`` is None for cells without a
            memory cell; an LSTM receives the full-batch ``c`` (``F.lstm`` carries the rows
            of finished sequences over).

    Returns:
        tuple: ``(hy, cy, ys)``; ``cy`` is None when ``cx`` is None.
    """
    from dchain.functions.array.concat import concat
    from dchain.functions.array.permutate import permutate
    from dchain.functions.connection.linear import linear
    from dchain.functions.array.split_axis import split_axis
    from dchain.functions.array.stack import stack
    from dchain.functions.noise.dropout import dropout

    n_dirs = 2 if use_bi_direction else 1
    if n_layers < 1:
        raise ValueError('{}: n_layers must be positive, got {}'.format(name, n_layers))
    if len(ws) != n_layers * n_dirs or len(bs) != n_layers * n_dirs:
        raise ValueError('{}: ws and bs need {} entries (n_layers x directions), got {} and {}'
                         .format(name, n_layers * n_dirs, len(ws), len(bs)))
    for w, b in zip(ws, bs):
        if len(w) != n_weights or len(b) != n_weights:
            raise ValueError('{}: each ws[i] and bs[i] must hold {} arrays, got {} and {}'
                             .format(name, n_weights, len(w), len(b)))
    hx = None if hx is None else _as_variable(hx)
    cx = None if cx is None else _as_variable(cx)
    for state, label in ((hx, 'hx'), (cx, 'cx')):
        if state is not None and (state.ndim != 3 or state.shape[0] != n_layers * n_dirs):
            raise ValueError('{}: {} must have shape (n_layers * directions, batch, units) = '
                             '({}, ...), got {}'.format(name, label, n_layers * n_dirs,
                                                        state.shape))
    lengths = _check_sequences(xs, None if hx is None else hx.shape[1])
    if cx is not None and cx.shape[1] != len(xs):
        raise ValueError('{}: cx has a batch of {} but xs has {} sequences'.format(
            name, cx.shape[1], len(xs)))
    if config.type_check:   # as FunctionNode.apply's checks
        _check_types(name, n_dirs, n_weights, hx, cx, ws, bs, xs)
    batch_sizes, order = _time_major_layout(lengths)
    sections = numpy.cumsum(batch_sizes)[:-1].tolist()
    n_units = ws[0][-1].shape[0]
    xs = [_as_variable(x) for x in xs]
    dtype = xs[0].dtype
    xp = xs[0].xp
    batch = len(xs)

    def initial(state, index):
        if state is None:
            return variable.Variable(xp.zeros((batch, n_units), dtype=dtype),
                                     requires_grad=False)
        return state[index]

    x = concat(xs, axis=0) if len(xs) > 1 else xs[0]
    if batch > 1:
        order = xp.asarray(order)
        x = permutate(x, order)
    use_cell = cx is not None or cell.has_cell
    hy, cy = [], []
    for layer in range(n_layers):
        if layer > 0 and dropout_ratio > 0 and config.train:
            x = dropout(x, ratio=dropout_ratio)
        outs = []
        for direction in range(n_dirs):
            index = layer * n_dirs + direction
            w_in, b_in, params = cell.prepare(ws[index], bs[index])
            xw = linear(x, w_in, b_in)
            xw_steps = split_axis(xw, sections, axis=0) if sections else (xw,)
            h = initial(hx, index)
            c = initial(cx, index) if use_cell else None
            hs = [None] * len(batch_sizes)
            steps = range(len(batch_sizes))
            if direction == 1:
                steps = reversed(steps)
            for t in steps:
                bt = batch_sizes[t]
                if bt < h.shape[0]:
                    h_top, h_rest = split_axis(h, [bt], axis=0)
                else:
                    h_top, h_rest = h, None
                h_new, c = cell(xw_steps[t], h_top, c, params)
                hs[t] = h_new
                h = h_new if h_rest is None else concat((h_new, h_rest), axis=0)
            hy.append(h)
            if use_cell:
                cy.append(c)
            outs.append(concat(hs, axis=0) if len(hs) > 1 else hs[0])
        x = outs[0] if n_dirs == 1 else concat(outs, axis=1)

    if batch > 1:
        x = permutate(x, order, inv=True)
    ys = split_axis(x, numpy.cumsum(lengths)[:-1].tolist(), axis=0) if batch > 1 else (x,)
    hy = stack(hy, axis=0)
    cy = stack(cy, axis=0) if use_cell else None
    return hy, cy, list(ys)


class _RNNCell:
    """Elman step: ``h = act(x W0^T + b0 + h W1^T + b1)``."""

    has_cell = False

    def __init__(self, activation):
        from dchain.functions.activation.relu import relu
        from dchain.functions.activation.tanh import tanh
        if activation == 'tanh':
            self.act = tanh
        elif activation == 'relu':
            self.act = relu
        else:
            raise ValueError("activation must be 'tanh' or 'relu', got {!r}".format(activation))

    @staticmethod
    def prepare(w, b):
        # Both biases only shift the pre-activation: fold them into the input projection.
        return w[0], b[0] + b[1], w[1]

    def __call__(self, xw, h, c, w_rec):
        from dchain.functions.connection.linear import linear
        return self.act(xw + linear(h, w_rec)), None


def n_step_rnn(n_layers, dropout_ratio, hx, ws, bs, xs, activation='tanh'):
    """Stacked uni-directional Elman RNN over variable-length sequences.

    Each layer computes ``h_t = act(W0 x_t + b0 + W1 h_{t-1} + b1)``; dropout is applied to
    the input of every layer but the first (in training mode).

    Args:
        n_layers (int): number of layers.
        dropout_ratio (float): dropout ratio between layers.
        hx (Variable or array): initial states of shape ``(n_layers, B, N)`` (None: zeros).
        ws (list of lists): ``ws[l] = [W0, W1]`` with ``W0`` of shape ``(N, in)`` (``in`` is
            the input size for layer 0 and ``N`` after) and ``W1`` of shape ``(N, N)``.
        bs (list of lists): ``bs[l] = [b0, b1]``, each of shape ``(N,)``.
        xs (list of Variable or array): ``B`` sequences of shape ``(L_i, in)``, sorted by
            decreasing ``L_i``.
        activation (str): ``'tanh'`` or ``'relu'``.

    Returns:
        tuple: ``(hy, ys)``: the last states ``(n_layers, B, N)`` and the outputs of the last
        layer, a list of ``(L_i, N)`` Variables.
    """
    hy, _, ys = n_step_rnn_base(n_layers, dropout_ratio, hx, None, ws, bs, xs, False, 2,
                                _RNNCell(activation), 'n_step_rnn')
    return hy, ys


def n_step_birnn(n_layers, dropout_ratio, hx, ws, bs, xs, activation='tanh'):
    """Stacked bi-directional Elman RNN over variable-length sequences.

    As :func:`n_step_rnn`, with a forward and a backward RNN per layer whose outputs are
    concatenated (so layers after the first take ``2N`` inputs). ``hx`` has shape
    ``(2 * n_layers, B, N)``; ``ws[2l]``/``bs[2l]`` are the forward direction of layer ``l``
    and ``ws[2l + 1]``/``bs[2l + 1]`` the backward one.

    Returns:
        tuple: ``(hy, ys)`` with ``ys[i]`` of shape ``(L_i, 2N)``.
    """
    hy, _, ys = n_step_rnn_base(n_layers, dropout_ratio, hx, None, ws, bs, xs, True, 2,
                                _RNNCell(activation), 'n_step_birnn')
    return hy, ys
