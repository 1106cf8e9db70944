#!/usr/bin/env python3
"""Include-DAG lint for tokio-cpp (docs: STYLE 5.1, "Layers and the dependency rule").

Usage: tools/check_layers.py [REPO_ROOT]

Reads every `#include` line under include/ and lib/ and fails (exit 1, one
`file:line: message` per violation) when a layer reaches where it must not:

  include/futures/**    nothing from tokio/ (futures is independent of tokio and mio)
  include/tokio/mio/**  nothing from futures/ or from tokio/ outside tokio/mio/, except the
                        vocabulary types that stand for Rust's std (MIO_VOCABULARY)
  include/**            no spdlog, Boost, fmt (fmt only in include/{futures,tokio}/fmt.hpp)
                        and no OS headers (<sys/...>, <unistd.h>, <netinet/...>,
                        <arpa/...>, <fcntl.h>, <poll.h>, ...): those belong in lib/
  lib/futures/**        nothing from tokio/
  lib/tokio/mio/**      nothing from futures/ or from tokio/ outside tokio/mio/

Quoted includes are resolved against the including file's directory first, so
`#include "../../tokio/x.hpp"` is caught too. Includes inside comments are ignored.
"""

import os
import re
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_EXTS = ('.hpp', '.h', '.hh', '.ipp', '.tpp', '.cpp', '.cc', '.cxx')

# Public headers allowed to include fmt (a dedicated formatter header per layer).
FMT_ALLOWED = {'include/tokio/fmt.hpp', 'include/futures/fmt.hpp'}

# What Rust's mio takes from std (io::Result, io::Error, net::SocketAddr): the mio layer
# may use these, and nothing else above it.
MIO_VOCABULARY = {'futures/result.hpp', 'futures/unit.hpp', 'tokio/io/error.hpp',
                  'tokio/net/socket_addr.hpp'}

OS_HEADER_RE = re.compile(
    r'^(sys/|netinet/|arpa/|linux/|net/if\.h$|unistd\.h$|fcntl\.h$|poll\.h$|netdb\.h$|'
    r'signal\.h$|pthread\.h$|windows\.h$|winsock2?\.h$|ws2tcpip\.h$)')


def strip_block_comments(lines):
    """Yields (line number, text) with /* ... */ comment text blanked out."""
    in_block = False
    for num, line in enumerate(lines, 1):
        out = []
        i = 0
        while i < len(line):
            if in_block:
                end = line.find('*/', i)
                if end < 0:
                    i = len(line)
                else:
                    in_block = False
                    i = end + 2
            else:
                start = line.find('/*', i)
                slash = line.find('//', i)
                if start < 0 or (0 <= slash < start):
                    out.append(line[i:])
                    i = len(line)
                else:
                    out.append(line[i:start])
                    in_block = True
                    i = start + 2
        yield num, ''.join(out)


def normalize(root, rel_file, kind, target):
    """The included path as seen from include/ (or lib/): 'futures/poll.hpp'. For a quoted
    include that exists next to the including file, resolve it relative to that file."""
    if kind == '"':
        here = os.path.dirname(os.path.join(root, rel_file))
        candidate = os.path.normpath(os.path.join(here, target))
        for base in ('include', 'lib'):
            base_dir = os.path.join(root, base) + os.sep
            if candidate.startswith(base_dir) and (os.path.exists(candidate) or
                                                    target.startswith('.')):
                return candidate[len(base_dir):].replace(os.sep, '/')
    return target


def violations_for(rel_file, target):
    """Messages for one include of `target` (normalized) in repo-relative `rel_file`."""
    msgs = []
    is_public = rel_file.startswith('include/')
    layer_futures = rel_file.startswith(('include/futures/', 'lib/futures/')) or \
        rel_file == 'include/futures.hpp'
    layer_mio = rel_file.startswith(('include/tokio/mio/', 'lib/tokio/mio/'))

    if layer_futures and target.startswith('tokio/'):
        msgs.append('futures must not include tokio headers (%s)' % target)
    if layer_mio and target not in MIO_VOCABULARY:
        if target.startswith('futures/') or target == 'futures.hpp':
            msgs.append('tokio::mio must not include futures headers (%s)' % target)
        elif target.startswith('tokio/') and not target.startswith('tokio/mio/'):
            msgs.append('tokio::mio must not include tokio headers outside tokio/mio (%s)'
                        % target)
    if is_public:
        if target.startswith('spdlog/'):
            msgs.append('public headers must not include spdlog (log from lib/ only): %s'
                        % target)
        if target.startswith('boost/'):
            msgs.append('public headers must not include Boost (Boost.Context lives in '
                        'lib/tokio/fiber): %s' % target)
        if target.startswith('fmt/') and rel_file not in FMT_ALLOWED:
            msgs.append('fmt may be included only by %s: %s'
                        % (' / '.join(sorted(FMT_ALLOWED)), target))
        if OS_HEADER_RE.match(target):
            msgs.append('public headers must not include OS headers (convert in lib/): <%s>'
                        % target)
    return msgs


def scan(root):
    problems = []
    for top in ('include', 'lib'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for fname in sorted(filenames):
                if not fname.endswith(SOURCE_EXTS):
                    continue
                path = os.path.join(dirpath, fname)
                rel = os.path.relpath(path, root).replace(os.sep, '/')
                with open(path, encoding='utf-8', errors='replace') as f:
                    lines = f.read().splitlines()
                for num, text in strip_block_comments(lines):
                    m = INCLUDE_RE.match(text)
                    if not m:
                        continue
                    target = normalize(root, rel, m.group(1), m.group(2).strip())
                    for msg in violations_for(rel, target):
                        problems.append('%s:%d: %s' % (rel, num, msg))
    return problems


def main(argv):
    if len(argv) > 1 and argv[1] in ('-h', '--help'):
        print(__doc__.strip())
        return 0
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    root = os.path.abspath(root)
    if not os.path.isdir(os.path.join(root, 'include')):
        print('check_layers: %s has no include/ directory' % root, file=sys.stderr)
        return 2
    problems = scan(root)
    for p in problems:
        print(p)
    if problems:
        print('check_layers: %d layering violation(s); see STYLE 5.1' % len(problems))
        return 1
    print('check_layers: include DAG ok')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
