"""The one Logger and Metrics of the function (Powertools: JSON logs, EMF metrics)."""

import warnings

from aws_lambda_powertools import Logger, Metrics

SERVICE = "pagerduty-trigger"
NAMESPACE = "PagerDutyTrigger"

logger = Logger(service=SERVICE)
metrics = Metrics(service=SERVICE, namespace=NAMESPACE)

# An invocation that adds no metric (metrics switched off, or a failure before any count) is normal here:
# the handler flushes with raise_on_empty_metrics=False on purpose.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)
