"""Stacked GRU links over variable-length sequences (``L.NStepGRU``, ``L.NStepBiGRU``)."""
from dchain.functions.connection.n_step_gru import n_step_bigru, n_step_gru
from dchain.links.connection.n_step_rnn import NStepRNNBase


class NStepGRUBase(NStepRNNBase):
    n_weights = 6

    def rnn(self, n_layers, dropout, hx, cx, ws, bs, xs):
        f = n_step_bigru if self.use_bi_direction else n_step_gru
        return f(n_layers, dropout, hx, ws, bs, xs)

    def forward(self, hx, xs, **kwargs):
        """Run over the sequences ``xs`` (any order of lengths) from the states ``hx``
        (None: zeros); returns ``(hy, ys)``."""
        if kwargs:
            raise TypeError('unexpected keyword arguments: {}'.format(', '.join(sorted(kwargs))))
        return self._run(hx, None, xs)


class NStepGRU(NStepGRUBase):
    """Stacked uni-directional GRU (see ``F.n_step_gru``).

    Args: ``n_layers, in_size, out_size, dropout, initialW=None, initial_bias=None``.
    """


class NStepBiGRU(NStepGRUBase):
    """Stacked bi-directional GRU (see ``F.n_step_bigru``); outputs are ``2 * out_size``
    wide."""
    use_bi_direction = True
