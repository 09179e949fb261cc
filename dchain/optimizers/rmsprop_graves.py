"""Graves' RMSprop with momentum (Graves, 2013, "Generating Sequences With RNNs", eq. 38-41).

``n = alpha * n + (1 - alpha) * g**2;  m = alpha * m + (1 - alpha) * g;``
``delta = momentum * delta - lr * g / sqrt(n - m**2 + eps);  param += delta``
"""
from dchain import backend
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 1e-4
_default_hyperparam.alpha = 0.95
_default_hyperparam.momentum = 0.9
_default_hyperparam.eps = 1e-4


class RMSpropGravesRule(optimizer.UpdateRule):
    """Update rule of :class:`RMSpropGraves` (state: ``n``, ``g`` (mean gradient), ``delta``)."""

    def __init__(self, parent_hyperparam=None, lr=None, alpha=None, momentum=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        for name, value in (('lr', lr), ('alpha', alpha), ('momentum', momentum),
                            ('eps', eps)):
            if value is not None:
                setattr(self.hyperparam, name, value)

    def init_state(self, param):
        xp = param.device.xp
        self.state['n'] = xp.zeros_like(param.array)
        self.state['g'] = xp.zeros_like(param.array)
        self.state['delta'] = xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        hp = self.hyperparam
        grad = param.grad
        xp = backend.get_array_module(grad)
        n, g, delta = self.state['n'], self.state['g'], self.state['delta']
        tmp = xp.multiply(grad, grad)
        tmp *= 1 - hp.alpha
        n *= hp.alpha
        n += tmp
        xp.multiply(grad, 1 - hp.alpha, out=tmp)
        g *= hp.alpha
        g += tmp
        xp.multiply(g, g, out=tmp)
        xp.subtract(n, tmp, out=tmp)
        tmp += hp.eps
        xp.sqrt(tmp, out=tmp)
        xp.divide(grad, tmp, out=tmp)
        tmp *= hp.lr
        delta *= hp.momentum
        delta -= tmp
        param.array += delta


class RMSpropGraves(optimizer.GradientMethod):
    """Alex Graves' RMSprop.

    Args:
        lr (float): learning rate.
        alpha (float): decay of the running averages.
        momentum (float): decay of the step.
        eps (float): regularizer inside the square root.
    """

    lr = optimizer.HyperparameterProxy('lr')
    alpha = optimizer.HyperparameterProxy('alpha')
    momentum = optimizer.HyperparameterProxy('momentum')
    eps = optimizer.HyperparameterProxy('eps')

    def __init__(self, lr=_default_hyperparam.lr, alpha=_default_hyperparam.alpha,
                 momentum=_default_hyperparam.momentum, eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.momentum = momentum
        self.hyperparam.eps = eps

    def create_update_rule(self):
        return RMSpropGravesRule(self.hyperparam)
