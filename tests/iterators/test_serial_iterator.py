import numpy
import pytest

from dchain import iterators
from dchain.iterators import SerialIterator, ShuffleOrderSampler




def test_sequential_batches_and_epoch_bookkeeping():
    it = SerialIterator(list(range(10)), 4, shuffle=False)
    assert it.epoch == 0 and it.epoch_detail == 0. and it.previous_epoch_detail is None
    assert it.next() == [0, 1, 2, 3]
    assert (it.epoch, it.current_position, it.is_new_epoch) == (0, 4, False)
    assert it.epoch_detail == pytest.approx(0.4)
    assert it.previous_epoch_detail == 0.
    assert it.next() == [4, 5, 6, 7]
    # The batch crossing the epoch end is filled from the next epoch.
    assert it.next() == [8, 9, 0, 1]
    assert (it.epoch, it.current_position, it.is_new_epoch) == (1, 2, True)
    assert it.epoch_detail == pytest.approx(1.2)
    assert it.previous_epoch_detail == pytest.approx(0.8)
    assert it.next() == [2, 3, 4, 5]
    assert not it.is_new_epoch


def test_no_repeat_last_batch_is_short_then_stop():
    it = SerialIterator(list(range(5)), 2, repeat=False, shuffle=False)
    assert [b for b in it] == [[0, 1], [2, 3], [4]]
    assert it.epoch == 1 and it.is_new_epoch and it.epoch_detail == 1.
    with pytest.raises(StopIteration):
        it.next()


def test_batch_larger_than_dataset_repeats_within_batch():
    it = SerialIterator([0, 1, 2], 7, shuffle=False)
    assert it.next() == [0, 1, 2, 0, 1, 2, 0]
    assert it.epoch == 2 and it.current_position == 1 and it.is_new_epoch


def test_shuffle_visits_each_example_once_per_epoch():
    numpy.random.seed(0)
    data = list(range(12))
    it = SerialIterator(data, 4, shuffle=True)
    orders = []
    for _ in range(3):
        epoch = [x for _ in range(3) for x in it.next()]
        assert sorted(epoch) == data
        orders.append(epoch)
    assert it.epoch == 3
    assert orders[0] != orders[1] or orders[1] != orders[2]


def test_order_sampler_is_used_and_validated():
    class Reverse:
        def __call__(self, order, position):
            return numpy.arange(len(order))[::-1]

    it = SerialIterator(list('abcd'), 2, order_sampler=Reverse())
    assert it.next() == ['d', 'c']
    with pytest.raises(ValueError, match='order_sampler'):
        SerialIterator([1, 2], 1, shuffle=True, order_sampler=Reverse())

    class Bad:
        calls = 0

        def __call__(self, order, position):
            self.calls += 1
            return numpy.arange(len(order) + (self.calls > 1))

    it = SerialIterator([1, 2], 2, order_sampler=Bad())
    with pytest.raises(ValueError, match='length'):
        it.next()


def test_shuffle_order_sampler_random_state_reproducible():
    a = ShuffleOrderSampler(numpy.random.RandomState(3))
    b = ShuffleOrderSampler(numpy.random.RandomState(3))
    assert (a(numpy.arange(20), 0) == b(numpy.arange(20), 0)).all()
    assert sorted(a(numpy.arange(20), 0)) == list(range(20))


def test_bad_batch_size():
    with pytest.raises(ValueError, match='batch_size'):
        SerialIterator([1], 0)


def test_reset_rewinds():
    it = SerialIterator(list(range(5)), 2, repeat=False, shuffle=False)
    list(it)
    it.reset()
    assert it.epoch == 0 and it.previous_epoch_detail is None
    assert [b for b in it] == [[0, 1], [2, 3], [4]]


def test_manual_rewind_like_the_tutorial_loop():
    # Chainer's hand-written training loop rewinds the test iterator by assignment.
    test_iter = iterators.SerialIterator(list(range(7)), 3, repeat=False, shuffle=False)
    for _ in range(2):
        seen = []
        while True:
            seen.extend(test_iter.next())
            if test_iter.is_new_epoch:
                test_iter.epoch = 0
                test_iter.current_position = 0
                test_iter.is_new_epoch = False
                test_iter._pushed_position = None
                break
        assert seen == list(range(7))
        assert test_iter.epoch_detail == 0. and test_iter.previous_epoch_detail is None


def test_serialize_resumes_mid_epoch(serializer_pair):
    DictSerializer, DictDeserializer = serializer_pair
    numpy.random.seed(1)
    data = list(range(10))
    a = SerialIterator(data, 3)
    for _ in range(4):
        a.next()
    saved = DictSerializer()
    a.serialize(saved)
    assert saved.target['epoch'] == a.epoch
    assert saved.target['current_position'] == a.current_position
    expected = [a.next() for _ in range(5)]

    b = SerialIterator(data, 3)
    b.serialize(DictDeserializer(saved.target))
    assert b.epoch == 1 and b.current_position == 2
    assert b.previous_epoch_detail == pytest.approx(0.9)
    got = [b.next() for _ in range(5)]
    assert got[:2] == expected[:2]  # the rest of the saved epoch's order
    assert b.epoch == a.epoch and b.current_position == a.current_position


def test_deserialize_without_previous_epoch_detail(serializer_pair):
    DictSerializer, DictDeserializer = serializer_pair
    a = SerialIterator(list(range(10)), 3, shuffle=False)
    a.next()
    saved = DictSerializer()
    a.serialize(saved)
    del saved.target['previous_epoch_detail']
    b = SerialIterator(list(range(10)), 3, shuffle=False)
    b.serialize(DictDeserializer(saved.target))
    assert b.previous_epoch_detail == pytest.approx(0.)
    assert b.next() == [3, 4, 5]


def test_empty_dataset():
    with pytest.raises(StopIteration):
        SerialIterator([], 2, repeat=False).next()
    with pytest.raises(ValueError, match='empty'):
        SerialIterator([], 2).next()
