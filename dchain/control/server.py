"""The control plane server: JobService over gRPC, plus the health and reflection services."""
import hmac
import os
import threading
import time
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from dchain.control import _common
from dchain.control import _record
from dchain.control.v1 import control_pb2 as pb

SERVICE = 'dchain.control.v1.JobService'
# Health checks and schema discovery reveal nothing about the job: no token needed.
_OPEN_PREFIXES = ('/grpc.health.v1.Health/', '/grpc.reflection.')
_UNAUTHENTICATED = 'missing or invalid bearer token'


class _Malformed:
    """Stands for a request whose bytes do not parse."""


_MALFORMED = _Malformed()


def _deserializer(cls):
    def parse(data):
        try:
            return cls.FromString(data)
        except Exception:
            return _MALFORMED
    return parse


def _identity(data):
    return data


def _abort_handler(kind, code, message):
    def deny(request, context):
        context.abort(code, message)
    if kind == 'stream':
        def deny_stream(request, context):
            context.abort(code, message)
            yield  # pragma: no cover
        return grpc.unary_stream_rpc_method_handler(deny_stream)
    return grpc.unary_unary_rpc_method_handler(deny)


class _AuthInterceptor(grpc.ServerInterceptor):
    """Requires ``authorization: Bearer <token>`` on every JobService call."""

    def __init__(self, token):
        self._expected = ('Bearer ' + token).encode('utf-8')

    def intercept_service(self, continuation, details):
        method = details.method or ''
        if method.startswith(_OPEN_PREFIXES):
            return continuation(details)
        given = b''
        for key, value in details.invocation_metadata or ():
            if key == 'authorization':
                given = value.encode('utf-8') if isinstance(value, str) else value
                break
        if hmac.compare_digest(given, self._expected):
            return continuation(details)
        kind = 'stream' if method.endswith('/WatchJob') else 'unary'
        return _abort_handler(kind, grpc.StatusCode.UNAUTHENTICATED, _UNAUTHENTICATED)


class JobServicer:
    """JobService on one :class:`~dchain.control._record.JobRecord`."""

    def __init__(self, record, watch_min_interval=0.05):
        self.record = record
        self._watch_min_interval = watch_min_interval
        self._closing = threading.Event()

    def _check(self, request, context, job_id):
        if request is _MALFORMED:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, 'malformed request')
        if job_id and not _record.valid_job_id(job_id):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                          'a job id is 1 to 128 characters of [A-Za-z0-9._-]')
        if job_id and job_id != self.record.job_id:
            context.abort(grpc.StatusCode.NOT_FOUND, 'no job {!r} here'.format(job_id))

    def GetJob(self, request, context):
        self._check(request, context, getattr(request, 'job_id', ''))
        return self.record.snapshot_bytes()[1]

    def WatchJob(self, request, context):
        self._check(request, context, getattr(request, 'job_id', ''))
        interval = request.min_interval if request.min_interval > 0 else 0.2
        interval = min(60.0, max(self._watch_min_interval, interval))
        record = self.record
        sent = -1
        while context.is_active() and not self._closing.is_set():
            version, data = record.snapshot_bytes()
            if version != sent:
                sent = version
                yield data
                if record.state in _record.TERMINAL and record.version == version:
                    return
                time.sleep(interval)   # bound the update rate per watcher
            # Wake periodically anyway: silence is judged on the clock, not on reports.
            record.wait_for_change(sent, timeout=1.0)
            if record.version == sent:
                job = record.snapshot()
                if any(w.silent for w in job.workers):
                    sent = -1

    def ListWorkers(self, request, context):
        self._check(request, context, getattr(request, 'job_id', ''))
        return pb.ListWorkersResponse(workers=self.record.snapshot().workers)

    def StopJob(self, request, context):
        self._check(request, context, getattr(request, 'job_id', ''))
        if len(request.reason) > _record.MAX_STRING_CHARS:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, 'reason is too long')
        command, job = self.record.request_stop()
        return pb.StopJobResponse(job=job, command=command)

    def RequestSnapshot(self, request, context):
        self._check(request, context, getattr(request, 'job_id', ''))
        command, job = self.record.request_snapshot()
        return pb.RequestSnapshotResponse(job=job, command=command)

    def Report(self, request, context):
        self._check(request, context, getattr(request, 'job_id', ''))
        try:
            return self.record.report(request)
        except _record.InvalidRequest as e:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        except KeyError:
            context.abort(grpc.StatusCode.NOT_FOUND, 'no such job here')

    def generic_handler(self):
        def unary(method, request_cls, response_cls):
            return grpc.unary_unary_rpc_method_handler(
                method, request_deserializer=_deserializer(request_cls),
                response_serializer=response_cls.SerializeToString)
        return grpc.method_handlers_generic_handler(SERVICE, {
            # Job updates leave pre-serialized (see JobRecord.snapshot_bytes).
            'GetJob': grpc.unary_unary_rpc_method_handler(
                self.GetJob, request_deserializer=_deserializer(pb.GetJobRequest),
                response_serializer=_identity),
            'WatchJob': grpc.unary_stream_rpc_method_handler(
                self.WatchJob, request_deserializer=_deserializer(pb.WatchJobRequest),
                response_serializer=_identity),
            'ListWorkers': unary(self.ListWorkers, pb.ListWorkersRequest,
                                 pb.ListWorkersResponse),
            'StopJob': unary(self.StopJob, pb.StopJobRequest, pb.StopJobResponse),
            'RequestSnapshot': unary(self.RequestSnapshot, pb.RequestSnapshotRequest,
                                     pb.RequestSnapshotResponse),
            'Report': unary(self.Report, pb.ReportRequest, pb.ReportResponse),
        })


