"""Kits: the helpers every package with routes or a demo shares, one layer below the domains.

- :mod:`passerelle.kit.web` — what a route needs: the node of the request (``node_of``), the
  request's database session (``db_session``, declared as ``DbSession``), the principal
  (``require``, ``Principal``) and ``render`` for console pages.
- :mod:`passerelle.kit.i18n` — the console's languages and message catalogues.
- :mod:`passerelle.kit.demo` — a demo node (``DemoNode``), its accounts (``DemoAccount``) and
  a console login through the real form (``console_login``), for ``demo --check`` scenarios.

They sit above the node and privacy and below federation and the domains, so no domain has to
import ``web`` or ``cli`` (the top layer that composes everything).
"""
