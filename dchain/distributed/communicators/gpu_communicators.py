"""GPU communicators: NCCL (through CuPy) for gradients, MPI for setup and objects.

* ``pure_nccl``: one NCCL communicator over all ranks (one GPU per process, chosen by
  ``intra_rank``); buckets are all-reduced on a dedicated stream.
* ``single_node``: ``pure_nccl`` restricted to one node.
* ``hierarchical``: NCCL reduce inside the node, MPI allreduce between node leaders, NCCL
  broadcast inside the node.
* ``two_dimensional``: NCCL reduce-scatter inside the node, MPI allreduce of each shard
  between nodes, NCCL all-gather inside the node.
* ``non_cuda_aware``: the flat MPI path with GPU buffers staged through host memory.

All of them reuse the bucketing of :class:`FlatCommunicator`; only the reduction of one flat
buffer differs. They need CuPy with NCCL and a GPU: constructing one without them raises
:class:`dchain.backend.GpuUnavailableError` saying what to install.
"""
import time

import numpy

from dchain import backend
from dchain.distributed.communicators._watchdog import CollectiveTimeoutError
from dchain.distributed.communicators.flat_communicator import FlatCommunicator


def _require_nccl():
    backend.check_cuda_available()
    try:
        from cupy.cuda import nccl
    except ImportError as e:
        raise backend.GpuUnavailableError(
            'NCCL is not available to CuPy ({}). Install the gpu extra, which brings the NCCL '
            'runtime: pip install "dchain[gpu]"'.format(e)) from None
    if not getattr(nccl, 'available', True):
        raise backend.GpuUnavailableError(
            'CuPy was built without NCCL support. Install the gpu extra: '
            'pip install "dchain[gpu]" (cupy-cuda12x with nvidia-nccl-cu12)')
    return nccl


def _local_gpu(intra_rank):
    """The GPU of this rank: one per rank on its node, wrapping around when a launcher (e.g.
    ``srun --gpus-per-task=1``) shows each rank only its own GPU(s)."""
    return intra_rank % backend._gpu.cupy.cuda.runtime.getDeviceCount()


def _nccl_dtype(nccl, dtype):
    table = {numpy.dtype(numpy.float16): nccl.NCCL_FLOAT16,
             numpy.dtype(numpy.float32): nccl.NCCL_FLOAT32,
             numpy.dtype(numpy.float64): nccl.NCCL_FLOAT64}
    try:
        return table[numpy.dtype(dtype)]
    except KeyError:
        raise TypeError('NCCL reduction of dtype {} is not supported'.format(dtype)) from None


class _NcclGroup:
    """An NCCL communicator over the ranks of an mpi4py communicator."""

    def __init__(self, nccl, mpi_comm):
        uid = nccl.get_unique_id() if mpi_comm.Get_rank() == 0 else None
        uid = mpi_comm.bcast(uid, root=0)
        self.comm = nccl.NcclCommunicator(mpi_comm.Get_size(), uid, mpi_comm.Get_rank())
        self.size = mpi_comm.Get_size()
        self.rank = mpi_comm.Get_rank()


class PureNcclCommunicator(FlatCommunicator):
    """Gradient reduction with NCCL all-reduce over every rank."""

    def __init__(self, mpi_comm, bucket_bytes=None, allreduce_grad_dtype=None, timeout=None,
                 shared_memory=True):
        self._nccl = _require_nccl()
        super().__init__(mpi_comm, bucket_bytes, allreduce_grad_dtype, timeout,
                         shared_memory)
        cupy = backend._gpu.cupy
        self.device = backend.get_device(_local_gpu(self.intra_rank))
        self.device.use()
        self._check_topology()
        self._groups = self._make_groups()
        self.stream = cupy.cuda.Stream(non_blocking=True)

    def _check_topology(self):
        pass

    def _make_groups(self):
        return {'all': _NcclGroup(self._nccl, self.mpi_comm)}

    def _start_reduce(self, buffer):
        if backend.get_array_module(buffer).__name__ == 'numpy':
            return super()._start_reduce(buffer)
        cupy = backend._gpu.cupy
        # The buffer was filled on the current stream; NCCL runs on its own.
        self.stream.wait_event(cupy.cuda.get_current_stream().record())
        self._reduce_on_device(buffer)
        return self.stream.record(), None

    def _reduce_on_device(self, buffer):
        group = self._groups['all']
        group.comm.allReduce(buffer.data.ptr, buffer.data.ptr, buffer.size,
                             _nccl_dtype(self._nccl, buffer.dtype), self._nccl.NCCL_SUM,
                             self.stream.ptr)

    def _wait_reductions(self, handles, what):
        mpi = [h for h in handles if not hasattr(h[0], 'query')]
        if mpi:
            super()._wait_reductions(mpi, what)
        deadline = time.monotonic() + self.timeout
        for event, _ in handles:
            if not hasattr(event, 'query'):
                continue
            while not event.query():
                if time.monotonic() > deadline:
                    raise CollectiveTimeoutError(
                        'rank {}: NCCL {} did not complete within {:g} s; a peer GPU process '
                        'is missing or hung'.format(self.rank, what, self.timeout),
                        [r for r in range(self.size) if r != self.rank])
                time.sleep(0.0001)

    def poke(self, buckets):
        pass

    def finish(self, buckets, zero_fill, nonblocking=True):
        # NCCL reductions are asynchronous already: always start, then wait.
        super().finish(buckets, zero_fill, nonblocking=True)

    def finalize(self):
        for group in self._groups.values():
            group.comm.destroy()
        super().finalize()


