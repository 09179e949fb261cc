from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class JobState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_STATE_UNSPECIFIED: _ClassVar[JobState]
    PENDING: _ClassVar[JobState]
    RUNNING: _ClassVar[JobState]
    STOPPING: _ClassVar[JobState]
    SUCCEEDED: _ClassVar[JobState]
    FAILED: _ClassVar[JobState]
    STOPPED: _ClassVar[JobState]

class WorkerState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WORKER_STATE_UNSPECIFIED: _ClassVar[WorkerState]
    WORKER_STARTING: _ClassVar[WorkerState]
    WORKER_RUNNING: _ClassVar[WorkerState]
    WORKER_SILENT: _ClassVar[WorkerState]
    WORKER_EXITED: _ClassVar[WorkerState]
    WORKER_FAILED: _ClassVar[WorkerState]

class CommandKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COMMAND_NONE: _ClassVar[CommandKind]
    COMMAND_STOP: _ClassVar[CommandKind]
    COMMAND_SNAPSHOT: _ClassVar[CommandKind]

class ReportKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPORT_HEARTBEAT: _ClassVar[ReportKind]
    REPORT_FINISHED: _ClassVar[ReportKind]
    REPORT_EXITED: _ClassVar[ReportKind]
    REPORT_SNAPSHOT_TAKEN: _ClassVar[ReportKind]
    REPORT_ERROR: _ClassVar[ReportKind]
JOB_STATE_UNSPECIFIED: JobState
PENDING: JobState
RUNNING: JobState
STOPPING: JobState
SUCCEEDED: JobState
FAILED: JobState
STOPPED: JobState
WORKER_STATE_UNSPECIFIED: WorkerState
WORKER_STARTING: WorkerState
WORKER_RUNNING: WorkerState
WORKER_SILENT: WorkerState
WORKER_EXITED: WorkerState
WORKER_FAILED: WorkerState
COMMAND_NONE: CommandKind
COMMAND_STOP: CommandKind
COMMAND_SNAPSHOT: CommandKind
REPORT_HEARTBEAT: ReportKind
REPORT_FINISHED: ReportKind
REPORT_EXITED: ReportKind
REPORT_SNAPSHOT_TAKEN: ReportKind
REPORT_ERROR: ReportKind

class FailureReason(_message.Message):
    __slots__ = ("rank", "exit_code", "signal", "signal_name", "traceback", "message")
    RANK_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    SIGNAL_NAME_FIELD_NUMBER: _ClassVar[int]
    TRACEBACK_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    rank: int
    exit_code: int
    signal: int
    signal_name: str
    traceback: _containers.RepeatedScalarFieldContainer[str]
    message: str
    def __init__(self, rank: _Optional[int] = ..., exit_code: _Optional[int] = ..., signal: _Optional[int] = ..., signal_name: _Optional[str] = ..., traceback: _Optional[_Iterable[str]] = ..., message: _Optional[str] = ...) -> None: ...

class Worker(_message.Message):
    __slots__ = ("rank", "host", "pid", "device", "state", "last_heartbeat", "iteration", "mean_step_time", "straggler", "silent", "straggler_reason", "exit_code", "signal", "wrapper_pid")
    RANK_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    LAST_HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    ITERATION_FIELD_NUMBER: _ClassVar[int]
    MEAN_STEP_TIME_FIELD_NUMBER: _ClassVar[int]
    STRAGGLER_FIELD_NUMBER: _ClassVar[int]
    SILENT_FIELD_NUMBER: _ClassVar[int]
    STRAGGLER_REASON_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    WRAPPER_PID_FIELD_NUMBER: _ClassVar[int]
    rank: int
    host: str
    pid: int
    device: str
    state: WorkerState
    last_heartbeat: float
    iteration: int
    mean_step_time: float
    straggler: bool
    silent: bool
    straggler_reason: str
    exit_code: int
    signal: int
    wrapper_pid: int
    def __init__(self, rank: _Optional[int] = ..., host: _Optional[str] = ..., pid: _Optional[int] = ..., device: _Optional[str] = ..., state: _Optional[_Union[WorkerState, str]] = ..., last_heartbeat: _Optional[float] = ..., iteration: _Optional[int] = ..., mean_step_time: _Optional[float] = ..., straggler: _Optional[bool] = ..., silent: _Optional[bool] = ..., straggler_reason: _Optional[str] = ..., exit_code: _Optional[int] = ..., signal: _Optional[int] = ..., wrapper_pid: _Optional[int] = ...) -> None: ...

class Command(_message.Message):
    __slots__ = ("id", "kind")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    id: int
    kind: CommandKind
    def __init__(self, id: _Optional[int] = ..., kind: _Optional[_Union[CommandKind, str]] = ...) -> None: ...

