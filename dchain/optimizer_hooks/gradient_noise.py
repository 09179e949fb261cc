"""Annealed Gaussian gradient noise (Neelakantan et al., 2015): ``grad += N(0, sigma_t^2)``."""
import numpy

from dchain import backend


def exponential_decay_noise(xp, shape, dtype, hook, opt):
    """Noise with variance ``eta / (1 + t) ** 0.55``, ``t`` the update rule's step count."""
    std = numpy.sqrt(hook.eta / numpy.power(1 + opt.t, 0.55))
    return xp.random.normal(0, std, shape).astype(dtype, copy=False)


class GradientNoise:
    """Add noise drawn by ``noise_func(xp, shape, dtype, hook, rule)`` to every gradient.

    Args:
        eta (float): scale of the noise variance.
        noise_func: the noise generator (default: :func:`exponential_decay_noise`).
    """

    name = 'GradientNoise'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, eta, noise_func=exponential_decay_noise):
        self.eta = eta
        self.noise_func = noise_func

    def __call__(self, rule, param):
        g = param.grad
        if g is None:
            return
        xp = backend.get_array_module(g)
        g += self.noise_func(xp, g.shape, g.dtype, self, rule)
