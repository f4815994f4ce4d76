"""The one Logger and Metrics of the function (Powertools: JSON logs, EMF metrics)."""

from aws_lambda_powertools import Logger, Metrics

SERVICE = "pagerduty-trigger"
NAMESPACE = "PagerDutyTrigger"

logger = Logger(service=SERVICE)
metrics = Metrics(service=SERVICE, namespace=NAMESPACE)
