"""Every table of the database: the modules that define ORM entities, imported by name, and their metadata.

An area with its own entities (one declarative Base, from core/models.py) adds its module here, so that
Alembic and the schema check see every table whichever module was imported first.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from khoi_desktop.core import audit_models, models
from khoi_desktop.core.appointments import submission_files
from khoi_desktop.core.auth import models as auth_models
from khoi_desktop.core.exchange import models as exchange_models
from khoi_desktop.core.meetings import models as meeting_models
from khoi_desktop.core.member_events import models as member_event_models
from khoi_desktop.core.ratings import models as rating_models

MODEL_MODULES = (models, auth_models, meeting_models, rating_models, member_event_models, exchange_models,
                 submission_files, audit_models)
METADATA: MetaData = models.Base.metadata
