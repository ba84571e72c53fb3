"""Log records of the core, sent to ``logging.getLogger("enneo")``.

Each request logs one line at DEBUG (method, path, status, time, retries,
request id) and each retry one at INFO; never a header, so never the token.
``ENNEO_LOG`` (read by the core, the same values in every language: ``trace``
or ``debug``, ``info``, ``warn``, ``error``, ``off``) adds a stderr handler at
that level, for scripts that do not configure logging themselves.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Dict, Optional

from . import _native

logger = logging.getLogger("enneo")

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}


def _setup_from_env() -> None:
    wanted = _native.env_log_level()
    if wanted is None or wanted == "off":
        return
    level = _LEVELS[wanted]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


def level() -> Optional[str]:
    """The most verbose level the logger takes now, as the core names it;
    asked on each call, so logging configured later still applies."""
    if logger.isEnabledFor(logging.DEBUG):
        return "debug"
    if logger.isEnabledFor(logging.INFO):
        return "info"
    return None


def _emit(level_name: str, message: str, fields: Dict[str, Any]) -> None:
    """Called by the native module with one record and its fields, which
    handlers see as attributes of the ``LogRecord`` (``record.request_id``)."""
    logger.log(_LEVELS.get(level_name, logging.DEBUG), message, extra=fields)


_setup_from_env()
