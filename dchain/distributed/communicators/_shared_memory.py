"""Gradient buckets in node-shared memory, reduced by the ranks of a node together.

MPI moves an in-node Allreduce through its own shared cells: every byte is copied into a cell,
out of it, and again for the allgather half, and the copies progress only inside MPI calls.
Here each rank's buckets live in its own segment of an MPI-3 shared window that every rank of
the node can read and write, so a reduction is one pass over memory. On one node, with the
compiled kernels:

1. each rank marks every gradient (a *unit*: one parameter's slot) that is final in its
   segment, as backward finishes it or at the latest when the reduction starts;
2. a unit marked by every rank is cut into chunks, and each rank takes chunks (an atomic
   claim in shared memory) and sums them over all segments, writing the sum into every
   segment. A rank that finishes backward first thus reduces the gradients the others have
   finished while they compute the rest, instead of waiting at a barrier;
3. barrier: every segment holds the whole result.

Across nodes (or without the kernels) the work is split statically: a barrier once every
rank has packed; local rank ``r`` sums slice ``r`` of each bucket over all segments, all-reduces
it among the ranks holding the same local rank on the other nodes, and writes the result into
slice ``r`` of every segment; a barrier.

Ranks write disjoint chunks or slices between the barriers, so no locks are needed, and each
is summed by one rank in the same order, so every replica receives bitwise the same gradients.
"""
import os
import warnings

import numpy

from dchain import _native

_ALIGN_BYTES = 64    # segment offsets: one cache line
_SLICE_ALIGN = 16    # slice boundaries in elements, so ranks never share a cache line


