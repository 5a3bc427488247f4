"""`python -m partnerbook.cli`: the `partnerbook` command."""

import sys

from .main import main

sys.exit(main())
