package io.engagement.pipeline.signals;

import io.engagement.pipeline.event.DeadLetter;

/** What one message of the erasures topic became: the (pseudonymised) user to erase, or a dead letter. */
public class ErasureRecord {
    public String userId;
    public DeadLetter rejected;

    public ErasureRecord() {}
}
