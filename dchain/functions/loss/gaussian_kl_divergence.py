"""KL divergence of a diagonal Gaussian from the standard one (``F.gaussian_kl_divergence``)."""
from dchain.functions.loss import _compose
from dchain.functions.math.exp import exp
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


def _check(in_types):
    type_check.argname(in_types, ('mean', 'ln_var'))
    type_check.expect(in_types.size() == 2)
    mean, ln_var = in_types
    type_check.expect(mean.dtype.kind == 'f', mean.dtype == ln_var.dtype,
                      mean.shape == ln_var.shape)


def gaussian_kl_divergence(mean, ln_var, reduce='sum'):
    """``KL(N(mean, exp(ln_var)) || N(0, I))``, the VAE's regulariser.

    Args:
        mean (Variable or array): mean of the diagonal Gaussian.
        ln_var (Variable or array): log of its variance (same shape).
        reduce (str): ``'sum'`` for the total, ``'no'`` for every element.
    """
    _compose.check_reduce('gaussian_kl_divergence', reduce, ('sum', 'no'))
    _compose.check_types('gaussian_kl_divergence', _check, mean, ln_var)
    mean, ln_var = _compose.as_variable(mean), _compose.as_variable(ln_var)
    loss = (mean * mean + exp(ln_var) - ln_var - 1.0) * 0.5
    return _sum(loss) if reduce == 'sum' else loss
