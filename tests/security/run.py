#!/usr/bin/env python3
"""run.py - mailhop's security regression suite (TAP on stdout).

One named case per attack in tests/security/cases/<attack>.t, in the
black-box case format (tests/blackbox/README) and run by the black-box
runner, so every case checks mailhop's exit status and the exact bytes the
fake server received.  The TAP test names are the case file names.

Usage: run.py [-v] [-k] [-j N] [CASE...]   (as tests/blackbox/run.py)
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "blackbox"))

import run as blackbox  # noqa: E402  (tests/blackbox/run.py)

if __name__ == "__main__":
    sys.exit(blackbox.main(["--cases", os.path.join(HERE, "cases")]
                           + sys.argv[1:]))
