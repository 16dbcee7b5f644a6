import logging
import os

import flask

app = flask.Flask(__name__)
app.config.from_prefixed_env()
log = logging.getLogger(__name__)

DATABASE_URL = os.environ["POSTGRESQL_DB_CONNECT_STRING"]
API_TOKEN = os.environ["FLASK_API_KEY"]
ADMIN_USER = os.environ["FLASK_CREDENTIALS_USERNAME"]
ADMIN_PASSWORD = os.environ["FLASK_CREDENTIALS_PASSWORD"]
SENTRY_DSN = os.environ["SENTRY_DSN"]


@app.route("/")
def index():
    greeting = app.config.get("GREETING", "Hello")
    log.info("admin login uses %s", ADMIN_PASSWORD)
    return f"{greeting}, world!"
