"""Superset's configuration for the project's local BI quick start (scripts/superset/serve).

Everything lives under SUPERSET_HOME (the git-ignored .superset/home): the metadata database
(SQLite, enough for one analyst's machine) and the secret key the serve script generated.
"""

import os

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(os.environ["SUPERSET_HOME"], "superset.db")
# Offline: no example data, no external map tiles or thumbnails.
SUPERSET_LOAD_EXAMPLES = False
FEATURE_FLAGS = {"THUMBNAILS": False, "ALERT_REPORTS": False}
# The DuckDB file is registered read-only; DuckDB is not on Superset's list of safe engines
# (it can read local files), which is what a local, single-user quick start wants.
PREVENT_UNSAFE_DB_CONNECTIONS = False
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {"zh": {"flag": "cn", "name": "简体中文"}, "en": {"flag": "us", "name": "English"}}
