"""RMSprop (Tieleman & Hinton, 2012).

``ms = alpha * ms + (1 - alpha) * g**2;  param -= lr * g / (sqrt(ms) + eps)``
(``sqrt(ms + eps)`` with ``eps_inside_sqrt``).
"""
from dchain import backend
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.alpha = 0.99
_default_hyperparam.eps = 1e-8
_default_hyperparam.eps_inside_sqrt = False


class RMSpropRule(optimizer.UpdateRule):
    """Update rule of :class:`RMSprop` (state: mean square ``ms``)."""

    def __init__(self, parent_hyperparam=None, lr=None, alpha=None, eps=None,
                 eps_inside_sqrt=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        for name, value in (('lr', lr), ('alpha', alpha), ('eps', eps),
                            ('eps_inside_sqrt', eps_inside_sqrt)):
            if value is not None:
                setattr(self.hyperparam, name, value)

    def init_state(self, param):
        self.state['ms'] = param.device.xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        hp = self.hyperparam
        grad = param.grad
        xp = backend.get_array_module(grad)
        eps = grad.dtype.type(hp.eps)
        if hp.eps != 0 and eps == 0:
            raise ValueError('eps of RMSprop ({}) underflows to 0 in {}; use a larger eps'
                             .format(hp.eps, grad.dtype))
        ms = self.state['ms']
        tmp = xp.multiply(grad, grad)
        tmp *= 1 - hp.alpha
        ms *= hp.alpha
        ms += tmp
        if hp.eps_inside_sqrt:
            xp.add(ms, eps, out=tmp)
            xp.sqrt(tmp, out=tmp)
        else:
            xp.sqrt(ms, out=tmp)
            tmp += eps
        xp.divide(grad, tmp, out=tmp)
        tmp *= hp.lr
        param.array -= tmp


class RMSprop(optimizer.GradientMethod):
    """RMSprop.

    Args:
        lr (float): learning rate.
        alpha (float): decay of the mean square.
        eps (float): added to the denominator for stability.
        eps_inside_sqrt (bool): add ``eps`` inside the square root (TensorFlow's form).
    """

    lr = optimizer.HyperparameterProxy('lr')
    alpha = optimizer.HyperparameterProxy('alpha')
    eps = optimizer.HyperparameterProxy('eps')
    eps_inside_sqrt = optimizer.HyperparameterProxy('eps_inside_sqrt')

    def __init__(self, lr=_default_hyperparam.lr, alpha=_default_hyperparam.alpha,
                 eps=_default_hyperparam.eps, eps_inside_sqrt=False):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.eps = eps
        self.hyperparam.eps_inside_sqrt = eps_inside_sqrt

    def create_update_rule(self):
        return RMSpropRule(self.hyperparam)
