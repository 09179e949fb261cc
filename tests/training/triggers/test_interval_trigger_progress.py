"""Epoch triggers fire on progress seen between calls, whatever the updater reports."""
import types

from dchain.training.triggers.interval_trigger import IntervalTrigger


def _trainer(updater):
    return types.SimpleNamespace(updater=updater)


def test_epoch_trigger_without_previous_epoch_detail():
    updater = types.SimpleNamespace(epoch_detail=0.0)  # no previous_epoch_detail at all
    trigger = IntervalTrigger(1, 'epoch')
    fired = []
    for step in range(1, 11):
        updater.epoch_detail = step / 5  # five updates per epoch
        fired.append(trigger(_trainer(updater)))
    assert [i + 1 for i, f in enumerate(fired) if f] == [5, 10]


def test_epoch_trigger_with_several_batches_per_update():
    # Each update reads 3 batches of an epoch of 5: previous_epoch_detail only covers the last
    # batch, so the boundary inside an update must come from the trigger's own memory.
    updater = types.SimpleNamespace(epoch_detail=0.0, previous_epoch_detail=None)
    trigger = IntervalTrigger(1, 'epoch')
    fired = []
    position = 0
    for _ in range(4):
        position += 3
        updater.previous_epoch_detail = (position - 1) / 5
        updater.epoch_detail = position / 5
        fired.append(trigger(_trainer(updater)))
    assert fired == [False, True, False, True]  # epochs end at 5 and 10 (positions 6, 12)
