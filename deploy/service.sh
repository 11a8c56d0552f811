#!/usr/bin/env bash
# Starts the HTTP service (tracking and analytics API, dashboard): io.engagement.pipeline.service.EngagementService
# from the job jar (built first if missing). Settings as --service.<key> <value> or ENGAGEMENT_SERVICE_* (docs/api.md);
# the API keys only from the environment:
#   ENGAGEMENT_SERVICE_API_KEYS='app:<key>:tracking,ops:<key>:admin,c1:<key>:creator:creator-1' deploy/service.sh
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/tool.sh" io.engagement.pipeline.service.EngagementService "$@"
