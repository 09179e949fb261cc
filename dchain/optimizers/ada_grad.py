"""AdaGrad (Duchi et al., 2011): ``h += g * g;  param -= lr * g / (sqrt(h) + eps)``."""
from dchain import backend
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.001
_default_hyperparam.eps = 1e-8


class AdaGradRule(optimizer.UpdateRule):
    """Update rule of :class:`AdaGrad` (state: sum of squared gradients ``h``)."""

    def __init__(self, parent_hyperparam=None, lr=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if eps is not None:
            self.hyperparam.eps = eps

    def init_state(self, param):
        self.state['h'] = param.device.xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        hp = self.hyperparam
        grad = param.grad
        xp = backend.get_array_module(grad)
        h = self.state['h']
        tmp = xp.multiply(grad, grad)
        h += tmp
        xp.sqrt(h, out=tmp)
        tmp += hp.eps
        xp.divide(grad, tmp, out=tmp)
        tmp *= hp.lr
        param.array -= tmp


class AdaGrad(optimizer.GradientMethod):
    """AdaGrad.

    Args:
        lr (float): learning rate.
        eps (float): added to the denominator for stability.
    """

    lr = optimizer.HyperparameterProxy('lr')
    eps = optimizer.HyperparameterProxy('eps')

    def __init__(self, lr=_default_hyperparam.lr, eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.eps = eps

    def create_update_rule(self):
        return AdaGradRule(self.hyperparam)
