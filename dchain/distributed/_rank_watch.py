"""A small watcher process per rank that names the rank when it dies without a word.

MPICH's ``mpiexec`` (Hydra) reports a rank killed by a signal by its PID only, and kills every
other rank with SIGKILL at once, so no rank is left to say which one was lost. So each rank
of a job started by a plain PMI launcher (not ``dchain-launch``, Open MPI or Slurm, which name
the rank themselves) starts this program, holding the read end of a pipe whose write end only
the rank has. Whatever ends the rank, the kernel closes the pipe; what the rank wrote before
tells the watcher how it ended:

- ``DONE`` (written at normal interpreter exit): nothing to say;
- ``REPORTED`` (written by the global except hook before it aborts the job): the rank printed
  its own traceback, and the watcher claims the job's failure at once so that the watchers of
  the ranks the launcher kills next stay quiet;
- nothing: the rank was killed or crashed. The first watcher on the node to claim the job's
  failure (an exclusive marker file named by a token the ranks share) prints which rank ended
  and when; the ranks the launcher kills afterwards find the claim taken and say nothing. On
  several nodes each node's first watcher may speak: the earliest time names the culprit.

The watcher runs in Python's isolated mode and imports nothing of dchain; it exits as soon as
its rank has ended (a claimant lingers a few seconds, with its output closed, then removes the
marker). ``DCHAIN_RANK_WATCH=0`` turns it off.
"""
import os
import select
import subprocess
import sys
import time

DONE = b'd'
REPORTED = b'r'
# How long a claim outlives its claimant's rank: the launcher's cleanup of the other ranks
# takes milliseconds; their watchers must still find the claim.
_CLAIM_SECONDS = 5.0

_pipe = None      # write end, in the rank that started the watcher
_owner_pid = None


def wanted(environ=None):
    """Whether this process runs under a launcher that would not name a lost rank itself."""
    env = os.environ if environ is None else environ
    if not hasattr(os, 'register_at_fork'):
        return False  # not POSIX: no inheritable pipes for the watcher
    if env.get('DCHAIN_RANK_WATCH', '1') == '0' or 'DCHAIN_JOB_ID' in env:
        return False  # disabled, or dchain-launch (which names failed ranks) is in charge
    return 'PMI_RANK' in env and 'OMPI_COMM_WORLD_RANK' not in env and \
        'SLURM_PROCID' not in env


def started():
    return _pipe is not None and _owner_pid == os.getpid()


def start(rank, size, token):
    """Start this rank's watcher (once per process). ``token`` must be the same on every rank
    of the job and unique to it."""
    global _pipe, _owner_pid
    if started():
        return
    read_end, write_end = os.pipe()
    ready_read, ready_write = os.pipe()
    try:
        subprocess.Popen(
            [sys.executable, '-I', '-S', os.path.abspath(__file__), str(read_end),
             str(ready_write), str(rank), str(size), str(os.getpid()), os.uname().nodename,
             token],
            pass_fds=(read_end, ready_write), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True)  # out of the rank's process group, which may be killed
    except OSError:
        os.close(write_end)
        return
    finally:
        os.close(read_end)
        os.close(ready_write)
    # Wait (briefly) until the watcher listens: a rank killed right after start-up must be
    # seen by its own watcher before the launcher's cleanup reaches the others.
    select.select([ready_read], [], [], 10.0)
    os.close(ready_read)
    _pipe, _owner_pid = write_end, os.getpid()
    import atexit
    atexit.register(say, DONE)
    # A forked child (a data-loading worker, say) must not keep the pipe open after the rank
    # died, nor speak for the rank.
    os.register_at_fork(after_in_child=_forget)


def say(word):
    """Tell the watcher how this rank is ending (``DONE`` or ``REPORTED``)."""
    if _pipe is not None and _owner_pid == os.getpid():
        try:
            os.write(_pipe, word)
        except OSError:
            pass


def _forget():
    global _pipe
    if _pipe is not None:
        try:
            os.close(_pipe)
        except OSError:
            pass
        _pipe = None


def _marker(token):
    return os.path.join(os.environ.get('TMPDIR') or '/tmp',
                        'dchain-rank-watch-{}.claim'.format(token))


def _claim(token):
    try:
        os.close(os.open(_marker(token), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        return True
    except OSError:
        return False


def watch(read_end, ready, rank, size, pid, host, token):
    """The watcher's life: wait for the rank to end, then speak if it ended unannounced."""
    os.write(ready, b'.')
    os.close(ready)
    last = b''
    claimed = False
    while True:
        try:
            chunk = os.read(read_end, 64)
        except InterruptedError:
            continue
        if not chunk:
            break
        last = chunk[-1:]
        if REPORTED in chunk and not claimed:
            claimed = _claim(token)
    if not last and _claim(token):
        claimed = True
        now = time.time()
        when = time.strftime('%H:%M:%S', time.gmtime(now)) + '.{:03d}'.format(
            int(now % 1 * 1000))
        sys.stderr.write(
            '[dchain] rank {}/{} (pid {} on {}) ended abruptly at {} UTC: killed by a signal '
            'or crashed, without an error of its own; the job cannot go on without it.\n'
            .format(rank, size, pid, host, when))
        sys.stderr.flush()
    if claimed:
        # Let the output pipe go (the launcher waits for it), keep the claim a little.
        os.close(2)
        time.sleep(_CLAIM_SECONDS)
        try:
            os.remove(_marker(token))
        except OSError:
            pass


if __name__ == '__main__':
    _fd, _ready, _rank, _size, _pid, _host, _token = sys.argv[1:]
    watch(int(_fd), int(_ready), _rank, _size, _pid, _host, _token)
