"""Client helpers: dial the control plane and call JobService with the bearer token."""
import os

import grpc

from dchain.control import _common
from dchain.control.v1 import control_pb2 as pb
from dchain.control.v1 import control_pb2_grpc as pb_grpc


class ControlClient:
    """A JobService client.

    Args:
        address (str): ``HOST:PORT`` (default ``$DCHAIN_CONTROL_ADDR``).
        token (str): bearer token (default ``$DCHAIN_CONTROL_TOKEN``).
        tls_ca (str): PEM file of the CA (or the server's self-signed certificate) to speak
            TLS with; without it the channel is plaintext.
        timeout (float): default deadline of unary calls in seconds.
    """

    def __init__(self, address=None, token=None, tls_ca=None, timeout=5.0,
                 tls_server_name=None):
        address = address or os.environ.get(_common.ENV_ADDR)
        if not address:
            raise ValueError('no control plane address: pass --address or set {}'.format(
                _common.ENV_ADDR))
        self.address = address
        self.token = token if token is not None else _common.read_token()
        self.timeout = timeout
        options = [('grpc.max_receive_message_length', 64 << 20),
                   ('grpc.enable_retries', 0)]
        if tls_ca:
            with open(tls_ca, 'rb') as f:
                creds = grpc.ssl_channel_credentials(root_certificates=f.read())
            if tls_server_name:
                options.append(('grpc.ssl_target_name_override', tls_server_name))
            self.channel = grpc.secure_channel(address, creds, options=options)
        else:
            self.channel = grpc.insecure_channel(address, options=options)
        self.stub = pb_grpc.JobServiceStub(self.channel)

    @property
    def metadata(self):
        return (('authorization', 'Bearer ' + self.token),) if self.token else ()

    def _kw(self, timeout):
        return {'timeout': self.timeout if timeout is None else timeout,
                'metadata': self.metadata}

    def get_job(self, job_id='', timeout=None):
        return self.stub.GetJob(pb.GetJobRequest(job_id=job_id), **self._kw(timeout))

    def watch_job(self, job_id='', min_interval=0.2, timeout=None):
        """Iterator of ``Job`` updates (ends when the job ends)."""
        return self.stub.WatchJob(pb.WatchJobRequest(job_id=job_id, min_interval=min_interval),
                                  timeout=timeout, metadata=self.metadata)

    def list_workers(self, job_id='', timeout=None):
        return self.stub.ListWorkers(pb.ListWorkersRequest(job_id=job_id),
                                     **self._kw(timeout)).workers

    def stop_job(self, job_id='', reason='', timeout=None):
        return self.stub.StopJob(pb.StopJobRequest(job_id=job_id, reason=reason),
                                 **self._kw(timeout))

    def request_snapshot(self, job_id='', timeout=None):
        return self.stub.RequestSnapshot(pb.RequestSnapshotRequest(job_id=job_id),
                                         **self._kw(timeout))

    def report(self, request, timeout=None):
        return self.stub.Report(request, **self._kw(timeout))

    def health(self, service='', timeout=None):
        """The health status name (``SERVING`` ...)."""
        from grpc_health.v1 import health_pb2, health_pb2_grpc
        stub = health_pb2_grpc.HealthStub(self.channel)
        response = stub.Check(health_pb2.HealthCheckRequest(service=service),
                              timeout=self.timeout if timeout is None else timeout)
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    def close(self):
        self.channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def state_name(state):
    return pb.JobState.Name(state)


def worker_state_name(state):
    return pb.WorkerState.Name(state).replace('WORKER_', '')
