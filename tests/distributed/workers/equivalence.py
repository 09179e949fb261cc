"""k steps on P ranks at batch B/P must match one process at batch B (run under mpiexec)."""
import argparse
import io
import sys

import numpy

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L
from dchain import optimizers
from dchain.serializers import DictionarySerializer, load_npz, save_npz


class MLP(dchain.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, 16)   # lazily initialized: made equal on first use
            self.l2 = L.Linear(16, 16)
            self.l3 = L.Linear(16, 3)
            self.unused = L.Linear(4, 4)   # never gets a gradient: zero-filled

    def forward(self, x):
        return self.l3(F.tanh(self.l2(F.tanh(self.l1(x)))))


def make_optimizer(name):
    if name == 'momentum':
        return optimizers.MomentumSGD(lr=0.1, momentum=0.9)
    return optimizers.Adam(alpha=0.01)


def add_hooks(optimizer):
    """Hooks that read every gradient (a global norm) and change them per parameter."""
    optimizer.add_hook(dchain.optimizer_hooks.WeightDecay(1e-2))
    optimizer.add_hook(dchain.optimizer_hooks.GradientClipping(0.05))


def loss_fn(model, x, t):
    return F.softmax_cross_entropy(model(x), t)


def serialized(optimizer):
    """The optimizer's state as a dict of copies (t as arrays too)."""
    target = DictionarySerializer()
    optimizer.serialize(target)
    return {key: numpy.array(value, copy=True) for key, value in target.target.items()}


def snapshot(model, optimizer):
    out = io.BytesIO()
    save_npz(out, model)
    model_bytes = out.getvalue()
    out = io.BytesIO()
    save_npz(out, optimizer)
    return model_bytes, out.getvalue()


def restore(saved, model, optimizer):
    load_npz(io.BytesIO(saved[0]), model)
    load_npz(io.BytesIO(saved[1]), optimizer)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--optimizer', default='momentum')
    parser.add_argument('--communicator', default='flat')
    parser.add_argument('--bucket-bytes', type=int, default=1500)
    parser.add_argument('--steps', type=int, default=5)
    parser.add_argument('--double-buffering', action='store_true')
    parser.add_argument('--allreduce-dtype', default=None)
    parser.add_argument('--no-shared-memory', action='store_true')
    parser.add_argument('--hooks', action='store_true',
                        help='weight decay and gradient clipping on every optimizer')
    args = parser.parse_args()

    kwargs = {} if args.communicator == 'naive' else {
        'bucket_bytes': args.bucket_bytes, 'shared_memory': not args.no_shared_memory}
    if args.allreduce_dtype:
        kwargs['allreduce_grad_dtype'] = numpy.dtype(args.allreduce_dtype)
    comm = mn.create_communicator(args.communicator, **kwargs)
    P = comm.size
    B = 12
    rng = numpy.random.RandomState(123)
    xs = rng.randn(args.steps, B, 8).astype(numpy.float32)
    ts = rng.randint(0, 3, (args.steps, B)).astype(numpy.int32)

    # Replicas start from different random values: setup and lazy init must equalize them.
    numpy.random.seed(comm.rank + 1)
    model = MLP()
    optimizer = mn.create_multi_node_optimizer(make_optimizer(args.optimizer), comm,
                                               double_buffering=args.double_buffering)
    optimizer.setup(model)
    if args.hooks:
        add_hooks(optimizer)
    share = B // P
    lo = comm.rank * share

    def train(steps):
        for step in steps:
            optimizer.update(loss_fn, model, xs[step, lo:lo + share], ts[step, lo:lo + share])

    first, rest = range(args.steps - 2), range(args.steps - 2, args.steps)
    train(first)
    # Every rank's optimizer state must be the whole, current state (a snapshot may come from
    # any rank), even where the ranks shared the update.
    states = comm.gather_obj(serialized(optimizer))
    sharded = comm.gather_obj(getattr(optimizer, '_sharded', None) is not None)
    chunk_updates = comm.gather_obj(getattr(optimizer, '_sharded', None) is not None and
                                    optimizer._sharded.chunk_updates > 0)
    saved = comm.bcast_obj(snapshot(model, optimizer) if comm.rank == 0 else None)
    train(rest)
    params = {name: p.array.copy() for name, p in model.namedparams()}
    overlapped = comm.gather_obj(optimizer.overlapped_buckets)
    buckets = getattr(comm, '_buckets', None)
    in_shared_memory = comm.gather_obj(buckets is not None and buckets.shared is not None)

    # Resume from rank 0's snapshot in a fresh model and optimizer on every rank.
    numpy.random.seed(comm.rank + 7)
    model = MLP()
    model(xs[0, :1])  # initialize l1 before loading
    optimizer = mn.create_multi_node_optimizer(make_optimizer(args.optimizer), comm,
                                               double_buffering=args.double_buffering)
    optimizer.setup(model)
    if args.hooks:
        add_hooks(optimizer)
    restore(saved, model, optimizer)
    if not args.double_buffering:  # (its snapshot misses the gradients in flight)
        train(rest)
    resumed = {name: p.array.copy() for name, p in model.namedparams()}
    gathered = comm.gather_obj(params)
    gathered_resumed = comm.gather_obj(resumed)
    if comm.rank != 0:
        return 0

    # The reference: one process, the whole batch, starting from rank 0's initial values.
    numpy.random.seed(1)
    ref = MLP()
    ref_opt = make_optimizer(args.optimizer)
    ref_opt.setup(ref)
    if args.hooks:
        add_hooks(ref_opt)
    previous = None
    for step in range(args.steps):
        if step == rest[0]:
            ref_states = serialized(ref_opt)
        if not args.double_buffering:
            ref_opt.update(loss_fn, ref, xs[step], ts[step])
            continue
        # Double buffering applies the previous step's gradients while this step's travel.
        ref.cleargrads()
        loss_fn(ref, xs[step], ts[step]).backward()
        current = {name: p.grad for name, p in ref.namedparams()}
        if previous is not None:
            for name, p in ref.namedparams():
                p.grad = previous[name] if previous[name] is not None else \
                    numpy.zeros_like(p.array)
            ref_opt.update()
        previous = current
    worst = 0.0
    for rank_params in gathered + (gathered_resumed if not args.double_buffering else []):
        for name, p in ref.namedparams():
            diff = float(numpy.max(numpy.abs(rank_params[name] - p.array)))
            worst = max(worst, diff)
    if not args.double_buffering:
        for rank_states in states:
            if sorted(rank_states) != sorted(ref_states):
                raise AssertionError('optimizer state keys differ: {} vs {}'.format(
                    sorted(rank_states), sorted(ref_states)))
            for key, value in ref_states.items():
                worst = max(worst, float(numpy.max(numpy.abs(rank_states[key] - value))))
    # float16 transport rounds each gradient to 11 significant bits.
    tolerance = 1e-5 if not args.allreduce_dtype else 2e-3
    status = 'EQUIVALENT' if worst < tolerance else 'DIFFERENT'
    # Every replica must hold bitwise the same parameters, not merely close ones.
    identical = all(numpy.array_equal(rank_params[name], gathered[0][name])
                    for rank_params in gathered for name in rank_params)
    print('{} worst={:.3g} ranks={} comm={} opt={} overlapped_buckets={} shared_memory={} '
          'sharded_update={} chunk_update={} replicas_identical={}'.format(
              status, worst, P, args.communicator, args.optimizer, min(overlapped),
              all(in_shared_memory), all(sharded), all(chunk_updates), identical))
    return 0 if status == 'EQUIVALENT' else 1


if __name__ == '__main__':
    sys.exit(main())
