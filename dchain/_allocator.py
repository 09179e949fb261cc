"""Host allocator policy: keep freed blocks in the heap so big arrays don't page-fault.

A training step allocates and frees the same multi-megabyte arrays (activations, im2col
buffers, gradients) every iteration. glibc returns blocks above its mmap threshold to the OS
on free, so every new one page-faults on first touch. Raising the thresholds keeps them in
the heap for reuse, which is what the caching allocators of other frameworks achieve. Set
``DCHAIN_KEEP_FREED_MEMORY=0`` to leave glibc's defaults (for example to keep the resident
set small in a long-lived process that trains only occasionally).
"""
import ctypes
import ctypes.util
import os

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

# Blocks up to this size are served from (and returned to) the heap.
MMAP_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 1024 * 1024 * 1024


def keep_freed_memory():
    """Apply the policy (glibc only); returns whether it was applied."""
    if os.environ.get('DCHAIN_KEEP_FREED_MEMORY', '1') in ('0', 'false', 'False', 'no'):
        return False
    name = ctypes.util.find_library('c')
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False  # not glibc (macOS, musl): nothing to tune
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and \
        bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


applied = keep_freed_memory()
