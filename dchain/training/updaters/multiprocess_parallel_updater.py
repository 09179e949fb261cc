"""MultiprocessParallelUpdater: data parallelism with one worker process per device.

The main process trains on ``devices[0]`` with ``iterators[0]``; a forked worker process per
other device runs forward and backward on its own iterator. Gradients meet in shared memory,
where the main process averages them and updates the model; the new parameters go back the
same way before the next step. Every wait is bounded: a worker that dies or stops answering
raises an error naming it instead of hanging the job.

Unlike Chainer's, which needs GPUs and NCCL, the exchange goes through host shared memory, so
the updater works (and is tested) with CPU device specifiers; GPU arrays are staged through
the host.
"""
import multiprocessing
import os
import signal
import time
import traceback
from multiprocessing import shared_memory

import numpy

from dchain import backend
from dchain.dataset import convert
from dchain.training.updaters.standard_updater import StandardUpdater

_TIMEOUT_ENV = 'DCHAIN_WORKER_TIMEOUT'


class WorkerError(RuntimeError):
    """A worker process failed, died, or did not answer in time."""


def _flat_layout(model):
    params = [p for _, p in sorted(model.namedparams())]
    dtypes = {p.dtype for p in params}
    if len(dtypes) != 1:
        raise TypeError('MultiprocessParallelUpdater needs parameters of one dtype; got {}'
                        .format(sorted(str(d) for d in dtypes)))
    offsets = numpy.cumsum([0] + [p.size for p in params])
    return params, offsets, dtypes.pop()


def _worker_main(index, conn, model, iterator, converter, device, loss_func, shm_name, n_slots,
                 total, dtype):
    shm = shared_memory.SharedMemory(name=shm_name)
    try:
        buffers = numpy.ndarray((n_slots + 1, total), dtype=dtype, buffer=shm.buf)
        model.to_device(device)
        params, offsets, _ = _flat_layout(model)
        while True:
            command = conn.recv()
            if command == 'stop':
                return
            try:
                # The main process wrote the current parameters into the last row.
                for p, lo, hi in zip(params, offsets[:-1], offsets[1:]):
                    backend.copyto(p.array, buffers[-1, lo:hi].reshape(p.shape))
                batch = iterator.next()
                in_arrays = convert._call_converter(converter, batch, device)
                func = loss_func or model
                if isinstance(in_arrays, tuple):
                    loss = func(*in_arrays)
                elif isinstance(in_arrays, dict):
                    loss = func(**in_arrays)
                else:
                    loss = func(in_arrays)
                model.cleargrads()
                loss.backward()
                row = buffers[index]
                for p, lo, hi in zip(params, offsets[:-1], offsets[1:]):
                    g = p.grad
                    row[lo:hi] = 0 if g is None else backend.cpu_device.send(g).ravel()
                conn.send(('done', None))
            except Exception:
                conn.send(('error', traceback.format_exc()))
    finally:
        shm.close()


