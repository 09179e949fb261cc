"""SGD with classical momentum: ``v = momentum * v - lr * grad; param += v``."""
from dchain import _native
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.momentum = 0.9


class MomentumSGDRule(optimizer.UpdateRule):
    """Update rule of :class:`MomentumSGD` (state: velocity ``v``)."""

    def __init__(self, parent_hyperparam=None, lr=None, momentum=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if momentum is not None:
            self.hyperparam.momentum = momentum

    def init_state(self, param):
        xp = param.device.xp
        self.state['v'] = xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        hp = self.hyperparam
        v = self.state['v']
        # The compiled kernel does the three passes below in one (v may be a view into a
        # shared-memory window: it is updated in place either way).
        if _native.available and _native.floats(param.array, param.grad, v) and \
                _native.momentum_sgd(param.array, param.grad, v, hp.lr, hp.momentum):
            return
        v *= hp.momentum
        v -= hp.lr * param.grad
        param.array += v


class MomentumSGD(optimizer.GradientMethod):
    """Momentum SGD.

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
        return MomentumSGDRule(self.hyperparam)