class SingleNodeCommunicator(PureNcclCommunicator):
    """``pure_nccl`` for jobs on one node (checks that they are)."""

    def _check_topology(self):
        if self.inter_size != 1:
            raise ValueError('single_node communicator used across {} nodes; use pure_nccl or '
                             'hierarchical'.format(self.inter_size))


class HierarchicalCommunicator(PureNcclCommunicator):
    """NCCL inside each node, MPI between node leaders."""

    def _make_groups(self):
        return {'intra': _NcclGroup(self._nccl, self.intra_mpi_comm)}

    def _reduce_on_device(self, buffer):
        nccl = self._nccl
        intra = self._groups['intra']
        dtype = _nccl_dtype(nccl, buffer.dtype)
        intra.comm.reduce(buffer.data.ptr, buffer.data.ptr, buffer.size, dtype, nccl.NCCL_SUM,
                          0, self.stream.ptr)
        if self.intra_rank == 0 and self.inter_size > 1:
            self.stream.synchronize()
            host = backend.cpu_device.send(buffer)
            self._wait([self.inter_mpi_comm.Iallreduce(self._MPI.IN_PLACE, host)],
                       'inter-node allreduce')
            buffer.set(host)
        intra.comm.bcast(buffer.data.ptr, buffer.size, dtype, 0, self.stream.ptr)


class TwoDimensionalCommunicator(PureNcclCommunicator):
    """Reduce-scatter inside the node, allreduce of shards between nodes, all-gather inside."""

    def _make_groups(self):
        return {'intra': _NcclGroup(self._nccl, self.intra_mpi_comm)}

    def _reduce_on_device(self, buffer):
        nccl = self._nccl
        cupy = backend._gpu.cupy
        intra = self._groups['intra']
        dtype = _nccl_dtype(nccl, buffer.dtype)
        n = self.intra_size
        shard = -(-buffer.size // n)
        padded = cupy.zeros(shard * n, buffer.dtype)
        padded[:buffer.size] = buffer
        piece = cupy.empty(shard, buffer.dtype)
        intra.comm.reduceScatter(padded.data.ptr, piece.data.ptr, shard, dtype, nccl.NCCL_SUM,
                                 self.stream.ptr)
        if self.inter_size > 1:
            self.stream.synchronize()
            host = backend.cpu_device.send(piece)
            self._wait([self.inter_mpi_comm.Iallreduce(self._MPI.IN_PLACE, host)],
                       'inter-node allreduce of shards')
            piece.set(host)
        intra.comm.allGather(piece.data.ptr, padded.data.ptr, shard, dtype, self.stream.ptr)
        buffer[...] = padded[:buffer.size]


class NonCudaAwareCommunicator(FlatCommunicator):
    """The flat MPI path for GPU arrays, staged through host memory (no NCCL needed)."""

    def __init__(self, mpi_comm, bucket_bytes=None, allreduce_grad_dtype=None, timeout=None,
                 shared_memory=True):
        backend.check_cuda_available()
        super().__init__(mpi_comm, bucket_bytes, allreduce_grad_dtype, timeout,
                         shared_memory)
        backend.get_device(_local_gpu(self.intra_rank)).use()
