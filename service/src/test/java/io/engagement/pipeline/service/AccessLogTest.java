package io.engagement.pipeline.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The access log of analytics reads: who, route, creator, rows; never a user id from the path. */
class AccessLogTest {

    @Test
    void aCreatorsReadNamesTheKeyTheRouteTheCreatorAndTheRows() {
        assertEquals(
                "analytics read key=k1 role=creator route=\"GET /v1/creators/{creatorId}/analytics\" creator=k1 status=200 rows=3",
                EngagementService.accessLine(
                        new Caller("k1", Role.CREATOR, "k1"), "GET /v1/creators/{creatorId}/analytics", "k1", 200, 3));
    }

    @Test
    void aWatchHistoryIsLoggedByItsRouteTemplateNotTheUserItNames() {
        String line = EngagementService.accessLine(
                new Caller("ops", Role.ADMIN, null), "GET /v1/users/{userId}/watch-history", null, 200, 12);
        assertEquals(
                "analytics read key=ops role=admin route=\"GET /v1/users/{userId}/watch-history\" creator=- status=200 rows=12",
                line);
    }

    @Test
    void aRefusedReadHasNoRows() {
        assertEquals(
                "analytics read key=k2 role=creator route=\"GET /v1/creators/{creatorId}/analytics\" creator=k1 status=403 rows=-",
                EngagementService.accessLine(
                        new Caller("k2", Role.CREATOR, "k2"),
                        "GET /v1/creators/{creatorId}/analytics",
                        "k1",
                        403,
                        null));
    }
}
