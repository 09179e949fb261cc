"""The per-rank watcher: a rank that dies without a word is named, and only that rank."""
import os
import signal
import subprocess
import sys
import textwrap
import uuid

import pytest

from dchain.distributed import _rank_watch

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _rank(token, body, rank=1, size=3):
    """Run a pretend rank that starts its watcher and then runs ``body``; returns the result."""
    code = textwrap.dedent('''
        import os, signal, sys, time
        from dchain.distributed import _rank_watch
        _rank_watch.start({rank}, {size}, {token!r})
    ''').format(rank=rank, size=size, token=token) + textwrap.dedent(body)
    env = dict(os.environ, PYTHONPATH=REPO)
    return subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True,
                          timeout=60)


def _kill_self():
    return 'os.kill(os.getpid(), signal.SIGKILL)\n'


def test_a_killed_rank_is_named():
    proc = _rank(uuid.uuid4().hex, _kill_self())
    assert proc.returncode == -signal.SIGKILL
    assert '[dchain] rank 1/3 (pid ' in proc.stderr
    assert 'ended abruptly' in proc.stderr


def test_a_rank_ending_normally_says_nothing():
    proc = _rank(uuid.uuid4().hex, 'sys.exit(0)\n')
    assert proc.returncode == 0 and proc.stderr == ''


def test_ranks_killed_after_the_first_say_nothing():
    token = uuid.uuid4().hex
    first = _rank(token, _kill_self(), rank=2)
    second = _rank(token, _kill_self(), rank=0)
    assert 'rank 2/3' in first.stderr
    assert second.returncode == -signal.SIGKILL and second.stderr == ''


def test_a_rank_that_reported_its_own_failure_is_not_accused_and_silences_the_rest():
    token = uuid.uuid4().hex
    reporter = _rank(token, '_rank_watch.say(_rank_watch.REPORTED)\ntime.sleep(0.5)\n' +
                     _kill_self())
    victim = _rank(token, _kill_self(), rank=0)
    assert reporter.stderr == '' and victim.stderr == ''


def test_a_forked_child_does_not_keep_a_dead_rank_unnamed():
    # The child lives on (with its output closed) after the rank is killed; the watcher must
    # see the rank's end anyway.
    body = textwrap.dedent('''
        child = os.fork()
        if child == 0:
            os.close(1); os.close(2)
            time.sleep(300)
            os._exit(0)
        print(child, flush=True)
    ''') + _kill_self()
    proc = _rank(uuid.uuid4().hex, body)
    try:
        assert 'rank 1/3' in proc.stderr and 'ended abruptly' in proc.stderr
    finally:
        os.kill(int(proc.stdout.split()[0]), signal.SIGKILL)


@pytest.mark.parametrize('env, expected', [
    ({'PMI_RANK': '0'}, True),                                    # MPICH's Hydra
    ({'PMI_RANK': '0', 'DCHAIN_RANK_WATCH': '0'}, False),         # turned off
    ({'PMI_RANK': '0', 'DCHAIN_JOB_ID': 'j'}, False),             # dchain-launch names ranks
    ({'PMI_RANK': '0', 'OMPI_COMM_WORLD_RANK': '0'}, False),      # Open MPI names ranks
    ({'PMI_RANK': '0', 'SLURM_PROCID': '0'}, False),              # so does srun
    ({}, False),                                                  # not under a PMI launcher
])
def test_wanted_only_where_the_launcher_would_not_name_the_rank(env, expected):
    assert _rank_watch.wanted(env) is expected
