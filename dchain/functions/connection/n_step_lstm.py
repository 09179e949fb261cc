"""Multi-layer LSTMs over variable-length sequences (``F.n_step_lstm``, ``F.n_step_bilstm``).

Weights follow cuDNN's (and Chainer's) layout: ``ws[l][0:4]`` act on the input and
``ws[l][4:8]`` on the hidden state, for the input gate, forget gate, cell input and output
gate in that order.
"""
from dchain.functions.connection.n_step_rnn import n_step_rnn_base


def _interleave(arrays):
    """Stack per-gate weights so gate ``j`` of unit ``k`` is row ``4k + j`` (F.lstm's layout)."""
    from dchain.functions.array.reshape import reshape
    from dchain.functions.array.stack import stack
    s = stack(arrays, axis=1)
    return reshape(s, (s.shape[0] * 4,) + s.shape[2:])


class _LSTMCell:
    has_cell = True

    @staticmethod
    def prepare(w, b):
        # F.lstm takes gates in the order (cell input, input, forget, output).
        w_in = _interleave([w[2], w[0], w[1], w[3]])
        w_rec = _interleave([w[6], w[4], w[5], w[7]])
        b_all = _interleave([b[2] + b[6], b[0] + b[4], b[1] + b[5], b[3] + b[7]])
        return w_in, b_all, w_rec

    def __call__(self, xw, h, c, w_rec):
        from dchain.functions.activation.lstm import lstm
        from dchain.functions.connection.linear import linear
        c, h = lstm(c, xw + linear(h, w_rec))
        return h, c


def n_step_lstm(n_layers, dropout_ratio, hx, cx, ws, bs, xs):
    """Stacked uni-directional LSTM over variable-length sequences.

    For each layer and step, with ``x`` the input and ``h``, ``c`` the previous state::

        i = sigmoid(W0 x + b0 + W4 h + b4)      f = sigmoid(W1 x + b1 + W5 h + b5)
        a = tanh(W2 x + b2 + W6 h + b6)         o = sigmoid(W3 x + b3 + W7 h + b7)
        c' = f * c + i * a                      h' = o * tanh(c')

    Dropout is applied to the input of every layer but the first (in training mode).

    Args:
        n_layers (int): number of layers.
        dropout_ratio (float): dropout ratio between layers.
        hx, cx (Variable or array): initial hidden and cell states of shape
            ``(n_layers, B, N)`` (None: zeros).
        ws (list of lists): ``ws[l]`` holds 8 matrices: ``W0..W3`` of shape ``(N, in)``
            (``in`` is the input size for layer 0 and ``N`` after) and ``W4..W7`` of shape
            ``(N, N)``.
        bs (list of lists): ``bs[l]`` holds 8 vectors of shape ``(N,)``.
        xs (list of Variable or array): ``B`` sequences of shape ``(L_i, in)``, sorted by
            decreasing ``L_i``.

    Returns:
        tuple: ``(hy, cy, ys)``: the last hidden and cell states ``(n_layers, B, N)`` and the
        outputs of the last layer, a list of ``(L_i, N)`` Variables.
    """
    return _run(n_layers, dropout_ratio, hx, cx, ws, bs, xs, False, 'n_step_lstm')


def n_step_bilstm(n_layers, dropout_ratio, hx, cx, ws, bs, xs):
    """Stacked bi-directional LSTM over variable-length sequences.

    As :func:`n_step_lstm`, with a forward and a backward LSTM per layer whose outputs are
    concatenated (layers after the first take ``2N`` inputs). ``hx`` and ``cx`` have shape
    ``(2 * n_layers, B, N)``; index ``2l`` is the forward direction of layer ``l`` and
    ``2l + 1`` the backward one, for the states, ``ws`` and ``bs`` alike.

    Returns:
        tuple: ``(hy, cy, ys)`` with ``ys[i]`` of shape ``(L_i, 2N)``.
    """
    return _run(n_layers, dropout_ratio, hx, cx, ws, bs, xs, True, 'n_step_bilstm')


def _run(n_layers, dropout_ratio, hx, cx, ws, bs, xs, bi, name):
    hy, cy, ys = n_step_rnn_base(n_layers, dropout_ratio, hx, cx, ws, bs, xs, bi, 8,
                                 _LSTMCell(), name)
    return hy, cy, ys
