"""ControlReporter: the trainer extension that reports to the control plane and obeys it.

Heartbeats and observations go out from a background thread at a bounded rate (the training
loop only drops its latest state into a one-slot mailbox and never waits on the network).
Stop and snapshot commands are applied at an iteration boundary; with a communicator of
several ranks, rank 0 takes the decision and broadcasts it so every rank acts at the same
iteration.
"""
import collections
import math
import os
import sys
import threading
import time
import traceback as traceback_module

from dchain.control import _common
from dchain.training import extension

_RANK_VARIABLES = ('PMI_RANK', 'OMPI_COMM_WORLD_RANK', 'PMIX_RANK', 'MV2_COMM_WORLD_RANK',
                   'SLURM_PROCID')
_SIZE_VARIABLES = ('PMI_SIZE', 'OMPI_COMM_WORLD_SIZE', 'MV2_COMM_WORLD_SIZE', 'SLURM_NTASKS')

_NONE, _STOP, _SNAPSHOT = 0, 1, 2


def env_rank_size():
    """(rank, size) as the MPI launcher tells them through the environment (0, 1 without)."""
    rank = next((int(os.environ[v]) for v in _RANK_VARIABLES if os.environ.get(v)), 0)
    size = next((int(os.environ[v]) for v in _SIZE_VARIABLES if os.environ.get(v)), 1)
    return rank, size


def find_communicator(trainer):
    """The communicator of a multi-node optimizer of the trainer, if any."""
    try:
        optimizers = trainer.updater.get_all_optimizers().values()
    except Exception:
        return None
    for optimizer in optimizers:
        comm = getattr(optimizer, '__dict__', {}).get('communicator')
        if comm is not None:
            return comm
    return None


def _scalar(value):
    try:
        array = getattr(value, 'array', value)
        if hasattr(array, 'size') and array.size != 1:
            return None
        if hasattr(array, 'item'):
            array = array.item()
        result = float(array)
    except (TypeError, ValueError, AttributeError):
        return None
    return result


class _StopTrigger:
    """Wraps the trainer's stop trigger so a stop command ends the loop cleanly."""

    def __init__(self, inner, reporter):
        self.__dict__['_inner'] = inner
        self.__dict__['_reporter'] = reporter

    def __call__(self, trainer):
        return self._reporter._stop_now or self._inner(trainer)

    def __getattr__(self, name):
        return getattr(self.__dict__['_inner'], name)