class SharedBuckets:
    """Shared-window storage for a list of flat buckets and their collective reduction.

    Args:
        comm: the :class:`FlatCommunicator` whose node (``intra_mpi_comm``) shares memory.
        layout (list of (int, numpy.dtype)): element count and dtype of each bucket.
        units (list of (int, int, int)): ``(bucket, first element, element count)`` of each
            gradient that can be marked final on its own (:meth:`mark_final`), in the order
            backward finishes them; None: one unit per bucket.

    Attributes:
        buffers (list of numpy.ndarray): this rank's bucket buffers (views into its segment).
        chunks_reduced (int): chunks this rank has summed for the node where the work is
            shared out (a diagnostic of how the work was divided).
    """

    def __init__(self, comm, layout, units=None):
        MPI = comm._MPI
        self._comm = comm
        self._MPI = MPI
        intra = comm.intra_mpi_comm
        if units is None:
            units = [(b, 0, count) for b, (count, _) in enumerate(layout)]
        chunks = [-(-size // _CLAIM_CHUNK) for _, _, size in units]
        # After the buckets, each segment holds its rank's step marks (one word per unit), its
        # vote on updating by chunks, the last step whose reduction it has entered, whether its
        # backward may let others update early, and claim words (one per chunk; only the first
        # segment's are used).
        offsets, total = layout_offsets(list(layout) + [(len(units), numpy.int64),
                                                        (3, numpy.int64),
                                                        (sum(chunks), numpy.int64)])
        # Collective over the node: each rank allocates its own segment, placed by MPI in
        # memory all of them map.
        self.window = MPI.Win.Allocate_shared(max(total, 1), 1, comm=intra)
        self.window.Lock_all(MPI.MODE_NOCHECK)
        n_local = intra.Get_size()
        me = intra.Get_rank()
        segments = [numpy.frombuffer(self.window.Shared_query(k)[0], numpy.uint8)
                    for k in range(n_local)]
        self._views = []     # per bucket: its buffer in every rank's segment
        self._slices = []    # per bucket: (lo, hi) of the slice this rank sums
        for (count, dtype), offset in zip(layout, offsets):
            dtype = numpy.dtype(dtype)
            nbytes = count * dtype.itemsize
            self._views.append([s[offset:offset + nbytes].view(dtype) for s in segments])
            bounds = [min(count, count * k // n_local // _SLICE_ALIGN * _SLICE_ALIGN)
                      for k in range(n_local)] + [count]
            self._slices.append((bounds[me], bounds[me + 1]))
        self._me = me
        self.buffers = [views[me] for views in self._views]
        group, world = intra.Get_group(), comm.mpi_comm.Get_group()
        self._world_rank = list(group.Translate_ranks(list(range(n_local)), world))
        group.Free()
        world.Free()
        marks_at, words_at, claims_at = offsets[len(layout):]
        self._marks = [s[marks_at:marks_at + 8 * len(units)].view(numpy.int64)
                       for s in segments]
        words = [s[words_at:words_at + 24].view(numpy.int64) for s in segments]
        self._votes = [w[0:1] for w in words]
        self._entered = [w[1:2] for w in words]
        self._frees = [w[2:3] for w in words]
        claims = segments[0][claims_at:claims_at + 8 * sum(chunks)].view(numpy.int64)
        self._units = []     # (segment views, claim words, first chunk for this rank, bucket)
        start = 0
        for (bucket, lo, size), n_chunks in zip(units, chunks):
            self._units.append(([v[lo:lo + size] for v in self._views[bucket]],
                                claims[start:start + n_chunks], n_chunks * me // n_local,
                                bucket))
            start += n_chunks
        self._marks[me][:] = 0
        words[me][:] = 0
        if me == 0:
            claims[:] = 0
        self._step = 0       # reductions done, the same on every rank
        self.chunks_reduced = 0
        # One node and the compiled kernels: ranks claim chunks (else fixed slices).
        self._by_claims = _native.available and self._comm.inter_size == 1 and \
            all(numpy.dtype(dtype) in (numpy.float32, numpy.float64) for _, dtype in layout)
        self._barrier('setting up the gradient reduction in shared memory')

    def mark_final(self, unit):
        """Let the other ranks reduce gradient ``unit`` of this rank's segment now: it will not
        change before the next :meth:`reduce` (a no-op where the work is split statically)."""
        if self._by_claims:
            self.window.Sync()   # the gradient's stores before the mark
            self._marks[self._me][unit] = self._step + 1

    @property
    def shares_chunks(self):
        """Whether :meth:`reduce` shares the work out in chunks (so it can take
        ``on_chunk``); False once freed."""
        return self._by_claims and self.window is not None

    def vote_on_chunks(self, willing):
        """Say whether this rank will pass an ``on_chunk`` to the next :meth:`reduce`; it is
        used only if every rank says so. Call before marking any gradient of that step."""
        if self._by_claims:
            self.window.Sync()
            self._votes[self._me][0] = 2 * (self._step + 1) + bool(willing)

    def declare_free(self, free):
        """Say, before marking this step's first gradient, whether this rank's backward leaves
        every parameter alone once its gradient is final (it reads no parameter's array outside
        the graph), so that ``on_chunk`` may run before this rank has entered the reduction."""
        if self._by_claims:
            self.window.Sync()
            self._frees[self._me][0] = 2 * (self._step + 1) + bool(free)

    def reduce(self, scales=None, on_chunk=None):
        """Sum every bucket over all ranks and multiply it by its entry of ``scales`` (default
        1), in place in every rank's buffers (collective).

        Args:
            on_chunk: where :attr:`shares_chunks`, None or an object with ``on_chunk(unit,
                lo, hi)``, called by the rank that reduced elements ``lo:hi`` of gradient
                ``unit``, before the closing barrier (right away, or once every rank has
                entered the reduction unless every rank declared its backward free of
                parameter reads, :meth:`declare_free`: an update may change arrays a
                backward could still read), and ``on_chunk.begin()``, called on every rank
                first. Where ``on_chunk.fused_step(unit, lo, hi)`` gives an optimizer
                step (see :func:`dchain._native.sum_scale_spread`), the sum takes it
                itself instead of the call. It is used only if every rank voted for it
                (:meth:`vote_on_chunks`) and passed one.

        Returns:
            bool: whether ``on_chunk`` was used (the same on every rank).
        """
        scales = scales or [1.0] * len(self._views)
        used = False
        if self._by_claims:
            used = self._reduce_marked(scales, on_chunk)
        else:
            self._reduce_slices(scales)
        self._barrier('gradient reduction in shared memory (summing)')
        self._step += 1
        return used

    def _reduce_marked(self, scales, on_chunk):
        step = self._step + 1
        self.window.Sync()
        self._marks[self._me][:] = step     # whatever was not marked final yet
        self.window.Sync()
        self._entered[self._me][0] = step
        pending = list(range(len(self._units)))
        agreed = None
        anytime = False  # whether on_chunk may run before every rank has entered
        early = []      # chunks reduced before every rank had entered: their on_chunk calls
        while pending or early:
            if early and self._all_entered(step):
                for chunk in early:
                    on_chunk(*chunk)
                early = []
            if not pending:
                self._comm._watchdog.wait_until(
                    lambda: self._all_entered(step),
                    'gradient reduction in shared memory (waiting for ranks to enter it)',
                    [self._world_rank[k] for k, e in enumerate(self._entered)
                     if e[0] < step])
                continue
            ready = self._ready(pending, step)
            if ready and agreed is None:
                # Every rank has marked a gradient of this step, so every vote is in.
                agreed = all(votes[0] == 2 * step + 1 for votes in self._votes)
                anytime = all(free[0] == 2 * step + 1 for free in self._frees)
                if agreed and on_chunk is None:
                    raise RuntimeError('this rank voted to update by chunks but passed no '
                                       'on_chunk to the reduction')
                if agreed:
                    on_chunk.begin()
                else:
                    on_chunk = None
            for unit in ready:
                segments, claims, first, bucket = self._units[unit]
                if on_chunk is None:
                    self.chunks_reduced += _native.claim_sum_scale_spread(
                        claims, step, first, _CLAIM_CHUNK, segments, scales[bucket])
                    continue
                while True:
                    chunk = _native.claim_chunk(claims, step, first)
                    if chunk < 0:
                        break
                    lo = chunk * _CLAIM_CHUNK
                    hi = min(lo + _CLAIM_CHUNK, len(segments[0]))
                    mine, others = segments[0][lo:hi], [s[lo:hi] for s in segments[1:]]
                    self.chunks_reduced += 1
                    if early or not (anytime or self._all_entered(step)):
                        _native.sum_scale_spread(mine, others, scales[bucket])
                        early.append((unit, lo, hi))
                        continue
                    # MomentumSGD's and Adam's steps go block by block with the sum, in L1;
                    # other rules update the chunk while it is still in this core's cache.
                    fused = on_chunk.fused_step(unit, lo, hi)
                    if not (fused and _native.sum_scale_spread(mine, others, scales[bucket],
                                                               fused)):
                        _native.sum_scale_spread(mine, others, scales[bucket])
                        on_chunk(unit, lo, hi)
            if ready:
                ready = set(ready)
                pending = [u for u in pending if u not in ready]
            if pending and not ready:
                late = [k for k, marks in enumerate(self._marks) if marks[pending[0]] < step]
                self._comm._watchdog.wait_until(
                    lambda: bool(self._ready(pending, step)),
                    'gradient reduction in shared memory (waiting for gradients)',
                    [self._world_rank[k] for k in late])
        return bool(agreed)

    def _all_entered(self, step):
        self.window.Sync()
        return all(entered[0] >= step for entered in self._entered)

    def _ready(self, units, step):
        """The ``units`` every rank has marked final for ``step``."""
        self.window.Sync()   # the marks' stores before the gradients' loads
        done = numpy.minimum.reduce([marks[units] for marks in self._marks])
        return [u for u, d in zip(units, done) if d >= step]

    def _reduce_slices(self, scales):
        self._barrier('gradient reduction in shared memory (packing)')
        inter = self._comm.inter_mpi_comm if self._comm.inter_size > 1 else None
        for views, (lo, hi), scale in zip(self._views, self._slices, scales):
            if lo == hi:
                continue
            mine = views[self._me]
            others = [view for k, view in enumerate(views) if k != self._me]
            if inter is None and _native.sum_scale_spread(
                    mine[lo:hi], [other[lo:hi] for other in others], scale):
                continue
            chunks = [(a, min(a + _CHUNK, hi)) for a in range(lo, hi, _CHUNK)]
            if inter is None:
                for a, b in chunks:
                    _add_into(mine, others, a, b)
                    _scale_and_spread(mine, others, a, b, scale)
                continue
            for a, b in chunks:
                _add_into(mine, others, a, b)
            self._allreduce_between_nodes(inter, mine[lo:hi])
            for a, b in chunks:
                _scale_and_spread(mine, others, a, b, scale)

    def _barrier(self, what):
        node_barrier(self._comm, (self.window,), what)

    def _allreduce_between_nodes(self, inter, array):
        from dchain.distributed.communicators.mpi_communicator_base import _buffer, _mpi_sum_op
        MPI = self._MPI
        what = 'gradient allreduce between nodes of {:.1f} MB'.format(array.nbytes / 1e6)
        args = (MPI.IN_PLACE, _buffer(MPI, array))
        op = _mpi_sum_op(MPI, array.dtype)
        watchdog = self._comm._watchdog
        if watchdog.can_guard_blocking_calls:
            watchdog.blocking(lambda: inter.Allreduce(*args, op=op), what)
        else:
            watchdog.wait([inter.Iallreduce(*args, op=op)], what)

    def free(self):
        """Release the window (collective over the node)."""
        if self.window is not None:
            self.buffers = self._views = self._units = self._marks = self._votes = None
            self.window.Unlock_all()
            self.window.Free()
            self.window = None


# Elements summed at a time: small enough to stay in a core's L2 cache between the sum, the
# scaling and the copies to the other segments.
_CHUNK = 32768
# Elements of one claim where the work is shared out: fine enough to balance the ranks to a
# fraction of a millisecond, coarse enough that the Python work per chunk stays small.
_CLAIM_CHUNK = 4 * _CHUNK


def _add_into(mine, others, a, b):
    part = mine[a:b]
    for other in others:
        numpy.add(part, other[a:b], out=part)


def _scale_and_spread(mine, others, a, b, scale):
    part = mine[a:b]
    if scale != 1:
        numpy.multiply(part, scale, out=part)
    for other in others:
        other[a:b] = part


def layout_offsets(layout):
    """Byte offsets (cache-line aligned) of arrays laid out as ``[(count, dtype)]``, and the
    total size."""
    offsets, total = [], 0
    for count, dtype in layout:
        total = -(-total // _ALIGN_BYTES) * _ALIGN_BYTES
        offsets.append(total)
        total += count * numpy.dtype(dtype).itemsize
    return offsets, total


def node_barrier(comm, windows, what):
    """Barrier of ``comm``'s node, under the watchdog, that also synchronizes the memory of
    the shared ``windows``: this rank's stores are flushed before it, the others' seen after."""
    for window in windows:
        window.Sync()
    intra = comm.intra_mpi_comm
    peers = getattr(comm, '_node_peers', None)
    if peers is None:
        group, world = intra.Get_group(), comm.mpi_comm.Get_group()
        peers = comm._node_peers = [r for r in group.Translate_ranks(
            list(range(intra.Get_size())), world) if r != comm.rank]
        group.Free()
        world.Free()
    watchdog = comm._watchdog
    # A peer still short of this barrier (in the same operation, say in its share of a
    # reduction) must answer from elsewhere, or a timeout would accuse the peers that wait here.
    watchdog.doing(what, ('barrier', tuple(sorted(peers + [comm.rank])), None))
    if watchdog.can_guard_blocking_calls:
        watchdog.blocking(intra.Barrier, what, peers)
    else:
        watchdog.wait([intra.Ibarrier()], what, peers)
    for window in windows:
        window.Sync()


def usable(comm):
    """Whether ``comm``'s ranks can reduce through shared memory (collective: call on all).

    Needs several ranks on a node and, when there are several nodes, the same number of ranks
    on each (slices are all-reduced among the ranks with the same local rank).
    """
    sizes = comm.allgather_obj(comm.intra_size)
    return min(sizes) > 1 and min(sizes) == max(sizes)


# Where MPI implementations back shared windows on Linux (a tmpfs).
SHM_DIRECTORY = '/dev/shm'


def fits(comm, nbytes, what, wanted=True):
    """Whether every rank wants shared memory for ``what`` and every node has room for
    ``nbytes`` more of it (collective: one exchange, whatever each rank's answer).

    Shared windows live in a tmpfs, which containers often keep small (Docker's default
    ``/dev/shm`` is 64 MB); a window larger than its free space would be killed by SIGBUS on
    first touch. When some node lacks room, rank 0 warns and the caller keeps to MPI.
    """
    try:
        stat = os.statvfs(SHM_DIRECTORY)
        free = stat.f_bavail * stat.f_frsize
    except OSError:
        free = None  # not Linux-like: MPI places the window elsewhere
    # Keep a margin for MPI's own buffers in the same file system.
    room = free is None or free >= nbytes + 64 * 2 ** 20
    answers = comm.allgather_obj((bool(wanted), room))
    if not all(w for w, _ in answers):
        return False
    if all(r for _, r in answers):
        return True
    if comm.rank == 0:
        warnings.warn(
            '{} needs {:.0f} MB of shared memory per node, but {} on rank(s) {} has less '
            'free: falling back to MPI for it (slower). Give the job more shared memory, e.g. '
            'docker run --shm-size=1g, or an emptyDir with medium: Memory mounted at '
            '/dev/shm on Kubernetes.'.format(
                what, nbytes / 1e6, SHM_DIRECTORY,
                ', '.join(str(r) for r, (_, ok) in enumerate(answers) if not ok)),
            RuntimeWarning, stacklevel=3)
    return False
