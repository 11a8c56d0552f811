#!/usr/bin/env bash
# Runs an analyst query of sql/queries/ against ClickHouse: read-only (readonly=1), the password from
# $ENGAGEMENT_CLICKHOUSE_PASSWORD in a Basic auth header, values bound by type, one-line errors.
#   deploy/query.sh sql/queries/top_content_today.sql
#   deploy/query.sh sql/queries/creator_last_7_days.sql --param creator_id=creator-7 --format csv
#   ENGAGEMENT_CLICKHOUSE_PASSWORD=... deploy/query.sh sql/queries/top_content_today.sql --url http://clickhouse.internal:8123 --user analyst
#   deploy/query.sh sql/queries/creator_dashboard.sql --help      (the file's parameters, types, defaults)
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/tool.sh" io.engagement.pipeline.clickhouse.RunQuery "$@"
