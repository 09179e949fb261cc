"""Element-wise gradient clipping to ``[lower_bound, upper_bound]``."""
from dchain import backend


class GradientHardClipping:
    """Clip every gradient element into ``[lower_bound, upper_bound]``, in place.

    Args:
        lower_bound (float): smallest allowed value.
        upper_bound (float): largest allowed value.
    """

    name = 'GradientHardClipping'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, lower_bound, upper_bound):
        if lower_bound > upper_bound:
            raise ValueError('GradientHardClipping: lower_bound ({}) must not exceed '
                             'upper_bound ({})'.format(lower_bound, upper_bound))
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def __call__(self, rule, param):
        g = param.grad
        if g is None:
            return
        backend.get_array_module(g).clip(g, self.lower_bound, self.upper_bound, out=g)
