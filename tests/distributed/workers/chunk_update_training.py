"""Realistic training programs on the ``flat`` communicator's shared-memory path, where the
gradient reduction also updates the parameters chunk by chunk (``_sharded_update.ChunkUpdate``),
checked against a single-process reference computed in the same worker (run under mpiexec).

Every rank trains a replica; every rank also trains the reference: one process, one copy of
the model, the loss ``sum_r loss_r / P`` (so its gradient is the plain mean over ranks of each
rank's gradient, ChainerMN's ``multi_node_mean_grad``). After each step the parameters,
gradients, update-rule states and step counts must equal the reference's to float rounding,
and the replicas must be bitwise identical across ranks.

Usage: ``chunk_update_training.py SCENARIO [SCENARIO ...]`` (or ``all``); prints
``SCENARIO <name> OK rank <r>`` for each, exits non-zero on the first mismatch.
"""
import copy
import io
import sys

import numpy

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L
from dchain import _native
from dchain import optimizers
from dchain.distributed.communicators import _shared_memory
from dchain.serializers import DictionarySerializer, load_npz, save_npz

CHUNK = _shared_memory._CLAIM_CHUNK


def check(condition, what):
    if not condition:
        raise AssertionError(what)


# Set while a model's float64 parameters get gradients through float32 computations.
LOOSE = []


def tolerance(dtype):
    if LOOSE:
        dtype = numpy.float32
    return (1e-11, 1e-12) if numpy.dtype(dtype) == numpy.float64 else (2e-5, 2e-6)


def close(a, b, what):
    check(a is not None and b is not None, '{}: one of them is None ({!r}, {!r})'.format(
        what, type(a), type(b)))
    check(a.dtype == b.dtype and a.shape == b.shape,
          '{}: {} {} vs {} {}'.format(what, a.dtype, a.shape, b.dtype, b.shape))
    rtol, atol = tolerance(a.dtype)
    if not numpy.allclose(a, b, rtol=rtol, atol=atol):
        worst = float(numpy.max(numpy.abs(a - b)))
        raise AssertionError('{}: differs from the reference by up to {:.3g}'.format(
            what, worst))


def state_dict(optimizer):
    """Every entry the optimizer serializes (t, epoch, each rule's t and state), as copies."""
    target = DictionarySerializer()
    optimizer.serialize(target)
    return {key: numpy.array(value, copy=True) for key, value in target.target.items()}


def archive(obj):
    out = io.BytesIO()
    save_npz(out, obj)
    return out.getvalue()


def npz_contents(data):
    with numpy.load(io.BytesIO(data)) as npz:
        return {key: npz[key].copy() for key in npz.files}


