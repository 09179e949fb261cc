"""Multi-node evaluator, aggregator, checkpoints, consistency check, iterators (mpiexec)."""
import os
import sys
import tempfile
import warnings

import numpy

import dchain
import dchain.distributed as mn
import dchain.links as L
from dchain import datasets, iterators, optimizers, training
from dchain.training import extensions


def make_trainer(comm, out, stop):
    rng = numpy.random.RandomState(0)
    x = rng.randn(48, 5).astype(numpy.float32)
    t = (x[:, 0] > 0).astype(numpy.int32)
    train = mn.scatter_dataset(datasets.TupleDataset(x, t) if comm.rank == 0 else None, comm,
                               shuffle=True, seed=0)
    numpy.random.seed(comm.rank)
    model = L.Classifier(L.Linear(5, 2))
    optimizer = mn.create_multi_node_optimizer(optimizers.SGD(lr=0.1), comm)
    optimizer.setup(model)
    it = iterators.SerialIterator(train, 4, shuffle=False)
    updater = training.updaters.StandardUpdater(it, optimizer)
    trainer = training.Trainer(updater, stop, out=out)
    return trainer, model


def main():
    comm = mn.create_communicator('flat')
    r = comm.rank
    shared = comm.bcast_obj(tempfile.mkdtemp() if r == 0 else None)

    # Evaluator: rank r sees data whose accuracy is r / (size - 1)-ish; the result is the mean.
    class Fixed(dchain.Chain):
        def forward(self, x):
            dchain.report({'value': float(r)}, self)
            return dchain.Variable(numpy.zeros((), 'f'))
    target = Fixed()
    ev_data = datasets.TupleDataset(numpy.zeros((4, 1), 'f'))
    evaluator = mn.create_multi_node_evaluator(
        extensions.Evaluator(iterators.SerialIterator(ev_data, 2, repeat=False, shuffle=False),
                             target, eval_func=target), comm)
    result = evaluator()
    expected = sum(range(comm.size)) / comm.size
    assert abs(result['main/value'] - expected) < 1e-9, result

    # Checkpoints + aggregator + consistency check inside a real training run.
    trainer, model = make_trainer(comm, shared, (6, 'iteration'))
    checkpointer = mn.create_multi_node_checkpointer('cp', comm, path=os.path.join(shared, 'cp'),
                                                     n_retains=3)
    trainer.extend(checkpointer, trigger=(2, 'iteration'))
    trainer.extend(mn.ObservationAggregator(comm, 'main/loss', 'main/loss_all'))
    trainer.extend(mn.ReplicaConsistencyCheck(comm, trigger=(1, 'iteration')))
    seen = []
    trainer.extend(lambda tr: seen.append(tr.observation.get('main/loss_all')),
                   trigger=(1, 'iteration'), priority=50)
    trainer.run()
    assert all(v is not None for v in seen), seen
    all_seen = comm.allgather_obj(seen)
    assert all(s == all_seen[0] for s in all_seen), 'aggregated loss differs between ranks'
    final = {n: p.array.copy() for n, p in model.namedparams()}

    # Corrupt the newest checkpoint on the last rank only: everyone falls back to iteration 4.
    comm.barrier()
    if r == comm.size - 1:
        path = os.path.join(shared, 'cp', 'cp.iter_6.rank_{}.npz'.format(r))
        with open(path, 'r+b') as f:
            f.seek(100)
            f.write(b'\x00' * 64)
    comm.barrier()
    trainer2, model2 = make_trainer(comm, shared, (6, 'iteration'))
    checkpointer2 = mn.create_multi_node_checkpointer('cp', comm, path=os.path.join(shared, 'cp'))
    with warnings.catch_warnings(record=True):
        warnings.simplefilter('always')
        loaded = checkpointer2.maybe_load(trainer2)
    assert loaded == 4, loaded
    assert trainer2.updater.iteration == 4
    trainer2.run()
    for name, p in model2.namedparams():
        assert numpy.array_equal(p.array, final[name]), name

    # A replica changed by hand is caught, naming the parameter. (Ranks of a node hold one
    # replica after a sharded update, so the change is made on a new array.)
    if r == comm.size - 1:
        b = model2.predictor.b
        b.array = b.array.copy()
        b.array[0] += 1
    try:
        mn.ReplicaConsistencyCheck(comm).check(model2)
        raise AssertionError('divergence not detected')
    except mn.ReplicaDivergenceError as e:
        assert "'/predictor/b'" in str(e), str(e)

    # Iterators: one reader; identical shuffles.
    data = datasets.TupleDataset(numpy.arange(10))
    reader = iterators.SerialIterator(data, 3) if r == 0 else None
    multi = mn.create_multi_node_iterator(reader, comm)
    batches = [next(multi) for _ in range(4)]
    assert comm.allgather_obj(batches) == [batches] * comm.size
    assert multi.epoch == 1
    synced = mn.create_synchronized_iterator(iterators.SerialIterator(data, 10), comm)
    order = [int(v[0]) for v in next(synced)]
    assert comm.allgather_obj(order) == [order] * comm.size
    print('EXTENSIONS OK rank', r)
    return 0


if __name__ == '__main__':
    sys.exit(main())
