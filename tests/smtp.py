"""A real SMTP server on loopback for the tests: it accepts, refuses or stalls, as a test needs."""

import email
import email.policy
import select
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field


@dataclass
class SmtpBehaviour:
    """What the server answers. ``mode``: "accept", "tempfail" (451 after DATA), "reject" (550), "stall".

    ``delay``: seconds a slow relay takes to accept each message; a client that hangs up meanwhile (its
    process killed) has its message dropped, as a real relay drops a transaction it could not confirm.
    """

    mode: str = "accept"
    delay: float = 0.0
    received: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    connected: threading.Event = field(default_factory=threading.Event)


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def _reply(self, line: str):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def _client_gone(self) -> bool:
        readable, _, _ = select.select([self.request], [], [], 0)
        if not readable:
            return False
        try:
            return self.request.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def handle(self):
        behaviour: SmtpBehaviour = self.server.behaviour
        behaviour.connected.set()
        if behaviour.mode == "stall":
            # Never greet: the client waits until it is killed or times out.
            self.request.recv(1)
            return
        self._reply("220 test-smtp ready")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self._reply("250 test-smtp")
            elif verb in {"MAIL", "RCPT", "RSET", "NOOP"}:
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with .")
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                if behaviour.delay:
                    time.sleep(behaviour.delay)
                    if self._client_gone():
                        return
                if behaviour.mode == "tempfail":
                    self._reply("451 4.3.0 try again later")
                elif behaviour.mode == "reject":
                    self._reply("550 5.1.1 mailbox unavailable")
                else:
                    message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                    with behaviour.lock:
                        behaviour.received.append(message)
                    self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    """Runs the server in a thread; ``port`` is chosen by the system."""

    def __init__(self, mode: str = "accept", delay: float = 0.0):
        self.behaviour = SmtpBehaviour(mode=mode, delay=delay)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.behaviour = self.behaviour
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    @property
    def messages(self):
        with self.behaviour.lock:
            return list(self.behaviour.received)
