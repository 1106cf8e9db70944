#!/usr/bin/env python3
"""Compile-fail test runner: checks that a snippet does NOT compile, for the right reason.

Usage: tools/compile_fail.py SNIPPET.cpp INCLUDE_DIR -- COMPILER [COMPILER ARGS...]

The snippet's first line is `// expect: <text>`. The runner compiles it with
`COMPILER -std=c++20 -fsyntax-only -I INCLUDE_DIR SNIPPET` and passes when compilation
fails AND the compiler's diagnostics contain <text> (whitespace-insensitive; usually a
piece of a static_assert message). It fails when the snippet compiles, or when it fails
for another reason (a broken header would otherwise pass every snippet).

Exit 0 = pass, 1 = fail, 2 = usage error.
"""

import re
import subprocess
import sys

TIMEOUT_S = 240


def squash(text):
    return re.sub(r'\s+', ' ', text)


def main(argv):
    if '--' not in argv or argv.index('--') != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    snippet, include_dir = argv[1], argv[2]
    compiler = argv[4:]
    if not compiler:
        print('compile_fail: no compiler given after --', file=sys.stderr)
        return 2

    with open(snippet, encoding='utf-8') as f:
        first = f.readline()
    m = re.match(r'^//\s*expect:\s*(.+?)\s*$', first)
    if not m:
        print('compile_fail: %s: first line must be `// expect: <text>`' % snippet)
        return 2
    expect = m.group(1)

    cmd = compiler + ['-std=c++20', '-fsyntax-only', '-I', include_dir, snippet]
    print('$ ' + ' '.join(cmd))
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        print('compile_fail: FAIL: compiler timed out after %d s' % TIMEOUT_S)
        return 1
    output = proc.stdout

    if proc.returncode == 0:
        print(output)
        print('compile_fail: FAIL: %s compiled, but it must not (expected: %r)'
              % (snippet, expect))
        return 1
    if squash(expect) not in squash(output):
        print(output)
        print('compile_fail: FAIL: %s failed to compile, but without %r in the diagnostics'
              % (snippet, expect))
        return 1
    for line in output.splitlines():
        if expect.split()[0] in line and ('error' in line or 'static assert' in line):
            print(line)
            break
    print('compile_fail: ok: %s is rejected with %r' % (snippet, expect))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
