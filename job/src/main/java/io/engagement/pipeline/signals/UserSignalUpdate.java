package io.engagement.pipeline.signals;

/**
 * One message of the user-signals topic (docs/topics.md#user-signals): a user's whole profile after
 * a bundle of its signals, scores as of {@link #asOfMs}, sorted by descending score; or, for an
 * erasure, a tombstone ({@link #erased}). A Flink POJO.
 */
public class UserSignalUpdate {
    public String userId;
    public long asOfMs;
    public long version;
    public boolean suspect;
    public boolean erased;
    public Affinities creators;
    public Affinities categories;
    public Affinities hashtags;
    public String[] negativeContentIds;
    public String[] negativeCreatorIds;
    public String[] negativeKinds;
    public long[] negativeTimesMs;

    public UserSignalUpdate() {}

    static UserSignalUpdate of(String userId, UserProfile profile) {
        UserSignalUpdate u = new UserSignalUpdate();
        u.userId = userId;
        u.asOfMs = profile.asOfMs;
        u.version = profile.version;
        u.suspect = profile.isSuspect();
        u.creators = profile.creators.sorted();
        u.categories = profile.categories.sorted();
        u.hashtags = profile.hashtags.sorted();
        u.negativeContentIds = profile.negativeContentIds.clone();
        u.negativeCreatorIds = profile.negativeCreatorIds.clone();
        u.negativeKinds = profile.negativeKinds.clone();
        u.negativeTimesMs = profile.negativeTimesMs.clone();
        return u;
    }

    static UserSignalUpdate tombstone(String userId) {
        UserSignalUpdate u = new UserSignalUpdate();
        u.userId = userId;
        u.erased = true;
        u.creators = new Affinities();
        u.categories = new Affinities();
        u.hashtags = new Affinities();
        u.negativeContentIds = new String[0];
        u.negativeCreatorIds = new String[0];
        u.negativeKinds = new String[0];
        u.negativeTimesMs = new long[0];
        return u;
    }

    @Override
    public String toString() {
        return "UserSignalUpdate{" + userId + (erased ? " erased" : " v" + version + (suspect ? " suspect" : "")) + '}';
    }
}
