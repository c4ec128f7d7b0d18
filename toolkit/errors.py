"""One documented exception tree for the whole toolkit.

Every error carries a French message for participants and trainers (``message``) that names
the thing at fault (file, row, column, notebook, cell, question, endpoint) and a next step
(``fix``).  In a notebook, IPython calls ``_render_traceback_`` and shows those two lines
instead of a wall of traceback.

Hierarchy::

    AtelierError
    ├── ConfigError                 bad or missing setting (.env, environment, config file)
    │   ├── HubAPIError             the JupyterHub REST API answered with an error (hub)
    │   └── SandboxUnavailableError bubblewrap missing or unusable: untrusted code cannot run
    ├── LLMError                    anything that went wrong while asking a model
    │   ├── MissingKeyError         remote endpoint configured without a key
    │   ├── AuthenticationError     401 / 403: key refused
    │   ├── ModelNotFoundError      404 / unknown model
    │   ├── RateLimitError          429: too many requests or quota exhausted
    │   ├── ServerError             5xx from the endpoint
    │   ├── EndpointTimeoutError    no answer within ATELIER_TIMEOUT
    │   ├── EndpointUnreachableError connection refused, DNS failure, network down
    │   ├── BadRequestError         400 / 422: the endpoint rejected the request
    │   ├── BudgetExceededError     ATELIER_BUDGET_TOKENS reached
    │   ├── ReplayMissError         replay mode, no recorded answer for this request
    │   ├── PrivacyBlockedError     ATELIER_PRIVACY=block and personal data was found
    │   │   ├── RecordRefusedError  atelier record: unmasked personal data not recorded
    │   │   └── RoutingRefusedError  the prompt's classification forbids every configured endpoint
    │   ├── DeadlineExceededError   the call's deadline (2 x ATELIER_TIMEOUT) passed
    │   ├── StreamError             the server ended a stream with an error event
    │   ├── LocalServerDiedError    the local model server stopped while answering
    │   └── BadReplyError           the server's reply cannot be used as an answer
    │       ├── HTMLReplyError      a web page (proxy login...) instead of a model reply
    │       ├── InvalidJSONError    a body that is not the JSON expected
    │       ├── EncodingReplyError  bytes that are not UTF-8 text
    │       ├── EmptyReplyError     no choices, no message, a stream with no data
    │       └── ReplyTooLargeError  a body over ATELIER_MAX_RESPONSE_MB
    ├── LocalModelError             the local model (llama.cpp server) cannot be served
    │   ├── LocalModelMissingError  the ``local`` extra (llama-cpp-python) is not installed
    │   ├── PortInUseError          the port asked for is taken by another program
    │   └── ModelTooLargeError      the model needs more memory than the machine has free
    └── InputError                  bad input file or value (survey exports, submissions...)
        ├── ReleaseRefused          the release bundle was not built; lists each problem
        └── ModelFileError          missing, truncated or non-GGUF model file, bad download

``str(error)`` is the French message followed by the fix, so a CLI can print it as is.
"""

from __future__ import annotations

from toolkit.fr import pluriel

__all__ = [
    "AtelierError",
    "AuthenticationError",
    "BadReplyError",
    "BadRequestError",
    "BudgetExceededError",
    "ConfigError",
    "DeadlineExceededError",
    "EmptyReplyError",
    "EncodingReplyError",
    "EndpointTimeoutError",
    "EndpointUnreachableError",
    "HTMLReplyError",
    "HubAPIError",
    "InputError",
    "InvalidJSONError",
    "LLMError",
    "LocalModelError",
    "LocalModelMissingError",
    "LocalServerDiedError",
    "MissingKeyError",
    "ModelFileError",
    "ModelNotFoundError",
    "ModelTooLargeError",
    "PortInUseError",
    "PrivacyBlockedError",
    "RateLimitError",
    "RecordRefusedError",
    "ReleaseRefused",
    "ReplayMissError",
    "ReplyTooLargeError",
    "RoutingRefusedError",
    "SandboxUnavailableError",
    "ServerError",
    "StreamError",
]


class AtelierError(Exception):
    """Base class: a French ``message`` saying what went wrong and a ``fix`` saying what to do."""

    #: Short French title shown before the message in a notebook.
    title = "Erreur"

    def __init__(self, message: str, fix: str | None = None, *, detail: str | None = None):
        self.message = message
        self.fix = fix
        #: Technical detail in English for logs (never contains secrets).
        self.detail = detail
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = self.message
        if self.fix:
            text += f"\n→ Que faire : {self.fix}"
        return text

    def _render_traceback_(self) -> list[str]:
        """Short coloured form used by IPython instead of the full traceback."""
        lines = [f"\x1b[1;31m{self.title} ({type(self).__name__})\x1b[0m : {self.message}"]
        if self.fix:
            lines.append(f"\x1b[1m→ Que faire :\x1b[0m {self.fix}")
        return lines


