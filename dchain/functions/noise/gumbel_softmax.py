"""Gumbel-softmax sampling (``F.gumbel_softmax``)."""
from dchain import utils
from dchain import variable
from dchain.functions.activation.softmax import softmax


def gumbel_softmax(log_pi, tau=0.1, axis=1):
    """A differentiable, relaxed sample from a categorical distribution.

    Computes ``softmax((log_pi + g) / tau, axis)`` with ``g`` drawn from the standard Gumbel
    distribution (Jang et al., 2016; Maddison et al., 2016). As ``tau`` goes to 0 the
    output approaches a one-hot sample of ``softmax(log_pi)``.

    Args:
        log_pi (Variable or array): unnormalized log probabilities.
        tau (float): temperature, positive.
        axis (int): axis of the categories.

    Returns:
        Variable: samples of the same shape and dtype as ``log_pi``.
    """
    if not tau > 0:
        raise ValueError('gumbel_softmax: tau must be positive, got {}'.format(tau))
    data = variable.as_array(log_pi)
    xp = utils.get_xp(data)
    if data.ndim < 1:
        return variable.Variable(xp.ones((), data.dtype))
    g = xp.random.gumbel(size=data.shape).astype(data.dtype, copy=False)
    return softmax((variable.as_variable(log_pi) + g) * (1.0 / tau), axis=axis)
