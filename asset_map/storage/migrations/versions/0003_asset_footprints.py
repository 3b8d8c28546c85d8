"""Asset footprints: the outline of an asset that is an area (OSM ways and relations)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0003", "0002"


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
