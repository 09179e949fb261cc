"""Layer-wise adaptive rate scaling (You et al., 2017) as a gradient hook.

For each parameter, ``local_rate = |p| / (eps + |g| + weight_decay * |p|)``; when it exceeds
``threshold`` the gradient becomes ``local_rate * (g + weight_decay * p)``, otherwise
``g + weight_decay * p``.
"""
import math

from dchain import backend


class GradientLARS:
    """Rescale each parameter's gradient by its layer-wise trust ratio.

    Args:
        threshold (float): the ratio is applied only above this value (tiny layers, like
            freshly zero-initialized biases, keep the plain gradient).
        weight_decay (float): L2 coefficient added to the gradient.
        eps (float): guards the division.
    """

    name = 'GradientLARS'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, threshold=1e-2, weight_decay=0.0, eps=1e-9):
        self.threshold = threshold
        self.weight_decay = weight_decay
        self.eps = eps

    def __call__(self, rule, param):
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        xp = backend.get_array_module(p)
        p_flat, g_flat = p.ravel(), g.ravel()
        p_norm = math.sqrt(float(xp.vdot(p_flat, p_flat)))
        g_norm = math.sqrt(float(xp.vdot(g_flat, g_flat)))
        local_rate = p_norm / (self.eps + g_norm + self.weight_decay * p_norm)
        if self.weight_decay != 0:
            g += xp.multiply(p, self.weight_decay, dtype=g.dtype)
        if local_rate > self.threshold:
            g *= local_rate
