#!/usr/bin/env bash
# Removes raw events, late and duplicate events and dead letters older than the retention period
# (default 90 days; docs/clickhouse.md#retention). ClickHouse 18.16 has no TTL: run this daily.
#   deploy/retention.sh --dry-run
#   ENGAGEMENT_CLICKHOUSE_PASSWORD=... deploy/retention.sh --days 90 --url http://clickhouse.internal:8123
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/tool.sh" io.engagement.pipeline.clickhouse.ApplyRetention "$@"
