"""M-SVAG (Balles & Hennig, 2018, "Dissecting Adam"): momentum SGD with variance adaptation.

With ``t`` the step count and bias-corrected moving averages ``mt = m / (1 - beta**t)``,
``vt = v / (1 - beta**t)``::

    rho = min((1 - beta)**2 (1 - beta**(2t)) / ((1 - beta**t)**2 (1 - beta**2)), 0.999)
    s = (vt - mt**2) / (1 - rho)                      # gradient variance estimate
    factor = clip(mt**2 / (mt**2 + rho * s), 0, 1)    # 0 where undefined (m = v = 0)
    param -= eta * (lr * factor * mt + weight_decay_rate * param)
"""
import numpy

from dchain import backend
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.1
_default_hyperparam.beta = 0.9
_default_hyperparam.eta = 1.0
_default_hyperparam.weight_decay_rate = 0


class MSVAGRule(optimizer.UpdateRule):
    """Update rule of :class:`MSVAG` (state: ``m``, ``v``)."""

    def __init__(self, parent_hyperparam=None, lr=None, beta=None, eta=None,
                 weight_decay_rate=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        for name, value in (('lr', lr), ('beta', beta), ('eta', eta),
                            ('weight_decay_rate', weight_decay_rate)):
            if value is not None:
                setattr(self.hyperparam, name, value)

    def init_state(self, param):
        xp = param.device.xp
        self.state['m'] = xp.zeros_like(param.array)
        self.state['v'] = xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        hp = self.hyperparam
        grad = param.grad
        xp = backend.get_array_module(grad)
        beta, t = hp.beta, self.t
        m, v = self.state['m'], self.state['v']
        tmp = xp.subtract(grad, m)
        tmp *= 1 - beta
        m += tmp
        xp.multiply(grad, grad, out=tmp)
        tmp -= v
        tmp *= 1 - beta
        v += tmp
        correction = 1 - beta ** t
        rho = min((1 - beta) ** 2 * (1 - beta ** (2 * t)) /
                  (correction ** 2 * (1 - beta ** 2)), 0.999)
        # With mt = m / correction: factor = mt2 / (mt2 + rho / (1 - rho) * (vt - mt2)).
        mt2 = xp.multiply(m, m)
        mt2 *= 1 / correction ** 2
        xp.divide(v, correction, out=tmp)
        tmp -= mt2
        tmp *= rho / (1 - rho)
        tmp += mt2
        with numpy.errstate(divide='ignore', invalid='ignore'):
            xp.divide(mt2, tmp, out=tmp)
        # Clip to [0, 1]; fmax also maps the NaN of 0 / 0 (where m = v = 0) to 0.
        xp.fmax(tmp, 0, out=tmp)
        xp.fmin(tmp, 1, out=tmp)
        tmp *= m
        tmp *= hp.eta * hp.lr / correction
        if hp.weight_decay_rate != 0:
            param.array *= 1 - hp.eta * hp.weight_decay_rate
        param.array -= tmp


class MSVAG(optimizer.GradientMethod):
    """M-SVAG.

    Args:
        lr (float): learning rate.
        beta (float): decay of the moving averages.
        eta (float): schedule multiplier of the whole step.
        weight_decay_rate (float): decoupled weight decay.
    """

    lr = optimizer.HyperparameterProxy('lr')
    beta = optimizer.HyperparameterProxy('beta')
    eta = optimizer.HyperparameterProxy('eta')
    weight_decay_rate = optimizer.HyperparameterProxy('weight_decay_rate')

    def __init__(self, lr=_default_hyperparam.lr, beta=_default_hyperparam.beta,
                 eta=_default_hyperparam.eta,
                 weight_decay_rate=_default_hyperparam.weight_decay_rate):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.beta = beta
        self.hyperparam.eta = eta
        self.hyperparam.weight_decay_rate = weight_decay_rate

    def create_update_rule(self):
        return MSVAGRule(self.hyperparam)
