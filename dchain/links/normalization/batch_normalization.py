"""Batch normalization layer with running statistics (``L.BatchNormalization``)."""
import copy

import numpy

from dchain import initializers
from dchain import link
from dchain import variable
from dchain.config import config
from dchain.functions.normalization.batch_normalization import batch_normalization
from dchain.functions.normalization.fixed_batch_normalization import \
    fixed_batch_normalization


def _typed_initializer(value, default, dtype):
    """An initializer for a parameter of ``dtype`` from a scalar, array, initializer or None."""
    if value is None:
        return initializers.Constant(default, dtype)
    init = copy.copy(initializers._get_initializer(value))
    init.dtype = dtype
    return init


def _parse_forward_kwargs(kwargs):
    if 'test' in kwargs:
        raise ValueError("the 'test' argument is not supported; use "
                         "dchain.using_config('train', False) instead")
    finetune = kwargs.pop('finetune', False)
    if kwargs:
        raise TypeError('unexpected keyword arguments: {}'.format(', '.join(sorted(kwargs))))
    return finetune


class BatchNormalization(link.Link):
    """Batch normalization layer on the outputs of linear or convolution layers.

    In training mode (``dchain.config.train``) it normalizes with the statistics of the
    mini-batch and updates the running averages ``avg_mean`` and ``avg_var``; otherwise it
    normalizes with those averages.

    Args:
        size (int, tuple of int or None): shape of the normalized channels (the shape of
            ``gamma``); None infers it from the first input, which then needs ``axis``.
        decay (float): decay rate of the running averages.
        eps (float): added to the variance for numerical stability.
        dtype: dtype of the parameters and statistics (default: ``dchain.config.dtype``).
        use_gamma (bool): learn a scale ``gamma`` (else it is fixed to 1).
        use_beta (bool): learn a shift ``beta`` (else it is fixed to 0).
        initial_gamma, initial_beta: initializer, scalar or array (defaults 1 and 0).
        axis (int or tuple of int): axes to reduce (see ``F.batch_normalization``).
        initial_avg_mean, initial_avg_var: initializer, scalar or array of the running
            averages (defaults 0 and 1).

    Attributes:
        gamma, beta (Parameter): scale and shift (absent when disabled).
        avg_mean, avg_var (array): running averages (persistent).
        N (int): number of batches seen in fine-tuning mode (persistent).
    """

    gamma = None
    beta = None

    def __init__(self, size=None, decay=0.9, eps=2e-5, dtype=None, use_gamma=True,
                 use_beta=True, initial_gamma=None, initial_beta=None, axis=None,
                 initial_avg_mean=None, initial_avg_var=None):
        super().__init__()
        if size is None and axis is None:
            raise RuntimeError('BatchNormalization needs size or axis (to infer the size from '
                               'the first input)')
        self._dtype = numpy.dtype(config.dtype if dtype is None else dtype)
        if self._dtype.kind != 'f':
            raise ValueError('dtype must be a floating type, got {}'.format(self._dtype))
        self.decay = decay
        self.eps = eps
        if isinstance(axis, int):
            axis = (axis,)
        self.axis = axis
        self._initial_avg_mean = _typed_initializer(initial_avg_mean, 0, self._dtype)
        self._initial_avg_var = _typed_initializer(initial_avg_var, 1, self._dtype)
        self.add_persistent('avg_mean', None)
        self.add_persistent('avg_var', None)
        self.add_persistent('N', 0)
        with self.init_scope():
            if use_gamma:
                self.gamma = variable.Parameter(
                    _typed_initializer(initial_gamma, 1, self._dtype))
            if use_beta:
                self.beta = variable.Parameter(
                    _typed_initializer(initial_beta, 0, self._dtype))
        if size is not None:
            self._initialize_params(size if isinstance(size, tuple) else (size,))

    def _initialize_params(self, shape):
        device = self.device
        self.avg_mean = initializers.generate_array(self._initial_avg_mean, shape, device.xp,
                                                    dtype=self._dtype, device=device)
        self.avg_var = initializers.generate_array(self._initial_avg_var, shape, device.xp,
                                                   dtype=self._dtype, device=device)
        for param in (self.gamma, self.beta):
            if param is not None:
                param.initialize(shape)

    def printable_specs(self):
        yield 'size', None if self.avg_mean is None else self.avg_mean.shape
        yield 'decay', self.decay
        yield 'eps', self.eps

    def forward(self, x, **kwargs):
        """Normalize ``x``.

        Args:
            x (Variable or array): input.
            finetune (bool): in training mode, average the statistics over all batches seen
                so far (decay ``1 - 1/N``) instead of using ``decay``.
        """
        finetune = _parse_forward_kwargs(kwargs)
        if self.avg_mean is None:
            axis = [a % x.ndim for a in self.axis]
            self._initialize_params(tuple(s for i, s in enumerate(x.shape) if i not in axis))
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
            return batch_normalization(x, gamma, beta, eps=self.eps,
                                       running_mean=self.avg_mean, running_var=self.avg_var,
                                       decay=decay, axis=self.axis)
        return fixed_batch_normalization(x, gamma, beta, self.avg_mean, self.avg_var,
                                         eps=self.eps, axis=self.axis)

    def start_finetuning(self):
        """Restart the fine-tuning average (sets ``N`` to 0)."""
        self.N = 0
