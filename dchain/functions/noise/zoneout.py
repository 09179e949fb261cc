"""Zoneout (``F.zoneout``): keep each unit's previous state at random."""
from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.config import config
from dchain.functions.noise.dropout import DropoutGrad
from dchain.utils import type_check


class Zoneout(function_node.FunctionNode):
    """``h`` where a random flag (probability ``ratio``) is set, ``x`` elsewhere."""

    def __init__(self, zoneout_ratio):
        if not 0.0 <= zoneout_ratio <= 1.0:
            raise ValueError('zoneout ratio must be in [0, 1], got {}'.format(zoneout_ratio))
        self.zoneout_ratio = zoneout_ratio

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('h', 'x'))
        type_check.expect(in_types.size() == 2)
        h_type, x_type = in_types
        type_check.expect(
            h_type.dtype.kind == 'f',
            x_type.dtype == h_type.dtype,
            x_type.shape == h_type.shape,
        )

    def forward(self, inputs):
        h, x = inputs
        xp = utils.get_xp(x)
        keep_x = xp.random.rand(*x.shape) >= self.zoneout_ratio
        self.flag_x = keep_x.astype(x.dtype)
        self.flag_h = (~keep_x).astype(x.dtype)
        # Products with 0/1 flags: exact, and faster than a data-dependent where().
        return utils.force_array(x * self.flag_x + h * self.flag_h, x.dtype),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        return tuple(DropoutGrad(self.flag_h if i == 0 else self.flag_x).apply((gy,))[0]
                     for i in indexes)


def zoneout(h, x, ratio=.5):
    """Zoneout: each unit keeps its previous value ``h`` with probability ``ratio``.

    In training mode (``dchain.config.train``) every element takes ``h`` with probability
    ``ratio`` and ``x`` otherwise (Krueger et al., 2016); outside training it returns ``x``.

    Args:
        h (Variable or array): previous state.
        x (Variable or array): new state, same shape and dtype as ``h``.
        ratio (float): probability of keeping ``h``.

    Returns:
        Variable: the mixed state.
    """
    if config.train:
        return Zoneout(ratio).apply((h, x))[0]
    return variable.as_variable(x)
