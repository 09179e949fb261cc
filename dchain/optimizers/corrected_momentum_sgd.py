"""Momentum SGD with the learning rate outside the velocity (Goyal et al., 2017).

``v = momentum * v - g;  param += lr * v`` -- changing ``lr`` during training then changes the
step at once instead of through the accumulated velocity.
"""
from dchain import backend
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.momentum = 0.9


class CorrectedMomentumSGDRule(optimizer.UpdateRule):
    """Update rule of :class:`CorrectedMomentumSGD` (state: velocity ``v``)."""

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
        v *= hp.momentum
        v -= param.grad
        param.array += xp.multiply(v, hp.lr)


class CorrectedMomentumSGD(optimizer.GradientMethod):
    """Momentum SGD with the learning rate applied after the velocity.

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
        return CorrectedMomentumSGDRule(self.hyperparam)
