"""Sharded optimizer update for the ranks of one node (ZeRO stage 1, inside the node).

After the gradients are averaged every replica would run the same update on the same values,
and on a CPU node that update is limited by memory bandwidth all replicas share. Instead each
rank of a node updates only the parameters it owns (about ``1 / intra_size`` of the elements),
in place in node-shared memory, and after a barrier every rank's parameters are those shared
arrays: the ranks of a node hold one replica, so nothing is copied back. A change one rank
makes in place to a parameter between steps is therefore seen by the whole node (a parameter
given a new array stays private until the next update, which binds it to the owner's values).
Optimizer hooks run on every parameter on every rank: on one shared array a ``'post'`` hook
would act once per rank, and a ``'pre'`` hook reading a parameter (weight decay) would race
with its owner's update. While the optimizer has hooks, each rank therefore keeps a private
replica and copies the owners' values into it after the update, with a second barrier so
that no owner changes a parameter while the others still copy it.

Where every update rule is elementwise and nothing else takes part (no hooks, no loss
scaling), the update needs no owners: :class:`ChunkUpdate` updates each chunk of a parameter
(and of its state) by the rank that reduced that chunk of its gradient, inside the
reduction, possibly while other ranks are still in backward (see :class:`ChunkUpdate`).

The optimizer's state arrays live once per node, in shared memory, updated by the parameter's
owner (or a chunk's updater); every rank, in particular the one that writes snapshots, sees all of them current.
Update rules of parameters a rank does not own still count their steps (``t``), so a
snapshot from any rank resumes exactly. Loading a snapshot writes the same values into the
shared arrays from every rank, before any rank can update again (updates only follow the
gradient reduction, which waits for every rank).

Sharding starts after one ordinary update of a parameter layout, which creates every state
array in the same way on every rank, and stops (states copied back to private memory) when
the layout changes.
"""
import numpy

from dchain import function_node
from dchain import optimizer as optimizer_module
from dchain.distributed.communicators import _shared_memory
from dchain.optimizers import adam, momentum_sgd, sgd


