"""Control plane under load: 50 watchers plus 100 GetJob/s against a running 2-rank job.

    python benchmarks/control_plane_load.py [--duration 30] [--watchers 50] [--rate 100]
                                            [--phase 10] [-n 2]

Starts ``dchain-launch -n N`` on a small data-parallel MLP (this file in ``--worker`` mode),
then alternates phases without and with load until the load has run ``--duration`` seconds
in total (quiet, load, quiet, load, ..., quiet: so slow drifts of the machine cancel out).
The load (watchers streaming every update, GetJob paced at ``--rate`` per second) runs in
a separate process. Prints the GetJob latency percentiles and the training throughput with
load relative to the neighbouring quiet phases. Bars: p99 < 20 ms, drop < 3 %.
"""
import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


# -- the training job -------------------------------------------------------------------
def worker(args):
    import numpy

    import dchain
    import dchain.control
    import dchain.distributed as mn
    import dchain.functions as F
    import dchain.links as L
    from dchain import training
    from dchain.datasets import TupleDataset

    comm = mn.create_communicator('naive')
    rng = numpy.random.RandomState(0)
    x = rng.rand(4096, 256).astype(numpy.float32)
    y = rng.randint(0, 10, 4096).astype(numpy.int32)
    data = mn.scatter_dataset(TupleDataset(x, y) if comm.rank == 0 else None, comm)

    class MLP(dchain.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.l1 = L.Linear(256, 256)
                self.l2 = L.Linear(256, 10)

        def forward(self, x):
            return self.l2(F.relu(self.l1(x)))

    model = L.Classifier(MLP())
    optimizer = mn.create_multi_node_optimizer(dchain.optimizers.SGD(lr=0.01), comm)
    optimizer.setup(model)
    it = dchain.iterators.SerialIterator(data, 64)
    trainer = training.Trainer(training.StandardUpdater(it, optimizer), None,
                               out=args.progress + '.out')
    dchain.control.maybe_extend(trainer)
    if comm.rank == 0:
        log = open(args.progress, 'a', buffering=1)

        def progress(t):
            if t.updater.iteration % 10 == 0:
                log.write('{:.6f} {}\n'.format(time.time(), t.updater.iteration))
        trainer.extend(progress, name='progress')
    trainer.run()


# -- the load ---------------------------------------------------------------------------
def load(address, watchers, rate, seconds, queue):
    from dchain.control.client import ControlClient
    # Watchers normally run on other machines; on the benchmark box the generator yields
    # the CPU to the job so that the figure is the server's cost, not the clients'.
    os.nice(10)
    stop = threading.Event()
    received = [0] * watchers

    def watch(i):
        client = ControlClient(address)
        try:
            for _ in client.watch_job(min_interval=0.05, timeout=seconds + 30):
                received[i] += 1
                if stop.is_set():
                    break
        except Exception:
            pass
        finally:
            client.close()
    threads = [threading.Thread(target=watch, args=(i,), daemon=True) for i in range(watchers)]
    for t in threads:
        t.start()
    client = ControlClient(address)
    latencies, errors = [], 0
    start = time.perf_counter()
    k = 0
    while True:
        due = start + k / rate
        now = time.perf_counter()
        if due - start >= seconds:
            break
        if due > now:
            time.sleep(due - now)
        t0 = time.perf_counter()
        try:
            client.get_job(timeout=5)
            latencies.append(time.perf_counter() - t0)
        except Exception:
            errors += 1
        k += 1
    stop.set()
    cpu = os.times()
    queue.put((latencies, errors, sum(received), cpu.user + cpu.system))
    queue.close()
    queue.join_thread()
    os._exit(0)   # the watcher streams need not be torn down politely


def _rate(samples, t0, t1):
    inside = [(t, i) for t, i in samples if t0 <= t <= t1]
    if len(inside) < 2:
        return float('nan')
    (ta, ia), (tb, ib) = inside[0], inside[-1]
    return (ib - ia) / (tb - ta)


def _cpu_seconds(pid):
    with open('/proc/{}/stat'.format(pid)) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def _read_progress(path):
    samples = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                samples.append((float(parts[0]), int(parts[1])))
    return samples


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--duration', type=float, default=30.0, help='seconds of load in total')
    p.add_argument('--phase', type=float, default=10.0, help='seconds per phase')
    p.add_argument('--watchers', type=int, default=50)
    p.add_argument('--rate', type=float, default=100.0, help='GetJob calls per second')
    p.add_argument('-n', type=int, default=2, help='ranks of the training job')
    p.add_argument('--warmup', type=float, default=5.0)
    p.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    p.add_argument('--progress', help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        return worker(args)

    from dchain.control import _record
    from dchain.control.client import ControlClient
    tmp = tempfile.mkdtemp(prefix='dchain-cp-load-')
    progress = os.path.join(tmp, 'progress.txt')
    env = dict(os.environ, DCHAIN_HOME=os.path.join(tmp, 'home'), OMP_NUM_THREADS='1',
               OPENBLAS_NUM_THREADS='1')
    for name in ('DCHAIN_CONTROL_ADDR', 'DCHAIN_CONTROL', 'DCHAIN_CONTROL_TOKEN'):
        env.pop(name, None)
    job_id = 'cp-load-{}'.format(os.getpid())
    launcher = subprocess.Popen(
        [sys.executable, '-m', 'launcher', '-n', str(args.n), '--job-id', job_id, '--out',
         tmp, '--', sys.executable, os.path.abspath(__file__), '--worker', '--progress',
         progress], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.environ['DCHAIN_HOME'] = env['DCHAIN_HOME']
    try:
        deadline = time.time() + 60
        job = None
        while time.time() < deadline:
            job = _record.load_record(job_id)
            if job is not None and job.address and os.path.exists(progress) and \
                    len(_read_progress(progress)) > 5:
                break
            if launcher.poll() is not None:
                raise SystemExit('the job ended early:\n' + launcher.stderr.read().decode())
            time.sleep(0.2)
        address = job.address
        time.sleep(args.warmup)
        phases = max(1, int(round(args.duration / args.phase)))
        ctx = multiprocessing.get_context('spawn')
        windows = []   # (kind, t0, t1)
        all_latencies, errors, updates, client_cpu = [], 0, 0, 0.0
        server_cpu = {'quiet': [0.0, 0.0], 'load': [0.0, 0.0]}
        for k in range(phases):
            t0 = time.time()
            c0 = _cpu_seconds(launcher.pid)
            time.sleep(args.phase)
            windows.append(('quiet', t0, time.time()))
            server_cpu['quiet'][0] += _cpu_seconds(launcher.pid) - c0
            server_cpu['quiet'][1] += time.time() - t0
            c0 = _cpu_seconds(launcher.pid)
            queue = ctx.Queue()
            proc = ctx.Process(target=load, args=(address, args.watchers, args.rate,
                                                  args.phase, queue))
            t0 = time.time()
            proc.start()
            lat, err, got, load_cpu = queue.get(timeout=args.phase + 60)
            client_cpu += load_cpu
            proc.join(10)
            windows.append(('load', t0 + 1.0, time.time()))   # skip connection setup
            server_cpu['load'][0] += _cpu_seconds(launcher.pid) - c0
            server_cpu['load'][1] += time.time() - t0
            all_latencies += lat
            errors += err
            updates += got
        t0 = time.time()
        time.sleep(args.phase)
        windows.append(('quiet', t0, time.time()))
        with ControlClient(address) as client:
            client.stop_job(reason='benchmark done')
        launcher.wait(120)
    finally:
        if launcher.poll() is None:
            launcher.terminate()
            launcher.wait(30)

    samples = _read_progress(progress)
    rates = [(kind, _rate(samples, a, b)) for kind, a, b in windows]
    drops = []
    for i, (kind, r) in enumerate(rates):
        if kind == 'load':
            base = (rates[i - 1][1] + rates[i + 1][1]) / 2
            drops.append(1 - r / base)
    lat = sorted(all_latencies)

    def pct(q):
        return 1000 * lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float('nan')
    quiet = [r for k, r in rates if k == 'quiet']
    loaded = [r for k, r in rates if k == 'load']
    print('control plane load: {} watchers + {:.0f} GetJob/s for {:.0f} s against a {}-rank '
          'job ({} CPUs)'.format(args.watchers, args.rate, phases * args.phase, args.n,
                                 os.cpu_count()))
    print('GetJob calls {}  errors {}  latency ms: p50 {:.2f}  p90 {:.2f}  p99 {:.2f}  max '
          '{:.2f}  (bar p99 < 20)'.format(len(lat), errors, pct(0.5), pct(0.9), pct(0.99),
                                          1000 * lat[-1] if lat else float('nan')))
    print('watch updates received: {} ({:.1f}/s per watcher)'.format(
        updates, updates / max(1, args.watchers) / max(1e-9, phases * args.phase)))
    print('training iterations/s: quiet {}  with load {}'.format(
        ' '.join('{:.1f}'.format(r) for r in quiet), ' '.join('{:.1f}'.format(r)
                                                              for r in loaded)))
    print('control plane (launcher process) CPU: quiet {:.1f} %  with load {:.1f} % of one '
          'core'.format(*(100 * server_cpu[k][0] / max(1e-9, server_cpu[k][1])
                          for k in ('quiet', 'load'))))
    print('load generator (clients, nice 10) CPU: {:.1f} % of one core'.format(
        100 * client_cpu / max(1e-9, phases * args.phase)))
    mean_drop = sum(drops) / len(drops) if drops else float('nan')
    median_drop = sorted(drops)[len(drops) // 2] if drops else float('nan')
    spread = (max(quiet) - min(quiet)) / max(quiet) if quiet else float('nan')
    print('throughput drop with load: mean {:.2f} %  median {:.2f} % (per phase: {})  '
          '(bar < 3 %)'.format(100 * mean_drop, 100 * median_drop,
                               ', '.join('{:.2f} %'.format(100 * d) for d in drops)))
    print('quiet phases differ by up to {:.1f} % among themselves: a drop below that is '
          'within the machine\'s noise'.format(100 * spread))


if __name__ == '__main__':
    main()
