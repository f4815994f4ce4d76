"""Named errors; each says whether Lambda's retry can help."""


class PagerDutyTriggerError(Exception):
    """Base of every error this function raises on purpose."""

    retryable: bool = False


class ConfigurationError(PagerDutyTriggerError):
    """The deployment is misconfigured: names the variable or parameter, never a secret value."""

    def __init__(self, name: str, problem: str, *, retryable: bool = False) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem
        self.retryable = retryable


class InvalidEventError(PagerDutyTriggerError):
    """The input cannot become a valid PagerDuty event; names the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class DeliveryError(PagerDutyTriggerError):
    """PagerDuty did not accept one or more events of an asynchronous invocation.

    Raised after every record was attempted, so Lambda's async retry and the OnFailure destination
    receive the event; records already accepted are safe to resend because their dedup keys are stable.
    """

    def __init__(self, failed: int, total: int, reasons: list[str], *, retryable: bool) -> None:
        detail = "; ".join(reasons[:5])
        super().__init__(f"{failed} of {total} PagerDuty events failed: {detail}")
        self.failed = failed
        self.total = total
        self.reasons = reasons
        self.retryable = retryable
