"""Nesterov's accelerated gradient in the form of Bengio et al. (2013), "Advances in optimizing
recurrent networks": the parameter tracked is the look-ahead point, so the gradient is the one
at hand::

    v_new = momentum * v - lr * g
    param += -momentum * v + (1 + momentum) * v_new    # == momentum * v_new - lr * g
"""
from dchain import backend
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.momentum = 0.9


class NesterovAGRule(optimizer.UpdateRule):
    """Update rule of :class:`NesterovAG` (state: velocity ``v``)."""

    def __init__(self, parent_hyperparam=None, lr=None, momentum=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if momentum is not None:
            self.hyperparam.momentum = momentum

    def init_state(self, param):
        self.state['v'] = param.device.xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        hp = self.hyperparam
        xp = backend.get_array_module(param.array)
        v = self.state['v']
        tmp = xp.multiply(param.grad, hp.lr)
        v *= hp.momentum
        v -= tmp
        param.array -= tmp
        xp.multiply(v, hp.momentum, out=tmp)
        param.array += tmp


class NesterovAG(optimizer.GradientMethod):
    """Nesterov's accelerated gradient.

    Args:
        lr (float): learning rate.
        momentum (float): decay of the velocity.
    """

    lr = optimizer.HyperparameterProxy('lr')
    momentum = optimizer.HyperparameterProxy('momentum')

    def __init__(self, lr=_default_hyperparam.lr, momentum=_default_hyperparam.momentum):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    def create_update_rule(self):
        return NesterovAGRule(self.hyperparam)
