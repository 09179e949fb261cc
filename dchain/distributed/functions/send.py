"""Differentiable send to another rank (``dchain.distributed.functions.send``)."""
import numpy

from dchain import backend
from dchain.function_node import FunctionNode
from dchain.variable import Variable


class Send(FunctionNode):
    """Sends its input to ``peer``; its backward receives the input's gradient from there."""

    def __init__(self, comm, peer, tag):
        self.comm = comm
        self.peer = peer
        self.tag = tag

    @property
    def label(self):
        return 'Send(to rank {})'.format(self.peer)

    def forward(self, inputs):
        xs = inputs
        self.comm.send(xs[0] if len(xs) == 1 else tuple(xs), self.peer, self.tag)
        self._shapes = [(x.shape, x.dtype) for x in xs]
        self._device = backend.get_device_from_array(xs[0])
        # A one-element "delegate" output: backward() on it starts the gradient exchange.
        return self._device.xp.zeros((), dtype=numpy.float32),

    def backward(self, indexes, grad_outputs):
        received = self.comm.recv(self.peer, self.tag)
        if not isinstance(received, tuple):
            received = (received,)
        grads = [Variable(self._device.send(g).astype(dtype, copy=False), requires_grad=False)
                 for g, (_, dtype) in zip(received, self._shapes)]
        return tuple(grads[i] for i in indexes)


def send(x, communicator, rank, tag=0):
    """Send ``x`` to ``rank`` as part of a graph split over processes.

    Args:
        x (Variable or tuple of Variables): what to send.
        communicator: a dchain communicator.
        rank (int): destination rank (which must call :func:`recv`).
        tag (int): message tag, to tell apart several pairs between the same ranks.

    Returns:
        Variable: a one-element *delegate* variable. Calling ``backward()`` on it (directly,
        or through :func:`pseudo_connect` / a later :func:`recv`) receives the gradient of
        ``x`` from ``rank`` and continues backward from there.
    """
    if rank == communicator.rank:
        raise ValueError('send: rank {} is this process; send to another rank'.format(rank))
    xs = tuple(x) if isinstance(x, (tuple, list)) else (x,)
    return Send(communicator, rank, tag).apply(xs)[0]
