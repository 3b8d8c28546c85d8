"""Asset footprints: the outline of an asset that is an area (OSM ways and relations).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``asset_footprints``."""
    op.create_table(
        "asset_footprints",
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("geometry", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("asset_id"),
    )


def downgrade() -> None:
    """Drop ``asset_footprints``."""
    op.drop_table("asset_footprints")
