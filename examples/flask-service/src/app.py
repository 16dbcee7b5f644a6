import os

from flask import Flask

from config import Figs, SERVICE_NAME

app = Flask(__name__)
LOCAL_RUN = os.environ.get("LOCAL_RUN", "false").lower() == "true"

# lazy_load is for local work only: deployed apps must fail fast when configuration is missing.
FIGS = Figs(SERVICE_NAME, lazy_load=LOCAL_RUN)

if LOCAL_RUN:
    from figgy.writer import ConfigWriter
    ConfigWriter().write(FIGS, destination_dir="figgy")


@app.route("/")
def hello():
    return f"Hello {FIGS.ADMIRED_PERSON}, {FIGS.SECRET_ADMIRER} is admiring you! {FIGS.THIRD_WHEEL} is super jealous."


@app.route("/db")
def db():
    # Never print the connection string itself: it holds a password.
    return f"database configured: {bool(FIGS.SQL_CONNECTION_STRING)}"
