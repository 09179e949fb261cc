"""dchain-launch: run a dchain job under mpiexec with the control plane hosted in-process."""
from launcher.main import find_mpiexec, main  # noqa: F401