class Run:
    """One model trained data-parallel and, in the same process, by the reference."""

    def __init__(self, comm, make_model, make_optimizer, chunked=True):
        self.comm = comm
        self.P = comm.size
        numpy.random.seed(0)
        self.model = make_model()
        self.ref = copy.deepcopy(self.model)
        # Replicas start different: the setup's broadcast must make them rank 0's.
        for p in self.model.params(include_uninit=False):
            p.array += comm.rank
        self.opt = mn.create_multi_node_optimizer(make_optimizer(), comm)
        self.opt.setup(self.model)
        self.ref_opt = make_optimizer()
        self.ref_opt.setup(self.ref)
        self.chunked = chunked      # whether steps may update by chunks at all
        self.steps = 0
        # Steps left before the reduction updates by chunks: the first builds the sharding,
        # the second binds the parameters to the node's shared arrays.
        self.plain = 2

    def chunk_updates(self):
        """(the sharding in use, the steps it updated by chunks)"""
        sharded = self.opt._sharded
        return sharded, 0 if sharded is None else sharded.chunk_updates

    def step(self, loss_of, expect_chunk=None, relayout=False):
        """One update(lossfun) step; ``loss_of(model, r)`` is rank ``r``'s loss this step
        (``relayout``: the parameters or their rules change in this step, so sharding is
        built again)."""
        if relayout:
            self.plain = 2
        before = self.chunk_updates()
        self.opt.update(lambda: loss_of(self.model, self.comm.rank))
        self.ref_opt.update(lambda: sum(loss_of(self.ref, r) for r in range(self.P)) /
                            self.P)
        self._after_step(before, expect_chunk)

    def manual_step(self, loss_of, passes=1, clear=True, expect_chunk=None):
        """``passes`` backward passes (accumulated) by hand, then update()."""
        before = self.chunk_updates()
        if clear:
            self.model.cleargrads()
            self.ref.cleargrads()
        for k in range(passes):
            loss_of(self.model, self.comm.rank, k).backward()
            (sum(loss_of(self.ref, r, k) for r in range(self.P)) / self.P).backward()
        self.opt.update()
        self.ref_opt.update()
        self._after_step(before, expect_chunk)

    def _after_step(self, before, expect_chunk):
        self.steps += 1
        if expect_chunk is None:
            expect_chunk = self.chunked and self.plain == 0
        self.plain = max(self.plain - 1, 0)
        sharded, count = self.chunk_updates()
        done = count - (before[1] if sharded is before[0] else 0)
        check(done == int(expect_chunk), 'step {}: {} chunk update(s), expected {}'.format(
            self.steps, done, int(expect_chunk)))
        # Replicas are compared across ranks every other step (and at the end): exchanging
        # them costs more than the rest of a step.
        self.compare('step {}'.format(self.steps), across_ranks=self.steps % 2 == 0)

    def compare(self, when, grads=True, across_ranks=False):
        ref = dict(self.ref.namedparams())
        mine = dict(self.model.namedparams())
        check(sorted(ref) == sorted(mine), '{}: parameter names'.format(when))
        for name, p in mine.items():
            q = ref[name]
            if q.array is None:
                check(p.array is None, '{}: {} initialized only here'.format(when, name))
                continue
            close(p.array, q.array, '{}: parameter {}'.format(when, name))
            if grads:
                close(p.grad, q.grad, '{}: gradient of {}'.format(when, name))
        states, ref_states = state_dict(self.opt), state_dict(self.ref_opt)
        check(sorted(states) == sorted(ref_states), '{}: optimizer state keys {} vs {}'.format(
            when, sorted(states), sorted(ref_states)))
        for key, value in ref_states.items():
            if value.dtype.kind == 'f':
                close(states[key], value, '{}: optimizer state {}'.format(when, key))
            else:
                check(numpy.array_equal(states[key], value), '{}: {} = {} vs {}'.format(
                    when, key, states[key], value))
        if across_ranks:
            self.identical(when)

    def identical(self, when):
        # (Copies: once a rank is past the exchange, it may change the node's shared arrays.)
        arrays = {n: p.array.copy() for n, p in self.model.namedparams()
                  if p.array is not None}
        states = state_dict(self.opt)
        for r, (other, other_states) in enumerate(self.comm.allgather_obj((arrays, states))):
            check(sorted(other) == sorted(arrays), '{}: parameter names'.format(when))
            differ = [n for n in arrays if not numpy.array_equal(other[n], arrays[n])]
            check(not differ, '{}: parameters {} differ from rank {}\'s'.format(
                when, differ, r))
            check(sorted(other_states) == sorted(states), '{}: state keys differ from rank '
                                                          '{}\'s'.format(when, r))
            differ = [k for k in states if not numpy.array_equal(other_states[k], states[k])]
            check(not differ, '{}: optimizer state {} differs from rank {}\'s'.format(
                when, differ, r))

    def close(self):
        self.identical('the last step')
        self.opt.close()


def batch(step, rank, n, in_size, n_classes, dtype=numpy.float32):
    rng = numpy.random.RandomState(1000 * step + rank)
    return (rng.randn(n, in_size).astype(dtype),
            rng.randint(0, n_classes, n).astype(numpy.int32))


