"""Differentiable broadcast from a root rank (``dchain.distributed.functions.bcast``)."""
from dchain import backend
from dchain.distributed.functions._collective import to_variable
from dchain.function_node import FunctionNode
from dchain.variable import Variable


class Bcast(FunctionNode):
    """``root``'s array on every rank; gradients are summed back to ``root``."""

    def __init__(self, comm, root, device):
        self.comm = comm
        self.root = root
        self.device = device

    def forward(self, inputs):
        x = inputs[0] if self.comm.rank == self.root else None
        y = self.comm.bcast(x, self.root)
        return self.device.send(y),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        total = self.comm.allreduce(gy.array)
        if self.comm.rank != self.root:
            return tuple(None for _ in indexes)
        return tuple(to_variable(total, self.device) for _ in indexes)


def bcast(comm, x, root=0):
    """Broadcast ``x`` (a Variable at ``root``; ignored elsewhere, may be None) to every rank.

    Every rank gets a Variable; in backward, the gradients of all ranks are summed into the
    root's ``x``.
    """
    if comm.rank == root:
        if x is None:
            raise ValueError('bcast: the root rank must pass the variable to broadcast')
        device = backend.get_device_from_array(x.array if isinstance(x, Variable) else x)
        return Bcast(comm, root, device).apply((x,))[0]
    # Non-root ranks have no input; a dummy keeps the node in the graph for backward.
    dummy = Variable(backend.cpu_device.xp.zeros((), 'f'))
    return Bcast(comm, root, backend.cpu_device).apply((dummy,))[0]
