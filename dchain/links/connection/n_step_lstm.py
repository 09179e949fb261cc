"""Stacked LSTM links over variable-length sequences (``L.NStepLSTM``, ``L.NStepBiLSTM``)."""
from dchain.functions.connection.n_step_lstm import n_step_bilstm, n_step_lstm
from dchain.links.connection.n_step_rnn import NStepRNNBase


class NStepLSTMBase(NStepRNNBase):
    n_weights = 8

    def rnn(self, n_layers, dropout, hx, cx, ws, bs, xs):
        f = n_step_bilstm if self.use_bi_direction else n_step_lstm
        return f(n_layers, dropout, hx, cx, ws, bs, xs)

    def forward(self, hx, cx, xs, **kwargs):
        """Run over the sequences ``xs`` (any order of lengths) from the states ``hx``, ``cx``
        (None: zeros); returns ``(hy, cy, ys)`` in the order of ``xs``."""
        if kwargs:
            raise TypeError('unexpected keyword arguments: {}'.format(', '.join(sorted(kwargs))))
        if cx is None:
            cx = self.init_hx(xs)
        return self._run(hx, cx, xs)


class NStepLSTM(NStepLSTMBase):
    """Stacked uni-directional LSTM (see ``F.n_step_lstm``).

    Args: ``n_layers, in_size, out_size, dropout, initialW=None, initial_bias=None``.
    """


class NStepBiLSTM(NStepLSTMBase):
    """Stacked bi-directional LSTM (see ``F.n_step_bilstm``); outputs are ``2 * out_size``
    wide."""
    use_bi_direction = True
