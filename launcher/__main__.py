"""``python -m launcher``: same as ``dchain-launch``."""
import sys

from launcher.main import main

sys.exit(main())
