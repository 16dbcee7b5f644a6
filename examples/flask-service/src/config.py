"""Figgy declarations of the demo service: what it needs from Parameter Store, in every environment."""
from figgy.figs import *
from figgy.fig_store import FigStore

SERVICE_NAME: str = "demo-service"


class Figs(FigStore):
    TWIG: str = f"/app/{SERVICE_NAME}"

    # Custom Figs specific to this application (app figs)
    SECRET_ADMIRER = AppFig("secret-admirer")
    ADMIRED_PERSON = AppFig("admired-person", default="Your Crush")
    THIRD_WHEEL = AppFig("third-wheel")

    # Secrets a DBA owns and shares into this namespace (see figgy/figgy-secrets.json)
    SQL_USER = SharedFig("replicated/sql/user")
    SQL_PASSWORD = SharedFig("replicated/sql/password")

    # Global figs used by many services (replicated figs)
    SQL_HOSTNAME = ReplicatedFig(name="replicated/sql/hostname", source="/shared/resources/dbs/fig-db/dns")
    SQL_PORT = ReplicatedFig("replicated/sql/port", "/shared/resources/dbs/fig-db/port")
    SQL_DB_NAME = ReplicatedFig("replicated/sql/db-name", source="/shared/resources/dbs/fig-db/db-name")

    # Merged connection URL (merged figs)
    SQL_CONNECTION_STRING = MergeFig(
        name="replicated/sql-connection",
        pattern=["mysql://", SQL_USER, ":", SQL_PASSWORD, "@", SQL_HOSTNAME, ":", SQL_PORT, "/", SQL_DB_NAME],
        uri_encode=[SQL_USER, SQL_PASSWORD],
    )
