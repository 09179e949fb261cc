"""launcher._parent_death: the command dies with the process that started it."""
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from launch_helpers import alive, wait_for  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _run(*args):
    return subprocess.run([sys.executable, '-m', 'launcher._parent_death'] + list(args),
                          capture_output=True, text=True, cwd=ROOT, timeout=30)


def test_command_dies_when_its_parent_is_killed():
    starter = subprocess.Popen(
        [sys.executable, '-c',
         'import os, subprocess, sys, time\n'
         'p = subprocess.Popen([sys.executable, "-m", "launcher._parent_death", "SIGTERM", '
         'str(os.getpid()), "--", "sleep", "60"])\n'
         'print(p.pid, flush=True)\n'
         'time.sleep(60)\n'],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        child = int(starter.stdout.readline())
        # The command runs as the same process once it has replaced the wrapper.
        wait_for(lambda: open('/proc/{}/cmdline'.format(child), 'rb').read().startswith(
            b'sleep'), 10, 'sleep started')
        os.kill(starter.pid, signal.SIGKILL)
        starter.wait(10)
        wait_for(lambda: not alive(child), 10, 'the command gone with its parent')
    finally:
        if starter.poll() is None:
            starter.kill()
        starter.stdout.close()


def test_a_missing_command_is_named_with_exit_code_127():
    proc = _run('SIGTERM', str(os.getpid()), '--', 'no-such-command-xyz')
    assert proc.returncode == 127
    assert "cannot start 'no-such-command-xyz'" in proc.stderr


def test_bad_usage_exits_2():
    proc = _run('SIGTERM', '1')
    assert proc.returncode == 2 and 'usage' in proc.stderr
