"""Keep a place's step-free access and opening hours.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 23:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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
