package io.engagement.pipeline.service;

/** Who made a request: the key's name (for logs and rate limits, never the key), role and creator id. */
public record Caller(String keyName, Role role, String creatorId) {

    public boolean mayRead(String creator) {
        return role == Role.ADMIN || (role == Role.CREATOR && creatorId.equals(creator));
    }
}
