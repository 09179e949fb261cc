"""One pool of CPU threads for dchain's kernels and numpy's BLAS (set up at ``import dchain``).

numpy's OpenBLAS runs each GEMM on its own worker threads, which then busy-wait for a while
(0.1 s to a second, measured) in case another call comes. Any other thread that wants a core
in that time has to take it from them, so dchain's memory-bound passes (im2col, col2im, max
pooling, ReLU) gained nothing from a second thread of their own and ran on one core while
the GEMMs ran on all. OpenBLAS (0.3.27 and later) can instead hand its parallel work to the
caller: dchain installs the thread pool of its compiled kernels (``csrc/thread_pool.h``) as
that callback, so GEMMs and dchain's passes share one set of workers, which poll for
``DCHAIN_CPU_SPIN_US`` microseconds (default 100) after a job and then sleep.

The kernels' thread count is then the BLAS library's own (``OMP_NUM_THREADS``,
``OPENBLAS_NUM_THREADS``, or threadpoolctl's ``threadpool_limits``, which thus limit both).
The results do not depend on it: each part of a pass writes its own elements.

``DCHAIN_CPU_POOL=0`` leaves BLAS alone; dchain's kernels then run on one thread. So does a
process whose BLAS is not an OpenBLAS with the callback (MKL, an older OpenBLAS), or without
threadpoolctl (which finds the library) or the compiled kernels. A child forked from the
process starts with no workers and makes them on first use.
"""
import ctypes
import os

from dchain import _native

_ENV_POOL = 'DCHAIN_CPU_POOL'
_ENV_SPIN = 'DCHAIN_CPU_SPIN_US'
DEFAULT_SPIN_US = 100

#: Paths of the BLAS libraries whose parallel work runs on dchain's pool.
installed = []


def _spin_us():
    value = os.environ.get(_ENV_SPIN, '').strip()
    if not value:
        return DEFAULT_SPIN_US
    try:
        spin = int(value)
    except ValueError:
        spin = -1
    if spin < 0:
        raise ValueError('{} must be a whole number of microseconds >= 0 (how long idle CPU '
                         'threads poll for work before they sleep), got {!r}'
                         .format(_ENV_SPIN, value))
    return spin


def _enabled():
    return os.environ.get(_ENV_POOL, '1').strip().lower() not in ('0', 'false', 'no', 'off')


def _openblas_entry_points(controller):
    """(set_threads_callback_function, get_num_threads) of an OpenBLAS controller of
    threadpoolctl, or None if the library has no threading callback."""
    if controller.internal_api != 'openblas' or \
            getattr(controller, 'threading_layer', None) != 'pthreads':
        return None
    prefix = getattr(controller, '_symbol_prefix', '')
    suffix = getattr(controller, '_symbol_suffix', '')
    try:
        library = ctypes.CDLL(controller.filepath)
        set_callback = getattr(library, '{}openblas_set_threads_callback_function{}'
                               .format(prefix, suffix))
        get_threads = getattr(library, '{}openblas_get_num_threads{}'.format(prefix, suffix))
    except (OSError, AttributeError):
        return None
    set_callback.argtypes = (ctypes.c_void_p,)
    set_callback.restype = None
    return set_callback, get_threads


def install():
    """Put dchain's pool under every OpenBLAS loaded that takes a threading callback.

    Returns the paths of those libraries (also kept in :data:`installed`). Calling it again
    applies the environment anew.
    """
    del installed[:]
    if not _native.available:
        return []
    spin = _spin_us()
    found = []
    if _enabled():
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            ThreadpoolController = None
        if ThreadpoolController is not None:
            for controller in ThreadpoolController().lib_controllers:
                entry = _openblas_entry_points(controller)
                if entry is not None:
                    found.append((controller.filepath,) + entry)
    if not found:
        _native.configure_threads(1, spin, None)
        return []
    get_threads = found[0][2]
    _native.configure_threads(1, spin, ctypes.cast(get_threads, ctypes.c_void_p).value)
    callback = _native.blas_callback()
    for path, set_callback, _ in found:
        set_callback(callback)
        installed.append(path)
    return list(installed)


def threads():
    """How many threads dchain's parallel kernels use now (1 without the pool)."""
    return _native.threads() if _native.available else 1
