"""Adam and its variants: AdamW, AMSGrad, AdaBound, AMSBound.

With ``t`` the rule's step count and ``g`` the gradient::

    m = m + (1 - beta1) * (g - m)
    v = v + (1 - beta2) * (g * g - v)
    vhat = max(vhat, v) if amsgrad else v
    alpha_t = alpha * sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    step = alpha_t / (sqrt(vhat) + eps)            # clipped to [lower_t, upper_t] by adabound
    param -= eta * (step * m + weight_decay_rate * param)

AdaBound's bounds approach ``final_lr`` (scaled by ``alpha / initial_alpha`` so schedules on
``alpha`` move them too): ``lower_t = final_lr * (1 - 1 / (gamma * t + 1))``,
``upper_t = final_lr * (1 + 1 / (gamma * t))``.
"""
import math

import numpy

from dchain import _native
from dchain import backend
from dchain import optimizer

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.alpha = 0.001
_default_hyperparam.beta1 = 0.9
_default_hyperparam.beta2 = 0.999
_default_hyperparam.eps = 1e-8
_default_hyperparam.eta = 1.0
_default_hyperparam.weight_decay_rate = 0
_default_hyperparam.amsgrad = False
_default_hyperparam.adabound = False
_default_hyperparam.final_lr = 0.1
_default_hyperparam.gamma = 1e-3

_NAMES = ('alpha', 'beta1', 'beta2', 'eps', 'eta', 'weight_decay_rate', 'amsgrad', 'adabound',
          'final_lr', 'gamma')


def _learning_rate(hp, t):
    if t == 0:
        raise RuntimeError("Adam's learning rate alpha_t is undefined before the first update "
                           '(t == 0)')
    return hp.alpha * math.sqrt(1. - math.pow(hp.beta2, t)) / (1. - math.pow(hp.beta1, t))


