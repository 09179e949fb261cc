"""Differentiable all-to-all exchange (``dchain.distributed.functions.alltoall``)."""
from dchain import backend
from dchain.distributed.functions._collective import to_variable
from dchain.function_node import FunctionNode


class AllToAll(FunctionNode):
    """``xs[j]`` goes to rank j; output k came from rank k."""

    def __init__(self, comm):
        self.comm = comm

    def forward(self, inputs):
        if len(inputs) != self.comm.size:
            raise ValueError('alltoall needs one input per rank ({}), got {}'.format(
                self.comm.size, len(inputs)))
        self._device = backend.get_device_from_array(inputs[0])
        self._dtypes = [x.dtype for x in inputs]
        return tuple(self._device.send(y) for y in self.comm.alltoall(inputs))

    def backward(self, indexes, grad_outputs):
        xp = self._device.xp
        gys = []
        for g, ref in zip(grad_outputs, self.outputs):
            if g is None:
                node = ref()
                gys.append(xp.zeros(node.shape, node.dtype))
            else:
                gys.append(g.array)
        gxs = self.comm.alltoall(gys)  # the exchange is its own transpose
        return tuple(to_variable(gxs[i], self._device, self._dtypes[i]) for i in indexes)


def alltoall(comm, xs):
    """Send ``xs[j]`` to rank j; return the tuple of Variables received from each rank."""
    return AllToAll(comm).apply(tuple(xs))
