"""L2 regularization as an optimizer hook: ``grad += rate * param``."""
from dchain import backend


class WeightDecay:
    """Add ``rate * param`` to every gradient before the update (L2 weight decay).

    Args:
        rate (float): coefficient of the decay.
    """

    name = 'WeightDecay'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, rule, param):
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        xp = backend.get_array_module(p)
        g += xp.multiply(p, self.rate, dtype=g.dtype)
