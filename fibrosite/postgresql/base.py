"""Django's PostgreSQL backend (settings: every PostgreSQL database), with two changes.

Timestamps are loaded by psycopg's own loader: its compiled one with psycopg[binary]. Django
registers a loader of its own for `timestamptz` that derives from psycopg's pure-Python one (to
set the time zone it wants), which costs about 7 µs a value in Python: a list page loads about
eighty. The session's time zone is UTC (Django sets it when it connects), and then psycopg's loader
gives the same values, in UTC, as Django's. Any other time zone keeps Django's loader.

Bound on the server (PG_PREPARED_STATEMENTS, the default), a statement takes at most 65,535
parameters (the protocol counts them in 16 bits; bound on the client there is no such limit, and
Django's PostgreSQL backend assumes none): deletions, `bulk_create` and `bulk_update` are split
into batches below it, as on SQLite. Bound on the client, the batches are only smaller than needed.
"""

from datetime import UTC

import psycopg
from django.db.backends.postgresql import base, features, operations
from psycopg.postgres import types
from psycopg.pq import Format

MAX_PARAMETERS = 65535
TIMESTAMPTZ = types["timestamptz"].oid


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = MAX_PARAMETERS


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        return max(1, min(len(objs), MAX_PARAMETERS // max(len(fields), 1)))


class UTCTimestampLoader:
    """psycopg's loader for `timestamptz` (its compiled class cannot be subclassed), with the time
    zone Django looks for on the connection's loader before each cursor: it then keeps it."""

    format = Format.TEXT
    timezone = UTC
    psycopg_loader = psycopg.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)

    def __new__(cls, oid, context=None):
        return cls.psycopg_loader(oid, context)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations

    def init_connection_state(self):
        super().init_connection_state()  # sets the session's time zone to timezone_name
        if self.timezone is UTC:  # USE_TZ, and no TIME_ZONE of the database's own: the session's is UTC
            self.connection.adapters.register_loader(TIMESTAMPTZ, UTCTimestampLoader)
