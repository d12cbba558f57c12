"""How gunicorn.conf.py makes gunicorn serve the site, read by gunicorn's own configuration loader."""

from pathlib import Path

from gunicorn.app.base import Application
from gunicorn.config import Config

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


class _Loaded(Application):
    """gunicorn's application with the project's configuration file loaded, nothing started."""

    def __init__(self):
        self.usage, self.prog, self.cfg = None, None, Config()
        self.load_config_from_file(str(CONF))

    def load(self):
        raise AssertionError("nothing is served here")


def test_threads_and_keep_alive_as_the_benchmark_measures_them():
    cfg = _Loaded().cfg

    assert (cfg.worker_class_str, cfg.threads, cfg.keepalive) == ("gthread", 4, 2)


def test_no_control_socket_at_the_path_every_gunicorn_of_the_user_would_share():
    assert _Loaded().cfg.control_socket_disable is True
