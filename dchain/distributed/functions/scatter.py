"""Differentiable scatter from a root rank (``dchain.distributed.functions.scatter``)."""
from dchain import backend
from dchain.distributed.functions._collective import to_variable
from dchain.function_node import FunctionNode
from dchain.variable import Variable


class Scatter(FunctionNode):
    """Rank j gets ``xs[j]`` of ``root``; gradients are gathered back to ``root``."""

    def __init__(self, comm, root):
        self.comm = comm
        self.root = root

    def forward(self, inputs):
        is_root = self.comm.rank == self.root
        self._device = backend.get_device_from_array(inputs[0])
        self._dtypes = [x.dtype for x in inputs]
        y = self.comm.scatter(list(inputs) if is_root else None, self.root)
        return self._device.send(y),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        g = gy.array if gy is not None else \
            self._device.xp.zeros(self.outputs[0]().shape, self.outputs[0]().dtype)
        gathered = self.comm.allgather(g)
        if self.comm.rank != self.root:
            return tuple(None for _ in indexes)
        return tuple(to_variable(gathered[i], self._device, self._dtypes[i]) for i in indexes)


def scatter(comm, xs, root=0):
    """Rank j receives ``xs[j]`` from ``root`` (other ranks pass None) as a Variable."""
    if comm.rank == root:
        if xs is None or len(xs) != comm.size:
            raise ValueError('scatter: the root needs one variable per rank ({})'.format(
                comm.size))
        return Scatter(comm, root).apply(tuple(xs))[0]
    dummy = Variable(backend.cpu_device.xp.zeros((), 'f'))
    return Scatter(comm, root).apply((dummy,))[0]
