"""MPI communicator (mpi4py): array and object collectives with deadlines, model helpers.

Arrays travel as raw bytes with a small header (shape, dtype), so any dtype moves; sums use
MPI's native types (a Python reduction operator covers float16). cupy arrays are staged
through host memory unless the MPI library is CUDA-aware. Every wait goes through the
:class:`Watchdog`, so a lost peer produces an error naming it instead of a hang.
"""
import hashlib
import pickle

import numpy

from dchain import backend
from dchain.distributed.communicators import _model
from dchain.distributed.communicators._watchdog import Watchdog
from dchain.distributed.communicators.communicator_base import CommunicatorBase
from dchain.distributed.communicators.communicator_base import check_summable

_TAG_HEADER = 11
_TAG_DATA = 12


def _host(array):
    host = numpy.asarray(backend.cpu_device.send(array))
    # (ascontiguousarray alone would make a 0-d array 1-d.)
    return numpy.ascontiguousarray(host).reshape(host.shape)


def _bytes_view(array):
    return array.reshape(-1).view(numpy.uint8)


_float16_sum = None


def _mpi_sum_op(MPI, dtype):
    """MPI.SUM, or a Python-level sum for dtypes MPI lacks (float16)."""
    global _float16_sum
    if dtype == numpy.float16:
        if _float16_sum is None:
            def add(inbuf, outbuf, datatype):
                a = numpy.frombuffer(inbuf, dtype=numpy.float16)
                b = numpy.frombuffer(outbuf, dtype=numpy.float16)
                numpy.add(a, b, out=b)
            _float16_sum = MPI.Op.Create(add, commute=True)
        return _float16_sum
    return MPI.SUM


def _buffer(MPI, array):
    if array.dtype == numpy.float16:
        # MPI has no half type: move 16-bit words; the reduction op adds them as float16.
        return [array.view(numpy.uint16), MPI.UNSIGNED_SHORT]
    return array


