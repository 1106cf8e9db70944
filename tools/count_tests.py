#!/usr/bin/env python3
"""Counts individual test cases across meson build dirs and prints `N passed, N failed`.

Usage: tools/count_tests.py BUILD_DIR [BUILD_DIR ...]

Reads, for each build dir, the log of its last `meson test` run
(meson-logs/testlog.json, one JSON object per test) and meson-info/intro-tests.json (to
know which tests speak the gtest protocol):

- a gtest-protocol test counts each of its test cases, from the XML report meson asked it
  to write (`--gtest_output=xml:<name>.xml` in the build dir, or in the test's workdir);
  a report older than the run is ignored (left over from an earlier run);
- when there is no fresh report (the executable crashed, timed out or was killed before
  gtest wrote it), the cases are read from its output: `[ RUN ]` without `[ OK ]` is a
  failure; a gtest executable that meson judged bad always counts at least one failure;
- any other test counts as one case;
- a build dir without a test log (configure failed, or `meson test` never ran) counts
  as one failure, and so does a failed build (meson-logs/build-failed, written by
  tools/setup.sh and tools/sanitize.sh, which then run only the tests that did build).

The last line printed is the summary (`, N skipped` is appended when some were skipped).
Exit status 0 only when nothing failed and at least one case passed.
"""

import json
import os
import re
import sys
import xml.etree.ElementTree as ET

GOOD = {'OK', 'EXPECTEDFAIL'}
SKIP = {'SKIP'}

RUN_RE = re.compile(r'^\[ RUN      \] (\S+)', re.M)
OK_RE = re.compile(r'^\[       OK \] (\S+) \(', re.M)
SKIPPED_RE = re.compile(r'^\[  SKIPPED \] (\S+) \(', re.M)


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []  # "dir: test: case" lines for the report

    def add(self, other):
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        self.failures += other.failures


def load_intro_tests(build_dir):
    """Maps test name -> list of intro entries (names are unique only per project)."""
    path = os.path.join(build_dir, 'meson-info', 'intro-tests.json')
    try:
        with open(path, encoding='utf-8') as f:
            tests = json.load(f)
    except (OSError, ValueError):
        return {}
    by_name = {}
    for t in tests:
        by_name.setdefault(t['name'], []).append(t)
    return by_name


def find_intro(intro, entry):
    """The intro-tests entry for one testlog.json entry (pretty name may carry a suite)."""
    log_name = entry.get('name', '')
    command = entry.get('command') or []
    candidates = []
    for name, tests in intro.items():
        if log_name == name or log_name.endswith(' / ' + name):
            candidates += tests
    for t in candidates:
        cmd = t.get('cmd') or []
        if command[:len(cmd)] == cmd:
            return t
    return candidates[0] if candidates else None


def gtest_xml_cases(path, started):
    """(passed, failed, skipped, failed names) from a gtest XML report, or None if absent
    or stale."""
    try:
        if started is not None and os.path.getmtime(path) + 1 < started:
            return None
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    passed = failed = skipped = 0
    names = []
    for case in root.iter('testcase'):
        name = '%s.%s' % (case.get('classname', '?'), case.get('name', '?'))
        if case.find('failure') is not None or case.find('error') is not None:
            failed += 1
            names.append(name)
        elif (case.find('skipped') is not None or case.get('result') in ('skipped', 'suppressed')
              or case.get('status') == 'notrun'):
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped, names


def gtest_stdout_cases(stdout):
    """Case counts from gtest's console output, for a run that left no XML report."""
    ran = RUN_RE.findall(stdout)
    ok = set(OK_RE.findall(stdout))
    skipped = set(SKIPPED_RE.findall(stdout))
    passed = failed = skip = 0
    names = []
    for name in ran:
        if name in ok:
            passed += 1
        elif name in skipped:
            skip += 1
        else:
            failed += 1
            names.append(name + ' (no result: crashed or timed out?)')
    return passed, failed, skip, names


def count_dir(build_dir):
    tally = Tally()
    log_path = os.path.join(build_dir, 'meson-logs', 'testlog.json')
    try:
        with open(log_path, encoding='utf-8') as f:
            entries = [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        tally.failed += 1
        if os.path.exists(os.path.join(build_dir, 'meson-logs', 'build-failed')):
            why = 'build failed and no test program was built'
        else:
            why = 'configure failed or tests never ran'
        tally.failures.append('%s: no test log (%s): %s'
                              % (build_dir, e.__class__.__name__, why))
        return tally

    marker = os.path.join(build_dir, 'meson-logs', 'build-failed')
    if os.path.exists(marker):
        tally.failed += 1
        tally.failures.append('%s: build failed (only the tests that built ran)' % build_dir)

    intro = load_intro_tests(build_dir)
    for entry in entries:
        name = entry.get('name', '?')
        result = entry.get('result', 'ERROR')
        test = find_intro(intro, entry)
        is_gtest = (test.get('protocol') == 'gtest') if test else \
            '[==========] Running' in (entry.get('stdout') or '')
        if not is_gtest:
            if result in GOOD:
                tally.passed += 1
            elif result in SKIP:
                tally.skipped += 1
            else:
                tally.failed += 1
                tally.failures.append('%s: %s: %s' % (build_dir, name, result))
            continue

        base = test['name'] if test else name.split(' / ')[-1]
        workdir = (test.get('workdir') if test else None) or build_dir
        xml_path = os.path.join(workdir, base + '.xml')
        cases = gtest_xml_cases(xml_path, entry.get('starttime'))
        if cases is None:
            cases = gtest_stdout_cases(entry.get('stdout') or '')
        passed, failed, skipped, names = cases
        tally.passed += passed
        tally.skipped += skipped
        tally.failed += failed
        tally.failures += ['%s: %s: %s' % (build_dir, name, n) for n in names]
        if result in SKIP and passed + failed + skipped == 0:
            tally.skipped += 1
        elif result not in GOOD | SKIP and failed == 0:
            # All its cases passed, yet the process failed: a crash after the last case,
            # a sanitizer report at exit (LeakSanitizer), a timeout, or a missing binary.
            tally.failed += 1
            tally.failures.append('%s: %s: %s (exit status %s)'
                                  % (build_dir, name, result, entry.get('returncode')))
    return tally


def main(argv):
    if len(argv) < 2 or argv[1] in ('-h', '--help'):
        print(__doc__.strip())
        return 2
    total = Tally()
    for build_dir in argv[1:]:
        t = count_dir(build_dir)
        print('[%s] %d passed / %d failed / %d skipped'
              % (build_dir, t.passed, t.failed, t.skipped))
        total.add(t)
    for line in total.failures:
        print('FAILED ' + line)
    summary = '%d passed, %d failed' % (total.passed, total.failed)
    if total.skipped:
        summary += ', %d skipped' % total.skipped
    sys.stdout.flush()
    print(summary)
    return 0 if total.failed == 0 and total.passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
