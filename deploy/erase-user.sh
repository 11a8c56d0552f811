#!/usr/bin/env bash
# Erases one user from every ClickHouse table that holds user ids and reports the rows removed
# (docs/clickhouse.md#erasing-a-user). The password comes from $ENGAGEMENT_CLICKHOUSE_PASSWORD.
#   deploy/erase-user.sh user-42 --dry-run       (what would be removed)
#   ENGAGEMENT_CLICKHOUSE_PASSWORD=... deploy/erase-user.sh user-42 --url http://clickhouse.internal:8123 --database engagement
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/tool.sh" io.engagement.pipeline.clickhouse.EraseUser "$@"
