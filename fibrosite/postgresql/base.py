"""Django's PostgreSQL backend with parameters bound on the server (settings: PG_PREPARED_STATEMENTS).

Bound on the server, a statement takes at most 65,535 parameters (the protocol counts them in 16
bits; bound on the client there is no such limit, and Django's PostgreSQL backend assumes none):
deletions, `bulk_create` and `bulk_update` are split into batches below it, as on SQLite.
"""

from django.db.backends.postgresql import base, features, operations

MAX_PARAMETERS = 65535


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = MAX_PARAMETERS


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        return max(1, min(len(objs), MAX_PARAMETERS // max(len(fields), 1)))


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
