"""Dropout (``F.dropout``): zero random elements in training, scale the rest."""
from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.config import config
from dchain.utils import type_check


class Dropout(function_node.FunctionNode):
    """``x * mask`` where ``mask`` is 0 with probability ``ratio``, else ``1 / (1 - ratio)``.

    Args:
        dropout_ratio (float): probability of dropping an element, in ``[0, 1)``.
        mask (array or None): a mask to use instead of a random one (already scaled).
    """

    def __init__(self, dropout_ratio, mask=None):
        if not 0.0 <= dropout_ratio < 1.0:
            raise ValueError('dropout ratio must be in [0, 1), got {}'.format(dropout_ratio))
        self.dropout_ratio = dropout_ratio
        self.mask = mask

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')
        if self.mask is not None:
            type_check.expect(in_types[0].shape == self.mask.shape)

    def forward(self, inputs):
        x, = inputs
        if self.mask is None:
            xp = utils.get_xp(x)
            scale = x.dtype.type(1.0 / (1.0 - self.dropout_ratio))
            keep = xp.random.rand(*x.shape) >= self.dropout_ratio
            self.mask = keep.astype(x.dtype) * scale
        return utils.force_array(x * self.mask, x.dtype),

    def backward(self, indexes, grad_outputs):
        return DropoutGrad(self.mask).apply(grad_outputs)


class DropoutGrad(function_node.FunctionNode):
    """``gy * mask``; linear, so its backward is the same product."""

    def __init__(self, mask):
        self.mask = mask

    def forward(self, inputs):
        gy, = inputs
        return utils.force_array(gy * self.mask, gy.dtype),

    def backward(self, indexes, grad_outputs):
        return DropoutGrad(self.mask).apply(grad_outputs)


def dropout(x, ratio=.5, **kwargs):
    """Drop elements of ``x`` at random in training mode (``dchain.config.train``).

    Each element is zeroed with probability ``ratio`` and the others are scaled by
    ``1 / (1 - ratio)``, so the expectation is unchanged. Outside training ``x`` is returned
    as it is (as a Variable).

    Args:
        x (Variable or array): floating input.
        ratio (float): dropout ratio, in ``[0, 1)``.
        mask (array): keyword only; the (scaled) mask to multiply by instead of sampling one,
            e.g. the one returned by an earlier call with ``return_mask=True``.
        return_mask (bool): keyword only; also return the mask used (None outside training).

    Returns:
        Variable, or ``(Variable, mask)`` with ``return_mask=True``.
    """
    mask = kwargs.pop('mask', None)
    return_mask = kwargs.pop('return_mask', False)
    if 'train' in kwargs:
        raise ValueError('dropout: the train argument is not supported anymore; use '
                         "dchain.using_config('train', ...)")
    if kwargs:
        raise TypeError('dropout() got unexpected keyword arguments: {}'.format(
            ', '.join(sorted(kwargs))))
    if config.train:
        func = Dropout(ratio, mask)
        out = func.apply((x,))[0]
        mask = func.mask
    else:
        if not 0.0 <= ratio < 1.0:
            raise ValueError('dropout ratio must be in [0, 1), got {}'.format(ratio))
        out = variable.as_variable(x)
        mask = None
    if return_mask:
        return out, mask
    return out
