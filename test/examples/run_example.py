#!/usr/bin/env python3
"""Runs the ports of Tokio 0.1's examples against each other and checks what they print.

Usage: run_example.py SCENARIO NAME=PATH...   (examples/meson.build passes the paths)

Scenarios: echo, seed_echo, hello_world, udp, proxy, connect, loadgen. A server example
is started on a free loopback port (found by binding port 0 here), and the driver waits
for its "Listening on: ..." line by reading its stdout line by line: that also checks the
runtime line-buffers stdout when it is a pipe. Every wait is bounded, every server is
killed at the end. Exit status: 0 pass, 1 fail, 77 skip (meson's code for a skipped test:
used when a port fixed by the example itself is busy).
"""

import os
import queue
import socket
import subprocess
import sys
import threading
import time

WAIT = 5.0  # seconds: the bound of every wait
SKIP = 77


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Server:
    """An example process whose stdout is read line by line on a thread."""

    def __init__(self, argv):
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def expect_line(self, predicate, what):
        """Waits (bounded) for a stdout line satisfying predicate; returns it."""
        deadline = time.monotonic() + WAIT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Fail(f"{self.argv[0]}: no line {what} within {WAIT}s; saw {self.seen}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                err = self.proc.stderr.read() if self.proc.poll() is not None else ""
                raise Fail(f"{self.argv[0]}: stdout ended before a line {what}; saw {self.seen}; stderr {err!r}")
            self.seen.append(line)
            if predicate(line):
                return line

    def expect(self, exact):
        return self.expect_line(lambda line: line == exact, repr(exact))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            pass


def run(argv, stdin_data=b"", timeout=WAIT):
    """Runs a client example to completion (bounded); returns (exit code, stdout, stderr)."""
    try:
        done = subprocess.run(argv, input=stdin_data, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise Fail(f"{argv} did not finish within {timeout}s; stdout so far {e.stdout!r}")
    return done.returncode, done.stdout, done.stderr


def tcp_echo_roundtrip(port, payload):
    """Sends payload, reads the same number of bytes back, then closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as s:
        s.sendall(payload)
        got = b""
        while len(got) < len(payload):
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
        s.shutdown(socket.SHUT_WR)
        rest = s.recv(65536)  # the server closes after our FIN
    if got != payload:
        raise Fail(f"echoed {got!r}, expected {payload!r}")
    if rest:
        raise Fail(f"unexpected bytes after the echo: {rest!r}")


def start_server(argv, listening):
    server = Server(argv)
    server.expect(listening)
    return server


def scenario_echo(exe):
    port = free_port()
    payload = b"hello, echo\n" * 100
    servers = []
    try:
        servers.append(start_server([exe["echo"], f"127.0.0.1:{port}"], f"Listening on: 127.0.0.1:{port}"))
        tcp_echo_roundtrip(port, payload)
        servers[0].expect(f"wrote {len(payload)} bytes")
        # A second connection: the server keeps serving.
        tcp_echo_roundtrip(port, b"again")
        servers[0].expect("wrote 5 bytes")
    finally:
        for s in servers:
            s.kill()


def scenario_seed_echo(exe):
    port = 12345  # fixed by PORTING.md's seed example
    if not port_is_free(port):
        raise Skip(f"port {port} is busy")
    server = Server([exe["seed_echo"]])
    try:
        # The seed example prints nothing when it starts: wait until it accepts.
        deadline = time.monotonic() + WAIT
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=WAIT).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.proc.poll() is not None:
                    raise Fail("seed_echo did not start listening on 127.0.0.1:12345")
                time.sleep(0.02)
        server.expect("wrote 0 bytes")
        tcp_echo_roundtrip(port, b"seed\n")
        server.expect("wrote 5 bytes")
    finally:
        server.kill()


def scenario_hello_world(exe):
    port = 6142  # fixed by the example
    # A Python server (like `nc -l`) rather than the echo example: hello_world exits right
    # after writing, so an echo would race with the close (a reset instead of an EOF).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", port))
    except OSError:
        listener.close()
        raise Skip(f"port {port} is busy")
    with listener:
        listener.listen(1)
        listener.settimeout(WAIT)
        received = []

        def serve():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(WAIT)
                data = b""
                while chunk := conn.recv(4096):
                    data += chunk
                received.append(data)

        t = threading.Thread(target=serve, daemon=True)
        t.start()
        code, out, err = run([exe["hello_world"]])
        t.join(WAIT)
    expected = ("About to create the stream and write to it...\n"
                "created stream\n"
                "wrote to stream; success=true\n"
                "Stream has been created and written to.\n")
    if code != 0 or out.decode() != expected:
        raise Fail(f"hello_world: exit {code}, stdout {out!r}, stderr {err!r}")
    if received != [b"hello world\n"]:
        raise Fail(f"the server received {received!r}")


def scenario_udp(exe):
    port = free_port(socket.SOCK_DGRAM)
    server = start_server([exe["echo_udp"], f"127.0.0.1:{port}"], f"Listening on: 127.0.0.1:{port}")
    try:
        # udp_client: stdin as one datagram, prints the reply.
        payload = b"hello over udp"
        code, out, err = run([exe["udp_client"], f"127.0.0.1:{port}"], payload)
        if code != 0 or out != b"Received %d bytes:\n%s\n" % (len(payload), payload):
            raise Fail(f"udp_client: exit {code}, stdout {out!r}, stderr {err!r}")
        server.expect_line(lambda l: l.startswith(f"Echoed {len(payload)}/{len(payload)} bytes to 127.0.0.1:"),
                           "Echoed N/N bytes to ...")

        # A Python client.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(WAIT)
            s.sendto(b"ping", ("127.0.0.1", port))
            data, src = s.recvfrom(2048)
            if data != b"ping" or src != ("127.0.0.1", port):
                raise Fail(f"echo_udp replied {data!r} from {src}")
            server.expect(f"Echoed 4/4 bytes to 127.0.0.1:{s.getsockname()[1]}")

        # connect --udp: its receive stream never ends (as in Rust), so read one line.
        proc = subprocess.Popen([exe["connect"], "--udp", f"127.0.0.1:{port}"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            proc.stdin.write(b"via connect\n")
            proc.stdin.flush()
            got = read_bounded(proc.stdout, len(b"via connect\n"))
            if got != b"via connect\n":
                raise Fail(f"connect --udp printed {got!r}")
        finally:
            proc.kill()
            proc.wait(timeout=WAIT)
        server.expect_line(lambda l: l.startswith("Echoed 12/12 bytes to 127.0.0.1:"), "Echoed 12/12 ...")
    finally:
        server.kill()


def read_bounded(pipe, n):
    """Reads n bytes from a pipe, giving up after WAIT seconds."""
    result = []

    def reader():
        got = b""
        while len(got) < n:
            chunk = os.read(pipe.fileno(), n - len(got))
            if not chunk:
                break
            got += chunk
        result.append(got)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t.join(WAIT)
    if not result:
        raise Fail(f"no {n} bytes within {WAIT}s")
    return result[0]


def scenario_proxy(exe):
    echo_port, proxy_port = free_port(), free_port()
    servers = []
    try:
        servers.append(start_server([exe["echo"], f"127.0.0.1:{echo_port}"], f"Listening on: 127.0.0.1:{echo_port}"))
        proxy = Server([exe["proxy"], f"127.0.0.1:{proxy_port}", f"127.0.0.1:{echo_port}"])
        servers.append(proxy)
        proxy.expect(f"Listening on: 127.0.0.1:{proxy_port}")
        proxy.expect(f"Proxying to: 127.0.0.1:{echo_port}")
        payload = bytes(range(256)) * 64
        tcp_echo_roundtrip(proxy_port, payload)
        proxy.expect(f"client wrote {len(payload)} bytes and received {len(payload)} bytes")
        servers[0].expect(f"wrote {len(payload)} bytes")
    finally:
        for s in servers:
            s.kill()


def scenario_connect(exe):
    port = free_port()
    server = start_server([exe["echo"], f"127.0.0.1:{port}"], f"Listening on: 127.0.0.1:{port}")
    try:
        payload = b"".join(b"line %d\n" % i for i in range(2000))
        code, out, err = run([exe["connect"], f"127.0.0.1:{port}"], payload)
        if code != 0 or out != payload:
            raise Fail(f"connect: exit {code}, {len(out)} bytes out of {len(payload)}, stderr {err!r}")
        server.expect(f"wrote {len(payload)} bytes")
        # Without an argument it says so and fails.
        code, out, err = run([exe["connect"]])
        if code == 0 or b"this program requires at least one argument" not in err:
            raise Fail(f"connect without arguments: exit {code}, stderr {err!r}")
    finally:
        server.kill()


def scenario_loadgen(exe):
    if not os.path.exists(exe["loadgen"]):
        raise Skip(f"{exe['loadgen']} is not built")
    port = free_port()
    server = start_server([exe["echo"], f"127.0.0.1:{port}"], f"Listening on: 127.0.0.1:{port}")
    try:
        code, out, err = run([exe["loadgen"], f"127.0.0.1:{port}", "-c", "4", "-d", "0.5", "-w", "0.1"],
                             timeout=WAIT + 5)
        text = out.decode()
        if code != 0 or not text.startswith("loadgen ") or "errors=0" not in text:
            raise Fail(f"loadgen: exit {code}, stdout {text!r}, stderr {err!r}")
        print(text, end="")
        if server.proc.poll() is not None:
            raise Fail(f"echo exited during the load (status {server.proc.returncode})")
    finally:
        server.kill()


SCENARIOS = {
    "echo": scenario_echo,
    "seed_echo": scenario_seed_echo,
    "hello_world": scenario_hello_world,
    "udp": scenario_udp,
    "proxy": scenario_proxy,
    "connect": scenario_connect,
    "loadgen": scenario_loadgen,
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in SCENARIOS:
        print(f"usage: {sys.argv[0]} {{{','.join(SCENARIOS)}}} NAME=PATH...", file=sys.stderr)
        return 2
    exe = dict(arg.split("=", 1) for arg in sys.argv[2:])
    try:
        SCENARIOS[sys.argv[1]](exe)
    except Skip as e:
        print(f"SKIP: {e}")
        return SKIP
    except Fail as e:
        print(f"FAIL: {e}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
