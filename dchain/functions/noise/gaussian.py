"""Gaussian sampling with the reparameterization trick (``F.gaussian``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Gaussian(function_node.FunctionNode):
    """``mean + exp(ln_var / 2) * eps`` with ``eps ~ N(0, 1)`` (or a given ``eps``)."""

    def __init__(self, eps=None):
        self.eps = eps

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('mean', 'ln_var'))
        type_check.expect(in_types.size() == 2)
        m_type, v_type = in_types
        type_check.expect(
            m_type.dtype.kind == 'f',
            m_type.dtype == v_type.dtype,
            m_type.shape == v_type.shape,
        )
        if self.eps is not None:
            type_check.expect(m_type.shape == self.eps.shape)

    def forward(self, inputs):
        self.retain_inputs((1,))
        mean, ln_var = inputs
        if self.eps is None:
            xp = utils.get_xp(mean)
            self.eps = xp.random.standard_normal(ln_var.shape).astype(mean.dtype, copy=False)
        eps = self.eps.astype(mean.dtype, copy=False)
        xp = utils.get_xp(mean)
        noise = xp.exp(ln_var * ln_var.dtype.type(0.5)) * eps
        return utils.force_array(mean + noise, mean.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.exp import exp
        ln_var, = self.get_retained_inputs()
        gy, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(gy)
            else:
                half_eps = (self.eps * 0.5).astype(ln_var.dtype, copy=False)
                ret.append(gy * exp(ln_var * 0.5) * half_eps)
        return tuple(ret)


def gaussian(mean, ln_var, **kwargs):
    """Sample from ``N(mean, exp(ln_var))``, differentiably in ``mean`` and ``ln_var``.

    Returns ``mean + exp(ln_var / 2) * eps`` with standard normal ``eps`` (the
    reparameterization trick of variational autoencoders).

    Args:
        mean (Variable or array): means.
        ln_var (Variable or array): log variances, same shape and dtype as ``mean``.
        eps (array): keyword only; the standard normal noise to use instead of sampling.
        return_eps (bool): keyword only; also return the noise used.

    Returns:
        Variable, or ``(Variable, eps)`` with ``return_eps=True``.
    """
    eps = kwargs.pop('eps', None)
    return_eps = kwargs.pop('return_eps', False)
    if kwargs:
        raise TypeError('gaussian() got unexpected keyword arguments: {}'.format(
            ', '.join(sorted(kwargs))))
    func = Gaussian(eps)
    out = func.apply((mean, ln_var))[0]
    if return_eps:
        return out, func.eps
    return out