class MpiCommunicatorBase(CommunicatorBase):
    """Process group over an ``mpi4py`` communicator (``MPI.COMM_WORLD`` by default)."""

    def __init__(self, mpi_comm, timeout=None):
        from mpi4py import MPI
        self._MPI = MPI
        self.mpi_comm = mpi_comm
        self._rank = mpi_comm.Get_rank()
        self._size = mpi_comm.Get_size()
        self._watchdog = Watchdog(mpi_comm, timeout)
        intra = mpi_comm.Split_type(MPI.COMM_TYPE_SHARED, key=self._rank)
        self._intra_rank = intra.Get_rank()
        self._intra_size = intra.Get_size()
        leaders = mpi_comm.Split(0 if self._intra_rank == 0 else MPI.UNDEFINED, self._rank)
        node = (leaders.Get_rank(), leaders.Get_size()) if leaders != MPI.COMM_NULL else None
        self._inter_rank, self._inter_size = intra.bcast(node, root=0)
        if leaders != MPI.COMM_NULL:
            leaders.Free()
        self.intra_mpi_comm = intra
        # Ranks sharing an intra_rank across nodes (used by hierarchical reductions).
        self.inter_mpi_comm = mpi_comm.Split(self._intra_rank, self._rank)

    @property
    def rank(self):
        return self._rank

    @property
    def size(self):
        return self._size

    @property
    def intra_rank(self):
        return self._intra_rank

    @property
    def intra_size(self):
        return self._intra_size

    @property
    def inter_rank(self):
        return self._inter_rank

    @property
    def inter_size(self):
        return self._inter_size

    @property
    def timeout(self):
        """Seconds a blocking operation may wait before failing (DCHAIN_COLLECTIVE_TIMEOUT)."""
        return self._watchdog.timeout

    @timeout.setter
    def timeout(self, seconds):
        self._watchdog.timeout = float(seconds)

    def __repr__(self):
        return '<{} rank={} size={} intra={}/{} inter={}/{}>'.format(
            type(self).__name__, self.rank, self.size, self.intra_rank, self.intra_size,
            self.inter_rank, self.inter_size)

    # ---------------------------------------------------------------- waiting
    def _wait(self, requests, what, peers=None):
        self._watchdog.wait(requests, what, peers)

    def _enter(self, what):
        self._watchdog.enter(what)

    def _check_rank(self, rank, what):
        """Raise ValueError (on every rank, which pass the same ``rank``) unless it exists; MPI
        would reject some, and gather/scatter would answer None or index from the end."""
        if not isinstance(rank, (int, numpy.integer)) or not 0 <= rank < self.size:
            raise ValueError('{}: rank {!r} does not exist in a job of {} rank(s)'.format(
                what, rank, self.size))

    # ---------------------------------------------------------------- objects
    def bcast_obj(self, obj, max_buf_len=None, root=0):
        self._check_rank(root, 'bcast_obj')
        self._enter('bcast_obj')
        data = numpy.frombuffer(pickle.dumps(obj), numpy.uint8) if self.rank == root else None
        data = self._bcast_bytes(data, root, 'bcast_obj')
        return obj if self.rank == root else pickle.loads(data.tobytes())

    def _bcast_bytes(self, data, root, what):
        length = numpy.array([0 if data is None else data.size], numpy.int64)
        self._wait([self.mpi_comm.Ibcast(length, root=root)], what)
        if self.rank != root:
            data = numpy.empty(int(length[0]), numpy.uint8)
        self._wait([self.mpi_comm.Ibcast(data, root=root)], what)
        return data

    def _allgather_bytes(self, payload, what):
        lengths = numpy.empty(self.size, numpy.int64)
        self._wait([self.mpi_comm.Iallgather(numpy.array([payload.size], numpy.int64),
                                             lengths)], what)
        out = numpy.empty(int(lengths.sum()), numpy.uint8)
        offsets = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]])
        self._wait([self.mpi_comm.Iallgatherv(payload, [out, lengths, offsets, self._MPI.BYTE])],
                   what)
        return [out[o:o + n] for o, n in zip(offsets, lengths)]

    def allgather_obj(self, obj):
        self._enter('allgather_obj')
        parts = self._allgather_bytes(numpy.frombuffer(pickle.dumps(obj), numpy.uint8),
                                      'allgather_obj')
        return [pickle.loads(p.tobytes()) for p in parts]

    def gather_obj(self, obj, root=0):
        self._check_rank(root, 'gather_obj')
        objs = self.allgather_obj(obj)
        return objs if self.rank == root else None

    def allreduce_obj(self, obj):
        objs = self.allgather_obj(obj)
        total = objs[0]
        for o in objs[1:]:
            total = total + o
        return total

    def send_obj(self, obj, dest, tag=0):
        self._send_pickled(obj, dest, tag, 'send_obj to rank {}'.format(dest))

    def recv_obj(self, source, tag=0):
        return self._recv_pickled(source, tag, 'recv_obj from rank {}'.format(source))

    def _send_pickled(self, obj, dest, tag, what):
        self._send_bytes(numpy.frombuffer(pickle.dumps(obj), numpy.uint8), dest, tag, what)

    def _recv_pickled(self, source, tag, what):
        return pickle.loads(self._recv_bytes(source, tag, what).tobytes())

    def _send_bytes(self, payload, dest, tag, what):
        self._watchdog.doing(what, ('send', dest, tag))
        header = numpy.array([payload.size], numpy.int64)
        self._wait([self.mpi_comm.Isend(header, dest=dest, tag=tag * 2 + _TAG_HEADER),
                    self.mpi_comm.Isend(payload, dest=dest, tag=tag * 2 + _TAG_DATA)],
                   what, peers=[dest])

    def _recv_bytes(self, source, tag, what):
        self._watchdog.doing(what, ('recv', source, tag))
        header = numpy.empty(1, numpy.int64)
        self._wait([self.mpi_comm.Irecv(header, source=source, tag=tag * 2 + _TAG_HEADER)],
                   what, peers=[source])
        payload = numpy.empty(int(header[0]), numpy.uint8)
        self._wait([self.mpi_comm.Irecv(payload, source=source, tag=tag * 2 + _TAG_DATA)],
                   what, peers=[source])
        return payload

    def barrier(self):
        self._enter('barrier')
        self._wait([self.mpi_comm.Ibarrier()], 'barrier')

    # ---------------------------------------------------------------- arrays
    def send(self, data, dest, tag=0):
        """Send an array, or a tuple/list of arrays, to ``dest``."""
        arrays = data if isinstance(data, (tuple, list)) else (data,)
        hosts = [_host(a) for a in arrays]
        meta = (isinstance(data, (tuple, list)), [(h.shape, h.dtype.str) for h in hosts])
        what = 'send to rank {}'.format(dest)
        self._send_pickled(meta, dest, tag, what)
        for h in hosts:
            self._send_bytes(_bytes_view(h), dest, tag, what)

    def recv(self, source, tag=0):
        """Receive what :meth:`send` sent from ``source`` (an array or a tuple of arrays)."""
        what = 'recv from rank {}'.format(source)
        is_seq, shapes = self._recv_pickled(source, tag, what)
        arrays = []
        for shape, dtype in shapes:
            raw = self._recv_bytes(source, tag, what)
            arrays.append(raw.view(numpy.dtype(dtype)).reshape(shape))
        return tuple(arrays) if is_seq else arrays[0]

    def bcast(self, data, root=0):
        self._check_rank(root, 'bcast')
        self._enter('bcast')
        if self.rank == root:
            host = _host(data)
            meta = (host.shape, host.dtype.str)
        else:
            host, meta = None, None
        shape, dtype = self.bcast_obj(meta, root=root)
        if self.rank != root:
            host = numpy.empty(shape, numpy.dtype(dtype))
        self._wait([self.mpi_comm.Ibcast(_bytes_view(host), root=root)], 'bcast')
        return data if self.rank == root else host

    def allgather(self, x):
        self._enter('allgather')
        host = _host(x)
        metas = self.allgather_obj((host.shape, host.dtype.str))
        parts = self._allgather_bytes(_bytes_view(host), 'allgather')
        return tuple(p.view(numpy.dtype(d)).reshape(s) for p, (s, d) in zip(parts, metas))

    def gather(self, data, root=0):
        self._check_rank(root, 'gather')
        parts = self.allgather(data)
        # Every rank has every piece: all of them raise, not only the root.
        if any(p.shape != parts[0].shape or p.dtype != parts[0].dtype for p in parts):
            raise ValueError(
                'gather needs an array of the same shape and dtype on every rank; got '
                '{}'.format(', '.join('shape {} dtype {} on rank {}'.format(p.shape, p.dtype, k)
                                      for k, p in enumerate(parts))))
        if self.rank != root:
            return None
        return numpy.stack(parts)

    def allreduce(self, data):
        """Elementwise sum over ranks (a new array; the input is not modified).

        Every rank must pass an array of the same shape and numeric dtype: otherwise every
        rank raises (ValueError, TypeError), rather than MPI summing unrelated bytes."""
        self._enter('allreduce')
        host = _host(data)
        self._check_same_array(host, 'allreduce')
        check_summable(host.dtype, 'allreduce')
        return self._allreduce_host(host, data)

    def _check_same_array(self, host, what):
        """Raise ValueError on every rank unless all pass the same shape and dtype (one small
        collective; a second, to name the ranks, only when they differ)."""
        signature = (host.shape, host.dtype.str)
        key = int.from_bytes(hashlib.blake2b(repr(signature).encode(), digest_size=7).digest(),
                             'little')
        extremes = numpy.empty(2, numpy.int64)
        self._wait([self.mpi_comm.Iallreduce(numpy.array([key, -key], numpy.int64), extremes,
                                             op=self._MPI.MAX)], what)
        if extremes[0] == key and -extremes[1] == key:
            return
        signatures = self.allgather_obj(signature)
        raise ValueError(
            '{} needs an array of the same shape and dtype on every rank; got {}'.format(
                what, ', '.join('shape {} dtype {} on rank {}'.format(
                    shape, numpy.dtype(dtype), rank)
                    for rank, (shape, dtype) in enumerate(signatures))))

    def _allreduce_host(self, host, data):
        """The sum of contiguous host arrays already known to agree, on ``data``'s device."""
        out = numpy.empty_like(host)
        MPI = self._MPI
        self._wait([self.mpi_comm.Iallreduce(_buffer(MPI, host), _buffer(MPI, out),
                                             op=_mpi_sum_op(MPI, host.dtype))], 'allreduce')
        return backend.get_device_from_array(data).send(out)

    def allreduce_inplace(self, host_buffer, what='allreduce'):
        """Start a non-blocking in-place sum of a contiguous host buffer; returns the request."""
        MPI = self._MPI
        return self.mpi_comm.Iallreduce(MPI.IN_PLACE, _buffer(MPI, host_buffer),
                                        op=_mpi_sum_op(MPI, host_buffer.dtype))

    def alltoall(self, xs):
        if len(xs) != self.size:
            raise ValueError('alltoall needs one array per rank ({}), got {}'.format(
                self.size, len(xs)))
        self._enter('alltoall')
        hosts = [_host(x) for x in xs]
        metas = self.allgather_obj([(h.shape, h.dtype.str, h.nbytes) for h in hosts])
        send_counts = numpy.array([h.nbytes for h in hosts], numpy.int64)
        send_offsets = numpy.concatenate([[0], numpy.cumsum(send_counts)[:-1]])
        send_buf = numpy.concatenate([_bytes_view(h) for h in hosts]) if hosts else \
            numpy.empty(0, numpy.uint8)
        recv_counts = numpy.array([metas[src][self.rank][2] for src in range(self.size)],
                                  numpy.int64)
        recv_offsets = numpy.concatenate([[0], numpy.cumsum(recv_counts)[:-1]])
        recv_buf = numpy.empty(int(recv_counts.sum()), numpy.uint8)
        MPI = self._MPI
        self._wait([self.mpi_comm.Ialltoallv([send_buf, send_counts, send_offsets, MPI.BYTE],
                                             [recv_buf, recv_counts, recv_offsets, MPI.BYTE])],
                   'alltoall')
        out = []
        for src in range(self.size):
            shape, dtype, n = metas[src][self.rank]
            o = recv_offsets[src]
            out.append(recv_buf[o:o + n].view(numpy.dtype(dtype)).reshape(shape))
        return tuple(out)

    def scatter(self, xs, root=0):
        self._check_rank(root, 'scatter')
        if self.rank == root:
            if len(xs) != self.size:
                raise ValueError('scatter needs one array per rank ({}), got {}'.format(
                    self.size, len(xs)))
            parts = [_host(x) for x in xs]
        else:
            parts = [numpy.empty(0, numpy.uint8)] * self.size
        received = self.alltoall(parts if self.rank == root else parts)
        return received[root]

    # ---------------------------------------------------------------- models
    def _check_grads_present(self, model):
        """Raise ValueError on every rank if a parameter of ``model`` (checked to be the same
        on every rank) has a gradient on some ranks only: without ``zero_fill`` its mean is
        undefined, and those ranks would update it while the others would not."""
        named = sorted(model.namedparams(include_uninit=False))
        present = numpy.array([p.grad is not None for _, p in named], numpy.int32)
        self._enter('multi_node_mean_grad (which gradients exist)')
        counts = self._allreduce_host(present, present)
        partial = [name for (name, _), count in zip(named, counts) if 0 < count < self.size]
        if not partial:
            return
        absent = self.allgather_obj([name for name, p in named if p.grad is None])
        raise ValueError(
            'multi_node_mean_grad: parameter {!r} has a gradient on some ranks only (none on '
            'rank(s) {}); pass zero_fill=True to count a missing gradient as zeros'.format(
                partial[0], ', '.join(str(k) for k, names in enumerate(absent)
                                      if partial[0] in names)))

    def bcast_data(self, model):
        _model.check_same_params(self, model)
        for _, param in sorted(model.namedparams(include_uninit=False)):
            value = self.bcast(param.array if self.rank == 0 else None, root=0)
            if self.rank != 0:
                backend.copyto(param.array, value)
        for name, value in _model.persistent_arrays(model):
            received = self.bcast(value if self.rank == 0 else None, root=0)
            if self.rank != 0:
                backend.copyto(value, received)

    def split(self, color, key):
        return type(self)(self.mpi_comm.Split(color, key), timeout=self.timeout)

    def finalize(self):
        self._watchdog.free()
        for comm in (self.intra_mpi_comm, self.inter_mpi_comm):
            try:
                comm.Free()
            except Exception:
                pass