class ShardedUpdate:
    """Owner-only updates of ``optimizer.target``'s parameters over the node's ranks.

    Construct on every rank of the node at the same point (it allocates shared windows), after
    an ordinary update; use :func:`eligible` first.

    Args:
        comm: a flat communicator whose buckets are in shared memory.
        optimizer: the wrapped (actual) optimizer.
        buckets: the gradient buckets this sharding belongs to (a new layout ends it).
    """

    def __init__(self, comm, optimizer, buckets):
        self.buckets = buckets
        self._comm = comm
        self._optimizer = optimizer
        self.params = _updated_params(optimizer.target)
        self._enabled = _enabled_flags(self.params)
        intra = comm.intra_mpi_comm
        me, n_local = intra.Get_rank(), intra.Get_size()
        # Largest first onto the least loaded rank: balanced element counts.
        load = [0] * n_local
        owner = {}
        for i in sorted(range(len(self.params)), key=lambda i: -self.params[i].size):
            rank = load.index(min(load))
            owner[i] = rank
            load[rank] += self.params[i].size
        self.owned = [owner[i] == me for i in range(len(self.params))]

        state_entries = []          # (param index, key, array)
        for i, p in enumerate(self.params):
            state = p.update_rule.state
            for key in sorted(state or ()):
                state_entries.append((i, key, state[key]))
        self._keys = [set() for _ in self.params]    # per parameter: its shared state keys
        for i, key, _ in state_entries:
            self._keys[i].add(key)
        arrays = [p.array for p in self.params] + [a for _, _, a in state_entries]
        self._window, self._memory, views = _node_window(comm, [(a.size, a.dtype)
                                                                for a in arrays])
        # Other ranks update these arrays: a function reading them untracked must be seen.
        function_node.watch_shared_base(self._memory)
        views = [v.reshape(a.shape) for v, a in zip(views, arrays)]
        self._shared_params = views[:len(self.params)]
        self._states = []           # (rule, key, shared view, owned)
        for (i, key, _), view in zip(state_entries, views[len(self.params):]):
            self._states.append((self.params[i].update_rule, key, view, self.owned[i]))
        # The states are equal on every rank: each contributes those it owns.
        for rule, key, view, own in self._states:
            if own:
                numpy.copyto(view, rule.state[key])
        self._barrier('sharing the optimizer state')
        self._share_states()
        self._chunk_update = None
        self.chunk_updates = 0      # steps whose update ran chunk by chunk in the reduction

    def matches(self, target):
        """Whether this sharding was laid out for ``target``'s current parameters."""
        params = _updated_params(target)
        return len(params) == len(self.params) and \
            all(p is q for p, q in zip(params, self.params)) and \
            _enabled_flags(self.params) == self._enabled and \
            not any(_creates_state(p.update_rule, keys)
                    for p, keys in zip(self.params, self._keys))

    def update(self):
        """Run the optimizer's update on the owned parameters, then take the others' (the
        node's shared arrays, or copies of them while the optimizer has hooks)."""
        share = not any(self._optimizer._hook_tables())
        skipped = []
        for param, own, shared in zip(self.params, self.owned, self._shared_params):
            if own:
                continue
            if not share and param.array is shared:
                param.array = shared.copy()   # private while hooks may read or change it
            param.update = _CountOnly(param)   # shadows Parameter.update for this step
            skipped.append(param)
        try:
            self._optimizer.update(None)
        finally:
            for param in skipped:
                del param.__dict__['update']
        self._share_states()
        for param, own, shared in zip(self.params, self.owned, self._shared_params):
            if own and param.array is not shared:
                numpy.copyto(shared, param.array)
                param.array = shared
        self._barrier('gathering updated parameters')
        for param, own, shared in zip(self.params, self.owned, self._shared_params):
            if own or param.array is shared:
                continue
            if share:
                param.array = shared
            else:
                numpy.copyto(param.array, shared)
        if not share:
            self._barrier('gathered updated parameters')

    def fusable(self, zero_fill):
        """Whether this rank can update its parameters chunk by chunk inside the gradient
        reduction (:class:`ChunkUpdate`), the same as the optimizer's own update would: no
        hooks or loss scaling, every gradient present, every rule one whose update is
        elementwise, and every array the node's shared one."""
        optimizer = self._optimizer
        if not zero_fill or any(optimizer._hook_tables()) or \
                getattr(optimizer, '_loss_scale', None) is not None or \
                getattr(optimizer, '_loss_scaling_is_dynamic', False) or \
                not self.matches(optimizer.target):
            return False
        if not all(p.array is shared for p, shared in zip(self.params, self._shared_params)):
            return False
        for rule, key, view, _ in self._states:
            if rule._state is None or rule._state.get(key) is not view:
                return False
        return all(_elementwise(p.update_rule) for p in self.params if p.update_rule.enabled)

    def chunk_update(self, buckets):
        """The :class:`ChunkUpdate` of ``buckets``' gradients into the shared parameters."""
        if self._chunk_update is None or self._chunk_update.buckets is not buckets:
            self._chunk_update = ChunkUpdate(self, buckets)
        return self._chunk_update

    def finish_chunk_update(self):
        """The rest of the optimizer's update after :class:`ChunkUpdate` updated every chunk
        (the reduction's closing barrier has passed)."""
        optimizer = self._optimizer
        optimizer.t += 1
        optimizer.reallocate_cleared_grads()
        self.chunk_updates += 1

    def _share_states(self):
        # An update rule may replace a state array rather than update it in place, and loading
        # a snapshot into a rule can give it fresh ones: keep every rule on the node's copy.
        for rule, key, view, owned in self._states:
            state = rule._state
            if state is None:
                state = rule._state = {}
            current = state.get(key)
            if current is view:
                continue
            if owned and current is not None:
                numpy.copyto(view, current)
            state[key] = view

    def release(self):
        """Give parameters and rules private arrays again and free the shared memory
        (collective over the node)."""
        for param, shared in zip(self.params, self._shared_params):
            if param.array is shared:
                param.array = shared.copy()
        for rule, key, view, _ in self._states:
            if rule._state is not None and rule._state.get(key) is view:
                rule._state[key] = view.copy()
        self._barrier('releasing the shared optimizer state')
        function_node.watch_shared_base(self._memory, False)
        self._memory = None
        self._window.Unlock_all()
        self._window.Free()
        self._window = None
        self._states = self._shared_params = []

    def _barrier(self, what):
        _shared_memory.node_barrier(self._comm, (self._window,), what)


