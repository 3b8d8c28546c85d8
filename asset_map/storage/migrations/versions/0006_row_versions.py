"""Give every row staff edit a version, so a save on a stale version can be refused.

Places (``assets``), activities, place needs and talents get ``version``. A workspace row's
version is the workspace version of its latest change (a stamp that never repeats, also
after a save that replaces the workspace); a talent's counts its own changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0006", "0005"

TABLES = ("assets", "activities", "place_needs", "talents")


def upgrade() -> None:
    """Add ``version`` (1 for the rows there are) to the tables staff edit."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
            )


def downgrade() -> None:
    """Drop the versions again."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
