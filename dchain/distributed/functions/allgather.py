"""Differentiable all-gather (``dchain.distributed.functions.allgather``)."""
from dchain import backend
from dchain.distributed.functions._collective import to_variable
from dchain.function_node import FunctionNode


class AllGather(FunctionNode):
    """Every rank's ``x``, in rank order, on every rank."""

    def __init__(self, comm):
        self.comm = comm

    def forward(self, inputs):
        x, = inputs
        self._device = backend.get_device_from_array(x)
        self._dtype = x.dtype
        return tuple(self._device.send(y) for y in self.comm.allgather(x))

    def backward(self, indexes, grad_outputs):
        xp = self._device.xp
        gys = []
        for g, ref in zip(grad_outputs, self.outputs):
            if g is None:
                node = ref()
                gys.append(xp.zeros(node.shape, node.dtype))
            else:
                gys.append(g.array)
        # Rank k's gradient of my x is its gys[me]: exchange, then sum what arrives.
        received = self.comm.alltoall(gys)
        total = received[0].copy()
        for g in received[1:]:
            total += g
        return to_variable(total, self._device, self._dtype),


def allgather(comm, x):
    """Tuple of the ``x`` of every rank (rank order), as Variables of this graph."""
    return AllGather(comm).apply((x,))
