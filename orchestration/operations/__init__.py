"""Running cs-analytics unattended: the nightly job, drop sensor, alerts, retries, publishing."""
