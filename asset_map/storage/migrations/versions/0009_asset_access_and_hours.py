"""Keep a place's step-free access and opening hours."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0009", "0008"


def upgrade() -> None:
    """Add ``assets.wheelchair`` (yes, limited, no) and ``assets.opening_hours`` (OSM text)."""
    with op.batch_alter_table("assets") as batch:
        batch.add_column(sa.Column("wheelchair", sa.Text()))
        batch.add_column(sa.Column("opening_hours", sa.Text()))


def downgrade() -> None:
    """Drop the columns again."""
    with op.batch_alter_table("assets") as batch:
        batch.drop_column("opening_hours")
        batch.drop_column("wheelchair")
