"""Negative log-likelihood of a diagonal Gaussian (``F.gaussian_nll``)."""
import math

from dchain.functions.loss import _compose
from dchain.functions.math.exp import exp
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


def _check(in_types):
    type_check.argname(in_types, ('x', 'mean', 'ln_var'))
    type_check.expect(in_types.size() == 3)
    x, mean, ln_var = in_types
    type_check.expect(x.dtype.kind == 'f', x.dtype == mean.dtype, x.dtype == ln_var.dtype,
                      x.shape == mean.shape, x.shape == ln_var.shape)


def gaussian_nll(x, mean, ln_var, reduce='sum'):
    """``-log N(x; mean, exp(ln_var))`` for a Gaussian with diagonal covariance.

    Args:
        x (Variable or array): the data.
        mean (Variable or array): the mean of the Gaussian.
        ln_var (Variable or array): the log of its variance (all three of one shape).
        reduce (str): ``'sum'`` for the total, ``'no'`` for every element.
    """
    _compose.check_reduce('gaussian_nll', reduce, ('sum', 'no'))
    _compose.check_types('gaussian_nll', _check, x, mean, ln_var)
    x, mean, ln_var = (_compose.as_variable(v) for v in (x, mean, ln_var))
    diff = x - mean
    loss = (ln_var + math.log(2 * math.pi) + diff * diff * exp(-ln_var)) * 0.5
    return _sum(loss) if reduce == 'sum' else loss
