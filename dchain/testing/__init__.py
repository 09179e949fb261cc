"""Test helpers: array comparison that accepts numpy and cupy arrays and Variables."""
import numpy

from dchain import backend


def assert_allclose(x, y, atol=1e-5, rtol=1e-4, verbose=True):
    """Assert that ``x`` and ``y`` are elementwise close (``|x - y| <= atol + rtol * |y|``).

    Either may be a numpy or cupy array, a Variable or a scalar; they may live on different
    devices. On failure the message shows the worst element and both arrays.
    """
    x = backend.cpu_device.send(getattr(x, 'array', x))
    y = backend.cpu_device.send(getattr(y, 'array', y))
    x = numpy.asarray(x)
    y = numpy.asarray(y)
    try:
        numpy.testing.assert_allclose(x, y, atol=atol, rtol=rtol, verbose=verbose)
    except AssertionError as e:
        msg = str(e)
        if x.shape == y.shape and x.size:
            err = numpy.abs(x.astype(numpy.float64) - y.astype(numpy.float64))
            i = numpy.unravel_index(numpy.argmax(err - rtol * numpy.abs(y)), err.shape)
            msg += '\nworst index {}: x={} y={} (|x-y|={})'.format(
                tuple(int(k) for k in i), x[i], y[i], err[i])
        raise AssertionError(msg) from None
