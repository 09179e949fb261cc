"""Copy a variable to another device, with gradients flowing back (``F.copy``)."""
from dchain import backend
from dchain import function_node
from dchain.utils import type_check


def _as_device(dst):
    """The Device for ``dst``: any ``backend.get_device`` specifier or a cupy.cuda.Device."""
    if not isinstance(dst, backend.Device) and hasattr(dst, 'id') and \
            not isinstance(dst, (int, str)):
        # cupy.cuda.Device (or cuda.DummyDevice, id -1) as Chainer's F.copy accepted.
        dst = dst.id
    return backend.get_device(dst)


class Copy(function_node.FunctionNode):
    """Copy the input to ``out_device``; backward copies the gradient to the input's device."""

    def __init__(self, in_device, out_device):
        self._in_device = None if in_device is None else _as_device(in_device)
        self._out_device = _as_device(out_device)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)

    def forward(self, inputs):
        x, = inputs
        self._in_device = backend.get_device_from_array(x)
        device = self._out_device
        y = device.send(x)
        if y is x:
            # Same device: F.copy still returns fresh memory, never an alias of the input.
            with device:
                y = device.xp.array(x, copy=True)
        return y,

    def backward(self, indexes, grad_outputs):
        return Copy(self._out_device, self._in_device).apply(grad_outputs)


def copy(x, dst):
    """Copy ``x`` to the device ``dst``; the gradient is copied back to the source device.

    Args:
        x (Variable or array): input, on any device.
        dst: destination: ``-1``, ``'@numpy'`` or ``None`` for the host; ``'@cupy:N'`` or an
            int ``N >= 0`` for the N-th GPU; a :class:`dchain.backend.Device`; or a
            ``cupy.cuda.Device``.

    Returns:
        Variable: a copy of ``x`` on ``dst`` (new memory even when ``x`` is already there).
    """
    in_device = backend.get_device_from_array(x)
    return Copy(in_device, dst).apply((x,))[0]
