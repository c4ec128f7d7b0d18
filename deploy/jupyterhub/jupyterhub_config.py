"""JupyterHub configuration of an Atelier IA workshop hub on one server.

Started by ``atelier hub up`` (``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` with
ATELIER_HUB_STATE pointing at the state folder); the settings come from
``<state>/hub/settings.json`` and the logic lives in :mod:`toolkit.hub.hubconfig`:

- configurable-http-proxy (npm, deploy/jupyterhub/node_modules) in front, on 127.0.0.1 unless
  told otherwise; the hub itself on 127.0.0.1;
- toolkit.hub.auth.AtelierAuthenticator (one generated password per participant, stored as
  scrypt hashes, no self sign-up) or JupyterHub's shared-password mode for a trusted room;
- LocalProcessSpawner, hub as root: each participant's JupyterLab (French) runs under their
  own system account (home 0700), with the course copied in at first start;
- nbgrader's exchange in ``<state>/exchange`` (1777), course id "atelier-ia", each participant
  submitting under their own name;
- each participant's model key (LiteLLM virtual key with a budget) as OPENAI_API_KEY.
"""

import os
from pathlib import Path

from toolkit.hub.hubconfig import configure
from toolkit.hub.settings import HubSettings

c = get_config()  # noqa: F821 (injected by traitlets)

configure(c, HubSettings.load(Path(os.environ["ATELIER_HUB_STATE"])))
