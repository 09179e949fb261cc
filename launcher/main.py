"""dchain-launch: start the control plane, run the job under mpiexec, supervise it.

    dchain-launch -n N [--hostfile F] [--control-addr HOST:PORT] [--token-file F]
                  [--job-name NAME] [--out DIR] [--] python train.py ...

Every rank runs under a small supervisor (``launcher._rank``) that prefixes its output with
``[rank]`` and reports how it ended. On the first abnormal exit the job is recorded FAILED
(rank, exit code or signal, the last lines of its stderr) and the other ranks are stopped.
Ctrl-C asks for a graceful stop (snapshot, then exit 0); a second Ctrl-C terminates. The
launcher exits with the job's exit code.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from dchain.control import _common
from dchain.control import new_job_id

MPI_HINT = 'install the MPI runtime with: pip install "dchain[mpi]"'


def find_mpiexec(explicit=None):
    """``mpiexec`` next to the interpreter (the mpich wheel puts it there), else on PATH."""
    if explicit:
        if os.path.isfile(explicit) and os.access(explicit, os.X_OK):
            return explicit
        found = shutil.which(explicit)
        if found:
            return found
        raise FileNotFoundError('mpiexec {!r} not found; {}'.format(explicit, MPI_HINT))
    candidate = os.path.join(os.path.dirname(sys.executable), 'mpiexec')
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which('mpiexec') or shutil.which('mpirun')
    if found:
        return found
    raise FileNotFoundError('no mpiexec next to {} nor on PATH; {}'.format(
        sys.executable, MPI_HINT))


def _is_open_mpi(mpiexec):
    try:
        out = subprocess.run([mpiexec, '--version'], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return 'Open MPI' in out or 'OpenRTE' in out


def build_parser():
    p = argparse.ArgumentParser(
        prog='dchain-launch', description='Run a dchain job under mpiexec with a control plane.',
        usage='%(prog)s -n N [options] [--] COMMAND ...')
    p.add_argument('-n', '--np', type=int, required=True, dest='n', help='number of ranks')
    p.add_argument('--hostfile', help='hosts to run on (passed to mpiexec)')
    p.add_argument('--control-addr', default='127.0.0.1:0',
                   help='HOST:PORT the control plane binds (default 127.0.0.1, any port)')
    p.add_argument('--token-file', help='file holding the bearer token (or set {})'.format(
        _common.ENV_TOKEN))
    p.add_argument('--tls-cert', help='PEM certificate: serve the control plane over TLS')
    p.add_argument('--tls-key', help='PEM private key of --tls-cert')
    p.add_argument('--job-name', default='', help='a readable name for the job')
    p.add_argument('--job-id', default='', help='the job id (default: generated)')
    p.add_argument('--out', help='where the job record goes (default $DCHAIN_HOME/runs/ID)')
    p.add_argument('--mpiexec', help='the mpiexec to use (default: found automatically)')
    p.add_argument('--heartbeat-timeout', type=float, default=None,
                   help='seconds without a heartbeat before a rank is flagged silent')
    p.add_argument('--kill-grace', type=float, default=3.0,
                   help='seconds between SIGTERM and SIGKILL when stopping the ranks')
    p.add_argument('command', nargs=argparse.REMAINDER, help='the command every rank runs')
    return p


class Launcher:
    """One launched job: the control plane, mpiexec and the supervision loop."""

    def __init__(self, args):
        self.args = args
        self.server = None
        self.proc = None
        self._interrupts = 0
        self._killing = None

    def _log(self, message):
        print('dchain-launch: ' + message, file=sys.stderr, flush=True)

    def run(self):
        from dchain.control import server as server_module
        args = self.args
        command = list(args.command)
        if command and command[0] == '--':
            command = command[1:]
        if not command:
            raise SystemExit('dchain-launch: no command to run (dchain-launch -n N -- python '
                             'train.py ...)')
        if args.n < 1:
            raise SystemExit('dchain-launch: -n must be at least 1, got {}'.format(args.n))
        try:
            mpiexec = find_mpiexec(args.mpiexec)
            token = _common.read_token(args.token_file)
        except (OSError, ValueError) as e:
            raise SystemExit('dchain-launch: {}'.format(e))
        name = args.job_name or os.path.basename(command[-1] if len(command) == 1 else
                                                 command[1] if len(command) > 1 else 'job')
        job_id = args.job_id or new_job_id(args.job_name or os.path.basename(
            next((c for c in command[1:] if not c.startswith('-')), command[0])))
        out = args.out or os.path.join(_common.dchain_home(), 'runs', job_id)
        try:
            self.server = server_module.serve(
                job_id, name=args.job_name or name, world_size=args.n, out_dir=out,
                address=args.control_addr, token=token, tls_cert=args.tls_cert,
                tls_key=args.tls_key, heartbeat_timeout=args.heartbeat_timeout,
                command_line=command)
        except (OSError, ValueError) as e:
            raise SystemExit('dchain-launch: {}'.format(e))
        self._log('job {} ({} ranks); control plane at {}; status: dchain status --job {}'
                  .format(job_id, args.n, self.server.address, job_id))
        env = dict(os.environ)
        env.update({_common.ENV_ADDR: self.server.address, _common.ENV_JOB_ID: job_id,
                    _common.ENV_JOB_DIR: os.path.abspath(out), 'PYTHONUNBUFFERED': '1'})
        env.pop(_common.ENV_HOST_CONTROL, None)
        if token:
            env[_common.ENV_TOKEN] = token
        if args.tls_cert:
            env['DCHAIN_CONTROL_TLS_CA'] = os.path.abspath(args.tls_cert)
        cmd = [mpiexec, '-n', str(args.n)]
        if args.hostfile:
            cmd += ['-f' if not _is_open_mpi(mpiexec) else '--hostfile', args.hostfile]
        if _is_open_mpi(mpiexec):
            for var in (_common.ENV_ADDR, _common.ENV_JOB_ID, _common.ENV_JOB_DIR,
                        _common.ENV_TOKEN, 'DCHAIN_CONTROL_TLS_CA', 'PYTHONUNBUFFERED'):
                if var in env:
                    cmd += ['-x', var]
        cmd += [sys.executable, '-m', 'launcher._rank', '--'] + command
        # mpiexec gets SIGTERM if the launcher dies without cleaning up (SIGKILL), and takes
        # the ranks down with it.
        cmd = [sys.executable, '-m', 'launcher._parent_death', 'SIGTERM', str(os.getpid()),
               '--'] + cmd
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        previous_term = signal.signal(signal.SIGTERM, self._on_sigterm)
        try:
            self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
            code = self._supervise()
        finally:
            signal.signal(signal.SIGINT, previous)
            signal.signal(signal.SIGTERM, previous_term)
            if self.proc is not None and self.proc.poll() is None:
                self._kill_all(grace=0.0)
            self._sweep()
            self.server.stop(grace=1.0)
        return code

    # -- signals ---------------------------------------------------------------------
    def _on_sigint(self, signum, frame):
        self._interrupts += 1
        if self._interrupts == 1:
            self._log('Ctrl-C: stopping gracefully (snapshot, then exit); Ctrl-C again to '
                      'terminate')
            self.server.record.request_stop()
        else:
            self._log('terminating the job')
            self._killing = self._killing or time.time()

    def _on_sigterm(self, signum, frame):
        self._interrupts = max(self._interrupts, 1)
        self._killing = self._killing or time.time()

    # -- supervision -------------------------------------------------------------------
    def _supervise(self):
        from dchain.control.v1 import control_pb2 as pb
        record = self.server.record
        proc = self.proc
        while proc.poll() is None:
            if self._killing is None and record.state == pb.FAILED:
                job = record.snapshot()
                self._log('rank {} failed ({}); stopping the other ranks'.format(
                    job.failure.rank, job.failure.message))
                self._killing = time.time()
            if self._killing is not None:
                self._kill_all(grace=self.args.kill_grace)
                break
            time.sleep(0.05)
        rc = proc.wait()
        # Give the supervisors' exit reports a moment to land.
        deadline = time.time() + 2.0
        while record.state not in (pb.SUCCEEDED, pb.FAILED, pb.STOPPED) and \
                time.time() < deadline:
            record.wait_for_change(record.version, 0.1)
        if record.state not in (pb.SUCCEEDED, pb.FAILED, pb.STOPPED):
            if rc == 0 and self._killing is None:
                record.finish(0)
            else:
                record.finish(rc if rc else 1,
                              message='terminated' if self._killing and not rc else
                              'mpiexec exited with code {}'.format(rc))
        job = record.snapshot()
        state = pb.JobState.Name(job.state)
        if job.state == pb.FAILED:
            code = job.exit_code or rc or 1
            f = job.failure
            self._log('job {} FAILED: {}'.format(job.job_id, f.message))
            for line in list(f.traceback)[-10:]:
                print('dchain-launch:   ' + line, file=sys.stderr)
        else:
            code = 0 if rc == 0 else rc
            self._log('job {} {} at iteration {}'.format(job.job_id, state, job.iteration))
        return code if 0 <= code < 256 else 1

    def _signal_group(self, signum):
        try:
            os.killpg(self.proc.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    def _kill_all(self, grace):
        """SIGTERM every process of the job, SIGKILL what is left after ``grace`` seconds."""
        self._signal_group(signal.SIGTERM)
        self._signal_local_workers(signal.SIGTERM)
        deadline = time.time() + grace
        while time.time() < deadline and self.proc.poll() is None:
            time.sleep(0.05)
        self._signal_group(signal.SIGKILL)
        self._signal_local_workers(signal.SIGKILL)
        try:
            self.proc.wait(5.0)
        except subprocess.TimeoutExpired:
            pass

    def _local_pids(self):
        """Reported pids on this host that still belong to this job (pids get reused)."""
        me = socket.gethostname()
        marker = '{}={}'.format(_common.ENV_JOB_ID, self.server.record.job_id).encode()
        pids = []
        for w in self.server.record.snapshot().workers:
            if w.host not in ('', me):
                continue
            for pid in (w.pid, w.wrapper_pid):
                if pid <= 0 or pid == os.getpid():
                    continue
                try:
                    with open('/proc/{}/environ'.format(pid), 'rb') as f:
                        if marker in f.read().split(b'\0'):
                            pids.append(pid)
                except OSError:
                    pass
        return pids

    def _signal_local_workers(self, signum):
        for pid in self._local_pids():
            try:
                os.kill(pid, signum)
            except (ProcessLookupError, PermissionError):
                pass

    def _sweep(self):
        """Make sure no rank process of ours outlives the launcher."""
        alive = []
        for pid in self._local_pids():
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except (ProcessLookupError, PermissionError):
                pass
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def main(argv=None):
    args = build_parser().parse_args(argv)
    return Launcher(args).run()


if __name__ == '__main__':
    sys.exit(main())
