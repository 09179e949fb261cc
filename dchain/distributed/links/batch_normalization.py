"""MultiNodeBatchNormalization: BatchNormalization with statistics over all ranks' batches."""
from dchain import variable
from dchain.config import config
from dchain.distributed.functions.batch_normalization import \
    MultiNodeBatchNormalizationFunction
from dchain.links.normalization.batch_normalization import BatchNormalization


class MultiNodeBatchNormalization(BatchNormalization):
    """Batch normalization whose mean and variance cover the mini-batches of every rank.

    Args:
        size: channel shape, as in ``L.BatchNormalization``.
        comm: the communicator.
        decay, eps, dtype, use_gamma, use_beta, initial_gamma, initial_beta, axis: as in
            ``L.BatchNormalization``.
        communication_backend (str): accepted for ChainerMN compatibility; the communicator
            decides how arrays travel.
    """

    def __init__(self, size, comm, decay=0.9, eps=2e-5, dtype=None, use_gamma=True,
                 use_beta=True, initial_gamma=None, initial_beta=None,
                 communication_backend='auto', **kwargs):
        super().__init__(size, decay=decay, eps=eps, dtype=dtype, use_gamma=use_gamma,
                         use_beta=use_beta, initial_gamma=initial_gamma,
                         initial_beta=initial_beta, **kwargs)
        self.comm = comm

    def forward(self, x, finetune=False):
        if not config.train:
            return super().forward(x)
        if self.avg_mean is None:
            axis = [a % x.ndim for a in self.axis]
            self._initialize_params(tuple(s for i, s in enumerate(x.shape) if i not in axis))
        xp = self.device.xp
        gamma = self.gamma if self.gamma is not None else \
            variable.Variable(xp.ones_like(self.avg_mean), requires_grad=False)
        beta = self.beta if self.beta is not None else \
            variable.Variable(xp.zeros_like(self.avg_mean), requires_grad=False)
        if finetune:
            self.N += 1
            decay = 1. - 1. / self.N
        else:
            decay = self.decay
        axis = self.axis if self.axis is not None else \
            (0,) + tuple(range(2, x.ndim))
        node = MultiNodeBatchNormalizationFunction(self.comm, self.eps, tuple(axis),
                                                   self.avg_mean, self.avg_var, decay)
        return node.apply((x, gamma, beta))[0]