class ControlReporter(extension.Extension):
    """Reports heartbeats and observations to the control plane and obeys stop/snapshot.

    Usually added by :func:`dchain.control.maybe_extend`; to add it by hand use
    ``ControlReporter(...).attach(trainer)`` (``trainer.extend`` alone cannot stop the loop).

    Args:
        address (str): control plane ``HOST:PORT`` (default ``$DCHAIN_CONTROL_ADDR``).
        token (str): bearer token (default ``$DCHAIN_CONTROL_TOKEN``).
        job_id (str): default ``$DCHAIN_JOB_ID``.
        comm: the communicator; found in the trainer's multi-node optimizer when None.
        interval (float): seconds between reports.
        check_interval (int): iterations between command checks (a collective when the
            communicator has several ranks; every rank checks at the same iterations).
        rpc_timeout (float): deadline of one report call.
        tls_ca (str): CA certificate to speak TLS with the control plane.
    """

    trigger = 1, 'iteration'
    priority = extension.PRIORITY_READER - 1   # after the writers, so observations are in
    default_name = 'ControlReporter'

    def __init__(self, address=None, token=None, job_id=None, comm=None, interval=0.5,
                 check_interval=1, rpc_timeout=2.0, tls_ca=None, queue_size=16):
        self.address = address or os.environ.get(_common.ENV_ADDR)
        self.token = token if token is not None else _common.read_token()
        self.job_id = job_id if job_id is not None else os.environ.get(_common.ENV_JOB_ID, '')
        self.comm = comm
        self.interval = float(interval)
        self.check_interval = max(1, int(check_interval))
        self.rpc_timeout = float(rpc_timeout)
        self.tls_ca = tls_ca or os.environ.get('DCHAIN_CONTROL_TLS_CA') or None
        self.rank, self.size = env_rank_size()
        self._stop_now = False
        self._stopped_by_command = False
        self._acted = 0                   # id of the last command acted on
        self._command = (0, _NONE)        # newest command the server sent (thread writes)
        self._latest = None               # the one-slot mailbox of the newest state
        self._events = collections.deque(maxlen=max(1, queue_size))
        self._wake = threading.Event()
        self._closing = False
        self._thread = None
        self._client = None
        self._step_times = collections.deque(maxlen=50)
        self._last_call = None
        self._last_publish = 0.0
        self._last_snapshot = ''
        self._finished = False
        self.host_server = None           # the ControlServer rank 0 hosts without a launcher
        self.failures = 0                 # report calls that failed (the plane slow or gone)
        self.sent = 0

    # -- wiring ----------------------------------------------------------------------
    def attach(self, trainer):
        """Extend ``trainer`` with this reporter and let it end the loop on a stop command."""
        if not isinstance(trainer.stop_trigger, _StopTrigger):
            trainer.stop_trigger = _StopTrigger(trainer.stop_trigger, self)
        trainer.extend(self)
        trainer._dchain_control_reporter = self
        return self

    def initialize(self, trainer):
        if not isinstance(trainer.stop_trigger, _StopTrigger):
            import warnings
            warnings.warn('ControlReporter was added with trainer.extend(); stop requests will '
                          'take a snapshot but cannot end the loop. Use '
                          'ControlReporter(...).attach(trainer) or '
                          'dchain.control.maybe_extend(trainer).', RuntimeWarning, stacklevel=2)
        if self.comm is None:
            self.comm = find_communicator(trainer)
        if self.comm is not None:
            self.rank, self.size = self.comm.rank, self.comm.size
        inner = trainer.stop_trigger
        inner = getattr(inner, '__dict__', {}).get('_inner', inner)
        self._stop_length, self._stop_unit = 0, ''
        period, unit = getattr(inner, 'period', None), getattr(inner, 'unit', None)
        if unit in ('iteration', 'epoch') and period:
            self._stop_length, self._stop_unit = int(math.ceil(period)), unit
        try:
            self._batch_size = int(trainer.updater.get_iterator('main').batch_size)
        except Exception:
            self._batch_size = 0
        device = getattr(trainer.updater, 'device', None)
        self._device = str(device) if device is not None else 'cpu'
        if self._thread is None and self.address:
            self._thread = threading.Thread(target=self._loop, daemon=True,
                                            name='dchain-control-reporter')
            self._thread.start()

    # -- the training side (must stay cheap) ----------------------------------------
    def __call__(self, trainer):
        now = time.perf_counter()
        if self._last_call is not None:
            self._step_times.append(now - self._last_call)
        self._last_call = now
        updater = trainer.updater
        if now - self._last_publish >= self.interval * 0.5:
            self._last_publish = now
            self._latest = self._state(trainer, updater)
        if updater.iteration % self.check_interval == 0:
            self._check_commands(trainer)

    def _state(self, trainer, updater, kind=0, **extra):
        observations = {}
        for key, value in list(trainer.observation.items())[:512]:
            scalar = _scalar(value)
            if scalar is not None:
                observations[str(key)[:256]] = scalar
        mean = sum(self._step_times) / len(self._step_times) if self._step_times else 0.0
        state = dict(kind=kind, iteration=int(updater.iteration),
                     epoch=int(getattr(updater, 'epoch', 0) or 0),
                     epoch_detail=float(getattr(updater, 'epoch_detail', 0.0) or 0.0),
                     observations=observations, mean_step_time=mean,
                     samples_per_second=(self._batch_size / mean) if mean > 0 else 0.0,
                     stop_length=getattr(self, '_stop_length', 0),
                     stop_unit=getattr(self, '_stop_unit', ''),
                     snapshot_path=self._last_snapshot, acked_command_id=self._acted)
        state.update(extra)
        return state

    def _check_commands(self, trainer):
        command = self._command if self.rank == 0 or self.comm is None else None
        if command is not None and command[0] <= self._acted:
            command = (command[0], _NONE)
        if self.comm is not None and self.size > 1:
            command = self.comm.bcast_obj(command, root=0)
        cid, kind = command
        if kind == _NONE or cid <= self._acted:
            return
        self._acted = cid
        path = self.take_snapshot(trainer)
        if kind == _STOP:
            self._stop_now = True
            self._stopped_by_command = True
        self._push_event(self._state(trainer, trainer.updater, kind=3, snapshot_path=path))

    def take_snapshot(self, trainer):
        """Save the trainer with its snapshot extension(s) (a default one when none)."""
        from dchain.training.extensions import _snapshot
        entries = getattr(trainer, '_extensions', {})
        exts = [e.extension for e in entries.values()
                if isinstance(e.extension, _snapshot._Snapshot) and e.extension._target is None]
        if not exts:
            name = 'snapshot_iter_{.updater.iteration}' if self.size <= 1 else \
                'snapshot_rank{}_iter_{{.updater.iteration}}'.format(self.rank)
            exts = [_snapshot.snapshot(filename=name)]
        path = ''
        for ext in exts:
            ext._make_snapshot(trainer)
            if isinstance(ext.filename, str):
                path = os.path.join(trainer.out, ext.filename.format(trainer))
        self._last_snapshot = path
        return path

    def _push_event(self, state):
        self._events.append(state)
        self._wake.set()

    # -- the reporting thread ------------------------------------------------------------
    def _request(self, state):
        from dchain.control.v1 import control_pb2 as pb
        req = pb.ReportRequest(
            job_id=self.job_id, rank=self.rank, world_size=self.size,
            host=_common.hostname(), pid=os.getpid(), device=getattr(self, '_device', 'cpu'),
            time=time.time(),
            wrapper_pid=int(os.environ.get('DCHAIN_WRAPPER_PID', '0') or 0))
        observations = state.pop('observations', None) or {}
        tb = state.pop('traceback', None) or []
        for key, value in state.items():
            setattr(req, key, value)
        req.observations.update(observations)
        req.traceback.extend(tb)
        return req

    def _connect(self):
        if self._client is None:
            from dchain.control.client import ControlClient
            self._client = ControlClient(self.address, token=self.token, tls_ca=self.tls_ca,
                                         timeout=self.rpc_timeout)
        return self._client

    def _send(self, state, timeout=None):
        try:
            response = self._connect().report(self._request(dict(state)), timeout=timeout)
        except Exception:
            self.failures += 1
            return False
        self.sent += 1
        command = response.command
        if command.id and command.id > self._command[0]:
            self._command = (command.id, command.kind)
        return True

    def _loop(self):
        backoff = self.interval
        while not self._closing:
            self._wake.wait(backoff)
            self._wake.clear()
            if self._closing:
                break
            ok = True
            while self._events and ok:
                ok = self._send(self._events[0])
                if ok:
                    self._events.popleft()
            state = self._latest
            if ok and state is not None:
                ok = self._send(state)
            # A slow or absent control plane costs this thread time, never the trainer's.
            backoff = self.interval if ok else min(5.0, max(self.interval, backoff * 2))

    def _close(self, final_state):
        self._closing = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self.rpc_timeout + 1.0)
            self._thread = None
        if final_state is not None and self.address:
            for state in list(self._events) + [final_state]:
                self._send(state, timeout=min(self.rpc_timeout, 2.0))
            self._events.clear()

    # -- end of training -------------------------------------------------------------------
    def on_error(self, trainer, exc, tb):
        lines = ''.join(traceback_module.format_exception(type(exc), exc, tb)).splitlines()
        self._finished = True
        self._close(self._state(trainer, trainer.updater, kind=4, traceback=lines[-40:]))
        self._shutdown_host(failed=True)

    def finalize(self, trainer=None):
        if not self._finished:
            self._finished = True
            final = None
            if trainer is not None:
                final = self._state(trainer, trainer.updater, kind=1,
                                    stopped=self._stopped_by_command)
            self._close(final)
        if self._client is not None:
            self._client.close()
            self._client = None
        self._shutdown_host()

    def _shutdown_host(self, failed=False):
        server = self.host_server
        if server is None:
            return
        self.host_server = None
        from dchain.control.v1 import control_pb2 as pb
        record = server.record
        deadline = time.time() + 5.0
        while not failed and record.state not in (pb.SUCCEEDED, pb.STOPPED, pb.FAILED) and \
                time.time() < deadline:
            record.wait_for_change(record.version, 0.2)
        if record.state not in (pb.SUCCEEDED, pb.STOPPED, pb.FAILED):
            record.finish(1 if failed else 0)
        server.stop(grace=0.5)
        print('dchain control: job {} ended {}'.format(record.job_id, pb.JobState.Name(
            record.state)), file=sys.stderr)