class AdamRule(optimizer.UpdateRule):
    """Update rule of :class:`Adam` (state: ``m``, ``v``, and ``vhat`` with amsgrad).

    Keyword arguments set this parameter's own hyperparameters (see :class:`Adam`).
    """

    def __init__(self, parent_hyperparam=None, alpha=None, beta1=None, beta2=None, eps=None,
                 eta=None, weight_decay_rate=None, amsgrad=None, adabound=None, final_lr=None,
                 gamma=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        given = dict(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                     weight_decay_rate=weight_decay_rate, amsgrad=amsgrad, adabound=adabound,
                     final_lr=final_lr, gamma=gamma)
        for name, value in given.items():
            if value is not None:
                setattr(self.hyperparam, name, value)
        self.initial_alpha = None

    def init_state(self, param):
        xp = param.device.xp
        self.state['m'] = xp.zeros_like(param.array)
        self.state['v'] = xp.zeros_like(param.array)
        if self.hyperparam.amsgrad:
            self.state['vhat'] = xp.zeros_like(param.array)

    @property
    def alpha_t(self):
        """The bias-corrected step size at this rule's step ``t``."""
        return _learning_rate(self.hyperparam, self.t)

    @property
    def lr(self):
        """Same as :attr:`alpha_t`."""
        return self.alpha_t

    def update_core_cpu(self, param):
        hp = self.hyperparam
        grad = param.grad
        xp = backend.get_array_module(grad)
        eps = grad.dtype.type(hp.eps)
        if hp.eps != 0 and eps == 0:
            raise ValueError('eps of Adam ({}) underflows to 0 in {}; use a larger eps'.format(
                hp.eps, grad.dtype))
        m, v = self.state['m'], self.state['v']
        if 'vhat' not in self.state and hp.amsgrad:
            self.state['vhat'] = v.copy()
        if hp.adabound and self.initial_alpha is None:
            self.initial_alpha = hp.alpha
        if _native.available and self._update_native(param.array, grad, m, v):
            return
        # One scratch array serves every intermediate; m, v and param change in place.
        tmp = xp.subtract(grad, m)
        tmp *= 1 - hp.beta1
        m += tmp
        xp.multiply(grad, grad, out=tmp)
        tmp -= v
        tmp *= 1 - hp.beta2
        v += tmp
        if hp.amsgrad:
            vhat = self.state['vhat']
            xp.maximum(vhat, v, out=vhat)
        else:
            vhat = v
        xp.sqrt(vhat, out=tmp)
        tmp += eps
        if hp.adabound:
            xp.divide(self.alpha_t, tmp, out=tmp)
            lower, upper = self._bounds()
            xp.clip(tmp, lower, upper, out=tmp)
            tmp *= m
        else:
            xp.divide(m, tmp, out=tmp)
            tmp *= self.alpha_t
        if hp.eta != 1:
            tmp *= hp.eta
        if hp.weight_decay_rate != 0:
            param.array *= 1 - hp.eta * hp.weight_decay_rate
        param.array -= tmp

    def _update_native(self, p, grad, m, v):
        """The update below fused in one pass by the compiled kernel; False if it cannot."""
        hp = self.hyperparam
        vhat = self.state['vhat'] if hp.amsgrad else None
        arrays = (p, grad, m, v) if vhat is None else (p, grad, m, v, vhat)
        if not _native.floats(*arrays):
            return False
        return _native.adam(p, grad, m, v, vhat, hp.beta1, hp.beta2, hp.eps, self.alpha_t,
                            hp.eta, hp.weight_decay_rate,
                            self._bounds() if hp.adabound else None)

    def _bounds(self):
        hp = self.hyperparam
        final_lr = hp.final_lr * hp.alpha / self.initial_alpha
        lower = final_lr * (1.0 - 1.0 / (hp.gamma * self.t + 1))
        upper = final_lr * (1.0 + 1.0 / (hp.gamma * self.t))
        return lower, upper

    def serialize(self, serializer):
        super().serialize(serializer)
        if self.hyperparam.adabound:
            # The bounds scale with alpha / initial_alpha, so a resumed run needs the original.
            stored = serializer('initial_alpha', numpy.nan if self.initial_alpha is None
                                else float(self.initial_alpha))
            if stored is not None:
                self.initial_alpha = None if math.isnan(stored) else stored


class Adam(optimizer.GradientMethod):
    """Adam (Kingma & Ba, 2015), with the AMSGrad, AdaBound and decoupled weight decay options.

    Args:
        alpha (float): step size.
        beta1 (float): decay of the first moment estimate.
        beta2 (float): decay of the second moment estimate.
        eps (float): added to the denominator for stability.
        eta (float): schedule multiplier of the whole step (AdamW's ``eta``).
        weight_decay_rate (float): decoupled weight decay (AdamW, Loshchilov & Hutter).
        amsgrad (bool): use the running maximum of ``v`` (Reddi et al., 2018).
        adabound (bool): clip the step to bounds converging to ``final_lr`` (Luo et al., 2019).
        final_lr (float): AdaBound's final SGD learning rate.
        gamma (float): AdaBound's convergence speed of the bounds.
    """

    def __init__(self, alpha=_default_hyperparam.alpha, beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2, eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta,
                 weight_decay_rate=_default_hyperparam.weight_decay_rate,
                 amsgrad=_default_hyperparam.amsgrad, adabound=_default_hyperparam.adabound,
                 final_lr=_default_hyperparam.final_lr, gamma=_default_hyperparam.gamma):
        super().__init__()
        values = dict(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                      weight_decay_rate=weight_decay_rate, amsgrad=amsgrad, adabound=adabound,
                      final_lr=final_lr, gamma=gamma)
        for name in _NAMES:
            setattr(self.hyperparam, name, values[name])

    def create_update_rule(self):
        return AdamRule(self.hyperparam)

    @property
    def alpha_t(self):
        """The bias-corrected step size at the optimizer's step ``t``."""
        return _learning_rate(self.hyperparam, self.t)

    @property
    def lr(self):
        """Same as :attr:`alpha_t`."""
        return self.alpha_t


for _name in _NAMES:
    setattr(Adam, _name, optimizer.HyperparameterProxy(_name))


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019)."""

    def __init__(self, alpha=_default_hyperparam.alpha, beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2, eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta,
                 weight_decay_rate=_default_hyperparam.weight_decay_rate):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         weight_decay_rate=weight_decay_rate)


class AMSGrad(Adam):
    """Adam with the running maximum of the second moment (Reddi et al., 2018)."""

    def __init__(self, alpha=_default_hyperparam.alpha, beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2, eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta, amsgrad=True)


class AdaBound(Adam):
    """Adam whose step is clipped to bounds converging to SGD's (Luo et al., 2019)."""

    def __init__(self, alpha=_default_hyperparam.alpha, beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2, final_lr=_default_hyperparam.final_lr,
                 gamma=_default_hyperparam.gamma, eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         adabound=True, final_lr=final_lr, gamma=gamma)


class AMSBound(Adam):
    """AdaBound with AMSGrad's running maximum (Luo et al., 2019)."""

    def __init__(self, alpha=_default_hyperparam.alpha, beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2, final_lr=_default_hyperparam.final_lr,
                 gamma=_default_hyperparam.gamma, eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         adabound=True, final_lr=final_lr, gamma=gamma, amsgrad=True)
