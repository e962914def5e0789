#!/usr/bin/env python3
"""How long after exec a SIGTERM still kills a Worker program by the default action.

Starts the program again and again, sends SIGTERM DELAY ms after exec (0, STEP, 2*STEP, ... MAX ms)
and records how it ended: killed by the signal (the handlers were not installed yet) or an exit code
of its own (the Worker's clean stop: 0). Prints, per delay, kills/trials, and the window: the largest
delay at which any trial was killed.

Usage: python3 benchmarks/signal-window.py [--max MS] [--step MS] [--trials N] -- PROGRAM [ARGS...]
e.g.   python3 benchmarks/signal-window.py -- dotnet samples/Tutorial/bin/Release/net10.0/Tutorial.dll
       python3 benchmarks/signal-window.py -- /tmp/aot/Tutorial
Ports: the tutorial's --port/--websocket-port are added (free ones) unless --no-ports is given.
"""
import argparse
import signal
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=300)
    parser.add_argument("--step", type=int, default=10)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--no-ports", action="store_true")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = [c for c in options.command if c != "--"]
    window = None
    for delay in range(0, options.max + 1, options.step):
        kills = 0
        for _ in range(options.trials):
            args = list(command)
            if not options.no_ports:
                args += ["--port", str(free_port()), "--websocket-port", str(free_port())]
            process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay / 1000)
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                code = process.wait()
            if code == -signal.SIGTERM:
                kills += 1
        print(f"{delay:4d} ms: killed {kills}/{options.trials}", flush=True)
        if kills:
            window = delay
    print("window: " + ("none (no trial was killed)" if window is None else f"killed up to {window} ms after exec"))


if __name__ == "__main__":
    main()
