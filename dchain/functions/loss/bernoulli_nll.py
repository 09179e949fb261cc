"""Negative log-likelihood of Bernoulli data given logits (``F.bernoulli_nll``)."""
from dchain.functions.loss import _compose
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


def _check(in_types):
    type_check.argname(in_types, ('x', 'y'))
    type_check.expect(in_types.size() == 2)
    x, y = in_types
    type_check.expect(x.dtype.kind == 'f', x.dtype == y.dtype, x.shape == y.shape)


def bernoulli_nll(x, y, reduce='sum'):
    """``-log B(x; sigmoid(y))`` computed stably as ``softplus(y) - x y``.

    Args:
        x (Variable or array): the data, values in [0, 1].
        y (Variable or array): logits of the Bernoulli parameters (pre-sigmoid).
        reduce (str): ``'sum'`` for the total, ``'no'`` for every element.
    """
    _compose.check_reduce('bernoulli_nll', reduce, ('sum', 'no'))
    _compose.check_types('bernoulli_nll', _check, x, y)
    x, y = _compose.as_variable(x), _compose.as_variable(y)
    loss = _compose.softplus(y) - x * y
    return _sum(loss) if reduce == 'sum' else loss
