"""AdaDelta (Zeiler, 2012).

``msg = rho * msg + (1 - rho) * g**2;  dx = sqrt((msdx + eps) / (msg + eps)) * g;``
``msdx = rho * msdx + (1 - rho) * dx**2;  param -= dx``
"""
from dchain import backend
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.rho = 0.95
_default_hyperparam.eps = 1e-6


class AdaDeltaRule(optimizer.UpdateRule):
    """Update rule of :class:`AdaDelta` (state: ``msg`` and ``msdx``)."""

    def __init__(self, parent_hyperparam=None, rho=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if rho is not None:
            self.hyperparam.rho = rho
        if eps is not None:
            self.hyperparam.eps = eps

    def init_state(self, param):
        xp = param.device.xp
        self.state['msg'] = xp.zeros_like(param.array)
        self.state['msdx'] = xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        hp = self.hyperparam
        grad = param.grad
        xp = backend.get_array_module(grad)
        msg, msdx = self.state['msg'], self.state['msdx']
        # Two scratch arrays: dx must survive while the denominator is formed.
        tmp = xp.multiply(grad, grad)
        tmp *= 1 - hp.rho
        msg *= hp.rho
        msg += tmp
        dx = xp.add(msdx, hp.eps)
        xp.add(msg, hp.eps, out=tmp)
        dx /= tmp
        xp.sqrt(dx, out=dx)
        dx *= grad
        xp.multiply(dx, dx, out=tmp)
        tmp *= 1 - hp.rho
        msdx *= hp.rho
        msdx += tmp
        param.array -= dx


class AdaDelta(optimizer.GradientMethod):
    """AdaDelta.

    Args:
        rho (float): decay of the running averages.
        eps (float): regularizer inside the square roots.
    """

    rho = optimizer.HyperparameterProxy('rho')
    eps = optimizer.HyperparameterProxy('eps')

    def __init__(self, rho=_default_hyperparam.rho, eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.rho = rho
        self.hyperparam.eps = eps

    def create_update_rule(self):
        return AdaDeltaRule(self.hyperparam)