class ChunkUpdate:
    """The update of the node's shared parameters, a chunk at a time, by whichever rank has
    just reduced that chunk of the gradients (``on_chunk`` of
    :meth:`SharedBuckets.reduce <dchain.distributed.communicators._shared_memory.SharedBuckets
    .reduce>`).

    The update is shared out as dynamically as the reduction, reads each averaged gradient
    while it is still in cache, and needs no barrier of its own: the ranks that finish
    backward first update what every rank has finished while the others compute (unless a
    function received a parameter's array outside its node this step, see
    ``function_node.shared_views_applied``: then once every rank has left backward). The
    optimizer's update then has nothing left to do (:meth:`ShardedUpdate.finish_chunk_update`).
    Only for update rules whose update of a slice of the arrays is that slice of their whole
    update (see :func:`_elementwise`); each rank counts every rule's step itself (:meth:`begin`).
    """

    def __init__(self, sharded, buckets):
        self.buckets = buckets
        index = {id(p): i for i, p in enumerate(sharded.params)}
        states = {}
        for rule, key, view, _ in sharded._states:
            states.setdefault(id(rule), {})[key] = view.reshape(-1)
        self._params = sharded.params
        self._units = []    # per gradient: (rule, parameter, gradient, state arrays), or None
        for bucket in buckets.buckets:
            for (param, _, _, _), slot in zip(bucket.entries, bucket.slots):
                i = index.get(id(param))
                rule = None if i is None else param.update_rule
                if rule is None or not rule.enabled:
                    self._units.append(None)
                    continue
                self._units.append((rule, sharded._shared_params[i].reshape(-1),
                                    slot.reshape(-1), states.get(id(rule), {})))

    def begin(self):
        """Count this step in every rule that updates (as ``UpdateRule.update`` would before
        its update); called once every rank has agreed to update by chunks."""
        for param in self._params:
            if param.update_rule.enabled and param.array is not None:
                param.update_rule.t += 1

    def fused_step(self, unit, lo, hi):
        """The update of elements ``lo:hi`` of gradient ``unit`` as a step the reduction can
        take as it sums (see :func:`dchain._native.sum_scale_spread`) instead of calling this
        object: for MomentumSGD and Adam; None for other rules."""
        entry = self._units[unit]
        if entry is None:
            return None
        rule, array, _, states = entry
        update = type(rule).update_core_cpu
        hp = rule.hyperparam
        if update is momentum_sgd.MomentumSGDRule.update_core_cpu and 'v' in states:
            return 'momentum', array[lo:hi], states['v'][lo:hi], hp.lr, hp.momentum
        # (AMSGrad and AdaBound never update by chunks, see _elementwise; an eps that
        # underflows is left to the rule, which raises.)
        if update is adam.AdamRule.update_core_cpu and 'm' in states and 'v' in states and \
                (hp.eps == 0 or array.dtype.type(hp.eps) != 0):
            return ('adam', array[lo:hi], states['m'][lo:hi], states['v'][lo:hi], hp.beta1,
                    hp.beta2, hp.eps, rule.alpha_t, hp.eta, hp.weight_decay_rate)
        return None

    def __call__(self, unit, lo, hi):
        entry = self._units[unit]
        if entry is None:
            return
        rule, array, grad, states = entry
        whole = rule._state
        rule._state = {key: value[lo:hi] for key, value in states.items()}
        try:
            rule.update_core(_Slice(array[lo:hi], grad[lo:hi]))
        finally:
            rule._state = whole