# ---------------------------------------------------------------------------- scenarios
class Mixed(dchain.Chain):
    """float32 and/or float64 layers, size-1 parameters and a weight of several claim chunks
    whose size is not a multiple of one."""

    def __init__(self, big_dtype, first_dtype):
        super().__init__()
        with self.init_scope():
            with dchain.using_config('dtype', first_dtype):
                self.l1 = L.Linear(7, 413)
            with dchain.using_config('dtype', big_dtype):
                self.big = L.Linear(413, 635)     # 262255 elements: 2 chunks and a bit
                self.l3 = L.Linear(635, 3)
            self.scale = dchain.Parameter(numpy.array([0.5], numpy.float64))
            self.tiny = dchain.Parameter(numpy.array([0.25], first_dtype))

    def forward(self, x):
        h = F.relu(self.l1(F.cast(x, self.l1.W.dtype)))
        big_dtype = self.big.W.dtype
        h = F.tanh(self.big(F.cast(h, big_dtype)))
        y = self.l3(h)
        y = y * F.broadcast_to(F.cast(self.scale, big_dtype), y.shape)
        # The loss in the big layer's dtype: float64 gradients stay float64-precise.
        # (Not a constant added to every logit: its gradient would be 0 but for rounding.)
        return y + F.broadcast_to(F.cast(self.tiny, big_dtype), y.shape) * h[:, :3]


def scenario_dtypes(comm):
    check(CHUNK < 413 * 635 < 3 * CHUNK and (413 * 635) % CHUNK, 'chunk layout of the test')
    f32, f64 = numpy.float32, numpy.float64
    adam = lambda: optimizers.Adam(alpha=0.003)  # noqa: E731
    momentum = lambda: optimizers.MomentumSGD(lr=0.05)  # noqa: E731
    sgd = lambda: optimizers.SGD(lr=0.1)  # noqa: E731
    for big_dtype, first_dtype, make_optimizers in ((f64, f64, (adam, sgd)),
                                                    (f64, f32, (momentum,)),
                                                    (f32, f32, (adam,))):
        for make_optimizer in make_optimizers:
            run = Run(comm, lambda: Mixed(big_dtype, first_dtype), make_optimizer)
            # Where float32 layers take part, float64 values are only float32-precise.
            LOOSE[:] = [] if big_dtype == first_dtype == f64 else [True]
            check(run.model.big.W.dtype == big_dtype and run.model.l1.W.dtype == first_dtype
                  and run.model.scale.dtype == f64, 'dtypes of the test model')

            def loss_of(model, r, step=None):
                x, t = batch(run.steps, r, 4, 7, 3)
                return F.softmax_cross_entropy(model(x), t)

            for _ in range(4):
                run.step(loss_of)
            run.close()
    LOOSE[:] = []


class Branchy(dchain.Chain):
    def __init__(self, dtype=numpy.float32):
        super().__init__()
        with self.init_scope():
            with dchain.using_config('dtype', dtype):
                self.l1 = L.Linear(6, 10)
                self.even = L.Linear(10, 10)    # used on even steps only
                self.rank0 = L.Linear(10, 10)   # used by rank 0 only (some steps)
                self.frozen = L.Linear(10, 10)  # update rule disabled for a while
                self.out = L.Linear(10, 3)

    def forward(self, x, use_even, use_rank0):
        h = F.tanh(self.l1(x))
        if use_even:
            h = F.tanh(self.even(h))
        if use_rank0:
            h = h + F.tanh(self.rank0(h))
        h = F.tanh(self.frozen(h))
        return self.out(h)


