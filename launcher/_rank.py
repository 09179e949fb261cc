"""Per-rank supervisor: runs one rank's command, prefixes its output, reports how it ended.

``mpiexec ... python -m launcher._rank -- python train.py ...``. The rank's process inherits
the MPI runtime's file descriptors (so MPI_Init works in it) and dies with its supervisor
(PR_SET_PDEATHSIG on Linux), so killing the supervisors never leaves a rank behind.
"""
import collections
import os
import signal
import subprocess
import sys
import threading

from dchain.control import _common
from dchain.control.reporter import env_rank_size

TAIL_LINES = 40


def _die_with_parent():
    try:
        import ctypes
        libc = ctypes.CDLL('libc.so.6', use_errno=True)
        libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except Exception:
        pass


def _pump(stream, out, prefix, tail):
    for line in iter(stream.readline, b''):
        if tail is not None:
            tail.append(line.decode('utf-8', 'replace').rstrip('\n'))
        try:
            out.write(prefix + line)
            out.flush()
        except (OSError, ValueError):
            pass
    stream.close()


def report_exit(rank, size, exit_code, signum, tail):
    address = os.environ.get(_common.ENV_ADDR)
    if not address:
        return False
    try:
        from dchain.control.client import ControlClient
        from dchain.control.v1 import control_pb2 as pb
        with ControlClient(address, timeout=3.0,
                           tls_ca=os.environ.get('DCHAIN_CONTROL_TLS_CA')) as client:
            client.report(pb.ReportRequest(
                job_id=os.environ.get(_common.ENV_JOB_ID, ''), rank=rank, world_size=size,
                kind=pb.REPORT_EXITED, host=_common.hostname(), exit_code=exit_code,
                signal=signum, traceback=list(tail)[-TAIL_LINES:], wrapper_pid=os.getpid()))
        return True
    except Exception as e:
        print('[{}] dchain-launch: cannot report the exit: {}'.format(rank, e), file=sys.stderr)
        return False


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == '--':
        argv = argv[1:]
    if not argv:
        print('usage: python -m launcher._rank -- COMMAND ...', file=sys.stderr)
        return 2
    rank, size = env_rank_size()
    env = dict(os.environ, DCHAIN_WRAPPER_PID=str(os.getpid()), PYTHONUNBUFFERED='1')
    try:
        child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 stdin=subprocess.DEVNULL, close_fds=False, env=env,
                                 preexec_fn=_die_with_parent)
    except OSError as e:
        print('[{}] cannot start {!r}: {}'.format(rank, argv[0], e), file=sys.stderr)
        report_exit(rank, size, 127, 0, [str(e)])
        return 127

    def forward(signum, frame):
        try:
            child.send_signal(signum)
        except OSError:
            pass
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1):
        signal.signal(signum, forward)

    prefix = '[{}] '.format(rank).encode()
    tail = collections.deque(maxlen=TAIL_LINES)
    pumps = [threading.Thread(target=_pump, args=(child.stdout, sys.stdout.buffer, prefix, None),
                              daemon=True),
             threading.Thread(target=_pump, args=(child.stderr, sys.stderr.buffer, prefix, tail),
                              daemon=True)]
    for pump in pumps:
        pump.start()
    code = child.wait()
    for pump in pumps:
        pump.join(2.0)
    signum = -code if code < 0 else 0
    exit_code = 128 + signum if signum else code
    report_exit(rank, size, exit_code, signum, tail)
    return exit_code


if __name__ == '__main__':
    sys.exit(main())
