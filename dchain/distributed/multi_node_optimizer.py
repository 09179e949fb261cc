"""Data-parallel optimizer: averages gradients over ranks, overlapping the reduction with backward.

``create_multi_node_optimizer(optimizer, comm)`` wraps any optimizer. At ``setup`` the
parameters are broadcast from rank 0 (so replicas start equal without losing an update);
parameters initialized lazily are broadcast the moment they are initialized. During backward,
each gradient is packed into its bucket as soon as it is final and a full bucket's allreduce
starts at once, while backward goes on; ``update`` waits for the rest and applies the update.
When the communicator reduces in node-shared memory, the ranks of a node also share the update
itself: each updates the parameters it owns, or the chunks it reduced (see ``_sharded_update``).
"""
import atexit

from dchain import _backprop
from dchain import function_node
from dchain.distributed import _sharded_update


class _MultiNodeOptimizer:
    """Wraps an optimizer; unknown attributes are the wrapped optimizer's."""

    def __init__(self, actual_optimizer, communicator, zero_fill=True, double_buffering=False,
                 overlap=True, shard_update=True):
        d = self.__dict__
        d['actual_optimizer'] = actual_optimizer
        d['communicator'] = communicator
        d['zero_fill'] = zero_fill
        d['double_buffering'] = double_buffering
        d['shard_update'] = shard_update
        d['_sharded'] = None          # ShardedUpdate in use, or None
        supports_buckets = hasattr(communicator, 'buckets_for')
        if double_buffering and not supports_buckets:
            raise ValueError('double_buffering needs a bucketed communicator (flat, pure_nccl, '
                             'hierarchical, two_dimensional, single_node, non_cuda_aware); got '
                             '{}'.format(type(communicator).__name__))
        d['_overlap'] = overlap and supports_buckets and communicator.size > 1 and \
            not double_buffering
        d['_buckets'] = None          # buckets being filled during the current backward
        d['_ready_order'] = []        # names in the order gradients became ready (1st step)
        d['_names'] = {}
        d['_stale'] = False           # a gradient changed after its bucket was sent
        d['_sole_backward'] = False   # in update(lossfun)'s backward: no accumulation follows
        d['_chunk_update'] = None     # this step's ChunkUpdate, if this rank voted for one
        d['_hooked'] = []
        d['_double'] = None           # (filling, in flight) bucket sets for double buffering
        # Buckets whose allreduce had started before update() (overlapped with backward).
        d['overlapped_buckets'] = 0
        if getattr(actual_optimizer, 'target', None) is not None:
            self._setup_target(actual_optimizer.target)

    def __getattr__(self, name):
        return getattr(self.__dict__['actual_optimizer'], name)

    def __setattr__(self, name, value):
        setattr(self.actual_optimizer, name, value)

    def setup(self, link):
        """Set up the wrapped optimizer on ``link`` and make all replicas equal."""
        self.actual_optimizer.setup(link)
        self._setup_target(link)
        return self

    def _setup_target(self, link):
        comm = self.communicator
        comm.bcast_data(link)
        self.__dict__['_names'] = {id(p): name for name, p in link.namedparams()}
        for param in link.params():
            if param.array is None:
                param.__dict__.setdefault('_initialize_hooks', []).append(self._on_lazy_init)
            if self._overlap:
                _backprop.add_grad_ready_hook(param, self._on_grad_ready)
                self._hooked.append(param)

    def _on_lazy_init(self, param):
        value = self.communicator.bcast(param.array if self.communicator.rank == 0 else None)
        if self.communicator.rank != 0:
            param.array[...] = value
        param.__dict__['_initialize_hooks'].remove(self._on_lazy_init)

    # ------------------------------------------------------------------ overlap
    def _on_grad_ready(self, param):
        buckets = self._buckets
        if buckets is None:
            # First step: learn the order in which backward finishes gradients, so buckets
            # can be laid out to fill (and be sent) in that order.
            self._ready_order.append(self._names.get(id(param)))
            return
        if self._stale:
            return
        comm = self.communicator
        try:
            bucket = buckets.bucket_of(param)
        except KeyError:
            self.__dict__['_stale'] = True  # a parameter appeared: rebuild at update
            return
        if bucket.handle is not None:
            # Second backward before update (gradient accumulation): already sent.
            self.__dict__['_stale'] = True
            return
        buckets.pack(param, 1.0 / comm.size)
        if self._sole_backward:
            buckets.mark_final(param)
        comm.start_ready_buckets(buckets)
        comm.poke(buckets)

    # ------------------------------------------------------------------ update
    def update(self, lossfun=None, *args, **kwds):
        """Compute the loss and gradients (if ``lossfun``), average gradients, update."""
        target = self.actual_optimizer.target
        if target is None:
            raise RuntimeError('the multi-node optimizer is used before setup(); call '
                               'optimizer.setup(model) first')
        self._vote_on_chunk_update()
        if lossfun is not None:
            untracked = function_node.shared_views_applied()
            loss = lossfun(*args, **kwds)
            self._declare_backward(function_node.shared_views_applied() == untracked)
            target.cleargrads()
            # The only backward before this update: each gradient is final once computed.
            self.__dict__['_sole_backward'] = True
            try:
                loss.backward(loss_scale=getattr(self.actual_optimizer, '_loss_scale', None))
            finally:
                self.__dict__['_sole_backward'] = False
            del loss
        if self.double_buffering:
            if not self._reduce_double_buffered(target):
                return  # first step: gradients are in flight, nothing to apply yet
            self.actual_optimizer.update(None)
        else:
            self._apply(target, *self._reduce(target))

    def _vote_on_chunk_update(self):
        """Before this step's gradients are marked final: tell the node whether this rank can
        update the parameters chunk by chunk inside the reduction (see
        ``_sharded_update.ChunkUpdate``), and remember the answer."""
        sharded, buckets = self._sharded, self._buckets
        chunk_update = None
        if sharded is not None and buckets is not None and sharded.buckets is buckets and \
                buckets.shared is not None and buckets.shared.shares_chunks:
            # Buckets in the parameters' own dtype hold gradients the update can read as is.
            if all(b.scaled_by_reduction for b in buckets.buckets) and \
                    sharded.fusable(self.zero_fill):
                chunk_update = sharded.chunk_update(buckets)
            buckets.shared.vote_on_chunks(chunk_update is not None)
        self.__dict__['_chunk_update'] = chunk_update

    def _declare_backward(self, free):
        """Tell the node whether the coming backward reads parameters only through the graph
        (no function received a view of the shared parameters other than the parameter
        itself), so that a parameter may be updated once every rank has finished its
        gradient."""
        buckets = self._buckets
        if buckets is not None and buckets.shared is not None and \
                buckets.shared.shares_chunks:
            buckets.shared.declare_free(free)

    def _apply(self, target, buckets, updated=False):
        """Run the wrapped optimizer's update, sharded over the node's ranks when possible
        (``updated``: the reduction has updated the parameters already)."""
        sharded = self._sharded
        if updated:
            sharded.finish_chunk_update()
            return
        if sharded is not None and (sharded.buckets is not buckets or
                                    not sharded.matches(target)):
            # The parameters changed: back to private states, and an ordinary update that
            # gives any new parameter its state before sharding again.
            sharded.release()
            sharded = self.__dict__['_sharded'] = None
        if sharded is not None:
            sharded.update()
            return
        self.actual_optimizer.update(None)
        if self.shard_update and _sharded_update.eligible(
                self.communicator, self.actual_optimizer, buckets):
            self.__dict__['_sharded'] = _sharded_update.ShardedUpdate(
                self.communicator, self.actual_optimizer, buckets)

    def _reduce(self, target):
        """Average the gradients; returns the buckets used (None without buckets) and whether
        the parameters were updated by chunks in the reduction."""
        comm = self.communicator
        buckets = self._buckets
        if not hasattr(comm, 'buckets_for') or comm.size == 1:
            comm.multi_node_mean_grad(target, self.zero_fill)
            return None, False
        if buckets is None:
            order = comm.bcast_obj(list(self._ready_order) if comm.rank == 0 else None)
            self._ready_order.clear()
            current = comm.buckets_for(target, order)
        else:
            current = comm.buckets_for(target)
        if buckets is current and not self._stale:
            self.__dict__['overlapped_buckets'] += sum(
                b.handle is not None for b in current.buckets)
        if buckets is not None and (self._stale or buckets is not current):
            # Drain what was sent, then redo the whole reduction from the final gradients.
            if any(b.handle is not None for b in buckets.buckets):
                comm.wait_all(buckets, zero_fill=False)
            current.reset()
        chunk_update = self._chunk_update
        if chunk_update is not None and chunk_update.buckets is current:
            # (The reduction uses it only if every rank voted for it.)
            updated = comm.finish(current, self.zero_fill, nonblocking=self._overlap,
                                  on_chunk=chunk_update)
        else:
            updated = bool(comm.finish(current, self.zero_fill, nonblocking=self._overlap))
        current.reset()
        self.__dict__['_buckets'] = current if self._overlap else None
        self.__dict__['_stale'] = False
        if not self.zero_fill:
            # A gradient some ranks lack has no mean: raise on every rank before any updates
            # (as multi_node_mean_grad does). Every reduction has completed by now, so this
            # collective cannot interleave with those that backward started.
            comm._check_grads_present(target)
        return current, updated

    def _reduce_double_buffered(self, target):
        from dchain.distributed.communicators import _bucketing
        comm = self.communicator
        named = sorted(target.namedparams(include_uninit=False))
        if self._double is None or not self._double[0].matches(named):
            comm.buckets_for(target)  # checks that every rank has the same model
            if self._double is None:
                # The last step's reduction is still in flight at exit; MPI must see it end.
                atexit.register(self._drain)
            self.__dict__['_double'] = [
                _bucketing.GradientBuckets(named, comm.bucket_bytes, comm.allreduce_grad_dtype)
                for _ in range(2)]
        filling, in_flight = self._double
        filling.reset()
        comm.start_remaining(filling)
        ready = any(b.handle is not None for b in in_flight.buckets)
        if ready:
            # Apply the previous step's averaged gradients while this step's travel.
            comm.wait_all(in_flight, self.zero_fill)
        self.__dict__['_double'] = [in_flight, filling]
        return ready

    def serialize(self, serializer):
        self.actual_optimizer.serialize(serializer)

    def _drain(self):
        for buckets in self._double or ():
            if any(b.handle is not None for b in buckets.buckets):
                self.communicator.wait_all(buckets, zero_fill=False)

    def close(self):
        """Finish in-flight reductions, give the optimizer back private states, and remove the
        gradient hooks from the parameters (collective: call on every rank)."""
        self._drain()
        if self._sharded is not None:
            self._sharded.release()
            self.__dict__['_sharded'] = None
        for param in self._hooked:
            _backprop.remove_grad_ready_hook(param, self._on_grad_ready)
        self.__dict__['_hooked'] = []


