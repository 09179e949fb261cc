"""MultiprocessIterator and MultithreadIterator: same batches and state as SerialIterator,
clean worker shutdown."""
import os

import numpy
import pytest

from dchain import datasets
from dchain.iterators import MultiprocessIterator, MultithreadIterator, SerialIterator


def _mp(dataset, batch_size, **kwargs):
    kwargs.setdefault('n_processes', 2)
    return MultiprocessIterator(dataset, batch_size, **kwargs)


def _mt(dataset, batch_size, **kwargs):
    kwargs.setdefault('n_threads', 2)
    return MultithreadIterator(dataset, batch_size, **kwargs)


makers = pytest.mark.parametrize('make', [_mp, _mt], ids=['process', 'thread'])


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@makers
@pytest.mark.parametrize('repeat', [True, False])
def test_same_batches_and_state_as_serial(make, repeat):
    data = [numpy.full(2, i) for i in range(11)]
    ref = SerialIterator(data, 4, repeat=repeat, shuffle=False)
    with make(data, 4, repeat=repeat, shuffle=False) as it:
        for _ in range(3 if not repeat else 7):
            a, b = ref.next(), it.next()
            assert [int(x[0]) for x in a] == [int(x[0]) for x in b]
            assert (it.epoch, it.current_position, it.is_new_epoch) == (
                ref.epoch, ref.current_position, ref.is_new_epoch)
            assert it.epoch_detail == ref.epoch_detail
            assert it.previous_epoch_detail == ref.previous_epoch_detail
        if not repeat:
            with pytest.raises(StopIteration):
                it.next()


@makers
def test_shuffled_epochs_cover_dataset(make):
    data = list(range(12))
    with make(data, 3, n_prefetch=3) if make is _mp else make(data, 3) as it:
        for _ in range(2):
            epoch = [x for _ in range(4) for x in it.next()]
            assert sorted(epoch) == data
            assert it.is_new_epoch


@makers
def test_manual_rewind_and_reset(make):
    with make(list(range(5)), 2, repeat=False, shuffle=False) as it:
        assert [b for b in it] == [[0, 1], [2, 3], [4]]
        it.epoch = 0
        it.current_position = 0
        it.is_new_epoch = False
        assert [b for b in it] == [[0, 1], [2, 3], [4]]
        it.reset()
        assert it.next() == [0, 1] and it.previous_epoch_detail == 0.


@makers
def test_serialize_resume(make, serializer_pair):
    DictSerializer, DictDeserializer = serializer_pair
    data = list(range(10))
    numpy.random.seed(0)
    with make(data, 3) as a:
        for _ in range(2):
            a.next()
        saved = DictSerializer()
        a.serialize(saved)
        expected = a.next()  # saving did not disturb the prefetched batches
    with make(data, 3) as b:
        b.next()  # batches planned from the old state must be discarded on load
        b.serialize(DictDeserializer(saved.target))
        assert (b.epoch, b.current_position) == (0, 6)
        assert b.next() == expected


def test_multiprocess_transform_with_lambda_and_workers_reaped():
    ds = datasets.TransformDataset(list(range(8)), lambda x: (x * 10, os.getpid()))
    it = MultiprocessIterator(ds, 4, shuffle=False, n_processes=2)
    batch = it.next()
    assert [x for x, _ in batch] == [0, 10, 20, 30]
    assert all(pid != os.getpid() for _, pid in batch)
    pids = [p.pid for p in it._pool._pool]
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    it.finalize()
    assert not any(_alive(p) for p in pids)  # terminated and reaped: no zombies
    it.finalize()


class _Failing(datasets.DatasetMixin):
    def __len__(self):
        return 6

    def get_example(self, i):
        if i == 4:
            raise KeyError('bad example {}'.format(i))
        return i


def test_multiprocess_worker_error_propagates_then_cleanup():
    pids = []
    with pytest.raises(KeyError, match='bad example 4'):
        with MultiprocessIterator(_Failing(), 2, shuffle=False, n_processes=2) as it:
            assert it.next() == [0, 1]
            assert it.next() == [2, 3]
            pids = [p.pid for p in it._pool._pool]
            try:
                it.next()
            finally:
                assert (it.epoch, it.current_position) == (0, 4)  # not advanced
    assert pids and not any(_alive(p) for p in pids)


def test_multithread_worker_error_propagates():
    with MultithreadIterator(_Failing(), 3, shuffle=False) as it:
        assert it.next() == [0, 1, 2]
        with pytest.raises(KeyError):
            it.next()
        assert it.current_position == 3


def test_bad_arguments():
    with pytest.raises(ValueError, match='n_prefetch'):
        MultiprocessIterator([1], 1, n_prefetch=0)
    with pytest.raises(ValueError, match='n_threads'):
        MultithreadIterator([1], 1, n_threads=0)
    with pytest.raises(ValueError, match='order_sampler'):
        MultiprocessIterator([1], 1, shuffle=True, order_sampler=lambda o, p: o)


@makers
def test_loading_a_different_order_at_the_same_position_replans(make, serializer_pair):
    DictSerializer, DictDeserializer = serializer_pair

    class Reverse:
        def __call__(self, order, position):
            return numpy.arange(len(order))[::-1].copy()

    class Identity:
        def __call__(self, order, position):
            return numpy.arange(len(order))

    ref = SerialIterator(list(range(6)), 2, order_sampler=Reverse())
    assert ref.next() == [5, 4]
    saved = DictSerializer()
    ref.serialize(saved)
    with make(list(range(6)), 2, order_sampler=Identity()) as it:
        assert it.next() == [0, 1]  # [2, 3] is now planned from the identity order
        it.serialize(DictDeserializer(saved.target))
        assert it.current_position == 2
        assert it.next() == [3, 2]


def test_multiprocess_workers_reaped_when_iterator_is_collected():
    import gc
    it = MultiprocessIterator(list(range(4)), 2, n_processes=2)
    it.next()
    pids = [p.pid for p in it._pool._pool]
    del it
    gc.collect()
    assert not any(_alive(p) for p in pids)
