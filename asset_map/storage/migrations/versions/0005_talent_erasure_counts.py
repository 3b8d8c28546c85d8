"""Keep erased approved talents in the anonymous counts."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from asset_map.storage.schema import UTCDateTime

revision, down_revision = "0005", "0004"


def upgrade() -> None:
    """Add ``talents.erased_at`` and ``talents.counted``."""
    with op.batch_alter_table("talents") as batch:
        batch.add_column(sa.Column("erased_at", UTCDateTime()))
        batch.add_column(
            sa.Column("counted", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    """Drop the columns again."""
    with op.batch_alter_table("talents") as batch:
        batch.drop_column("counted")
        batch.drop_column("erased_at")
