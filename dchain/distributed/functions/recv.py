"""Differentiable receive from another rank (``dchain.distributed.functions.recv``)."""
from dchain import backend
from dchain.function_node import FunctionNode
from dchain.variable import Variable


class Recv(FunctionNode):
    """Receives arrays from ``peer``; its backward sends their gradients back."""

    def __init__(self, comm, peer, tag, device):
        self.comm = comm
        self.peer = peer
        self.tag = tag
        self.device = backend.get_device(device)

    @property
    def label(self):
        return 'Recv(from rank {})'.format(self.peer)

    def forward(self, inputs):
        received = self.comm.recv(self.peer, self.tag)
        if not isinstance(received, tuple):
            received = (received,)
        self._n_inputs = len(inputs)
        return tuple(self.device.send(r) for r in received)

    def backward(self, indexes, grad_outputs):
        grads = []
        for g, ref in zip(grad_outputs, self.outputs):
            if g is None:
                node = ref()
                g = self.device.xp.zeros(node.shape, node.dtype)
            else:
                g = g.array
            grads.append(g)
        self.comm.send(grads[0] if len(grads) == 1 else tuple(grads), self.peer, self.tag)
        # The delegate input (if any) gets a zero gradient so backward continues into the
        # Send that produced it.
        return tuple(Variable(self.device.xp.zeros((), 'f'), requires_grad=False)
                     for _ in indexes)


def recv(communicator, rank, delegate_variable=None, tag=0, device=-1, force_tuple=False):
    """Receive from ``rank`` what it sent with :func:`send`, as Variables in this graph.

    Args:
        communicator: a dchain communicator.
        rank (int): source rank.
        delegate_variable (Variable): the delegate returned by an earlier :func:`send` on this
            rank, to chain this receive after it in the graph (one backward then reaches both).
        tag (int): message tag.
        device: where to put the received arrays (any device specifier).
        force_tuple (bool): return a tuple even for one array.
    """
    if rank == communicator.rank:
        raise ValueError('recv: rank {} is this process; receive from another rank'.format(
            rank))
    inputs = () if delegate_variable is None else (delegate_variable,)
    node = Recv(communicator, rank, tag, device)
    if delegate_variable is None:
        # No graph input: mark the node so that it is recorded and its backward runs.
        inputs = (Variable(backend.get_device(device).xp.zeros((), 'f')),)
    outputs = node.apply(inputs)
    if len(outputs) == 1 and not force_tuple:
        return outputs[0]
    return outputs
