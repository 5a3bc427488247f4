"""`python -m partnerbook.cli`: the same command as `partnerbook`."""

import sys

from .main import main

sys.exit(main())