def scenario_missing_grads(comm):
    for dtype in (numpy.float32, numpy.float64):
        for make_optimizer in (lambda: optimizers.MomentumSGD(lr=0.1),
                               lambda: optimizers.Adam(alpha=0.01)):
            run = Run(comm, lambda: Branchy(dtype), make_optimizer)
            frozen = run.model.frozen.W
            for model in (run.model, run.ref):
                model.frozen.W.update_rule.enabled = False

            def loss_of(model, r, step=None):
                x, t = batch(run.steps, r, 5, 6, 3, dtype)
                use_rank0 = r == 0 and run.steps % 3 != 2
                return F.softmax_cross_entropy(model(x, run.steps % 2 == 0, use_rank0), t)

            initial = frozen.array.copy()
            for _ in range(6):
                # Step 4 is the first in which no rank uses 'rank0' (zero gradient
                # everywhere); 'even' gets zeros on odd steps.
                run.step(loss_of)
            check(numpy.array_equal(frozen.array, initial), 'a disabled rule leaves its '
                                                            'parameter alone')
            check(frozen.update_rule.t == 0 and frozen.update_rule.state is None,
                  'a disabled rule counts no step and has no state')
            # Enabled again: the layout of the sharding changes (one ordinary update), then
            # chunk updates again, now of the frozen weight too.
            for model in (run.model, run.ref):
                model.frozen.W.update_rule.enabled = True
            run.step(loss_of, relayout=True)
            run.step(loss_of)
            run.step(loss_of)
            check(not numpy.array_equal(frozen.array, initial), 'enabled again: updated')
            # Disabled in the middle of sharded training: its state stays as it was.
            state = {k: v.copy() for k, v in frozen.update_rule.state.items()}
            t = frozen.update_rule.t
            for model in (run.model, run.ref):
                model.frozen.W.update_rule.enabled = False
            frozen_now = frozen.array.copy()
            run.step(loss_of, relayout=True)
            run.step(loss_of)
            run.step(loss_of)
            check(numpy.array_equal(frozen.array, frozen_now) and
                  frozen.update_rule.t == t and
                  all(numpy.array_equal(frozen.update_rule.state[k], v)
                      for k, v in state.items()), 'disabled mid-training: nothing changes')
            run.close()


