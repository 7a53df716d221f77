"""Passerelle: federated cross-border security cooperation."""

__version__ = "0.1.0"
