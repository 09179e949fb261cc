"""The communicator interface every backend implements (one process group, ChainerMN names)."""
import abc

import numpy


def check_summable(dtype, what):
    """Raise TypeError unless arrays of ``dtype`` can be summed over ranks (numbers, not bool
    or objects)."""
    dtype = numpy.dtype(dtype)
    if dtype.kind not in 'iufc':
        raise TypeError('{} sums over ranks: arrays of dtype {} cannot be summed; cast them to '
                        'a numeric dtype first'.format(what, dtype))


class CommunicatorBase(abc.ABC):
    """A group of ``size`` processes; this one is ``rank``.

    ``intra_*`` describe the processes on this node, ``inter_*`` the nodes. Array collectives
    take numpy (or cupy, on GPU communicators) arrays; ``*_obj`` collectives take picklable
    objects. :meth:`multi_node_mean_grad` averages the gradients of a link over all processes.
    """

    @property
    @abc.abstractmethod
    def rank(self):
        """Index of this process, ``0 <= rank < size``."""

    @property
    @abc.abstractmethod
    def size(self):
        """Number of processes."""

    @property
    def intra_rank(self):
        """Index of this process among those on its node."""
        return self.rank

    @property
    def intra_size(self):
        """Number of processes on this node."""
        return self.size

    @property
    def inter_rank(self):
        """Index of this node."""
        return 0

    @property
    def inter_size(self):
        """Number of nodes."""
        return 1

    # Array collectives --------------------------------------------------------------------
    @abc.abstractmethod
    def send(self, data, dest, tag=0):
        """Send an array (or a tuple of arrays) to rank ``dest``."""

    @abc.abstractmethod
    def recv(self, source, tag=0):
        """Receive an array (or tuple) sent by :meth:`send` from rank ``source``."""

    @abc.abstractmethod
    def bcast(self, data, root=0):
        """Array of ``root`` on every rank (others may pass None)."""

    @abc.abstractmethod
    def gather(self, data, root=0):
        """Arrays of all ranks stacked along a new first axis at ``root`` (None elsewhere)."""

    @abc.abstractmethod
    def allgather(self, x):
        """Tuple of every rank's array, on every rank."""

    @abc.abstractmethod
    def allreduce(self, data):
        """Elementwise sum of the arrays of all ranks."""

    @abc.abstractmethod
    def alltoall(self, xs):
        """``xs[j]`` goes to rank j; returns the tuple of arrays received from each rank."""

    @abc.abstractmethod
    def scatter(self, xs, root=0):
        """``xs[j]`` at ``root`` goes to rank j; returns this rank's piece."""

    # Object collectives -------------------------------------------------------------------
    @abc.abstractmethod
    def send_obj(self, obj, dest, tag=0):
        pass

    @abc.abstractmethod
    def recv_obj(self, source, tag=0):
        pass

    @abc.abstractmethod
    def bcast_obj(self, obj, max_buf_len=None, root=0):
        pass

    @abc.abstractmethod
    def gather_obj(self, obj, root=0):
        pass

    @abc.abstractmethod
    def allreduce_obj(self, obj):
        """Sum (``+``) of the objects of all ranks."""

    @abc.abstractmethod
    def allgather_obj(self, obj):
        pass

    @abc.abstractmethod
    def barrier(self):
        pass

    # Models --------------------------------------------------------------------------------
    @abc.abstractmethod
    def bcast_data(self, model):
        """Copy the parameter values (and persistent arrays) of ``model`` from rank 0."""

    @abc.abstractmethod
    def multi_node_mean_grad(self, model, zero_fill=False):
        """Replace each gradient of ``model`` by its mean over all ranks.

        Args:
            zero_fill (bool): treat a missing gradient (None) as zeros, so every rank reduces
                the same buffers; without it a parameter with no gradient on some rank is an
                error.
        """

    def allreduce_grad(self, model, zero_fill=False):
        """Chainer's older name of :meth:`multi_node_mean_grad`."""
        return self.multi_node_mean_grad(model, zero_fill)

    @abc.abstractmethod
    def split(self, color, key):
        """A new communicator of the ranks that passed the same ``color``, ordered by ``key``."""

    def finalize(self):
        """Release resources (communicators, buffers); the object must not be used after."""

    def set_config(self, name, **kwargs):
        raise ValueError('unknown communicator option {!r}'.format(name))

    def get_config(self, name=None):
        raise ValueError('unknown communicator option {!r}'.format(name))
