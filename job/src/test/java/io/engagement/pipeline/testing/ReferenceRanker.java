package io.engagement.pipeline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small recommender, for tests: ranks candidate contents for one user from the user-signals topic
 * as a recommender would read it. A content's score is the user's affinity for its creator, its
 * category and each of its hashtags, plus a tenth of the crowd's affinity for its creator (the sum over
 * every other profile on the topic not marked suspect); a content on the user's recent negative items
 * is not ranked at all. The crowd term is what a view farm would move if its accounts were not flagged.
 */
public final class ReferenceRanker {

    /** A candidate as the catalogue describes it. */
    public record Content(String contentId, String creatorId, String category, List<String> hashtags) {}

    private ReferenceRanker() {}

    /** Candidate ids best first (ties by id); {@code profiles} is the topic's newest value per user. */
    public static List<String> rank(String userId, Map<String, JsonNode> profiles, List<Content> candidates) {
        JsonNode user = profiles.get(userId);
        Map<String, Double> crowd = new HashMap<>();
        profiles.forEach((id, profile) -> {
            if (!id.equals(userId) && profile != null && !profile.get("suspect").asBoolean()) {
                profile.get("creators")
                        .forEach(c ->
                                crowd.merge(c.get("id").asText(), c.get("score").asDouble(), Double::sum));
            }
        });
        List<String> negatives = new ArrayList<>();
        if (user != null) {
            user.get("recent_negatives")
                    .forEach(n -> negatives.add(n.get("content_id").asText()));
        }
        Map<String, Double> scores = new HashMap<>();
        for (Content c : candidates) {
            if (negatives.contains(c.contentId())) {
                continue;
            }
            double score = affinity(user, "creators", c.creatorId())
                    + affinity(user, "categories", c.category())
                    + 0.1 * crowd.getOrDefault(c.creatorId(), 0.0);
            for (String tag : c.hashtags()) {
                score += affinity(user, "hashtags", tag);
            }
            scores.put(c.contentId(), score);
        }
        return scores.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static double affinity(JsonNode user, String dimension, String id) {
        if (user == null || id == null) {
            return 0;
        }
        for (JsonNode entry : user.get(dimension)) {
            if (entry.get("id").asText().equals(id)) {
                return entry.get("score").asDouble();
            }
        }
        return 0;
    }
}
