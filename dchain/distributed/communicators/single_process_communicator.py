"""A communicator of one process, used when the script is not running under MPI.

It lets ``python train.py`` and ``mpiexec -n 4 python train.py`` run the same file: every
collective is the identity, and no MPI library is needed.
"""
import copy

from dchain.distributed.communicators.communicator_base import CommunicatorBase
from dchain.distributed.communicators.communicator_base import check_summable


class SingleProcessCommunicator(CommunicatorBase):
    """Rank 0 of 1."""

    rank = 0
    size = 1

    def _self_only(self, rank, what):
        if rank != 0:
            raise ValueError('{}: rank {} does not exist in a single-process job'.format(
                what, rank))

    def send(self, data, dest, tag=0):
        self._self_only(dest, 'send')
        raise RuntimeError('send to rank 0 from rank 0 would block forever')

    def recv(self, source, tag=0):
        self._self_only(source, 'recv')
        raise RuntimeError('recv from rank 0 on rank 0 would block forever')

    send_obj = send
    recv_obj = recv

    def bcast(self, data, root=0):
        self._self_only(root, 'bcast')
        return data

    def gather(self, data, root=0):
        self._self_only(root, 'gather')
        return data[None]

    def allgather(self, x):
        return (x,)

    def allreduce(self, data):
        check_summable(data.dtype, 'allreduce')   # as on several ranks
        return data.copy()

    def alltoall(self, xs):
        if len(xs) != 1:
            raise ValueError('alltoall needs one array per rank (1), got {}'.format(len(xs)))
        return tuple(xs)

    def scatter(self, xs, root=0):
        self._self_only(root, 'scatter')
        if len(xs) != 1:
            raise ValueError('scatter needs one array per rank (1), got {}'.format(len(xs)))
        return xs[0]

    def bcast_obj(self, obj, max_buf_len=None, root=0):
        self._self_only(root, 'bcast_obj')
        return obj

    def gather_obj(self, obj, root=0):
        self._self_only(root, 'gather_obj')
        return [obj]

    def allreduce_obj(self, obj):
        return copy.copy(obj)

    def allgather_obj(self, obj):
        return [obj]

    def barrier(self):
        pass

    def bcast_data(self, model):
        pass

    def multi_node_mean_grad(self, model, zero_fill=False):
        if zero_fill:
            for param in model.params(include_uninit=False):
                if param.grad is None:
                    param.zerograd()

    def split(self, color, key):
        return SingleProcessCommunicator()

    def __repr__(self):
        return '<SingleProcessCommunicator rank=0 size=1>'
