"""Batch renormalization layer (``L.BatchRenormalization``)."""
import numpy

from dchain import variable
from dchain.config import config
from dchain.functions.normalization.batch_renormalization import batch_renormalization
from dchain.functions.normalization.fixed_batch_normalization import \
    fixed_batch_normalization
from dchain.links.normalization.batch_normalization import (
    BatchNormalization, _parse_forward_kwargs)


class BatchRenormalization(BatchNormalization):
    """Batch renormalization layer (see ``F.batch_renormalization``).

    Args:
        size (int or tuple of int): shape of the normalized channels.
        rmax (float): bound of the scale correction ``r``.
        dmax (float): bound of the shift correction ``d``.
        decay, eps, dtype, use_gamma, use_beta, initial_gamma, initial_beta: as
            :class:`BatchNormalization`.
        freeze_running_statistics (bool): do not update ``avg_mean``/``avg_var`` in training.
    """

    def __init__(self, size, rmax=1, dmax=0, decay=0.9, eps=2e-5, dtype=numpy.float32,
                 use_gamma=True, use_beta=True, initial_gamma=None, initial_beta=None,
                 freeze_running_statistics=False):
        super().__init__(size, decay, eps, dtype, use_gamma, use_beta, initial_gamma,
                         initial_beta)
        self.rmax = rmax
        self.dmax = dmax
        self.freeze_running_statistics = freeze_running_statistics

    def forward(self, x, **kwargs):
        """Normalize ``x``; ``finetune=True`` averages over all batches seen (training)."""
        finetune = _parse_forward_kwargs(kwargs)
        xp = self.device.xp
        gamma = self.gamma
        if gamma is None:
            gamma = variable.Variable(xp.ones_like(self.avg_mean), requires_grad=False)
        beta = self.beta
        if beta is None:
            beta = variable.Variable(xp.zeros_like(self.avg_mean), requires_grad=False)
        if config.train:
            if finetune:
                self.N += 1
                decay = 1. - 1. / self.N
            else:
                decay = self.decay
            return batch_renormalization(
                x, gamma, beta, self.rmax, self.dmax, self.eps, self.avg_mean, self.avg_var,
                decay, update_statistics=not self.freeze_running_statistics)
        return fixed_batch_normalization(x, gamma, beta, self.avg_mean, self.avg_var,
                                         eps=self.eps)