def create_multi_node_optimizer(actual_optimizer, communicator, double_buffering=False,
                                zero_fill=True, overlap=True, shard_update=True):
    """Wrap ``actual_optimizer`` so that it averages gradients over ``communicator``.

    Args:
        actual_optimizer: any dchain optimizer (set up now or later through the wrapper).
        communicator: a communicator from ``create_communicator``.
        double_buffering (bool): apply the previous step's averaged gradients while this step's
            are being reduced (one step of staleness, full overlap).
        zero_fill (bool): parameters without a gradient take part as zeros and get a zero
            gradient, so every rank reduces the same buffers. Without it, a parameter that
            has a gradient on some ranks only raises ValueError on every rank (its mean is
            undefined), at the cost of one small collective per update.
        overlap (bool): start each bucket's allreduce during backward as soon as its gradients
            are final (bucketed communicators only).
        shard_update (bool): when the communicator reduces gradients in node-shared memory
            (``flat`` with several ranks per node), let each rank of a node update only its
            share of the parameters and keep one copy of the parameters and the optimizer
            state per node, in shared memory (private replicas while the optimizer has
            hooks): a parameter changed in place on one rank changes on the whole node.
            With elementwise update rules (SGD, MomentumSGD, Adam) and no hooks, each chunk
            is updated inside the reduction by the rank that reduced it. Results are the
            same as without it; it starts after the first update. Not used with double
            buffering, float16 master copies, or GPU arrays.
    """
    return _MultiNodeOptimizer(actual_optimizer, communicator, zero_fill, double_buffering,
                               overlap, shard_update)
