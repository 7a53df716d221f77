"""The web layer: FastAPI REST API and the server-rendered console."""

from passerelle.web.app import create_app

__all__ = ["create_app"]
