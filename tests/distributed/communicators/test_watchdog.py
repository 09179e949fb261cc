"""The deadlock rule of the watchdog: when what every rank waits in means none can proceed.

The distributed tests (tests/distributed/test_communicators.py) run the rule on real ranks;
these cover the cases those jobs do not reach, one table row per case.
"""
import pytest

from dchain.distributed.communicators import _watchdog

C, W, R = _watchdog._IN_COLLECTIVE, _watchdog._WAITING, _watchdog._RUNNING


def _collective(seq, name):
    return (seq, name, C, None, 0)


def _transfer(kind, peer, tag=0, seq=4):
    return (seq, '{} {} rank {}'.format(kind, 'to' if kind == 'send' else 'from', peer), W,
            (kind, peer, tag), 1)


def _barrier(ranks):
    return (4, 'gradient reduction in shared memory', W, ('barrier', ranks, None), 1)


@pytest.mark.parametrize('waits,stuck', [
    # Collectives: all in the same one can complete; different ones cannot.
    ({0: _collective(5, 'allreduce'), 1: _collective(5, 'allreduce')}, False),
    ({0: _collective(5, 'allreduce'), 1: _collective(5, 'bcast_obj')}, True),
    ({0: _collective(5, 'allreduce'), 1: _collective(6, 'allreduce')}, True),
    # Transfers: a send meets the recv of the same tag on its destination.
    ({0: _transfer('send', 1), 1: _transfer('recv', 0)}, False),
    ({0: _transfer('recv', 1), 1: _transfer('send', 0)}, False),
    ({0: _transfer('send', 1, tag=1), 1: _transfer('recv', 0, tag=2)}, True),
    ({0: _transfer('recv', 1), 1: _transfer('recv', 0)}, True),
    ({0: _transfer('send', 1), 1: _transfer('send', 0)}, True),
    ({0: _transfer('recv', 1), 1: _transfer('recv', 2), 2: _transfer('recv', 0)}, True),
    # One matched pair is enough for progress, even if a third rank waits for it.
    ({0: _transfer('send', 1), 1: _transfer('recv', 0), 2: _transfer('recv', 0)}, False),
    # A transfer against a collective, in either direction.
    ({0: _collective(5, 'allreduce'), 1: _transfer('recv', 0)}, True),
    ({0: _collective(5, 'allreduce'), 1: _collective(5, 'allreduce'),
      2: _transfer('send', 0)}, True),
    # A node barrier completes when all its ranks are in it.
    ({0: _barrier((0, 1)), 1: _barrier((0, 1))}, False),
    ({0: _barrier((0, 1)), 1: _barrier((0, 1)), 2: _collective(5, 'allreduce')}, False),
    ({0: _barrier((0, 1)), 1: _collective(5, 'allreduce')}, True),
    ({0: _barrier((0, 1)), 1: _transfer('recv', 0)}, True),
    # A running rank, or one waiting in something else, may still help.
    ({0: _transfer('recv', 1), 1: (4, 'training', R, None, 0)}, False),
    ({0: _barrier((0, 1)), 1: (4, 'training', R, None, 0)}, False),
    ({0: _collective(5, 'allreduce'), 1: (4, 'an unknown wait', W, None, 0)}, False),
    ({0: _transfer('recv', 1), 1: (4, 'recv from rank 0', R, ('recv', 0, 0), 1)}, False),
])
def test_deadlocked(waits, stuck):
    assert _watchdog._deadlocked(waits) is stuck


def test_describe_names_the_operation_and_the_tag():
    assert _watchdog._describe(3, _collective(7, 'bcast_obj')) == \
        'rank 3 in operation #7 (bcast_obj)'
    assert _watchdog._describe(1, _transfer('recv', 0, tag=5)) == \
        'rank 1 in recv from rank 0 (tag 5) after operation #4'
    assert _watchdog._describe(0, _barrier((0, 1))) == \
        'rank 0 in gradient reduction in shared memory (a barrier of ranks 0, 1) after ' \
        'operation #4'
