"""Run a command that gets a signal when the process that started it dies.

    python -m launcher._parent_death SIGNAL PARENT_PID -- COMMAND [ARGS...]

sets Linux's parent-death signal (``prctl(PR_SET_PDEATHSIG)``, kept across ``exec``) and
replaces itself with COMMAND, so a launcher killed with SIGKILL leaves no orphaned mpiexec.
It is a process of its own, rather than a ``preexec_fn``, because the launcher forks while its
gRPC threads run: Python code between fork and exec in a threaded parent can deadlock or
abort the child (seen as mpiexec dying with SIGABRT at start-up). Without a ``preexec_fn``,
``subprocess`` starts this with vfork, which runs no code of the parent's in the child.
"""
import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 4 or argv[2] != '--':
        print('usage: python -m launcher._parent_death SIGNAL PARENT_PID -- COMMAND ...',
              file=sys.stderr)
        return 2
    signum = getattr(signal, argv[0])
    parent = int(argv[1])
    command = argv[3:]
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signum))
    except (OSError, AttributeError):
        pass  # not Linux: the launcher's own cleanup still applies
    if os.getppid() != parent:
        return 128 + int(signum)  # the parent died before the signal was armed
    try:
        os.execvp(command[0], command)
    except OSError as e:
        print('dchain-launch: cannot start {!r}: {}'.format(command[0], e), file=sys.stderr)
        return 127


if __name__ == '__main__':
    sys.exit(main())
