"""The ``flat`` communicator: gradients reduced in a few large buckets (MPI, CPU or staged GPU).

Buckets are reduced strictly in bucket order on every rank, so even when backward makes them
ready in a different order on different ranks the collectives still match. Host buckets of
ranks that share a node live in node-shared memory and are reduced there by the node's ranks
together (see ``_shared_memory``); MPI then only carries what crosses nodes.
"""
import numpy

from dchain import backend
from dchain.distributed.communicators import _bucketing
from dchain.distributed.communicators import _shared_memory
from dchain.distributed.communicators import _model
from dchain.distributed.communicators.mpi_communicator_base import MpiCommunicatorBase
from dchain.distributed.communicators.single_process_communicator import \
    SingleProcessCommunicator
from dchain.distributed.communicators.mpi_communicator_base import _buffer as _mpi_buffer
from dchain.distributed.communicators.mpi_communicator_base import _mpi_sum_op


class FlatCommunicator(MpiCommunicatorBase):
    """MPI communicator whose gradient reduction packs gradients into buckets.

    Args:
        mpi_comm: the mpi4py communicator.
        bucket_bytes (int): target bucket size (default 25 MB).
        allreduce_grad_dtype: dtype gradients travel in (e.g. ``numpy.float16`` halves the
            bytes of float32 gradients; they are cast back after the reduction).
        timeout (float): seconds a wait may take (default ``DCHAIN_COLLECTIVE_TIMEOUT``).
        shared_memory (bool): reduce host gradients of the ranks on one node through
            node-shared memory (default). With it, reductions run when ``update`` asks for
            them rather than starting during backward: on a CPU node the ranks already use
            every core, and one pass over shared memory costs less than MPI's copies.
    """

    def __init__(self, mpi_comm, bucket_bytes=None, allreduce_grad_dtype=None, timeout=None,
                 shared_memory=True):
        super().__init__(mpi_comm, timeout)
        self.bucket_bytes = bucket_bytes or _bucketing.DEFAULT_BUCKET_BYTES
        self.allreduce_grad_dtype = allreduce_grad_dtype
        self.shared_memory = bool(shared_memory)
        self._shared_memory_usable = None   # decided collectively at the first bucket layout
        self._buckets = None

    def split(self, color, key):
        return type(self)(self.mpi_comm.Split(color, key), self.bucket_bytes,
                          self.allreduce_grad_dtype, self.timeout, self.shared_memory)

    def set_config(self, name, value=None, **kwargs):
        if name == 'allreduce_grad_dtype':
            self.allreduce_grad_dtype = value
        elif name == 'bucket_bytes':
            self.bucket_bytes = int(value)
        elif name == 'shared_memory':
            self.shared_memory = bool(value)
        else:
            return super().set_config(name, **kwargs)
        self._drop_buckets()

    def get_config(self, name=None):
        if name == 'allreduce_grad_dtype':
            return self.allreduce_grad_dtype
        if name == 'bucket_bytes':
            return self.bucket_bytes
        if name == 'shared_memory':
            return self.shared_memory
        return super().get_config(name)

    def _drop_buckets(self):
        # Collective when the buckets are in shared memory: like every layout change, it
        # happens on all ranks at the same point of the program.
        if self._buckets is not None:
            self._buckets.release()
        self._buckets = None

    # ------------------------------------------------------------------ buckets
    def buckets_for(self, model, order=None):
        """The (cached) buckets of ``model``; built, after a model check, when it changes.

        Args:
            order (list of str): parameter names in the order their gradients become ready
                (must be the same on every rank); names not listed follow. Without it, the
                reverse of the sorted names (later layers first, as backward runs).
        """
        named = sorted(model.namedparams(include_uninit=False))
        if self._buckets is None or not self._buckets.matches(named):
            _model.check_same_params(self, model)
            self._drop_buckets()
            rank = {name: i for i, name in enumerate(order or ())}
            named = sorted(reversed(named), key=lambda item: rank.get(item[0], len(rank)))
            shared = None
            if self._use_shared_memory(named):
                shared = lambda layout, units: _shared_memory.SharedBuckets(  # noqa
                    self, layout, units)
            self._buckets = _bucketing.GradientBuckets(named, self.bucket_bytes,
                                                       self.allreduce_grad_dtype, shared)
        return self._buckets

    def _use_shared_memory(self, named):
        if not self.shared_memory or self.size == 1:
            return False
        if self._shared_memory_usable is None:
            self._shared_memory_usable = _shared_memory.usable(self)
        if not self._shared_memory_usable or not all(p.device.xp is numpy for _, p in named):
            return False
        itemsize = None if self.allreduce_grad_dtype is None else \
            numpy.dtype(self.allreduce_grad_dtype).itemsize
        nbytes = sum(p.size * (itemsize or p.dtype.itemsize) for _, p in named)
        return _shared_memory.fits(self, nbytes * self.intra_size, 'gradient reduction')

    def start_ready_buckets(self, buckets):
        """Start, in bucket order, every complete bucket not started yet."""
        if buckets.shared is not None:
            return  # reduced together in finish()
        for bucket in buckets.buckets:
            if bucket.handle is not None:
                continue
            if not buckets.is_complete(bucket):
                break
            bucket.handle = self._start_reduce(bucket.buffer)

    def poke(self, buckets):
        """Let MPI progress in-flight reductions (called between backward steps)."""
        requests = [b.handle[0] for b in buckets.buckets if b.handle is not None]
        if requests:
            self._MPI.Request.Testall(requests)

    def start_remaining(self, buckets):
        """Pack what is missing (zeros for absent gradients) and start every bucket."""
        scale = 1.0 / self.size
        for bucket in buckets.buckets:
            if bucket.handle is None:
                buckets.pack_missing(bucket, scale)
        self.start_ready_buckets(buckets)

    def wait_all(self, buckets, zero_fill):
        """Wait for every started bucket and point the gradients at the reduced values."""
        self._enter('multi_node_mean_grad')
        self._wait_reductions([b.handle for b in buckets.buckets],
                              'gradient allreduce of {} bucket(s)'.format(len(buckets.buckets)))
        for bucket in buckets.buckets:
            self._complete_reduce(bucket.buffer, bucket.handle)
            buckets.unpack(bucket, zero_fill)
            bucket.handle = None

    def finish(self, buckets, zero_fill, nonblocking=False, on_chunk=None):
        """Reduce everything not reduced yet and wait: the end of one gradient averaging.

        Args:
            nonblocking (bool): use non-blocking reductions. Required whenever any rank may
                have started buckets during backward, because MPI never matches a blocking
                collective with a non-blocking one. Otherwise the blocking collective is used
                (MPI implements it with faster algorithms), guarded by the watchdog thread.
            on_chunk: for buckets in shared memory that share the work out in chunks, see
                :meth:`SharedBuckets.reduce
                <dchain.distributed.communicators._shared_memory.SharedBuckets.reduce>`.

        Returns:
            bool: whether ``on_chunk`` was used.
        """
        if buckets.shared is not None:
            self._enter('multi_node_mean_grad')
            scale = 1.0 / self.size
            for bucket in buckets.buckets:
                buckets.pack_missing(bucket, scale)
            used = buckets.shared.reduce(buckets.reduction_scales(scale), on_chunk)
            for bucket in buckets.buckets:
                buckets.unpack(bucket, zero_fill)
            return used
        if nonblocking or not self._watchdog.can_guard_blocking_calls or \
                any(b.handle is not None for b in buckets.buckets):
            self.start_remaining(buckets)
            self.wait_all(buckets, zero_fill)
            return
        scale = 1.0 / self.size
        self._enter('multi_node_mean_grad')
        for bucket in buckets.buckets:
            buckets.pack_missing(bucket, scale)
            self._blocking_reduce(bucket.buffer)
            buckets.unpack(bucket, zero_fill)

    # A reduction is started on a bucket buffer, waited for, then completed. The MPI version
    # below is non-blocking; GPU communicators override these three with NCCL.
    def _start_reduce(self, buffer):
        if backend.get_array_module(buffer).__name__ == 'numpy':
            return self.allreduce_inplace(buffer), None
        # GPU buffer and an MPI that cannot read device memory: stage through the host.
        host = backend.cpu_device.send(buffer)
        return self.allreduce_inplace(host), host

    def _blocking_reduce(self, buffer):
        MPI = self._MPI
        host = buffer if backend.get_array_module(buffer).__name__ == 'numpy' else \
            backend.cpu_device.send(buffer)
        self._watchdog.blocking(
            lambda: self.mpi_comm.Allreduce(MPI.IN_PLACE, _mpi_buffer(MPI, host),
                                            op=_mpi_sum_op(MPI, host.dtype)),
            'gradient allreduce of {:.1f} MB'.format(host.nbytes / 1e6))
        if host is not buffer:
            backend.copyto(buffer, host)

    def _wait_reductions(self, handles, what):
        self._wait([h[0] for h in handles], what)

    def _complete_reduce(self, buffer, handle):
        staged = handle[1]
        if staged is not None:
            backend.copyto(buffer, staged)

    def multi_node_mean_grad(self, model, zero_fill=False):
        if self.size == 1:  # the mean over one process is the gradient itself
            return SingleProcessCommunicator.multi_node_mean_grad(self, model, zero_fill)
        buckets = self.buckets_for(model)
        if not zero_fill:
            self._check_grads_present(model)
        buckets.reset()
        self.finish(buckets, zero_fill)

    def finalize(self):
        self._drop_buckets()
        super().finalize()
