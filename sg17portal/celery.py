"""The Celery application: tasks are discovered in each app's ``tasks.py``."""

import logging
import os
import threading
from functools import partial

from celery import Celery, Task
from django.db import transaction

from sg17portal.request_cache import outside_request

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sg17portal.settings")


class PortalTask(Task):
    """Every task runs outside any request's memo (``sg17portal.request_cache``), even when it is run in the
    process serving a request: what it asks about people, it queries."""

    def __call__(self, *args, **kwargs):
        with outside_request():
            return super().__call__(*args, **kwargs)


app = Celery("sg17portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger(__name__)


def enqueue_on_commit(task_name: str, *args) -> None:
    """Queues the task named ``task_name`` with ``args`` (ids) once the current transaction commits.

    Every app enqueues its tasks through here, by name, so a service never imports its tasks module (which
    imports the service): no import cycle. Outside a transaction the task is sent at once. A broker that is
    down is logged, not raised: the request has done its work, and each task has a periodic sweep that finds
    what is left to do in the database. (A test checks that every name given here is a registered task.)
    """
    transaction.on_commit(partial(_send, task_name, args))


def _send(task_name: str, args: tuple) -> None:
    task = _task(task_name)  # an unknown name is a mistake of ours: it raises
    try:
        task.apply_async(args=args)
    except Exception:
        logger.warning("Could not enqueue %s%r; its periodic sweep will do the work.", task_name, args, exc_info=True)


# Held while the tasks modules are imported. Without it, threads that sent their first tasks at the same moment
# found some task not registered yet ("never registered"), while another thread was importing.
_importing = threading.Lock()


def _task(task_name: str):
    if task_name not in app.tasks:
        with _importing:
            app.loader.import_default_modules()  # every app's tasks.py, as a worker loads them
    return app.tasks[task_name]
