"""Keep erased approved talents in the anonymous counts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 08:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from asset_map.storage.schema import UTCDateTime

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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