class ControlServer:
    """Hosts the control plane of one job.

    Args:
        record (JobRecord): the job's state.
        address (str): ``HOST:PORT`` to bind; port 0 picks a free one. Default loopback.
        token (str): bearer token every JobService call must carry; required when ``address``
            is not a loopback address (the server refuses to start without it).
        tls_cert, tls_key (str): PEM files; with both the server speaks TLS.
        max_workers (int): threads serving calls (each watcher holds one).
        max_message_bytes (int): largest request accepted.
    """

    def __init__(self, record, address='127.0.0.1:0', token=None, tls_cert=None, tls_key=None,
                 max_workers=192, max_message_bytes=_common.MAX_MESSAGE_BYTES):
        host, port = _common.split_address(address)
        if not _common.is_loopback(host) and not token:
            raise ValueError(
                'refusing to serve the control plane on {!r} (beyond loopback) without a '
                'token: pass --token-file or set {}'.format(address, _common.ENV_TOKEN))
        if bool(tls_cert) != bool(tls_key):
            raise ValueError('TLS needs both a certificate and a key (--tls-cert, --tls-key)')
        self.record = record
        self.token = token
        self.servicer = JobServicer(record)
        interceptors = [_AuthInterceptor(token)] if token else []
        options = [('grpc.max_receive_message_length', max_message_bytes),
                   ('grpc.max_send_message_length', max(max_message_bytes, 16 << 20)),
                   ('grpc.so_reuseport', 0)]
        self._server = grpc.server(futures.ThreadPoolExecutor(
            max_workers=max_workers, thread_name_prefix='dchain-control'),
            interceptors=interceptors, options=options, maximum_concurrent_rpcs=max_workers)
        self._server.add_generic_rpc_handlers((self.servicer.generic_handler(),))
        self._health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self._server)
        reflection.enable_server_reflection(
            (SERVICE, health.SERVICE_NAME, reflection.SERVICE_NAME), self._server)
        bind = '[{}]:{}'.format(host, port) if ':' in host else '{}:{}'.format(host, port)
        if tls_cert:
            with open(tls_key, 'rb') as f:
                key = f.read()
            with open(tls_cert, 'rb') as f:
                cert = f.read()
            bound = self._server.add_secure_port(bind, grpc.ssl_server_credentials([(key, cert)]))
        else:
            bound = self._server.add_insecure_port(bind)
        if not bound:
            raise OSError('cannot bind the control plane to {!r}'.format(address))
        # The address clients dial: a wildcard bind is reached through this host's name.
        dial_host = _common.hostname() if host in ('0.0.0.0', '::', '') else host
        self.address = ('[{}]:{}' if ':' in dial_host else '{}:{}').format(dial_host, bound)
        self.tls = bool(tls_cert)
        record.set_address(self.address)
        self._started = False

    def start(self):
        self._server.start()
        for name in ('', SERVICE):
            self._health.set(name, health_pb2.HealthCheckResponse.SERVING)
        self._started = True
        return self

    def stop(self, grace=1.0):
        """Stop serving (watchers get their last update first); writes the record."""
        if not self._started:
            return
        self._started = False
        self.servicer._closing.set()
        self._health.enter_graceful_shutdown()
        self.record.close()
        self._server.stop(grace).wait(grace + 1.0)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def serve(job_id, name='', world_size=0, out_dir=None, address='127.0.0.1:0', token=None,
          tls_cert=None, tls_key=None, heartbeat_timeout=None, **kwargs):
    """Create a job record and start its server; returns the running :class:`ControlServer`."""
    if heartbeat_timeout is None:
        heartbeat_timeout = float(os.environ.get('DCHAIN_CONTROL_HEARTBEAT_TIMEOUT', '10'))
    record = _record.JobRecord(job_id, name=name, world_size=world_size, out_dir=out_dir,
                               heartbeat_timeout=heartbeat_timeout, **kwargs)
    server = ControlServer(record, address=address, token=token, tls_cert=tls_cert,
                           tls_key=tls_key)
    return server.start()
