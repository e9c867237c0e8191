"""Running the platform: request ids in the logs and the tasks, readiness and metrics for
load balancers and monitoring, back-up and restore, recovery of tasks whose worker died."""
