"""Global and thread-local configuration (``dchain.config``), as Chainer's.

``dchain.global_config`` holds process-wide defaults; ``dchain.config`` reads a thread's own
override first and falls back to the global value, so ``using_config`` in one thread never
changes what another thread sees.
"""
import contextlib
import os
import sys
import threading

import numpy


class GlobalConfig:
    """Process-wide configuration values."""

    def __init__(self, name):
        self.__dict__['_name'] = name

    def show(self, file=sys.stdout):
        """Print every configuration entry, one per line, sorted by name."""
        for key in sorted(k for k in self.__dict__ if not k.startswith('_')):
            file.write('{:<25} {}\n'.format(key, self.__dict__[key]))


class LocalConfig:
    """Thread-local view of a :class:`GlobalConfig`: local values shadow global ones."""

    def __init__(self, global_config):
        super().__setattr__('_global', global_config)
        super().__setattr__('_local', threading.local())

    def __getattr__(self, name):
        local = self._local.__dict__
        if name in local:
            return local[name]
        try:
            return getattr(self._global, name)
        except AttributeError:
            raise AttributeError(
                'dchain.config has no entry {!r}; known entries: {}'.format(
                    name, ', '.join(sorted(k for k in self._global.__dict__
                                           if not k.startswith('_'))))) from None

    def __setattr__(self, name, value):
        setattr(self._local, name, value)

    def __delattr__(self, name):
        delattr(self._local, name)

    def show(self, file=sys.stdout):
        """Print the effective value of every entry in this thread."""
        keys = set(k for k in self._global.__dict__ if not k.startswith('_'))
        keys.update(self._local.__dict__)
        for key in sorted(keys):
            file.write('{:<25} {}\n'.format(key, getattr(self, key)))


def _env_flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value not in ('0', '', 'false', 'False', 'no')


def _env_nonnegative_int(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ValueError('{}={!r}: expected a non-negative integer'.format(name, value))
    return number


def _env_dtype(name):
    value = os.environ.get(name)
    if not value:
        return numpy.dtype(numpy.float32)
    try:
        dtype = numpy.dtype(value)
    except TypeError:
        raise ValueError('{}={!r} is not a numpy dtype name (expected e.g. float32)'.format(
            name, value)) from None
    if dtype.kind != 'f':
        raise ValueError('{}={!r}: the default dtype must be a floating type'.format(name, value))
    return dtype


global_config = GlobalConfig('dchain.global_config')
global_config.train = True
global_config.enable_backprop = True
global_config.type_check = _env_flag('DCHAIN_TYPE_CHECK', True)
global_config.debug = _env_flag('DCHAIN_DEBUG', False)
global_config.dtype = _env_dtype('DCHAIN_DTYPE')
global_config.keep_graph_on_report = _env_flag('DCHAIN_KEEP_GRAPH_ON_REPORT', False)
global_config.use_cudnn = os.environ.get('DCHAIN_USE_CUDNN', 'auto')
global_config.cudnn_deterministic = _env_flag('DCHAIN_CUDNN_DETERMINISTIC', False)
global_config.autotune = False
global_config.use_ideep = 'never'
global_config.lazy_grad_sum = False
global_config.in_recomputing = False
# MB of im2col columns that forward convolutions may keep alive for their weight gradients.
global_config.conv_kept_columns_mb = _env_nonnegative_int('DCHAIN_CONV_KEPT_COLUMNS_MB', 64)

config = LocalConfig(global_config)


_MISSING = object()


@contextlib.contextmanager
def using_config(name, value, config=config):
    """Context manager that sets ``config.<name>`` to ``value`` in this thread, then restores it.

    Args:
        name (str): name of the configuration entry.
        value: value to set while the context is active.
        config (LocalConfig): configuration object to change (``dchain.config`` by default).
    """
    local = config._local.__dict__ if isinstance(config, LocalConfig) else config.__dict__
    old = local.get(name, _MISSING)
    setattr(config, name, value)
    try:
        yield
    finally:
        if old is _MISSING:
            delattr(config, name)
        else:
            setattr(config, name, old)


def no_backprop_mode():
    """Context in which functions record no graph (``enable_backprop=False``)."""
    return using_config('enable_backprop', False)


def force_backprop_mode():
    """Context in which functions record the graph even inside :func:`no_backprop_mode`."""
    return using_config('enable_backprop', True)


def is_debug():
    """Whether debug mode is on (``config.debug``)."""
    return bool(config.debug)


def set_debug(debug):
    """Set debug mode for this thread."""
    config.debug = debug


def get_dtype(dtype=None):
    """Resolve ``dtype``, defaulting to ``config.dtype``."""
    if dtype is None:
        dtype = config.dtype
    return numpy.dtype(dtype)
