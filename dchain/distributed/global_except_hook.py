"""Abort the whole MPI job when one rank dies of an uncaught exception.

Without it the other ranks would wait forever in their next collective. The hook prints the
failing rank's traceback once, prefixed with its rank, then calls ``MPI_Abort`` so every rank
exits non-zero.
"""
import sys
import time
import traceback

_installed = False


def _hook(exc_type, exc_value, exc_tb):
    from dchain.distributed import _rank_watch
    _rank_watch.say(_rank_watch.REPORTED)  # this rank names itself: its watcher stays quiet
    try:
        from mpi4py import MPI
        rank = MPI.COMM_WORLD.Get_rank()
        size = MPI.COMM_WORLD.Get_size()
    except Exception:
        MPI, rank, size = None, '?', '?'
    text = ''.join(traceback.format_exception(exc_type, exc_value, exc_tb))
    sys.stderr.write('\n'.join('[rank {}/{}] {}'.format(rank, size, line)
                               for line in text.rstrip().splitlines()) + '\n')
    sys.stderr.write('[rank {}/{}] uncaught {}: aborting the MPI job so the other ranks do not '
                     'hang\n'.format(rank, size, exc_type.__name__))
    sys.stderr.flush()
    sys.stdout.flush()
    if MPI is not None:
        # Abort makes the launcher kill every rank at once; give it a moment to forward
        # what this rank just wrote, or the traceback can be lost with the process.
        time.sleep(0.5)
        MPI.COMM_WORLD.Abort(1)


def add_hook():
    """Install the hook (idempotent)."""
    global _installed
    if not _installed:
        sys.excepthook = _hook
        _installed = True
