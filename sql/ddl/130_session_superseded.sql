-- Retraction of session rows (migration after v2). A late event can move a fired session's start
-- earlier, or merge two fired sessions; the job then writes, for each old start, a row with
-- superseded = 1, all counts 0 and a higher version, which replaces the old row under FINAL. Read
-- sessions with FINAL and superseded = 0 (on 18.16 the WHERE applies after FINAL has picked the newest
-- version: AnalystQueriesITCase). Rows written before this migration read 0. Safe to apply again
-- (ApplySchema ignores "column already exists").
ALTER TABLE engagement.session_metrics
    ADD COLUMN superseded UInt8
