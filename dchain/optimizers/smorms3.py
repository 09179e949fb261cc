"""SMORMS3 (Simon Funk, 2015): RMSprop with an adaptive memory length per element.

``r = 1 / (mem + 1);  g = (1 - r) g + r grad;  g2 = (1 - r) g2 + r grad**2;``
``x = g**2 / (g2 + eps);  param -= grad * min(lr, x) / (sqrt(g2) + eps);  mem = 1 + mem (1 - x)``
"""
from dchain import backend
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.001
_default_hyperparam.eps = 1e-16


class SMORMS3Rule(optimizer.UpdateRule):
    """Update rule of :class:`SMORMS3` (state: ``mem``, ``g``, ``g2``)."""

    def __init__(self, parent_hyperparam=None, lr=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if eps is not None:
            self.hyperparam.eps = eps

    def init_state(self, param):
        xp = param.device.xp
        self.state['mem'] = xp.ones_like(param.array)
        self.state['g'] = xp.zeros_like(param.array)
        self.state['g2'] = xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        hp = self.hyperparam
        grad = param.grad
        xp = backend.get_array_module(grad)
        mem, g, g2 = self.state['mem'], self.state['g'], self.state['g2']
        # keep = 1 - r = mem / (mem + 1); then a (1 - r) + r b == (a - b) keep + b.
        keep = xp.add(mem, 1)
        xp.divide(mem, keep, out=keep)
        g -= grad
        g *= keep
        g += grad
        x = xp.multiply(grad, grad)
        g2 -= x
        g2 *= keep
        g2 += x
        xp.add(g2, hp.eps, out=keep)
        xp.multiply(g, g, out=x)
        x /= keep
        xp.subtract(1, x, out=keep)
        mem *= keep
        mem += 1
        xp.minimum(x, hp.lr, out=x)
        x *= grad
        xp.sqrt(g2, out=keep)
        keep += hp.eps
        x /= keep
        param.array -= x


class SMORMS3(optimizer.GradientMethod):
    """SMORMS3.

    Args:
        lr (float): learning rate (the largest per-element step factor).
        eps (float): added to denominators for stability.
    """

    lr = optimizer.HyperparameterProxy('lr')
    eps = optimizer.HyperparameterProxy('eps')

    def __init__(self, lr=_default_hyperparam.lr, eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.eps = eps

    def create_update_rule(self):
        return SMORMS3Rule(self.hyperparam)
