"""Multi-layer GRUs over variable-length sequences (``F.n_step_gru``, ``F.n_step_bigru``).

Weights follow cuDNN's (and Chainer's) layout: ``ws[l][0:3]`` act on the input and
``ws[l][3:6]`` on the hidden state, for the reset gate, update gate and candidate state.
"""
from dchain.functions.connection.n_step_rnn import n_step_rnn_base


class _GRUCell:
    has_cell = False

    @staticmethod
    def prepare(w, b):
        from dchain.functions.array.concat import concat
        w_in = concat([w[0], w[1], w[2]], axis=0)
        # The reset gate scales the recurrent candidate term including its bias, so only
        # the biases of the two gates can be folded into the input projection.
        b_in = concat([b[0] + b[3], b[1] + b[4], b[2]], axis=0)
        w_rec = concat([w[3], w[4], w[5]], axis=0)
        return w_in, b_in, (w_rec, b[5])

    def __call__(self, xw, h, c, params):
        from dchain.functions.activation.sigmoid import sigmoid
        from dchain.functions.activation.tanh import tanh
        from dchain.functions.array.split_axis import split_axis
        from dchain.functions.connection.linear import linear
        w_rec, b_cand = params
        n = h.shape[1]
        hw = linear(h, w_rec)
        x_r, x_z, x_n = split_axis(xw, [n, 2 * n], axis=1)
        h_r, h_z, h_n = split_axis(hw, [n, 2 * n], axis=1)
        r = sigmoid(x_r + h_r)
        z = sigmoid(x_z + h_z)
        h_bar = tanh(x_n + r * (h_n + b_cand))
        return h_bar + z * (h - h_bar), None


def n_step_gru(n_layers, dropout_ratio, hx, ws, bs, xs):
    """Stacked uni-directional GRU over variable-length sequences.

    For each layer and step, with ``x`` the input and ``h`` the previous state::

        r = sigmoid(W0 x + b0 + W3 h + b3)
        z = sigmoid(W1 x + b1 + W4 h + b4)
        h_bar = tanh(W2 x + b2 + r * (W5 h + b5))
        h' = (1 - z) * h_bar + z * h

    Dropout is applied to the input of every layer but the first (in training mode).

    Args:
        n_layers (int): number of layers.
        dropout_ratio (float): dropout ratio between layers.
        hx (Variable or array): initial states of shape ``(n_layers, B, N)`` (None: zeros).
        ws (list of lists): ``ws[l]`` holds 6 matrices: ``W0..W2`` of shape ``(N, in)`` and
            ``W3..W5`` of shape ``(N, N)``.
        bs (list of lists): ``bs[l]`` holds 6 vectors of shape ``(N,)``.
        xs (list of Variable or array): ``B`` sequences of shape ``(L_i, in)``, sorted by
            decreasing ``L_i``.

    Returns:
        tuple: ``(hy, ys)``: the last states ``(n_layers, B, N)`` and the outputs of the last
        layer, a list of ``(L_i, N)`` Variables.
    """
    hy, _, ys = n_step_rnn_base(n_layers, dropout_ratio, hx, None, ws, bs, xs, False, 6,
                                _GRUCell(), 'n_step_gru')
    return hy, ys


def n_step_bigru(n_layers, dropout_ratio, hx, ws, bs, xs):
    """Stacked bi-directional GRU over variable-length sequences.

    As :func:`n_step_gru`, with a forward and a backward GRU per layer whose outputs are
    concatenated. ``hx`` has shape ``(2 * n_layers, B, N)``; index ``2l`` is the forward
    direction of layer ``l`` and ``2l + 1`` the backward one.

    Returns:
        tuple: ``(hy, ys)`` with ``ys[i]`` of shape ``(L_i, 2N)``.
    """
    hy, _, ys = n_step_rnn_base(n_layers, dropout_ratio, hx, None, ws, bs, xs, True, 6,
                                _GRUCell(), 'n_step_bigru')
    return hy, ys
