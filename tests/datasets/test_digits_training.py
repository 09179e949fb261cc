"""The digits dataset trains a classifier through SerialIterator and concat_examples, with the
hand-written loop of Chainer's tutorial (test iterator rewound by assignment)."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import datasets, iterators
from dchain.dataset import concat_examples
from dchain.datasets import digits as digits_module


def _ready():
    try:
        digits_module.digits_file_path()
    except RuntimeError:
        return False
    return all(hasattr(F, name) for name in ('softmax_cross_entropy', 'relu'))


@pytest.mark.skipif(not _ready(), reason='needs scikit-learn, F.softmax_cross_entropy, F.relu')
def test_hand_written_loop_learns_digits():
    numpy.random.seed(0)
    train, test = datasets.get_digits()
    train_iter = iterators.SerialIterator(train, 32)
    test_iter = iterators.SerialIterator(test, 100, repeat=False, shuffle=False)
    model = dchain.Sequential(L.Linear(64, 32), F.relu, L.Linear(32, 10))
    accuracies = []
    while train_iter.epoch < 8:
        x, t = concat_examples(train_iter.next())
        loss = F.softmax_cross_entropy(model(x), t)
        model.cleargrads()
        loss.backward()
        for p in model.params():
            p.array -= 0.2 * p.grad
        if train_iter.is_new_epoch:
            correct = 0
            while True:
                x, t = concat_examples(test_iter.next())
                with dchain.no_backprop_mode():
                    correct += int((model(x).array.argmax(axis=1) == t).sum())
                if test_iter.is_new_epoch:
                    test_iter.epoch = 0
                    test_iter.current_position = 0
                    test_iter.is_new_epoch = False
                    test_iter._pushed_position = None
                    break
            accuracies.append(correct / len(test))
    assert len(accuracies) == 8, accuracies
    assert accuracies[-1] > 0.9, accuracies
    assert accuracies[-1] > accuracies[0] - 0.02, accuracies
