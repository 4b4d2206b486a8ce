"""``python -m nerve.cli``."""

import sys

from . import main

sys.exit(main())
