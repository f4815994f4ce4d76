"""pagerduty-trigger: AWS alarm and notification events to PagerDuty Events API v2 incidents."""
