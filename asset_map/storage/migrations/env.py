"""Alembic environment: runs on the connection the store hands over, or on a URL.

``asset_map.storage.db.Database.migrate`` passes its connection (inside a locked write
transaction) as ``config.attributes["connection"]``; commands run by hand (e.g. writing a
new revision with ``alembic_config(url)``) get an engine from ``sqlalchemy.url``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from asset_map.storage.schema import metadata

config = context.config


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


shared = config.attributes.get("connection")
if shared is not None:
    _run(shared)
else:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError(
            "No database: open the store (asset_map.storage.Store) or pass a URL to "
            "asset_map.storage.db.alembic_config(url)."
        )
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()
