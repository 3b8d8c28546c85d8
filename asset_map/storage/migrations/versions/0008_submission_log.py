"""Count residents' submissions per client address and in all, for the spam limits.

One row per submission taken (a talent, later a suggestion): its kind, a hash of the client
address and when. Rows older than a day are removed as new ones come in.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from asset_map.storage.schema import UTCDateTime

revision, down_revision = "0008", "0007"


def upgrade() -> None:
    """Create ``submission_log``."""
    op.create_table(
        "submission_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("address_key", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submission_log"),
    )
    op.create_index("ix_submission_log_kind_at", "submission_log", ["kind", "at"])
    op.create_index(
        "ix_submission_log_kind_address_key_at", "submission_log", ["kind", "address_key", "at"]
    )


def downgrade() -> None:
    """Drop ``submission_log``."""
    op.drop_index("ix_submission_log_kind_address_key_at", table_name="submission_log")
    op.drop_index("ix_submission_log_kind_at", table_name="submission_log")
    op.drop_table("submission_log")
