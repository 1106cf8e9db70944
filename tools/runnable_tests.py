#!/usr/bin/env python3
"""Lists the meson tests of a build dir whose programs are built and up to date.

Usage: tools/runnable_tests.py BUILD_DIR

After a partly failed build (`ninja -k 0`), `meson test` refuses to run at all if any test
program is missing, and would run a stale one left by an earlier build. tools/setup.sh
and tools/sanitize.sh then pass the names printed here (one per line) to `meson test`, so
the tests that did build still run; the failed build is counted separately.

A test whose program lives outside the build dir (python3, bash) is always runnable; one
built here is runnable when the file exists and `ninja -n` has no work left for it.
"""

import json
import os
import subprocess
import sys


def up_to_date(build_dir, target):
    proc = subprocess.run(['ninja', '-C', build_dir, '-n', target], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    return proc.returncode == 0 and 'no work to do' in proc.stdout


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    build_dir = os.path.abspath(argv[1])
    with open(os.path.join(build_dir, 'meson-info', 'intro-tests.json'), encoding='utf-8') as f:
        tests = json.load(f)
    checked = {}
    for t in tests:
        program = (t.get('cmd') or [''])[0]
        if os.path.isabs(program) and program.startswith(build_dir + os.sep):
            if program not in checked:
                rel = os.path.relpath(program, build_dir)
                checked[program] = os.path.exists(program) and up_to_date(build_dir, rel)
            if not checked[program]:
                print('not runnable (not built): ' + t['name'], file=sys.stderr)
                continue
        print(t['name'])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
