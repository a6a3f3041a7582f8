"""The live progress bar: shown when stderr is a terminal (a pseudo-terminal here), with the
log lines written above it rather than through it."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

from tests.test_end_to_end import REPO

DEAD_SITE = "http://127.0.0.1:9/"  # nothing listens: one portal, done after one failure


def read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_bar_on_a_terminal(tmp_path: Path) -> None:
    main_fd, terminal_fd = pty.openpty()
    fcntl.ioctl(terminal_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    command = [
        sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"site={DEAD_SITE}",
        "-s", f"NIANBAO_DB_URL=sqlite:///{tmp_path / 'a.sqlite'}", "-s", "LOG_LEVEL=WARNING",
    ]  # fmt: skip
    child = subprocess.Popen(command, cwd=REPO, env=env, stderr=terminal_fd)
    os.close(terminal_fd)
    output = read_all(main_fd).decode("utf-8", "replace")
    os.close(main_fd)
    assert child.wait(timeout=120) == 0
    assert "1/1 [" in output and "portal/s" in output
    # Log lines start on a line of their own, after the bar was cleared.
    failure = next(line for line in output.split("\n") if "fetch failed" in line)
    assert failure.rstrip("\r").split("\r")[-1].startswith("20")