class Job(_message.Message):
    __slots__ = ("job_id", "name", "state", "world_size", "start_time", "end_time", "iteration", "epoch", "epoch_detail", "observations", "throughput", "has_eta", "eta_seconds", "progress", "stop_length", "stop_unit", "failure", "workers", "exit_code", "out_dir", "address", "last_snapshot", "version", "pending_command", "command_line")
    class ObservationsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    WORLD_SIZE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ITERATION_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    EPOCH_DETAIL_FIELD_NUMBER: _ClassVar[int]
    OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    THROUGHPUT_FIELD_NUMBER: _ClassVar[int]
    HAS_ETA_FIELD_NUMBER: _ClassVar[int]
    ETA_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    STOP_LENGTH_FIELD_NUMBER: _ClassVar[int]
    STOP_UNIT_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    OUT_DIR_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LAST_SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    PENDING_COMMAND_FIELD_NUMBER: _ClassVar[int]
    COMMAND_LINE_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    name: str
    state: JobState
    world_size: int
    start_time: float
    end_time: float
    iteration: int
    epoch: int
    epoch_detail: float
    observations: _containers.ScalarMap[str, float]
    throughput: float
    has_eta: bool
    eta_seconds: float
    progress: float
    stop_length: int
    stop_unit: str
    failure: FailureReason
    workers: _containers.RepeatedCompositeFieldContainer[Worker]
    exit_code: int
    out_dir: str
    address: str
    last_snapshot: str
    version: int
    pending_command: Command
    command_line: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, job_id: _Optional[str] = ..., name: _Optional[str] = ..., state: _Optional[_Union[JobState, str]] = ..., world_size: _Optional[int] = ..., start_time: _Optional[float] = ..., end_time: _Optional[float] = ..., iteration: _Optional[int] = ..., epoch: _Optional[int] = ..., epoch_detail: _Optional[float] = ..., observations: _Optional[_Mapping[str, float]] = ..., throughput: _Optional[float] = ..., has_eta: _Optional[bool] = ..., eta_seconds: _Optional[float] = ..., progress: _Optional[float] = ..., stop_length: _Optional[int] = ..., stop_unit: _Optional[str] = ..., failure: _Optional[_Union[FailureReason, _Mapping]] = ..., workers: _Optional[_Iterable[_Union[Worker, _Mapping]]] = ..., exit_code: _Optional[int] = ..., out_dir: _Optional[str] = ..., address: _Optional[str] = ..., last_snapshot: _Optional[str] = ..., version: _Optional[int] = ..., pending_command: _Optional[_Union[Command, _Mapping]] = ..., command_line: _Optional[_Iterable[str]] = ...) -> None: ...

class GetJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class WatchJobRequest(_message.Message):
    __slots__ = ("job_id", "min_interval")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    MIN_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    min_interval: float
    def __init__(self, job_id: _Optional[str] = ..., min_interval: _Optional[float] = ...) -> None: ...

class ListWorkersRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class ListWorkersResponse(_message.Message):
    __slots__ = ("workers",)
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    workers: _containers.RepeatedCompositeFieldContainer[Worker]
    def __init__(self, workers: _Optional[_Iterable[_Union[Worker, _Mapping]]] = ...) -> None: ...

class StopJobRequest(_message.Message):
    __slots__ = ("job_id", "reason")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    reason: str
    def __init__(self, job_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class StopJobResponse(_message.Message):
    __slots__ = ("job", "command")
    JOB_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    job: Job
    command: Command
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ..., command: _Optional[_Union[Command, _Mapping]] = ...) -> None: ...

class RequestSnapshotRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class RequestSnapshotResponse(_message.Message):
    __slots__ = ("job", "command")
    JOB_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    job: Job
    command: Command
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ..., command: _Optional[_Union[Command, _Mapping]] = ...) -> None: ...

class ReportRequest(_message.Message):
    __slots__ = ("job_id", "rank", "world_size", "kind", "host", "pid", "device", "time", "iteration", "epoch", "epoch_detail", "observations", "mean_step_time", "samples_per_second", "stop_length", "stop_unit", "exit_code", "signal", "traceback", "snapshot_path", "acked_command_id", "wrapper_pid", "stopped")
    class ObservationsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    WORLD_SIZE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    ITERATION_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    EPOCH_DETAIL_FIELD_NUMBER: _ClassVar[int]
    OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    MEAN_STEP_TIME_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    STOP_LENGTH_FIELD_NUMBER: _ClassVar[int]
    STOP_UNIT_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    TRACEBACK_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_PATH_FIELD_NUMBER: _ClassVar[int]
    ACKED_COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    WRAPPER_PID_FIELD_NUMBER: _ClassVar[int]
    STOPPED_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    rank: int
    world_size: int
    kind: ReportKind
    host: str
    pid: int
    device: str
    time: float
    iteration: int
    epoch: int
    epoch_detail: float
    observations: _containers.ScalarMap[str, float]
    mean_step_time: float
    samples_per_second: float
    stop_length: int
    stop_unit: str
    exit_code: int
    signal: int
    traceback: _containers.RepeatedScalarFieldContainer[str]
    snapshot_path: str
    acked_command_id: int
    wrapper_pid: int
    stopped: bool
    def __init__(self, job_id: _Optional[str] = ..., rank: _Optional[int] = ..., world_size: _Optional[int] = ..., kind: _Optional[_Union[ReportKind, str]] = ..., host: _Optional[str] = ..., pid: _Optional[int] = ..., device: _Optional[str] = ..., time: _Optional[float] = ..., iteration: _Optional[int] = ..., epoch: _Optional[int] = ..., epoch_detail: _Optional[float] = ..., observations: _Optional[_Mapping[str, float]] = ..., mean_step_time: _Optional[float] = ..., samples_per_second: _Optional[float] = ..., stop_length: _Optional[int] = ..., stop_unit: _Optional[str] = ..., exit_code: _Optional[int] = ..., signal: _Optional[int] = ..., traceback: _Optional[_Iterable[str]] = ..., snapshot_path: _Optional[str] = ..., acked_command_id: _Optional[int] = ..., wrapper_pid: _Optional[int] = ..., stopped: _Optional[bool] = ...) -> None: ...

class ReportResponse(_message.Message):
    __slots__ = ("command", "state")
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    command: Command
    state: JobState
    def __init__(self, command: _Optional[_Union[Command, _Mapping]] = ..., state: _Optional[_Union[JobState, str]] = ...) -> None: ...
