-- Provisional rows (docs/metrics.md#provisional-rows): while a window is open the job publishes its
-- running value every window.provisional-interval as a row with provisional = 1 and version 0; the
-- final row (version >= 1) replaces them when the window closes. Read with FINAL as before: an open
-- window then reads its newest running value, a closed one its final value. Rows written before this
-- migration are final and read 0.
ALTER TABLE engagement.content_metrics
    ADD COLUMN provisional UInt8;

ALTER TABLE engagement.creator_metrics
    ADD COLUMN provisional UInt8;

ALTER TABLE engagement.content_country_metrics
    ADD COLUMN provisional UInt8;
