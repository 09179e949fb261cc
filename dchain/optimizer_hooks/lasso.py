"""L1 regularization as an optimizer hook: ``grad += rate * sign(param)``."""
from dchain import backend


class Lasso:
    """Add ``rate * sign(param)`` to every gradient before the update (L1 regularization).

    Args:
        rate (float): coefficient of the regularization.
    """

    name = 'Lasso'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, rule, param):
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        xp = backend.get_array_module(p)
        sign = xp.sign(p)
        sign *= self.rate
        g += sign