class MultiprocessParallelUpdater(StandardUpdater):
    """Train one model on several devices, one process per device.

    Args:
        iterators (list): one iterator per device (e.g. over the parts of
            ``split_dataset_n_random``); ``iterators[0]`` drives epochs.
        optimizer: optimizer of the model (the model lives on ``devices[0]``).
        converter: minibatch converter.
        devices (list or dict): device specifiers, one per iterator (a dict's values are used
            in key order, with ``'main'`` first if present).
        auto_new_epoch (bool): as in :class:`StandardUpdater`.
        loss_func: loss function (the model when None).
        timeout (float): seconds to wait for a worker's step (default
            ``DCHAIN_WORKER_TIMEOUT`` or 600).
    """

    def __init__(self, iterators, optimizer, converter=convert.concat_examples, devices=None,
                 auto_new_epoch=True, loss_func=None, timeout=None):
        if isinstance(devices, dict):
            keys = sorted(devices, key=lambda k: (k != 'main', str(k)))
            devices = [devices[k] for k in keys]
        if devices is None or len(devices) != len(iterators):
            raise ValueError('MultiprocessParallelUpdater needs one device per iterator; got '
                             '{} iterators and devices={!r}'.format(len(iterators), devices))
        if len(devices) < 1:
            raise ValueError('at least one device is needed')
        devices = [backend.get_device(d) for d in devices]
        super().__init__(iterators[0], optimizer, converter=converter, device=devices[0],
                         loss_func=loss_func, auto_new_epoch=auto_new_epoch)
        self._worker_iterators = list(iterators[1:])
        self._devices = devices
        self.timeout = float(timeout if timeout is not None else
                             os.environ.get(_TIMEOUT_ENV, 600))
        self._workers = None

    def _start_workers(self):
        model = self._optimizers['main'].target
        params, offsets, dtype = _flat_layout(model)
        n = len(self._devices)
        self._layout = (params, offsets)
        self._shm = shared_memory.SharedMemory(create=True,
                                               size=max(1, (n + 1) * int(offsets[-1]) *
                                                        dtype.itemsize))
        self._buffers = numpy.ndarray((n + 1, int(offsets[-1])), dtype=dtype,
                                      buffer=self._shm.buf)
        context = multiprocessing.get_context('fork')
        self._workers = []
        for i, (iterator, device) in enumerate(zip(self._worker_iterators, self._devices[1:]),
                                               1):
            parent, child = context.Pipe()
            process = context.Process(
                target=_worker_main, name='dchain-worker-{}'.format(i),
                args=(i, child, model.copy('copy'), iterator, self.converter, device,
                      self.loss_func, self._shm.name, n, int(offsets[-1]), dtype),
                daemon=True)
            process.start()
            child.close()
            self._workers.append((process, parent))

    def _publish_params(self):
        params, offsets = self._layout
        row = self._buffers[-1]
        for p, lo, hi in zip(params, offsets[:-1], offsets[1:]):
            row[lo:hi] = backend.cpu_device.send(p.array).ravel()

    def _died(self, index, process):
        process.join(5)
        code = process.exitcode
        reason = 'signal {}'.format(signal.Signals(-code).name) if code and code < 0 \
            else 'exit code {}'.format(code)
        return WorkerError('worker {} (device {}) died ({})'.format(
            index, self._devices[index], reason))

    def _wait(self, index, process, conn):
        deadline = time.monotonic() + self.timeout
        while not conn.poll(0.05):
            if not process.is_alive():
                raise self._died(index, process)
            if time.monotonic() > deadline:
                raise WorkerError('worker {} (device {}) did not finish its step within {:g} s '
                                  '({})'.format(index, self._devices[index], self.timeout,
                                                _TIMEOUT_ENV))
        try:
            status, detail = conn.recv()
        except EOFError:  # the pipe closed: the worker is gone
            raise self._died(index, process) from None
        if status == 'error':
            raise WorkerError('worker {} (device {}) failed:\n{}'.format(
                index, self._devices[index], detail))

    def update_core(self):
        if self._workers is None:
            self._start_workers()
        optimizer = self._optimizers['main']
        model = optimizer.target
        self._publish_params()
        for _, conn in self._workers:
            conn.send('step')
        # The main process does its own share meanwhile.
        iterator = self._iterators['main']
        batch = iterator.next()
        in_arrays = convert._call_converter(self.converter, batch, self.input_device)
        func = self.loss_func or model
        if isinstance(in_arrays, tuple):
            loss = func(*in_arrays)
        elif isinstance(in_arrays, dict):
            loss = func(**in_arrays)
        else:
            loss = func(in_arrays)
        model.cleargrads()
        loss.backward()
        for i, (process, conn) in enumerate(self._workers, 1):
            self._wait(i, process, conn)
        params, offsets = self._layout
        n = len(self._devices)
        for p, lo, hi in zip(params, offsets[:-1], offsets[1:]):
            total = self._buffers[1:n, lo:hi].sum(axis=0).reshape(p.shape)
            if p.grad is None:
                p.grad = p.xp.zeros_like(p.array)
            p.grad = (p.grad + p.device.send(total)) / p.dtype.type(n)
        optimizer.update()
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def finalize(self):
        """Stop the workers (terminating any that do not exit) and free shared memory."""
        if self._workers is not None:
            for process, conn in self._workers:
                try:
                    conn.send('stop')
                except (BrokenPipeError, OSError):
                    pass
            for process, conn in self._workers:
                process.join(5)
                if process.is_alive():
                    process.terminate()
                    process.join(5)
                conn.close()
            self._workers = None
            self._buffers = None
            self._shm.close()
            self._shm.unlink()
        super().finalize()
