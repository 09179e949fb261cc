"""Gradient clipping by the global L2 norm of all gradients (Pascanu et al., 2013)."""
import math

from dchain import backend


def _sum_sqnorm(arrays):
    total = 0.0
    for a in arrays:
        flat = a.ravel()
        total += float(backend.get_array_module(a).vdot(flat, flat))
    return total


class GradientClipping:
    """Scale all gradients by ``threshold / norm`` when their global L2 norm exceeds threshold.

    Args:
        threshold (float): largest allowed global norm.
    """

    name = 'GradientClipping'
    timing = 'pre'

    def __init__(self, threshold):
        if threshold <= 0:
            raise ValueError('GradientClipping: threshold must be positive, got {}'.format(
                threshold))
        self.threshold = threshold

    def __call__(self, opt):
        grads = [p.grad for p in opt.target.params(include_uninit=False) if p.grad is not None]
        norm = math.sqrt(_sum_sqnorm(grads))
        if norm > self.threshold:
            rate = self.threshold / norm
            for g in grads:
                g *= rate
