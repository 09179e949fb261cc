"""Post-training int8 weight quantization, symmetric and per output channel.

Each selected weight ``W`` is stored as ``q = round(W / scale)`` in int8 (``[-127, 127]``) with
one float32 ``scale = max |W[c]| / 127`` per channel ``c`` along ``axis``; ``q * scale``
restores it to within ``scale / 2`` per entry. Biases and other small parameters stay in
their float type. A :class:`QuantizedLink` serializes to about a quarter of the float32 size::

    save_quantized('model_int8.npz', model)      # trained float model -> compact file
    load_quantized('model_int8.npz', model)      # same architecture, dequantized for inference
"""
import numpy

from dchain import backend
from dchain.serializers import npz


def _default_filter(name, param):
    return param.array is not None and param.array.ndim >= 2


def quantize_int8(array, axis=0):
    """``(q, scale)``: int8 codes and per-channel float32 scales of ``array`` along ``axis``.

    ``scale`` has ``array``'s shape with every axis but ``axis`` of length 1 (so ``q * scale``
    broadcasts); an all-zero channel gets scale 1.
    """
    xp = backend.get_array_module(array)
    if array.ndim == 0:
        raise ValueError('cannot quantize a 0-dimensional array per channel')
    axis = axis % array.ndim
    reduce_axes = tuple(i for i in range(array.ndim) if i != axis)
    scale = xp.abs(array).max(axis=reduce_axes, keepdims=True).astype(numpy.float32)
    scale /= 127
    scale[scale == 0] = 1
    q = xp.divide(array, scale, dtype=numpy.float32)
    xp.rint(q, out=q)
    xp.clip(q, -127, 127, out=q)
    return q.astype(numpy.int8), scale


def dequantize_int8(q, scale, dtype=numpy.float32):
    """``q * scale`` in ``dtype``."""
    xp = backend.get_array_module(q)
    return xp.multiply(q, scale, dtype=dtype)


class QuantizedLink:
    """An int8 per-channel view of a link's weights, serializable compactly.

    Saving writes, for each selected parameter ``path``, ``path/q`` (int8) and ``path/scale``
    (float32); other parameters and persistent values are written as they are. Loading reads
    them and writes the dequantized weights into the link's parameters in place.

    Args:
        link (dchain.Link): the model (its architecture is the template when loading).
        axis (int): the channel axis of the weights (0: output channels of Linear and
            Convolution weights).
        param_filter: ``f(name, param) -> bool`` choosing the parameters to quantize (default:
            those with two or more dimensions).
        quantize (bool): compute the codes from the link's current weights now (False when the
            codes are to be loaded).
    """

    def __init__(self, link, axis=0, param_filter=None, quantize=True):
        self.link = link
        self.axis = axis
        self.param_filter = param_filter or _default_filter
        self.codes = {}
        if quantize:
            for name, p in self._selected():
                self.codes[name] = quantize_int8(p.array, axis)

    def __call__(self, *args, **kwargs):
        """Run the link (dequantize first to compute with the int8 weights)."""
        return self.link(*args, **kwargs)

    def _selected(self):
        return [(name, p) for name, p in self.link.namedparams(include_uninit=False)
                if self.param_filter(name, p)]

    @property
    def nbytes(self):
        """Bytes of the int8 codes and scales plus the unquantized parameters."""
        quantized = {name for name in self.codes}
        total = sum(q.nbytes + s.nbytes for q, s in self.codes.values())
        total += sum(p.array.nbytes for name, p in self.link.namedparams(include_uninit=False)
                     if name not in quantized)
        return total

    def dequantize(self):
        """Write ``q * scale`` into the link's weights (in place); returns the link."""
        params = dict(self.link.namedparams(include_uninit=False))
        for name, (q, scale) in self.codes.items():
            param = params[name]
            if q.shape != param.shape:
                raise ValueError('quantized {!r} has shape {} but the parameter has {}'.format(
                    name, q.shape, param.shape))
            backend.copyto(param.array, dequantize_int8(q, scale, param.dtype))
        return self.link

    def serialize(self, serializer):
        selected = dict(self._selected())
        for name, param in self.link.namedparams(include_uninit=False):
            key = name.strip('/')
            if name in selected:
                q, scale = self.codes.get(name, (None, None))
                child = serializer[key]
                q = child('q', q)
                scale = child('scale', scale)
                if q is not None and scale is not None:
                    self.codes[name] = (q, scale)
            else:
                serializer(key, param)
        for path, sublink in self.link.namedlinks():
            for pname in sublink._persistent:
                target = serializer[path] if path != '/' else serializer
                sublink.__dict__[pname] = target(pname, sublink.__dict__[pname])


class Quantizer:
    """Callable form: ``quantized = Quantizer()(model)``.

    Quantizes ``model``'s weights, writes the dequantized values back into it (so it now
    computes with exactly what an int8 file restores) and returns the :class:`QuantizedLink`,
    which runs the model when called and serializes compactly.
    """

    def __init__(self, axis=0, param_filter=None):
        self.axis = axis
        self.param_filter = param_filter

    def __call__(self, link):
        quantized = QuantizedLink(link, self.axis, self.param_filter)
        quantized.dequantize()
        return quantized


def save_quantized(file, link, axis=0, param_filter=None):
    """Quantize ``link``'s weights to int8 and save them compactly (deflated npz)."""
    quantized = QuantizedLink(link, axis, param_filter)
    npz.save_npz(file, quantized, compression=True)
    return quantized


def load_quantized(file, link, axis=0, param_filter=None, strict=True):
    """Load a file written by :func:`save_quantized` into ``link`` (dequantized in place)."""
    quantized = QuantizedLink(link, axis, param_filter, quantize=False)
    npz.load_npz(file, quantized, strict=strict)
    quantized.dequantize()
    return quantized