class ConfigError(AtelierError):
    """A setting is missing or invalid."""

    title = "Configuration"


# ---- grading ---------------------------------------------------------------------------------
class SandboxUnavailableError(ConfigError):
    """The sandbox tool (bubblewrap) is missing or cannot isolate code on this machine."""

    title = "Isolement indisponible"


class InputError(AtelierError):
    """An input file or value cannot be used as it is."""

    title = "Donnée d'entrée"


class HubAPIError(ConfigError):
    """The hub answered with an error status (``toolkit.hub.api``)."""


class ReleaseRefused(InputError):
    """The release bundle was not built: the message lists each problem (file, cell, what).

    Raised by ``atelier release`` (``toolkit.publish.release``); ``problems`` keeps the list.
    """

    title = "Livraison refusée"

    def __init__(self, problems: list, fix: str):
        self.problems = problems
        shown = [f"  - {p}" for p in problems[:15]]
        if len(problems) > 15:
            shown.append(f"  … et {pluriel(len(problems) - 15, 'autre problème')}")
        super().__init__("Livraison refusée :\n" + "\n".join(shown), fix)


class LLMError(AtelierError):
    """The model could not be asked or did not answer."""

    title = "Modèle de langage"


class MissingKeyError(LLMError):
    """A remote endpoint is configured but no API key is set."""


class AuthenticationError(LLMError):
    """The endpoint refused the key (HTTP 401 or 403)."""


class ModelNotFoundError(LLMError):
    """The endpoint does not offer the requested model (HTTP 404)."""


class RateLimitError(LLMError):
    """Too many requests, or the quota is exhausted (HTTP 429)."""


class ServerError(LLMError):
    """The endpoint failed (HTTP 5xx)."""


class EndpointTimeoutError(LLMError):
    """The endpoint did not answer within the configured timeout."""


class EndpointUnreachableError(LLMError):
    """The endpoint cannot be reached (connection refused, unknown host, no network)."""


class BadRequestError(LLMError):
    """The endpoint rejected the request as invalid (HTTP 400 or 422)."""


class BudgetExceededError(LLMError):
    """The session's token budget (ATELIER_BUDGET_TOKENS) is used up."""

    title = "Budget"


class ReplayMissError(LLMError):
    """Replay mode found no recorded answer for this request."""

    title = "Réponse enregistrée introuvable"


class PrivacyBlockedError(LLMError):
    """The prompt holds personal or confidential data and the policy is ``block``."""

    title = "Confidentialité"


# -- Calls that always end, replies that are always understood (issue 13) ------------------


class RecordRefusedError(PrivacyBlockedError):
    """``atelier record`` refused to store unmasked personal data in a cassette."""


class DeadlineExceededError(LLMError):
    """The whole call (connection, waits, retries, streaming) took longer than its deadline."""

    title = "Délai dépassé"


class StreamError(LLMError):
    """The server interrupted a streamed answer with an error event."""


class BadReplyError(LLMError):
    """The server answered, but its reply is not a usable model answer."""

    title = "Réponse du serveur illisible"


class HTMLReplyError(BadReplyError):
    """A web page (often a proxy's login page) came back instead of a model reply."""


class InvalidJSONError(BadReplyError):
    """The body is not the JSON an OpenAI-compatible endpoint sends."""


class EncodingReplyError(BadReplyError):
    """The body is not UTF-8 text."""


class EmptyReplyError(BadReplyError):
    """The reply holds no answer: no choices, no message, or a stream with no data."""


class ReplyTooLargeError(BadReplyError):
    """The body is larger than ATELIER_MAX_RESPONSE_MB."""


class RoutingRefusedError(PrivacyBlockedError):
    """The prompt's classification allows none of the configured endpoints; nothing was sent."""


class LocalServerDiedError(LLMError):
    """The local model server (``atelier model serve``) stopped while answering."""

    title = "Modèle local"


class LocalModelError(AtelierError):
    """The local model cannot be served (llama.cpp server)."""

    title = "Modèle local"


class LocalModelMissingError(LocalModelError):
    """The ``local`` extra (llama-cpp-python and its server) is not installed."""


class PortInUseError(LocalModelError):
    """The port asked for is already taken by another program."""


class ModelTooLargeError(LocalModelError):
    """The model file needs more memory than the machine has available."""


class ModelFileError(InputError):
    """A model file is missing, truncated, not a GGUF file, or a download failed its check."""

    title = "Fichier de modèle"
