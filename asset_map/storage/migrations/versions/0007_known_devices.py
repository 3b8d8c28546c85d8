"""Log-in throttling per user name and client address, and devices that logged in before.

``known_devices`` holds the hash of a random token a browser got after a successful log-in:
with it, the account's owner is not slowed down by failures others cause. The keys of
``login_throttle`` now name what they count (``pair:``, ``address:``, ``name:``,
``device:``); the old per-name counts are dropped (a lock of the old kind ends with them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from asset_map.storage.schema import UTCDateTime

revision, down_revision = "0007", "0006"


def upgrade() -> None:
    """Create ``known_devices``; forget the old failure counts."""
    op.create_table(
        "known_devices",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_used_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_known_devices"),
    )
    op.create_index("ix_known_devices_username", "known_devices", ["username"])
    op.execute("DELETE FROM login_throttle")


def downgrade() -> None:
    """Drop ``known_devices``; the new-style counts go too."""
    op.drop_index("ix_known_devices_username", table_name="known_devices")
    op.drop_table("known_devices")
    op.execute("DELETE FROM login_throttle")
