"""Django's PostgreSQL backend, with a health check that costs no round trip to the server.

A web worker keeps its connection between requests (``CONN_MAX_AGE``) and checks it before the first query of
each request (``CONN_HEALTH_CHECKS``). Django checks by sending ``SELECT 1`` and waiting for the answer: one more
round trip on every request, about 4 % of a worker's time in a deadline crunch. Between two requests nothing is
expected from the server on an idle connection, so whether it has written anything is the check: a server that
ended the connection (restarted, or the session terminated) has sent its error and closed the socket, and the
socket reads as ready. Only then is the connection tried as Django tries it, and closed if that fails, so the
request opens a new one. A connection in any other state than idle is checked as Django checks it.
"""

import select

from django.db.backends.postgresql import base
from psycopg2 import extensions


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.info.transaction_status != extensions.TRANSACTION_STATUS_IDLE:
            return super().is_usable()
        poller = select.poll()  # not select(): it takes any descriptor, however many the process has open
        try:
            poller.register(connection.fileno(), select.POLLIN)
            ready = poller.poll(0)
        except (OSError, ValueError):
            return False
        # Something to read (or the socket closed) on an idle connection: the server's goodbye, or a notice; ask as
        # Django does.
        return super().is_usable() if ready else True
