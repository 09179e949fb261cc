"""Group normalization (``F.group_normalization``): statistics over channel groups."""
from dchain import variable
from dchain.functions.normalization.batch_normalization import batch_normalization


def group_normalization(x, groups, gamma, beta, eps=1e-5):
    """Normalize each sample over groups of channels, then scale and shift per channel.

    The ``C`` channels (axis 1) are split into ``groups`` groups; the mean and variance of
    each group of each sample (over its channels and all spatial positions) normalize it.

    Args:
        x (Variable or array): input of shape ``(B, C, ...)``.
        groups (int): number of groups; must divide ``C``.
        gamma (Variable or array): scale of shape ``(C,)``.
        beta (Variable or array): shift of shape ``(C,)``.
        eps (float): added to the variance for stability.

    Returns:
        Variable: of the shape of ``x``.
    """
    from dchain.functions.array.reshape import reshape
    from dchain.utils import type_check
    x = variable.as_variable(x)
    if not isinstance(groups, int) or groups <= 0:
        raise ValueError('groups must be a positive int, got {!r}'.format(groups))
    if x.ndim < 2:
        raise type_check.InvalidType('x.ndim >= 2', 'x.ndim == {}'.format(x.ndim))
    if x.dtype.kind != 'f':
        raise type_check.InvalidType("x.dtype.kind == 'f'", 'x.dtype == {}'.format(x.dtype))
    batch, channels = x.shape[:2]
    if channels % groups:
        raise ValueError('the number of channels ({}) must be a multiple of groups ({})'
                         .format(channels, groups))
    if gamma.shape != (channels,) or beta.shape != (channels,):
        raise type_check.InvalidType(
            'gamma.shape == beta.shape == ({},)'.format(channels),
            'gamma.shape == {}, beta.shape == {}'.format(gamma.shape, beta.shape))
    xp = x.xp
    rows = batch * groups
    ones = variable.Variable(xp.ones(rows, dtype=x.dtype), requires_grad=False)
    zeros = variable.Variable(xp.zeros(rows, dtype=x.dtype), requires_grad=False)
    x_hat = batch_normalization(reshape(x, (rows, -1)), ones, zeros, eps=eps, axis=1)
    affine_shape = (1, channels) + (1,) * (x.ndim - 2)
    x_hat = reshape(x_hat, x.shape)
    return x_hat * reshape(gamma, affine_shape) + reshape(beta, affine_shape)
