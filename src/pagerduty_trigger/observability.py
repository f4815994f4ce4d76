"""The one Logger and Metrics of the function (Powertools: JSON logs, EMF metrics)."""

import os

from aws_lambda_powertools import Logger, Metrics

SERVICE = "pagerduty-trigger"
NAMESPACE = "PagerDutyTrigger"

# Powertools' own variables, as the template sets them, win; these names are for when they are unset.
_service = os.getenv("POWERTOOLS_SERVICE_NAME") or SERVICE
logger = Logger(service=_service)
metrics = Metrics(service=_service, namespace=os.getenv("POWERTOOLS_METRICS_NAMESPACE") or NAMESPACE)
