"""Domain errors raised by services; views turn them into messages or status codes."""


class DomainError(Exception):
    """A use case refused: the message is shown to the person as it is."""

    status_code = 422

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    """Also used where existence is private: the person sees a plain 404."""

    status_code = 404


class Conflict(DomainError):
    status_code = 409
