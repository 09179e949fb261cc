"""Fast Fourier transform along the last axis of a complex pair (``F.fft``, ``F.ifft``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class FFT(function_node.FunctionNode):
    """``fft`` or ``ifft`` of ``real + 1j * imag`` over the last axis; outputs (real, imag).

    The adjoint of the DFT matrix ``F`` is ``n F^-1``, so the backward of one method is the
    other method times ``n`` (``1/n`` the other way round).
    """

    def __init__(self, method):
        if method not in ('fft', 'ifft'):
            raise ValueError("F.fft: method must be 'fft' or 'ifft', got {!r}".format(method))
        self._method = method

    @property
    def label(self):
        return self._method.upper()

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('real', 'imag'))
        type_check.expect(in_types.size() == 2)
        r, i = in_types
        type_check.expect(r.dtype.kind == 'f', r.dtype == i.dtype, r.ndim > 0,
                          r.shape == i.shape)

    def forward(self, inputs):
        real, imag = inputs
        xp = utils.get_xp(real)
        self._n = real.shape[-1]
        z = real + 1j * imag
        y = getattr(xp.fft, self._method)(z, axis=-1)
        dtype = real.dtype
        return (utils.force_array(y.real, dtype), utils.force_array(y.imag, dtype))

    def backward(self, indexes, grad_outputs):
        gr, gi = grad_outputs
        xp = (gr if gr is not None else gi).xp
        if gr is None:
            gr = xp.zeros_like(gi.array)
        if gi is None:
            gi = xp.zeros_like(gr.array)
        n = self._n
        if self._method == 'fft':
            gxr, gxi = FFT('ifft').apply((gr, gi))
            return gxr * n, gxi * n
        gxr, gxi = FFT('fft').apply((gr, gi))
        return gxr * (1.0 / n), gxi * (1.0 / n)


def fft(x):
    """Discrete Fourier transform over the last axis.

    Args:
        x (tuple of two Variables or arrays): ``(real, imag)`` of one floating dtype and shape.

    Returns:
        tuple of Variable: ``(real, imag)`` of the transform.
    """
    real, imag = x
    return FFT('fft').apply((real, imag))


def ifft(x):
    """Inverse discrete Fourier transform over the last axis; ``x`` is ``(real, imag)``."""
    real, imag = x
    return FFT('ifft').apply((real, imag))
