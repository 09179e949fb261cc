"""Plain stochastic gradient descent: ``param -= lr * grad``."""
from dchain import _native
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01


class SGDRule(optimizer.UpdateRule):
    """Update rule of :class:`SGD`.

    Args:
        parent_hyperparam (Hyperparameter): hyperparameters to fall back to.
        lr (float): learning rate.
    """

    def __init__(self, parent_hyperparam=None, lr=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr

    def update_core_cpu(self, param):
        if _native.available and _native.floats(param.array, param.grad) and \
                _native.sgd(param.array, param.grad, self.hyperparam.lr):
            return  # one pass, no temporary
        # One temporary: scaling the gradient in place would destroy it for the caller.
        param.array -= self.hyperparam.lr * param.grad


class SGD(optimizer.GradientMethod):
    """Stochastic gradient descent.

    Args:
        lr (float): learning rate.
    """

    lr = optimizer.HyperparameterProxy('lr')

    def __init__(self, lr=_default_hyperparam.lr):
        super().__init__()
        self.hyperparam.lr = lr

    def create_update_rule(self):
        return SGDRule(self.hyperparam)
