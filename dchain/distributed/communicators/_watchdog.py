"""Waiting on MPI requests with a deadline, and naming the ranks that did not arrive.

Every blocking operation of dchain's MPI communicators is a non-blocking MPI call followed by
:meth:`Watchdog.wait`. While a rank waits it also answers status questions from other ranks on
a private duplicate of the communicator. When its own wait passes the deadline
(``DCHAIN_COLLECTIVE_TIMEOUT`` seconds, default 1800) it asks every peer where it is, and
raises :class:`CollectiveTimeoutError` naming the peers that are elsewhere or silent.
"""
import os
import time

_STATUS_REQUEST = 7001
_STATUS_REPLY = 7002


class CollectiveTimeoutError(RuntimeError):
    """A collective or point-to-point operation did not complete in time.

    Attributes:
        missing_ranks (list of int): ranks that had not arrived (or did not answer).
    """

    def __init__(self, message, missing_ranks):
        super().__init__(message)
        self.missing_ranks = missing_ranks


def default_timeout():
    value = os.environ.get('DCHAIN_COLLECTIVE_TIMEOUT', '1800')
    try:
        timeout = float(value)
    except ValueError:
        raise ValueError('DCHAIN_COLLECTIVE_TIMEOUT={!r} is not a number of seconds'.format(
            value)) from None
    if timeout <= 0:
        raise ValueError('DCHAIN_COLLECTIVE_TIMEOUT must be positive, got {}'.format(value))
    return timeout


class Watchdog:
    """Deadline-aware waits for one MPI communicator (use from one thread)."""

    def __init__(self, mpi_comm, timeout=None):
        from mpi4py import MPI
        self._MPI = MPI
        self.comm = mpi_comm
        self.side = mpi_comm.Dup()
        self.timeout = default_timeout() if timeout is None else float(timeout)
        self.sequence = 0      # collectives entered on this rank
        self.where = 'start'   # what this rank is doing, for other ranks' diagnostics
        self._replies = []

    def enter(self, what):
        """Mark the start of collective ``what``; returns its sequence number."""
        self.sequence += 1
        self.where = what
        return self.sequence

    def wait(self, requests, what, peers=None):
        """Wait for ``requests``; raise CollectiveTimeoutError after the deadline.

        Args:
            requests (list of MPI.Request): what to wait for.
            what (str): description used in messages ("allreduce of 7.2 MB").
            peers (list of int): ranks involved (all others when None).
        """
        MPI = self._MPI
        if MPI.Request.Testall(requests):
            return
        deadline = time.monotonic() + self.timeout
        spins = 0
        while not MPI.Request.Testall(requests):
            self.serve()
            spins += 1
            if spins > 2000:
                # Long wait: stop burning the core that the slow peer may need.
                time.sleep(0.0002)
                if time.monotonic() > deadline:
                    self._timeout(requests, what, peers)

    def serve(self):
        """Answer pending status questions from other ranks."""
        MPI = self._MPI
        status = MPI.Status()
        while self.side.Iprobe(source=MPI.ANY_SOURCE, tag=_STATUS_REQUEST, status=status):
            source = status.Get_source()
            self.side.recv(source=source, tag=_STATUS_REQUEST)
            self._replies.append(self.side.isend((self.sequence, self.where), dest=source,
                                                 tag=_STATUS_REPLY))
        if self._replies:
            self._replies = [r for r in self._replies if not r.Test()]

    def _timeout(self, requests, what, peers):
        MPI = self._MPI
        me = self.comm.Get_rank()
        if peers is None:
            peers = [r for r in range(self.comm.Get_size()) if r != me]
        for peer in peers:
            self._replies.append(self.side.isend(None, dest=peer, tag=_STATUS_REQUEST))
        answers = {}
        grace = time.monotonic() + min(10.0, max(1.0, self.timeout / 10))
        status = MPI.Status()
        while time.monotonic() < grace and len(answers) < len(peers):
            if MPI.Request.Testall(requests):
                return  # completed while we were asking
            self.serve()
            while self.side.Iprobe(source=MPI.ANY_SOURCE, tag=_STATUS_REPLY, status=status):
                source = status.Get_source()
                answers[source] = self.side.recv(source=source, tag=_STATUS_REPLY)
            time.sleep(0.001)
        missing = []
        details = []
        for peer in peers:
            if peer not in answers:
                missing.append(peer)
                details.append('rank {} did not answer (dead, hung, or busy outside dchain '
                               'communication)'.format(peer))
            else:
                sequence, where = answers[peer]
                if sequence < self.sequence or where != self.where:
                    missing.append(peer)
                    details.append('rank {} is at operation #{} ({})'.format(
                        peer, sequence, where))
        if not missing:
            missing = list(peers)
            details.append('every peer answered from the same operation; the transfer itself '
                           'stalled')
        raise CollectiveTimeoutError(
            'rank {}: {} (operation #{}) did not complete within {:g} s '
            '(DCHAIN_COLLECTIVE_TIMEOUT): rank(s) {} did not arrive. {}'.format(
                me, what, self.sequence, self.timeout, ', '.join(map(str, missing)),
                '; '.join(details)), missing)

    def free(self):
        try:
            self.side.Free()
        except Exception:
            pass