class Lazy(dchain.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.first = L.Linear(None, 5)    # initialized at the first forward
            self.late = L.Linear(None, 4)     # first used at step 4 (sharding has started)
            self.out = L.Linear(5, 3)

    def forward(self, x, use_late):
        h = F.tanh(self.first(x))
        if use_late:
            h = F.concat((h[:, :1], F.tanh(self.late(h))), axis=1)
        return self.out(h)


def scenario_lazy(comm):
    for make_optimizer in (lambda: optimizers.Adam(alpha=0.01),
                           lambda: optimizers.MomentumSGD(lr=0.1)):
        run = Run(comm, Lazy, make_optimizer)
        # The reference's lazy parameters take the values rank 0 initialized its own with.
        numpy.random.seed(comm.rank + 11)
        captured = {}

        def loss_of(model, r, step=None):
            x, t = batch(run.steps, r, 4, 9, 3)
            use_late = run.steps >= 3
            if model is run.ref:
                for name in ('first', 'late'):
                    link = getattr(model, name)
                    if link.W.array is None and name in captured:
                        link.W.initialize(captured[name].shape)
                        link.W.array[...] = captured[name]
            y = model(x, use_late)
            if model is run.model:
                for name in ('first', 'late'):
                    W = getattr(model, name).W
                    if W.array is not None and name not in captured:
                        captured[name] = W.array.copy()
            return F.softmax_cross_entropy(y, t)

        check(run.model.first.W.array is None, 'lazy before the first forward')
        for k in range(3):
            run.step(loss_of)
        check(run.model.late.W.array is None and run.chunk_updates()[1] > 0,
              'chunk updates before the late link is used')
        # The late link appears during a step whose votes were cast for the old layout.
        run.step(loss_of, relayout=True)
        check(run.model.late.W.array is not None, 'the late link is initialized')
        for k in range(3):
            run.step(loss_of)
        run.close()


def scenario_batch_sizes(comm):
    # Rank r has 2 + 3r samples; each rank's loss is the mean over its own batch, and the
    # gradients are averaged over ranks with equal weights, as ChainerMN's
    # multi_node_mean_grad does (not weighted by batch size).
    sizes = [2 + 3 * r for r in range(comm.size)]

    def make():
        return dchain.Sequential(L.Linear(6, 12), F.relu, L.Linear(12, 3))

    run = Run(comm, make, lambda: optimizers.SGD(lr=0.5))

    def loss_of(model, r, step=None):
        x, t = batch(run.steps, r, sizes[r], 6, 3)
        return F.softmax_cross_entropy(model(x), t)

    # The gradient weighted by samples is a different one: the check below could fail.
    weighted = copy.deepcopy(run.ref)
    weighted.cleargrads()
    x = numpy.concatenate([batch(0, r, sizes[r], 6, 3)[0] for r in range(comm.size)])
    t = numpy.concatenate([batch(0, r, sizes[r], 6, 3)[1] for r in range(comm.size)])
    F.softmax_cross_entropy(weighted(x), t).backward()
    for _ in range(4):
        run.step(loss_of)
        if run.steps == 1:
            diff = max(float(numpy.max(numpy.abs(p.grad - q.grad))) for p, q in
                       zip(run.model.params(), weighted.params()))
            check(diff > 1e-3, 'per-sample weighting would give the same gradient')
    run.close()


def scenario_hyperparams(comm):
    def make():
        return dchain.Sequential(L.Linear(5, 300), F.tanh, L.Linear(300, 450), F.tanh,
                                 L.Linear(450, 3))

    def loss_for(run):
        def loss_of(model, r, step=None):
            x, t = batch(run.steps, r, 4, 5, 3)
            return F.softmax_cross_entropy(model(x), t)
        return loss_of

    # MomentumSGD: the learning rate and momentum change between steps, and one parameter
    # has a learning rate of its own.
    run = Run(comm, make, lambda: optimizers.MomentumSGD(lr=0.05, momentum=0.9))
    loss_of = loss_for(run)
    run.step(loss_of)
    run.step(loss_of)
    for opt in (run.opt, run.ref_opt):
        opt.lr = 0.01
    run.step(loss_of)
    for opt in (run.opt, run.ref_opt):
        opt.momentum = 0.5
    for model in (run.model, run.ref):
        model[2].W.update_rule.hyperparam.lr = 0.2
    run.step(loss_of)
    run.step(loss_of)
    run.close()

    # Adam: alpha and beta1 change, eta (schedule multiplier), a per-parameter alpha, and
    # decoupled weight decay (AdamW); alpha_t follows every rule's own t.
    run = Run(comm, make, lambda: optimizers.Adam(alpha=0.002))
    loss_of = loss_for(run)
    for k in range(3):
        run.step(loss_of)
    alpha_t = run.opt.alpha_t
    check(abs(alpha_t - run.ref_opt.alpha_t) < 1e-15 and run.opt.t == 3,
          'Adam alpha_t after 3 steps: {} vs {}'.format(alpha_t, run.ref_opt.alpha_t))
    for opt in (run.opt, run.ref_opt):
        opt.alpha = 0.01
        opt.beta1 = 0.8
        opt.eta = 0.5
        opt.weight_decay_rate = 0.01
    for model in (run.model, run.ref):
        model[4].b.update_rule.hyperparam.alpha = 0.05
    run.step(loss_of)
    run.step(loss_of)
    check(all(p.update_rule.t == 5 for p in run.model.params()), 'every rule counted 5 steps')
    check(run.model[4].b.update_rule.alpha_t == run.ref[4].b.update_rule.alpha_t,
          'a rule with its own alpha')
    run.close()


def scenario_manual(comm):
    class Tied(dchain.Chain):
        """A weight used twice in one forward (its gradient accumulates within backward)."""

        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.l1 = L.Linear(8, 8)
                self.l2 = L.Linear(8, 3)

        def forward(self, x):
            return self.l2(F.tanh(self.l1(F.tanh(self.l1(x)))))

    for make_optimizer in (lambda: optimizers.Adam(alpha=0.01),
                           lambda: optimizers.MomentumSGD(lr=0.1)):
        run = Run(comm, Tied, make_optimizer)

        def loss_of(model, r, k=0):
            x, t = batch(10 * run.steps + k, r, 4, 8, 3)
            return F.softmax_cross_entropy(model(x), t)

        run.step(loss_of)
        run.step(loss_of)
        run.manual_step(loss_of)                  # manual backward + update()
        run.step(loss_of)
        run.manual_step(loss_of)
        run.manual_step(loss_of, passes=2)        # accumulation over two backward passes
        run.step(loss_of)
        run.manual_step(loss_of, passes=3)
        # No cleargrads: the backward adds to the averaged gradients the last update left
        # (as in one process, where they are the whole batch's).
        run.manual_step(loss_of, clear=False)
        run.step(loss_of)
        # cleargrads between update(lossfun) steps, and a backward whose gradients are
        # then thrown away before update(lossfun) computes its own.
        run.model.cleargrads()
        run.ref.cleargrads()
        run.step(loss_of)
        loss_of(run.model, comm.rank, 5).backward()
        loss_of(run.ref, 0, 5).backward()
        run.step(loss_of)
        # Gradients set by hand (not computed by backward): copied into the buckets.
        grads = {}
        for name, p in run.model.namedparams():
            rng = numpy.random.RandomState(len(name))
            grads[name] = [rng.randn(*p.shape).astype(p.dtype) for _ in range(comm.size)]
        for name, p in run.model.namedparams():
            p.grad = grads[name][comm.rank].copy()
        for name, p in run.ref.namedparams():
            p.grad = sum(grads[name]) / comm.size
        before = run.chunk_updates()
        run.opt.update()
        run.ref_opt.update()
        run._after_step(before, None)
        run.close()


def scenario_serialize(comm):
    def make():
        return dchain.Sequential(L.Linear(6, 20), F.tanh, L.Linear(20, 20), F.tanh,
                                 L.Linear(20, 3))

    for make_optimizer in (lambda: optimizers.Adam(alpha=0.01),
                           lambda: optimizers.MomentumSGD(lr=0.1)):
        run = Run(comm, make, make_optimizer)

        def loss_of(model, r, step=None):
            x, t = batch(run.steps, r, 4, 6, 3)
            return F.softmax_cross_entropy(model(x), t)

        for _ in range(4):
            run.step(loss_of)
        saved = (archive(run.model), archive(run.opt))
        everyone = comm.allgather_obj(saved)
        contents = [(npz_contents(m), npz_contents(o)) for m, o in everyone]
        for model_c, opt_c in contents:
            check(sorted(model_c) == sorted(contents[0][0]) and
                  sorted(opt_c) == sorted(contents[0][1]) and
                  all(numpy.array_equal(model_c[k], contents[0][0][k]) for k in model_c) and
                  all(numpy.array_equal(opt_c[k], contents[0][1][k]) for k in opt_c),
                  'every rank saves the same snapshot')
        # Each rank's snapshot, loaded into one process, is the reference's state and trains
        # on as the reference does.
        for r, (model_bytes, opt_bytes) in enumerate(everyone):
            numpy.random.seed(100 + r)
            single = make()
            single_opt = make_optimizer()
            single_opt.setup(single)
            load_npz(io.BytesIO(model_bytes), single)
            load_npz(io.BytesIO(opt_bytes), single_opt)
            for (n, p), (_, q) in zip(sorted(single.namedparams()),
                                      sorted(run.ref.namedparams())):
                close(p.array, q.array, 'snapshot of rank {}: {}'.format(r, n))
            states, ref_states = state_dict(single_opt), state_dict(run.ref_opt)
            check(sorted(states) == sorted(ref_states), 'snapshot state keys')
            for key, value in ref_states.items():
                if value.dtype.kind == 'f':
                    close(states[key], value, 'snapshot of rank {}: {}'.format(r, key))
                else:
                    check(numpy.array_equal(states[key], value),
                          'snapshot of rank {}: {}'.format(r, key))
            ref = copy.deepcopy(run.ref)
            ref_opt = make_optimizer()
            ref_opt.setup(ref)
            load_npz(io.BytesIO(archive(run.ref_opt)), ref_opt)
            for step in range(run.steps, run.steps + 2):
                def total(model):
                    return sum(F.softmax_cross_entropy(model(x), t) for x, t in
                               (batch(step, q, 4, 6, 3) for q in range(comm.size))) / comm.size
                single_opt.update(total, single)
                ref_opt.update(total, ref)
            for (n, p), (_, q) in zip(sorted(single.namedparams()), sorted(ref.namedparams())):
                close(p.array, q.array, 'trained on from the snapshot of rank {}: {}'.format(
                    r, n))
        # A snapshot loaded back into the sharded replicas resumes exactly (every rank writes
        # the same values into the node's one copy).
        for _ in range(2):
            run.step(loss_of)
        load_npz(io.BytesIO(saved[0]), run.model)
        load_npz(io.BytesIO(saved[1]), run.opt)
        numpy.random.seed(0)
        fresh_ref = copy.deepcopy(run.ref)
        load_npz(io.BytesIO(saved[0]), fresh_ref)
        fresh_opt = make_optimizer()
        fresh_opt.setup(fresh_ref)
        load_npz(io.BytesIO(saved[1]), fresh_opt)
        run.ref, run.ref_opt = fresh_ref, fresh_opt
        run.steps -= 2
        run.compare('loaded back', grads=False, across_ranks=True)
        for _ in range(3):
            run.step(loss_of)
        run.close()


def scenario_lazy_state(comm):
    # AMSGrad, then AdaBound, switched on mid-training: Adam creates their state ('vhat',
    # initial_alpha) at the first update that uses them. Every rank must hold all of it (any
    # rank may write the snapshot), and later layout changes must still work.
    def make():
        return dchain.Sequential(L.Linear(6, 20), F.tanh, L.Linear(20, 3))

    for option in ('amsgrad', 'adabound'):
        run = Run(comm, make, lambda: optimizers.Adam(alpha=0.01))

        def loss_of(model, r, step=None):
            x, t = batch(run.steps, r, 4, 6, 3)
            return F.softmax_cross_entropy(model(x), t)

        for _ in range(3):
            run.step(loss_of)
        for opt in (run.opt, run.ref_opt):
            setattr(opt, option, True)
        for _ in range(2):
            run.step(loss_of, expect_chunk=False)   # not elementwise by chunks
        for opt in (run.opt, run.ref_opt):
            opt.alpha = 0.005                       # AdaBound's bounds follow alpha
        run.step(loss_of, expect_chunk=False)
        # Each rank's snapshot resumes in one process.
        single = make()
        single_opt = optimizers.Adam(alpha=0.005)
        setattr(single_opt, option, True)
        single_opt.setup(single)
        load_npz(io.BytesIO(archive(run.opt)), single_opt)
        check(sorted(state_dict(single_opt)) == sorted(state_dict(run.ref_opt)),
              'a snapshot of rank {} resumes'.format(comm.rank))
        # A layout change: the sharding is built again from every rank's states.
        for model in (run.model, run.ref):
            model[0].b.update_rule.enabled = False
        for _ in range(2):
            run.step(loss_of, expect_chunk=False)
        run.close()


SCENARIOS = {
    'dtypes': scenario_dtypes,
    'missing_grads': scenario_missing_grads,
    'lazy': scenario_lazy,
    'batch_sizes': scenario_batch_sizes,
    'hyperparams': scenario_hyperparams,
    'manual': scenario_manual,
    'serialize': scenario_serialize,
    'lazy_state': scenario_lazy_state,
}


def main():
    names = sys.argv[1:] or ['all']
    if names == ['all']:
        names = list(SCENARIOS)
    comm = mn.create_communicator('flat')
    check(_native.available, 'the compiled kernels are needed for chunk updates')
    for name in names:
        SCENARIOS[name](comm)
        buckets = comm._buckets
        check(buckets is not None and buckets.shared is not None and
              buckets.shared.shares_chunks, '{}: gradients reduced by claims in shared '
                                            'memory'.format(name))
        print('SCENARIO {} OK rank {}'.format(name, comm.rank))
    return 0


if __name__ == '__main__':
    sys.exit(main())
