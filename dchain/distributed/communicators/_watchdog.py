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

Ranks out of step (one skipped a collective, or called them in another order, as when only
rank 0 runs an evaluator that communicates) or point-to-point transfers that wait on each other
(two ranks receiving from each other first, a receive from a rank that is in a collective)
would otherwise wait out the whole timeout, or let MPI match unrelated collectives. So a rank
that has waited in a collective, a transfer or a node barrier for ``min(10 s, timeout / 4)``
asks the others where they are, and asks again as long as it waits. When every rank waits,
each in one of those, no transfer's counterpart is waiting in the matching transfer, no node
barrier has all its ranks, the collectives are not all the same one, and nobody has moved
between two such answers, no rank can ever proceed: the wait raises
:class:`CollectiveMismatchError` naming what each rank is in. A rank busy outside dchain's
communication (computing) stops the check from concluding.
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


class CollectiveMismatchError(CollectiveTimeoutError):
    """Every rank waits on another, and no wait can complete: the ranks are out of step (in
    different collectives) or deadlocked (in transfers that no rank is about to match).

    Attributes:
        missing_ranks (list of int): the ranks in another operation than this one.
        operations (dict): rank -> ``(operation number, name)`` of every rank, this one too.
    """

    def __init__(self, message, missing_ranks, operations):
        super().__init__(message, missing_ranks)
        self.operations = operations


# What a rank answers about itself: busy outside dchain's communication, waiting inside a
# collective that every rank enters, or waiting elsewhere (point to point, a node barrier).
_RUNNING, _IN_COLLECTIVE, _WAITING = 'running', 'collective', 'waiting'

