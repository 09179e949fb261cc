"""Gradient buckets: parameters' gradients packed into a few flat buffers for reduction.

As Horovod's tensor fusion and DDP's buckets do, gradients are grouped (in reverse order of the
parameters, which is roughly the order backward produces them) into buffers of about
``bucket_bytes``. A bucket can be reduced as soon as all of its gradients are packed; after the
reduction each gradient becomes a view of the buffer, so nothing is copied back.
"""
import numpy

from dchain import _backprop
from dchain import backend

DEFAULT_BUCKET_BYTES = 25 * 1024 * 1024


class _Bucket:
    __slots__ = ('buffer', 'entries', 'slots', 'scaled_by_reduction', 'n_packed', 'handle',
                 'packed')

    def __init__(self, buffer, entries, scaled_by_reduction):
        self.buffer = buffer
        self.entries = entries      # [(param, offset, size, shape)]
        self.slots = [buffer[offset:offset + size].reshape(shape)
                      for _, offset, size, shape in entries]
        # Gradients are packed unscaled (backward may compute them in their slots) and the
        # reduction applies the scale; otherwise packing scales them.
        self.scaled_by_reduction = scaled_by_reduction
        self.n_packed = 0
        self.handle = None          # in-flight reduction
        self.packed = set()


class GradientBuckets:
    """Flat reduction buffers for a fixed list of parameters.

    Args:
        named_params (list of (str, Parameter)): parameters in the order their gradients are
            expected to become ready (the same on every rank); buckets are filled and reduced
            in this order.
        bucket_bytes (int): target size of one bucket.
        comm_dtype: dtype of the buffers (None: each parameter's own dtype; e.g. float16 to
            halve the bytes sent for float32 gradients).
        shared_storage: None, or a callable taking the buckets' layout, a list of
            ``(element count, dtype)``, and the gradients' places in it, a list of
            ``(bucket, offset, size)``, and returning an object whose ``buffers`` hold them
            (host buffers in node-shared memory, see
            :class:`~dchain.distributed.communicators._shared_memory.SharedBuckets`); it is
            kept as :attr:`shared`. There,
            buckets in the parameters' own dtype (float32/float64) are scaled by the
            reduction, and backward computes gradients straight into their slots where it can
            (:func:`dchain._backprop.set_grad_destination`), so most need no packing at all.
    """

    def __init__(self, named_params, bucket_bytes=DEFAULT_BUCKET_BYTES, comm_dtype=None,
                 shared_storage=None):
        self.names = sorted(name for name, _ in named_params)
        self.comm_dtype = None if comm_dtype is None else numpy.dtype(comm_dtype)
        self.buckets = []
        self._where = {}            # id(param) -> (bucket, entry index)
        self._unit = {}             # id(param) -> index among all buckets' entries
        groups = []
        current, current_bytes, current_key = [], 0, None
        for name, param in named_params:
            dtype = self.comm_dtype or param.dtype
            key = (dtype, param.device)
            nbytes = param.size * dtype.itemsize
            if current and (key != current_key or current_bytes + nbytes > bucket_bytes):
                groups.append((current_key, current))
                current, current_bytes = [], 0
            current.append(param)
            current_bytes += nbytes
            current_key = key
        if current:
            groups.append((current_key, current))
        self.shared = None
        if shared_storage is not None:
            units = []         # (bucket, offset, size) of every gradient
            for i, (_, params) in enumerate(groups):
                offset = 0
                for p in params:
                    units.append((i, offset, p.size))
                    offset += p.size
            self.shared = shared_storage([(sum(p.size for p in params), dtype)
                                          for (dtype, _), params in groups], units)
        for i, ((dtype, device), params) in enumerate(groups):
            if self.shared is not None:
                buffer = self.shared.buffers[i]
            else:
                with device:
                    buffer = device.xp.empty(sum(p.size for p in params), dtype=dtype)
            entries = []
            offset = 0
            for p in params:
                entries.append((p, offset, p.size, p.shape))
                offset += p.size
            # Summing float16 before scaling could overflow where the mean would not.
            in_place = self.shared is not None and dtype.kind == 'f' and dtype.itemsize >= 4 \
                and all(p.dtype == dtype for p in params)
            bucket = _Bucket(buffer, entries, in_place)
            for j, p in enumerate(params):
                self._where[id(p)] = (bucket, j)
                self._unit[id(p)] = len(self._unit)
                if in_place:
                    _backprop.set_grad_destination(p, bucket.slots[j])
            self.buckets.append(bucket)

    def matches(self, named_params):
        """Whether these buffers were built for exactly ``named_params``."""
        if sorted(name for name, _ in named_params) != self.names:
            return False
        for _, p in named_params:
            where = self._where.get(id(p))
            if where is None or where[0].entries[where[1]][3] != p.shape:
                return False
        return True

    def bucket_of(self, param):
        return self._where[id(param)][0]

    def reset(self):
        for bucket in self.buckets:
            bucket.n_packed = 0
            bucket.handle = None
            bucket.packed = set()

    def pack(self, param, scale):
        """Copy ``param.grad * scale`` (zeros if None) into its slot; returns its bucket.

        In a bucket scaled by its reduction the scale is left to it, and a gradient that
        backward computed in its slot already is not touched."""
        bucket, i = self._where[id(param)]
        slot = bucket.slots[i]
        grad = param.grad
        if grad is None:
            slot.fill(0)
        elif bucket.scaled_by_reduction:
            if grad is not slot:
                numpy.copyto(slot, grad, casting='unsafe')
        else:
            xp = backend.get_array_module(slot)
            xp.multiply(grad, scale, out=slot, casting='unsafe')
        if id(param) not in bucket.packed:
            bucket.packed.add(id(param))
            bucket.n_packed += 1
        return bucket

    def mark_final(self, param):
        """Declare ``param``'s packed gradient final until the next reduction: with shared
        storage, the other ranks of the node may start reducing it."""
        if self.shared is not None:
            self.shared.mark_final(self._unit[id(param)])

    def reduction_scales(self, scale):
        """The factor each bucket's reduction must apply for gradients packed with ``scale``."""
        return [scale if b.scaled_by_reduction else 1.0 for b in self.buckets]

    def is_complete(self, bucket):
        return bucket.n_packed == len(bucket.entries)

    def pack_missing(self, bucket, scale):
        for param, _, _, _ in bucket.entries:
            if id(param) not in bucket.packed:
                self.pack(param, scale)

    def release(self):
        """Stop using these buffers: gradients that are views of shared storage get copies of
        their own, then the storage is freed (collective over the node then). Afterwards the
        object holds no buckets, so nothing packs into it any more."""
        if self.shared is not None:
            for bucket in self.buckets:
                for param, _, _, _ in bucket.entries:
                    _backprop.set_grad_destination(param, None)
                    grad = param.grad
                    if grad is not None and numpy.may_share_memory(grad, bucket.buffer):
                        param.grad_var = _grad_variable(grad.copy())
            self.shared.free()
        self.buckets = []
        self._where = {}
        self.names = None

    def unpack(self, bucket, zero_fill):
        """Point each gradient at its reduced slot (cast back if the buffer dtype differs)."""
        for (param, _, _, _), slot in zip(bucket.entries, bucket.slots):
            if param.grad is None and not zero_fill:
                continue
            if slot.dtype != param.dtype:
                slot = slot.astype(param.dtype)
            param.grad_var = _grad_variable(slot)


def _grad_variable(array):
    from dchain.variable import Variable
    return Variable(array, requires_grad=False)
