"""Recognising a temporary argument, whose array the function receiving it may overwrite.

In ``F.relu(self.conv(x))`` the convolution's output Variable exists only for that call: once
ReLU returns, nothing can read its array again, so ReLU may write its result there instead of
into a fresh array (on a CPU, writing into memory not in cache first reads it, a third of the
traffic of such a pass). numpy elides temporaries the same way, from reference counts.

CPython moves a call's arguments into the callee's frame, so a function sees the reference
count of an argument that only its call holds as :data:`TEMPORARY_REFCOUNT`, and one more
for an argument the caller also keeps in a name, a container or an attribute. The count is
measured at import; where an interpreter does not tell the two apart (another
implementation, borrowed references), nothing is ever overwritten.
"""
import sys

import numpy


def _count(x):
    return sys.getrefcount(x)


def _calibrate():
    if sys.implementation.name != 'cpython':
        return None
    temporary = _count(object())
    named = object()
    return temporary if _count(named) > temporary else None


# sys.getrefcount(argument) inside a function, for an argument only the call holds.
TEMPORARY_REFCOUNT = _calibrate()


def overwritable(variable):
    """Whether the array of ``variable`` may be overwritten: call as
    ``sys.getrefcount(x) == TEMPORARY_REFCOUNT and overwritable(x)`` from the function that
    received ``x`` directly from its caller.

    The array must be a writable numpy array that nothing else references (not the graph,
    which keeps arrays a backward needs, not another Variable), and the memory under it must
    belong to it or to one array that only it references (a view of a buffer that nothing
    else sees, as a convolution's transposed output is).
    """
    array = variable._array
    # References: the variable, this frame's name, getrefcount's argument.
    if type(array) is not numpy.ndarray or sys.getrefcount(array) != 3 or \
            not array.flags.writeable or variable._node.data is not None:
        return False
    base = array.base
    if base is None:
        return True
    # References: the view's base, this frame's name, getrefcount's argument.
    return type(base) is numpy.ndarray and base.base is None and sys.getrefcount(base) == 3
