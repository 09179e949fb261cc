"""Waiting on MPI with a deadline, and naming the ranks that did not arrive.

Two ways to wait, both bounded by ``DCHAIN_COLLECTIVE_TIMEOUT`` seconds (default 1800):

* :meth:`Watchdog.wait` polls non-blocking requests (:meth:`Watchdog.wait_until`, any
  condition, such as flags other ranks set in shared memory); past the deadline it asks every
  peer where it is and raises :class:`CollectiveTimeoutError` naming the peers that are
  elsewhere or silent.
* :meth:`Watchdog.blocking` runs a blocking MPI call (MPI's blocking collectives pick faster
  algorithms than their non-blocking forms). A watchdog thread, started when MPI provides
  ``THREAD_MULTIPLE``, notices a call past its deadline, prints the same diagnosis and aborts
  the job, since a thread cannot interrupt a blocking call.

Status questions from other ranks are answered on a private duplicate of the communicator, by
the watchdog thread or, without one, by whichever rank is polling.
"""
import atexit
import os
import sys
import threading
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
        self._busy = None      # (deadline, what, peers) of the blocking call in progress
        self._stop = threading.Event()
        self._thread = None
        if MPI.Query_thread() == MPI.THREAD_MULTIPLE:
            self._thread = threading.Thread(target=self._watch, name='dchain-mpi-watchdog',
                                            daemon=True)
            self._thread.start()
            # Stop before mpi4py finalizes MPI at exit (atexit runs handlers last-in first).
            atexit.register(self.stop)

    @property
    def can_guard_blocking_calls(self):
        """Whether :meth:`blocking` is protected by the watchdog thread."""
        return self._thread is not None

    def blocking(self, call, what, peers=None):
        """Run the blocking MPI ``call()``; abort the job with a diagnosis past the deadline."""
        self._busy = (time.monotonic() + self.timeout, what, peers)
        try:
            return call()
        finally:
            self._busy = None

    def _watch(self):
        while not self._stop.wait(0.05):
            self.serve()
            busy = self._busy
            if busy is not None and time.monotonic() > busy[0]:
                _, what, peers = busy
                try:
                    self._timeout(None, what, peers)
                except CollectiveTimeoutError as e:
                    me = self.comm.Get_rank()
                    sys.stderr.write('[rank {}/{}] dchain.distributed.CollectiveTimeoutError: '
                                     '{}\n[rank {}/{}] aborting the MPI job\n'.format(
                                         me, self.comm.Get_size(), e, me,
                                         self.comm.Get_size()))
                    sys.stderr.flush()
                    time.sleep(0.5)  # let the launcher forward this before the kill
                    self.comm.Abort(1)

    def stop(self):
        """Stop the watchdog thread (before MPI is finalized)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(1.0)

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
        Testall = self._MPI.Request.Testall
        self.wait_until(lambda: Testall(requests), what, peers)

    def wait_until(self, test, what, peers=None):
        """Poll ``test()`` until it is true (a flag other ranks set in shared memory, requests
        completing); raise CollectiveTimeoutError naming the ``peers`` that did not arrive
        after the deadline. Arguments as for :meth:`wait`."""
        if test():
            return
        deadline = time.monotonic() + self.timeout
        spins = 0
        serve = self._thread is None  # otherwise the watchdog thread answers questions
        while not test():
            if serve:
                self.serve()
            spins += 1
            if spins > 2000:
                # Long wait: stop burning the core that the slow peer may need.
                time.sleep(0.0002)
                if time.monotonic() > deadline:
                    self._timeout(test, what, peers)

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

    def _timeout(self, test, what, peers):
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
            if test is not None and test():
                return  # completed while we were asking
            if threading.current_thread() is self._thread or self._thread is None:
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
        self.stop()
        try:
            self.side.Free()
        except Exception:
            pass