# The transfer that completes each kind of point-to-point wait on the other side.
_COUNTERPART = {'send': 'recv', 'recv': 'send'}


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
        self._in_collective = False     # where names a collective every rank enters
        # ('send' or 'recv', peer, tag) of a point-to-point wait, ('barrier', ranks, None) of
        # a barrier of some ranks
        self._transfer = None
        self.transfers = 0     # transfers and barriers of some ranks started on this rank
        self._waiting = False
        self._suspected = None  # the peers' answers when they last looked out of step
        self._replies = []     # pending isend requests (their buffers live in them)
        self._replies_lock = threading.Lock()   # the watchdog thread and the waiter send
        self._questions = 0    # status questions this rank has asked
        # (deadline, what, peers, [time of the next look at the others]) of the blocking call
        # in progress
        self._busy = None
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
        now = time.monotonic()
        self._busy = (now + self.timeout, what, peers, [now + self._check_after()])
        self._waiting = True
        try:
            return call()
        finally:
            self._busy = None
            self._waiting = False

    def _check_after(self):
        """Seconds of waiting in a collective before asking whether the ranks are in step."""
        return min(10.0, self.timeout / 4)

    def _watch(self):
        while not self._stop.wait(0.05):
            self.serve()
            busy = self._busy
            if busy is None:
                continue
            deadline, what, peers, check_at = busy
            now = time.monotonic()
            try:
                if now > deadline:
                    self._timeout(None, what, peers)
                elif (self._in_collective or self._transfer) and now > check_at[0]:
                    check_at[0] = now + self._check_after()
                    self._check_stuck(lambda: self._busy is not busy)
            except CollectiveTimeoutError as e:
                me = self.comm.Get_rank()
                sys.stderr.write('[rank {}/{}] dchain.distributed.{}: {}\n[rank {}/{}] '
                                 'aborting the MPI job\n'.format(
                                     me, self.comm.Get_size(), type(e).__name__, e, me,
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
        self._in_collective = True
        self._transfer = None
        return self.sequence

    def doing(self, what, transfer=None):
        """Mark the start of ``what``, an operation other than a collective of every rank
        (point to point, a barrier of the node's ranks). ``transfer``: ``('send' or 'recv',
        peer, tag)`` of a point-to-point operation, or ``('barrier', ranks, None)`` of a
        barrier of the sorted tuple ``ranks``, so that ranks waiting on each other can be told
        from a slow one."""
        self.where = what
        self._in_collective = False
        self._transfer = transfer
        if transfer is not None:
            self.transfers += 1     # a ping-pong of identical waits still moves

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
        start = time.monotonic()
        deadline = start + self.timeout
        check_at = start + self._check_after()
        spins = 0
        serve = self._thread is None  # otherwise the watchdog thread answers questions
        self._waiting = True
        try:
            while not test():
                if serve:
                    self.serve()
                spins += 1
                if spins > 2000:
                    # Long wait: stop burning the core that the slow peer may need.
                    time.sleep(0.0002)
                    now = time.monotonic()
                    if now > deadline:
                        self._timeout(test, what, peers)
                    if (self._in_collective or self._transfer) and now > check_at:
                        self._check_stuck(test)
                        check_at = time.monotonic() + self._check_after()
        finally:
            self._waiting = False

    def serve(self):
        """Answer pending status questions from other ranks."""
        MPI = self._MPI
        status = MPI.Status()
        while self.side.Iprobe(source=MPI.ANY_SOURCE, tag=_STATUS_REQUEST, status=status):
            source = status.Get_source()
            question = self.side.recv(source=source, tag=_STATUS_REQUEST)
            state = _RUNNING if not self._waiting else \
                _IN_COLLECTIVE if self._in_collective else _WAITING
            self._send((question, self.sequence, self.where, state, self._transfer,
                        self.transfers), source, _STATUS_REPLY)
        with self._replies_lock:
            if self._replies:
                self._replies = [r for r in self._replies if not r.Test()]

    def _send(self, obj, dest, tag):
        request = self.side.isend(obj, dest=dest, tag=tag)
        with self._replies_lock:
            self._replies.append(request)

    def _ask(self, peers, test, grace):
        """Every answering peer's ``(operation number, name, state, transfer, transfers)``
        within ``grace`` seconds, or None if ``test()`` came true meanwhile."""
        MPI = self._MPI
        self._questions += 1
        question = (self.comm.Get_rank(), self._questions)
        for peer in peers:
            self._send(question, peer, _STATUS_REQUEST)
        answers = {}
        end = time.monotonic() + grace
        status = MPI.Status()
        while time.monotonic() < end and len(answers) < len(peers):
            if test is not None and test():
                return None
            if threading.current_thread() is self._thread or self._thread is None:
                self.serve()
            while self.side.Iprobe(source=MPI.ANY_SOURCE, tag=_STATUS_REPLY, status=status):
                source = status.Get_source()
                reply = self.side.recv(source=source, tag=_STATUS_REPLY)
                if reply[0] == question:    # not a late answer to an earlier question
                    answers[source] = reply[1:]
            time.sleep(0.001)
        return answers

    def _check_stuck(self, test):
        """Raise CollectiveMismatchError if no rank can proceed (see :func:`_deadlocked`) and
        nobody has moved since the last look that found them so."""
        me = self.comm.Get_rank()
        peers = [r for r in range(self.comm.Get_size()) if r != me]
        answers = self._ask(peers, test, min(2.0, self.timeout / 10))
        if answers is None or len(answers) < len(peers):
            self._suspected = None
            return
        waits = dict(answers)
        waits[me] = (self.sequence, self.where,
                     _IN_COLLECTIVE if self._in_collective else _WAITING, self._transfer,
                     self.transfers)
        if not _deadlocked(waits):
            self._suspected = None
            return
        snapshot = sorted(waits.items())
        if self._suspected != snapshot:
            self._suspected = snapshot     # look again before concluding
            return
        self._suspected = None
        operations = {r: wait[:2] for r, wait in waits.items()}
        others = sorted(r for r, op in operations.items() if op != operations[me])
        if all(wait[2] == _IN_COLLECTIVE for wait in waits.values()):
            summary = ('the ranks are out of step: every rank waits in a collective, but not '
                       'all in the same one')
        else:
            summary = ('the ranks are deadlocked: every rank waits, in a collective, a '
                       'point-to-point transfer or a node barrier, and no other rank is in the '
                       'operation that would complete its wait')
        raise CollectiveMismatchError(
            'rank {}: {} ({}), so none can proceed. Every rank must call the same collectives '
            'in the same order (a collective called on some ranks only, for instance inside '
            '"if comm.rank == 0:", deadlocks), and each send needs a recv of the same tag on '
            'its destination.'.format(me, summary, '; '.join(
                _describe(r, wait) for r, wait in sorted(waits.items()))),
            others, operations)

    def _timeout(self, test, what, peers):
        me = self.comm.Get_rank()
        if peers is None:
            peers = [r for r in range(self.comm.Get_size()) if r != me]
        answers = self._ask(peers, test, min(10.0, max(1.0, self.timeout / 10)))
        if answers is None:
            return  # completed while we were asking
        missing = []
        details = []
        for peer in peers:
            if peer not in answers:
                missing.append(peer)
                details.append('rank {} did not answer (dead, hung, or busy outside dchain '
                               'communication)'.format(peer))
            else:
                sequence, where = answers[peer][:2]
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


def _deadlocked(waits):
    """Whether no rank can proceed, given what each waits in: rank -> ``(operation number,
    name, state, transfer, transfers)``.

    True when every rank waits in a collective, a point-to-point transfer or a barrier of some
    ranks, no transfer's peer waits in the matching transfer (same tag, the other direction),
    no barrier has all its ranks, and the ranks are not all in the same collective. A rank
    that is running, or waiting in anything else, might still complete another's wait.
    """
    for rank, (_, _, state, transfer, _) in waits.items():
        if state == _IN_COLLECTIVE:
            continue
        if state != _WAITING or transfer is None:
            return False
        kind, peer, tag = transfer
        if kind == 'barrier':
            if all(r in waits and waits[r][3] == transfer for r in peer):
                return False
        elif peer in waits and waits[peer][3] == (_COUNTERPART[kind], rank, tag):
            return False
    collectives = [(seq, where) for seq, where, state, _, _ in waits.values()
                   if state == _IN_COLLECTIVE]
    return not (len(collectives) == len(waits) and len(set(collectives)) == 1)


def _describe(rank, wait):
    seq, where, state, transfer, _ = wait
    if state == _IN_COLLECTIVE:
        return 'rank {} in operation #{} ({})'.format(rank, seq, where)
    if transfer[0] == 'barrier':
        return 'rank {} in {} (a barrier of ranks {}) after operation #{}'.format(
            rank, where, ', '.join(map(str, transfer[1])), seq)
    return 'rank {} in {} (tag {}) after operation #{}'.format(rank, where, transfer[2], seq)