class _Slice:
    """Stands in for a parameter in ``update_core``: flat slices of its array and gradient."""

    __slots__ = ('array', 'grad')

    def __init__(self, array, grad):
        self.array = array
        self.grad = grad


def _elementwise(rule):
    """Whether ``rule``'s update of a slice of its arrays is that slice of its whole update:
    the built-in rules whose CPU update is elementwise and reads only the rule's own scalars
    (Adam without AMSGrad or AdaBound, whose extra state is created lazily)."""
    cls = type(rule)
    if rule._hooks or rule._use_fp32_update or rule.state is None or \
            cls.update_core is not optimizer_module.UpdateRule.update_core:
        return False
    if cls.update_core_cpu in (sgd.SGDRule.update_core_cpu,
                               momentum_sgd.MomentumSGDRule.update_core_cpu):
        return True
    return cls.update_core_cpu is adam.AdamRule.update_core_cpu and \
        not rule.hyperparam.amsgrad and not rule.hyperparam.adabound


class _CountOnly:
    """Stands in for ``Parameter.update`` of a parameter another rank updates: the rule still
    counts the step it would have taken."""

    def __init__(self, param):
        self.param = param

    def __call__(self):
        param = self.param
        rule = param.update_rule
        if rule is not None and rule.enabled and param.array is not None and \
                param.grad is not None:
            rule.t += 1


def _creates_state(rule, keys):
    """Whether ``rule``'s next update creates state (``keys``: those it shares) that only the
    rank updating it would hold: Adam's ``vhat`` once AMSGrad is switched on, its
    ``initial_alpha`` once AdaBound is. Sharding then starts again after an ordinary update,
    which creates it on every rank (the same answer on every rank)."""
    if not rule.enabled or not isinstance(rule, adam.AdamRule):
        return False
    hp = rule.hyperparam
    return bool(hp.amsgrad and 'vhat' not in keys or
                hp.adabound and rule.initial_alpha is None)


def _updated_params(target):
    """Initialized parameters that have an update rule (added before the optimizer's setup),
    in name order."""
    return [p for _, p in sorted(target.namedparams(include_uninit=False))
            if p.update_rule is not None]


def _enabled_flags(params):
    return tuple(p.update_rule.enabled for p in params)


def eligible(comm, optimizer, buckets):
    """Whether the update of ``optimizer`` can be sharded (collective: the same answer on
    every rank)."""
    if buckets is None or buckets.shared is None:
        return False
    wanted = _shardable(optimizer)
    nbytes = 0
    if wanted:
        for p in _updated_params(optimizer.target):
            state = p.update_rule.state or {}
            nbytes += p.array.nbytes + sum(a.nbytes for a in state.values())
    return _shared_memory.fits(comm, nbytes, 'the sharded optimizer update', wanted)


def _shardable(optimizer):
    params = _updated_params(optimizer.target)
    if not params:
        return False
    for p in params:
        rule = p.update_rule
        if not isinstance(p.array, numpy.ndarray):
            return False
        # A float32 master copy of a float16 parameter is private to the rule.
        if rule._use_fp32_update:
            return False
        if rule.enabled and rule.state is None:
            return False
        for value in (rule.state or {}).values():
            if not isinstance(value, numpy.ndarray):
                return False
    return True


def _node_window(comm, layout):
    """One node-wide copy of arrays laid out as ``[(count, dtype)]``; returns the window, the
    array of its memory (the base of every view of it) and views of it (collective over the
    node)."""
    MPI = comm._MPI
    intra = comm.intra_mpi_comm
    offsets, total = _shared_memory.layout_offsets(layout)
    size = max(total, 1) if intra.Get_rank() == 0 else 0
    window = MPI.Win.Allocate_shared(size, 1, comm=intra)
    window.Lock_all(MPI.MODE_NOCHECK)
    memory = numpy.frombuffer(window.Shared_query(0)[0], numpy.uint8)
    views = [memory[o:o + count * numpy.dtype(dtype).itemsize].view(dtype)
             for (count, dtype), o in zip(layout, offsets)]
    return window, memory, views
