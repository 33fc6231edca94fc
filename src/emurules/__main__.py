"""`python -m emurules`."""

import sys

from emurules.cli import main

sys.exit(main())
