"""The job record: thread-safe state of one job, fed by worker reports and the launcher."""
import os
import re
import signal as signal_module
import statistics
import threading
import time

from google.protobuf import json_format

from dchain.control import _common
from dchain.control.v1 import control_pb2 as pb

TERMINAL = frozenset((pb.SUCCEEDED, pb.FAILED, pb.STOPPED))
_ID_RE = re.compile(r'[A-Za-z0-9._-]{1,128}\Z')

MAX_OBSERVATIONS = 512
MAX_KEY_CHARS = 256
MAX_TRACEBACK_LINES = 200
MAX_STRING_CHARS = 4096


class InvalidRequest(ValueError):
    """A request the server refuses as malformed (maps to INVALID_ARGUMENT)."""


def valid_job_id(job_id):
    return bool(_ID_RE.match(job_id or ''))


def signal_name(signum):
    try:
        return signal_module.Signals(signum).name
    except ValueError:
        return 'signal {}'.format(signum)


def job_to_dict(job):
    return json_format.MessageToDict(job, preserving_proto_field_name=True,
                                     always_print_fields_with_no_presence=True)


def job_from_dict(data):
    job = pb.Job()
    json_format.ParseDict(data, job, ignore_unknown_fields=True)
    return job


class JobRecord:
    """State of one job.

    Every mutation bumps ``version`` and wakes the watchers; the record is written (atomically)
    to ``out_dir`` and to the index under ``$DCHAIN_HOME/jobs`` on every state change and at
    most every ``persist_interval`` seconds otherwise.

    Args:
        job_id, name (str): identity of the job.
        world_size (int): number of ranks (0 when not known yet: the first report tells).
        out_dir (str): where the job record goes (None: only the index).
        heartbeat_timeout (float): a rank silent this long is flagged.
        straggler_factor (float): a rank whose mean step time exceeds this multiple of the
            median of the other ranks is a straggler.
    """

    def __init__(self, job_id, name='', world_size=0, out_dir=None, heartbeat_timeout=10.0,
                 straggler_factor=2.0, persist=True, persist_interval=2.0, command_line=()):
        if not valid_job_id(job_id):
            raise ValueError('a job id is 1 to 128 characters of [A-Za-z0-9._-], got {!r}'
                             .format(job_id))
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self.heartbeat_timeout = float(heartbeat_timeout)
        self.straggler_factor = float(straggler_factor)
        self._job = pb.Job(job_id=job_id, name=name or job_id, state=pb.PENDING,
                           world_size=int(world_size), start_time=time.time(),
                           out_dir=os.path.abspath(out_dir) if out_dir else '')
        self._job.command_line.extend(command_line)
        self._workers = {}
        self._cache = None
        self._samples = {}
        self._command_seq = 0
        self._stop_requested = False
        self._finished = set()
        self._exited = {}
        self._persist = persist
        self._persist_lock = threading.Lock()
        self._persist_interval = persist_interval
        self._dirty = False
        self._closed = False
        if world_size:
            self._placeholders(int(world_size))
        if persist:
            self._persist_now()
            self._persister = threading.Thread(target=self._persist_loop, daemon=True,
                                               name='dchain-control-persist')
            self._persister.start()

    # -- reading ---------------------------------------------------------------------
    @property
    def job_id(self):
        return self._job.job_id

    @property
    def version(self):
        with self._lock:
            return self._job.version

    @property
    def state(self):
        with self._lock:
            return self._job.state

    def snapshot(self):
        """A consistent copy of the job (a ``Job`` message) with stragglers evaluated now."""
        with self._lock:
            return self._snapshot_locked(time.time())

    def snapshot_bytes(self, max_age=0.1):
        """``(version, serialized Job)``, shared by callers within ``max_age`` seconds.

        Many watchers and pollers then cost one copy and one serialization per change.
        """
        now = time.monotonic()
        cached = self._cache
        if cached is not None and cached[0] == self._job.version and now - cached[1] < max_age:
            return cached[0], cached[2]
        with self._lock:
            job = self._snapshot_locked(time.time())
        data = job.SerializeToString()
        self._cache = (job.version, now, data)
        return job.version, data

    def _snapshot_locked(self, now):
        job = pb.Job()
        job.CopyFrom(self._job)
        workers = [self._workers[r] for r in sorted(self._workers)]
        times = {w.rank: w.mean_step_time for w in workers
                 if w.mean_step_time > 0 and w.state == pb.WORKER_RUNNING}
        for w in workers:
            out = job.workers.add()
            out.CopyFrom(w)
            running = w.state in (pb.WORKER_RUNNING, pb.WORKER_STARTING)
            since = w.last_heartbeat or job.start_time
            if running and job.state not in TERMINAL and now - since > self.heartbeat_timeout:
                out.state = pb.WORKER_SILENT
                out.silent = True
                out.straggler = True
                out.straggler_reason = 'no heartbeat for {:.1f} s'.format(now - since)
                continue
            others = [t for r, t in times.items() if r != w.rank]
            if w.rank in times and others:
                median = statistics.median(others)
                if times[w.rank] > self.straggler_factor * median:
                    out.straggler = True
                    out.straggler_reason = 'step time {:.3g} s vs median {:.3g} s'.format(
                        times[w.rank], median)
        job.throughput = sum(self._samples.values())
        if job.stop_length > 0 and job.state not in TERMINAL:
            lead = self._workers.get(0)
            if job.stop_unit == 'epoch':
                done = job.epoch_detail
                per_iter = job.epoch_detail / job.iteration if job.iteration else 0.0
                remaining_iters = (job.stop_length - done) / per_iter if per_iter else 0.0
            else:
                done = job.iteration
                remaining_iters = job.stop_length - done
            job.progress = min(1.0, max(0.0, done / job.stop_length))
            step = lead.mean_step_time if lead is not None else 0.0
            if step > 0 and remaining_iters >= 0:
                job.has_eta = True
                job.eta_seconds = remaining_iters * step
        elif job.state == pb.SUCCEEDED:
            job.progress = 1.0
        return job

    def wait_for_change(self, version, timeout):
        """Block until the version differs from ``version`` or ``timeout`` passes."""
        with self._cond:
            if self._job.version == version and not self._closed:
                self._cond.wait(timeout)
            return self._job.version

    # -- writing ---------------------------------------------------------------------
    def _changed(self, state_change=False):
        self._job.version += 1
        self._dirty = True
        self._cond.notify_all()
        return state_change

    def _placeholders(self, n):
        for rank in range(n):
            if rank not in self._workers:
                self._workers[rank] = pb.Worker(rank=rank, state=pb.WORKER_STARTING)

    def set_address(self, address):
        with self._lock:
            self._job.address = address
            self._changed()
        self.persist()

    def report(self, req):
        """Apply a worker's report; returns the ``ReportResponse``."""
        self._validate(req)
        persist = False
        with self._lock:
            job = self._job
            if req.world_size and not job.world_size:
                job.world_size = req.world_size
                self._placeholders(req.world_size)
            w = self._workers.get(req.rank)
            if w is None:
                w = self._workers[req.rank] = pb.Worker(rank=req.rank)
            now = time.time()
            if req.host:
                w.host = req.host
            if req.pid and req.kind != pb.REPORT_EXITED:
                w.pid = req.pid
            if req.wrapper_pid:
                w.wrapper_pid = req.wrapper_pid
            if req.device:
                w.device = req.device
            w.last_heartbeat = now
            if req.kind in (pb.REPORT_HEARTBEAT, pb.REPORT_SNAPSHOT_TAKEN):
                if w.state in (pb.WORKER_STARTING, pb.WORKER_STATE_UNSPECIFIED,
                               pb.WORKER_SILENT):
                    w.state = pb.WORKER_RUNNING
                if job.state == pb.PENDING:
                    job.state = pb.RUNNING
                    persist = True
            if req.iteration >= w.iteration:
                w.iteration = req.iteration
            if req.mean_step_time > 0:
                w.mean_step_time = req.mean_step_time
            if req.kind != pb.REPORT_EXITED:
                self._samples[req.rank] = max(0.0, req.samples_per_second)
            if req.rank == 0 and req.kind != pb.REPORT_EXITED:
                if req.iteration >= job.iteration:
                    job.iteration = req.iteration
                    job.epoch = req.epoch
                    job.epoch_detail = req.epoch_detail
                if req.observations:
                    job.observations.clear()
                    job.observations.update(req.observations)
                if req.stop_length:
                    job.stop_length = req.stop_length
                    job.stop_unit = req.stop_unit
            if req.snapshot_path:
                job.last_snapshot = req.snapshot_path
            if req.rank == 0 and req.acked_command_id and job.pending_command.id and \
                    req.acked_command_id >= job.pending_command.id and \
                    job.pending_command.kind == pb.COMMAND_SNAPSHOT:
                job.ClearField('pending_command')
            if req.kind == pb.REPORT_ERROR:
                w.state = pb.WORKER_FAILED
                persist |= self._fail_locked(req.rank, 1, 0, list(req.traceback),
                                             'rank {} raised in the training loop'.format(
                                                 req.rank))
            elif req.kind == pb.REPORT_FINISHED:
                self._finished.add(req.rank)
                if job.world_size and len(self._finished) >= job.world_size:
                    persist |= self._end_locked(0)
            elif req.kind == pb.REPORT_EXITED:
                persist |= self._exit_locked(req.rank, req.exit_code, req.signal,
                                             list(req.traceback))
            self._changed()
            command = pb.Command()
            if job.pending_command.id:
                command.CopyFrom(job.pending_command)
            response = pb.ReportResponse(command=command, state=job.state)
        if persist:
            self.persist()
        return response

    def _validate(self, req):
        if req.job_id and req.job_id != self._job.job_id:
            raise KeyError(req.job_id)
        if req.rank < 0 or req.world_size < 0 or (
                self._job.world_size and req.rank >= self._job.world_size):
            raise InvalidRequest('rank {} is outside the job (world size {})'.format(
                req.rank, self._job.world_size))
        if len(req.observations) > MAX_OBSERVATIONS:
            raise InvalidRequest('too many observations ({} > {})'.format(
                len(req.observations), MAX_OBSERVATIONS))
        if any(len(k) > MAX_KEY_CHARS for k in req.observations):
            raise InvalidRequest('an observation key is longer than {} characters'.format(
                MAX_KEY_CHARS))
        if len(req.traceback) > MAX_TRACEBACK_LINES:
            raise InvalidRequest('traceback longer than {} lines'.format(MAX_TRACEBACK_LINES))
        for text in (req.host, req.device, req.stop_unit, req.snapshot_path):
            if len(text) > MAX_STRING_CHARS:
                raise InvalidRequest('a string field is longer than {} characters'.format(
                    MAX_STRING_CHARS))
        if req.stop_unit not in ('', 'iteration', 'epoch'):
            raise InvalidRequest('stop_unit must be "iteration" or "epoch"')

    def _fail_locked(self, rank, exit_code, signum, traceback, message):
        job = self._job
        if job.state in TERMINAL:
            return False
        job.state = pb.FAILED
        job.end_time = time.time()
        job.exit_code = 128 + signum if signum else (exit_code or 1)
        failure = job.failure
        failure.rank = rank
        failure.exit_code = exit_code
        failure.signal = signum
        failure.signal_name = signal_name(signum) if signum else ''
        del failure.traceback[:]
        failure.traceback.extend(traceback[-MAX_TRACEBACK_LINES:])
        failure.message = message
        job.ClearField('pending_command')
        return True

    def _end_locked(self, exit_code):
        job = self._job
        if job.state in TERMINAL:
            return False
        job.state = pb.STOPPED if self._stop_requested else pb.SUCCEEDED
        job.end_time = time.time()
        job.exit_code = exit_code
        job.ClearField('pending_command')
        return True

    def _exit_locked(self, rank, exit_code, signum, traceback):
        w = self._workers.setdefault(rank, pb.Worker(rank=rank))
        w.exit_code = exit_code
        w.signal = signum
        self._exited[rank] = (exit_code, signum)
        if exit_code == 0 and not signum:
            w.state = pb.WORKER_EXITED
            if self._job.world_size and all(
                    self._exited.get(r, (1, 0)) == (0, 0) for r in range(self._job.world_size)):
                return self._end_locked(0)
            return False
        w.state = pb.WORKER_FAILED
        if signum:
            message = 'rank {} was killed by {}'.format(rank, signal_name(signum))
        else:
            message = 'rank {} exited with code {}'.format(rank, exit_code)
        return self._fail_locked(rank, exit_code, signum, traceback, message)

    def record_exit(self, rank, exit_code=0, signum=0, traceback=()):
        """A rank's process ended (the launcher saw it)."""
        with self._lock:
            persist = self._exit_locked(rank, exit_code, signum, list(traceback))
            self._changed()
        if persist:
            self.persist()

    def fail(self, rank, exit_code, signum=0, traceback=(), message=''):
        """Mark the job FAILED (no effect once it has ended)."""
        with self._lock:
            persist = self._fail_locked(rank, exit_code, signum, list(traceback),
                                        message or 'rank {} failed'.format(rank))
            self._changed()
        if persist:
            self.persist()

    def finish(self, exit_code=0, message=''):
        """The whole job ended with ``exit_code`` (sets the final state unless already set)."""
        with self._lock:
            if exit_code == 0:
                persist = self._end_locked(0)
            else:
                signum = -exit_code if exit_code < 0 else 0
                persist = self._fail_locked(-1, exit_code if exit_code > 0 else 0, signum, [],
                                            message or 'the job exited with code {}'.format(
                                                exit_code))
            self._changed()
        if persist:
            self.persist()

    def _new_command(self, kind):
        self._command_seq += 1
        command = pb.Command(id=self._command_seq, kind=kind)
        self._job.pending_command.CopyFrom(command)
        return command

    def request_stop(self):
        """Ask for a graceful stop; returns the ``Command`` (kind NONE when it has ended)."""
        with self._lock:
            job = self._job
            if job.state in TERMINAL:
                return pb.Command(), self._snapshot_locked(time.time())
            if job.pending_command.kind == pb.COMMAND_STOP:
                command = pb.Command()
                command.CopyFrom(job.pending_command)
            else:
                command = self._new_command(pb.COMMAND_STOP)
            self._stop_requested = True
            job.state = pb.STOPPING
            self._changed()
            snap = self._snapshot_locked(time.time())
        self.persist()
        return command, snap

    def request_snapshot(self):
        with self._lock:
            job = self._job
            if job.state in TERMINAL:
                return pb.Command(), self._snapshot_locked(time.time())
            if job.pending_command.kind == pb.COMMAND_STOP:
                command = pb.Command()
                command.CopyFrom(job.pending_command)   # a stop snapshots anyway
            else:
                command = self._new_command(pb.COMMAND_SNAPSHOT)
            self._changed()
            return command, self._snapshot_locked(time.time())

    @property
    def stop_requested(self):
        return self._stop_requested

    # -- persistence -------------------------------------------------------------------
    def paths(self):
        paths = [os.path.join(_common.jobs_index_dir(), self._job.job_id + '.json')]
        if self._job.out_dir:
            paths.append(os.path.join(self._job.out_dir, _common.RECORD_NAME))
        return paths

    def persist(self):
        if self._persist:
            self._persist_now()

    def _persist_now(self):
        # One writer at a time, so an older state never replaces a newer one on disk.
        with self._persist_lock:
            with self._lock:
                data = job_to_dict(self._snapshot_locked(time.time()))
                self._dirty = False
            self._write(data)

    def _write(self, data):
        for path in self.paths():
            try:
                _common.atomic_write_json(path, data)
            except OSError as e:
                import warnings
                warnings.warn('cannot write the job record {!r}: {}'.format(path, e),
                              RuntimeWarning)

    def _persist_loop(self):
        while not self._closed:
            time.sleep(self._persist_interval)
            if self._dirty:
                self._persist_now()

    def close(self):
        """Write the record a last time and wake every watcher."""
        with self._lock:
            self._closed = True
            self._cond.notify_all()
        self.persist()


def load_record(job_id):
    """The persisted record of ``job_id`` (a ``Job``) from the index; None if there is none."""
    import json
    if not valid_job_id(job_id):
        return None
    path = os.path.join(_common.jobs_index_dir(), job_id + '.json')
    try:
        with open(path, encoding='utf-8') as f:
            return job_from_dict(json.load(f))
    except (OSError, ValueError):
        return None


def list_records():
    """Every persisted job record, newest first."""
    import json
    directory = _common.jobs_index_dir()
    jobs = []
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    for name in names:
        if not name.endswith('.json'):
            continue
        try:
            with open(os.path.join(directory, name), encoding='utf-8') as f:
                jobs.append(job_from_dict(json.load(f)))
        except (OSError, ValueError):
            continue
    jobs.sort(key=lambda j: j.start_time, reverse=True)
    return jobs
