--liquibase formatted sql

--changeset stagehand:1-catalog-entry
CREATE TABLE catalog_entry (
    file_id          varchar(255)  NOT NULL PRIMARY KEY,
    staging_path     varchar(1024) NOT NULL,
    archive_location varchar(4096) NOT NULL,
    bytes            bigint,
    checksum         varchar(80),
    imported_at      timestamp with time zone NOT NULL
);
-- Two IDs must never share a staging path: their copies would overwrite each other.
CREATE UNIQUE INDEX catalog_entry_staging_path ON catalog_entry (staging_path);
--rollback DROP TABLE catalog_entry;

--changeset stagehand:2-staging-request
CREATE TABLE staging_request (
    request_id uuid    NOT NULL PRIMARY KEY,
    created_at timestamp with time zone NOT NULL,
    file_count integer NOT NULL
);
--rollback DROP TABLE staging_request;

--changeset stagehand:3-staged-file
-- One row per catalog file that has been asked for: the unit of work, shared by every request that
-- wants the file, so a file is copied once however many requests ask for it.
CREATE TABLE staged_file (
    file_id          varchar(255) NOT NULL PRIMARY KEY REFERENCES catalog_entry (file_id),
    state            varchar(16)  NOT NULL,
    attempts         integer      NOT NULL,
    not_before       timestamp with time zone NOT NULL,
    lease_owner      varchar(255),
    lease_token      varchar(32),
    lease_expires_at timestamp with time zone,
    last_error       varchar(4000),
    updated_at       timestamp with time zone NOT NULL
);
CREATE INDEX staged_file_due ON staged_file (state, not_before);
CREATE INDEX staged_file_lease_token ON staged_file (lease_token);
--rollback DROP TABLE staged_file;

--changeset stagehand:4-request-file
-- Each request's own view of its files: once a file's outcome is recorded for a request it stays,
-- even if a later request asks for the same file again.
CREATE TABLE request_file (
    request_id   uuid          NOT NULL REFERENCES staging_request (request_id) ON DELETE CASCADE,
    file_id      varchar(255)  NOT NULL REFERENCES catalog_entry (file_id),
    state        varchar(16)   NOT NULL,
    error        varchar(4000),
    completed_at timestamp with time zone,
    PRIMARY KEY (request_id, file_id)
);
CREATE INDEX request_file_by_file ON request_file (file_id, state);
CREATE INDEX request_file_by_request_state ON request_file (request_id, state);
--rollback DROP TABLE request_file;

--changeset stagehand:5-cancel
-- A cancelled request's waiting files become CANCELLED; a work row that no request wants any more
-- becomes IDLE (never claimed) until a request asks for the file again.
ALTER TABLE staging_request ADD cancelled_at timestamp with time zone;
--rollback ALTER TABLE staging_request DROP COLUMN cancelled_at;

--changeset stagehand:6-lifecycle
-- released_at: the client said it no longer needs the copies (DELETE /dts/staging/<id>).
-- last_requested_at: for least-recently-used eviction. waiting_for_space: due, but the staging
-- area's capacity is reached.
ALTER TABLE staging_request ADD released_at timestamp with time zone;
ALTER TABLE staged_file ADD last_requested_at timestamp with time zone;
ALTER TABLE staged_file ADD waiting_for_space boolean DEFAULT false NOT NULL;
CREATE INDEX staging_request_created ON staging_request (created_at);
--rollback ALTER TABLE staging_request DROP COLUMN released_at;
--rollback ALTER TABLE staged_file DROP COLUMN last_requested_at;
--rollback ALTER TABLE staged_file DROP COLUMN waiting_for_space;
--rollback DROP INDEX staging_request_created;

--changeset stagehand:7-status-notify-function dbms:postgresql splitStatements:false
-- Each instance keeps status answers in memory and LISTENs on 'stagehand_status' (StatusChangeListener)
-- to drop those that change. The triggers below send, at commit, the IDs of the requests whose
-- answer a statement changed: comma-separated, at most 150 to a notification (a payload must stay
-- under 8,000 bytes); '*' means every request. Triggers, not the service's code, so that every
-- writer is covered, an operator's hand-written fix included.
-- changed_requests is the transition table of the statement-level triggers that call this.
CREATE FUNCTION stagehand_notify_changed_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stagehand_status', string_agg(request_id::text, ','))
    FROM (SELECT request_id, (row_number() OVER ()) / 150 AS part
          FROM (SELECT DISTINCT request_id FROM changed_requests) AS distinct_requests) AS numbered
    GROUP BY part;
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION stagehand_notify_changed_requests();

--changeset stagehand:8-status-notify-space-function dbms:postgresql splitStatements:false
-- A file starting or stopping to wait for space changes the answer of every request waiting for it.
CREATE FUNCTION stagehand_notify_space_wait() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stagehand_status', string_agg(request_id::text, ','))
    FROM (SELECT request_id, (row_number() OVER ()) / 150 AS part
          FROM request_file WHERE file_id = NEW.file_id AND state = 'WAITING') AS numbered
    GROUP BY part;
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION stagehand_notify_space_wait();

--changeset stagehand:9-status-notify-catalog-function dbms:postgresql splitStatements:false
-- A catalog entry's size or path is part of the answers of every request naming it: all are dropped.
CREATE FUNCTION stagehand_notify_all_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stagehand_status', '*');
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION stagehand_notify_all_requests();

--changeset stagehand:10-status-notify-triggers dbms:postgresql
-- Transition tables need one trigger per event; a request's new rows need none (no answer about
-- a request is kept before it exists).
CREATE TRIGGER request_file_updated AFTER UPDATE ON request_file
    REFERENCING NEW TABLE AS changed_requests FOR EACH STATEMENT EXECUTE FUNCTION stagehand_notify_changed_requests();
CREATE TRIGGER request_file_deleted AFTER DELETE ON request_file
    REFERENCING OLD TABLE AS changed_requests FOR EACH STATEMENT EXECUTE FUNCTION stagehand_notify_changed_requests();
CREATE TRIGGER staging_request_updated AFTER UPDATE ON staging_request
    REFERENCING NEW TABLE AS changed_requests FOR EACH STATEMENT EXECUTE FUNCTION stagehand_notify_changed_requests();
CREATE TRIGGER staging_request_deleted AFTER DELETE ON staging_request
    REFERENCING OLD TABLE AS changed_requests FOR EACH STATEMENT EXECUTE FUNCTION stagehand_notify_changed_requests();
-- Row triggers with WHEN: a statement that does not change the column costs nothing more.
CREATE TRIGGER staged_file_space_wait AFTER UPDATE OF waiting_for_space ON staged_file
    FOR EACH ROW WHEN (OLD.waiting_for_space IS DISTINCT FROM NEW.waiting_for_space)
    EXECUTE FUNCTION stagehand_notify_space_wait();
CREATE TRIGGER catalog_entry_answer_changed AFTER UPDATE ON catalog_entry
    FOR EACH ROW WHEN (OLD.bytes IS DISTINCT FROM NEW.bytes OR OLD.staging_path IS DISTINCT FROM NEW.staging_path)
    EXECUTE FUNCTION stagehand_notify_all_requests();
--rollback DROP TRIGGER request_file_updated ON request_file;
--rollback DROP TRIGGER request_file_deleted ON request_file;
--rollback DROP TRIGGER staging_request_updated ON staging_request;
--rollback DROP TRIGGER staging_request_deleted ON staging_request;
--rollback DROP TRIGGER staged_file_space_wait ON staged_file;
--rollback DROP TRIGGER catalog_entry_answer_changed ON catalog_entry;

--changeset stagehand:jdpdoor-1-status-notify-new-requests dbms:postgresql
-- New requests are notified too, so that every instance can remember the answer of every request
-- on the shared database (LastKnownAnswers) and answer polls from memory while the database
-- cannot be reached. The live cache holds nothing for a new request, so it drops nothing.
CREATE TRIGGER staging_request_inserted AFTER INSERT ON staging_request
    REFERENCING NEW TABLE AS changed_requests FOR EACH STATEMENT EXECUTE FUNCTION stagehand_notify_changed_requests();
--rollback DROP TRIGGER staging_request_inserted ON staging_request;

--changeset stagehand:taperest-1-requests-by-path
-- Requests named by path (the WLCG Tape REST door): each path as the client sent it, in order, with
-- the catalog file it names, or the reason it names none (that path fails; the request does not).
-- client: who asked (for the per-client limit and for releases without a request ID);
-- pin_seconds: the pin the client asked for after completion (NULL: lifecycle.pinLifetime);
-- request_file.released_at: one file of a request released (the Tape REST release names paths).
ALTER TABLE staging_request ADD client varchar(255);
ALTER TABLE staging_request ADD pin_seconds bigint;
ALTER TABLE request_file ADD released_at timestamp with time zone;
CREATE INDEX staging_request_client ON staging_request (client);
CREATE TABLE request_path (
    request_id uuid          NOT NULL REFERENCES staging_request (request_id) ON DELETE CASCADE,
    position   integer       NOT NULL,
    path       varchar(4096) NOT NULL,
    file_id    varchar(255),
    error      varchar(4000),
    metadata   varchar(65536),
    PRIMARY KEY (request_id, position)
);
CREATE INDEX request_path_by_path ON request_path (path);
--rollback DROP TABLE request_path;
--rollback DROP INDEX staging_request_client;
--rollback ALTER TABLE request_file DROP COLUMN released_at;
--rollback ALTER TABLE staging_request DROP COLUMN pin_seconds;
--rollback ALTER TABLE staging_request DROP COLUMN client;

--changeset stagehand:jdpdoor-2-jdp-request
-- requester_orcid: who asked, for a request that came through the JDP-compatible door (the ORCID
-- of its Token credential; the secret is never stored).
ALTER TABLE staging_request ADD requester_orcid varchar(64);
-- The JDP-compatible door's integer request IDs, random in 1..2^53 and unique across instances;
-- purged with their request (never before 7 days, the DTS's delete_after).
CREATE TABLE jdp_request (
    jdp_request_id bigint NOT NULL PRIMARY KEY,
    request_id     uuid   NOT NULL UNIQUE REFERENCES staging_request (request_id) ON DELETE CASCADE
);
--rollback DROP TABLE jdp_request;
--rollback ALTER TABLE staging_request DROP COLUMN requester_orcid;

--changeset stagehand:jdpdoor-3-status-notify-copying dbms:postgresql
-- A file starting or stopping being copied changes files.copying in the answers of the requests
-- waiting for it (and the JDP door's new/pending).
CREATE TRIGGER staged_file_copying AFTER UPDATE OF state ON staged_file
    FOR EACH ROW WHEN ((OLD.state = 'ACTIVE') IS DISTINCT FROM (NEW.state = 'ACTIVE'))
    EXECUTE FUNCTION stagehand_notify_space_wait();
--rollback DROP TRIGGER staged_file_copying ON staged_file;

--changeset stagehand:http-1-catalog-path-pattern dbms:postgresql
-- Lets the import find entries below a path (a range in byte order) whatever the database's collation.
CREATE INDEX catalog_entry_path_pattern ON catalog_entry (staging_path text_pattern_ops);
--rollback DROP INDEX catalog_entry_path_pattern;

--changeset stagehand:faults-1-instance-epoch
-- One row per start of an instance: its epoch begins every lease token it makes, and so every
-- temporary file name, so the start-up sweep deletes only files of runs known to be over.
CREATE TABLE instance_epoch (
    epoch varchar(12) PRIMARY KEY,
    instance_name varchar(255) NOT NULL,
    started_at timestamp with time zone NOT NULL,
    alive_until timestamp with time zone NOT NULL
);
--rollback DROP TABLE instance_epoch;

--changeset stagehand:s2-console-1-overview-indexes
-- The operator console's overview reads these without walking every stored request or ready copy:
-- the requests that still wait for (or failed) some file, the outcomes of the last hour, and the
-- requests of an ORCID (its search).
CREATE INDEX request_file_by_state ON request_file (state, request_id);
CREATE INDEX staged_file_by_state_updated ON staged_file (state, updated_at);
CREATE INDEX staging_request_orcid ON staging_request (requester_orcid);
--rollback DROP INDEX staging_request_orcid;
--rollback DROP INDEX staged_file_by_state_updated;
--rollback DROP INDEX request_file_by_state;

--changeset stagehand:s2-describe-1-request-started
-- started_at: when a file of the request was first seen started (its work claimed, or settled), for
-- the Tape REST poll's startedAt; written once.
ALTER TABLE staging_request ADD started_at timestamp with time zone;
--rollback ALTER TABLE staging_request DROP COLUMN started_at;

--changeset stagehand:s2-tape-1-locality
-- Where a queued file lies on tape, as a backend that can tell (LocatesOnTape) said when the file
-- was first queued: the queue is planned by volume from these. located_at NULL: not asked yet;
-- tape_volume NULL once asked: staged without tape planning (on disk, or the backend could not say).
ALTER TABLE staged_file ADD tape_volume varchar(64);
ALTER TABLE staged_file ADD tape_position bigint;
ALTER TABLE staged_file ADD tape_offset bigint;
ALTER TABLE staged_file ADD located_at timestamp with time zone;
CREATE INDEX staged_file_tape_volume ON staged_file (tape_volume, state);
--rollback DROP INDEX staged_file_tape_volume;
--rollback ALTER TABLE staged_file DROP COLUMN located_at;
--rollback ALTER TABLE staged_file DROP COLUMN tape_offset;
--rollback ALTER TABLE staged_file DROP COLUMN tape_position;
--rollback ALTER TABLE staged_file DROP COLUMN tape_volume;

--changeset stagehand:s2-console-2-cancelled-requests dbms:postgresql
-- The console counts cancelled requests, and leaves them out of the staging and failed counts, from
-- this small index instead of reading every stored request (H2 has no partial indexes).
CREATE INDEX staging_request_cancelled ON staging_request (request_id) WHERE cancelled_at IS NOT NULL;
--rollback DROP INDEX staging_request_cancelled;

--changeset stagehand:s2-mounts-1-tape-mount
-- One row per tape mount a backend reported (a recall session began on the volume), for the
-- console's mounts of the last 24 h; rows older than a week are pruned as new ones arrive.
CREATE TABLE tape_mount (
    volume varchar(64) NOT NULL,
    instance_name varchar(255) NOT NULL,
    mounted_at timestamp with time zone NOT NULL
);
CREATE INDEX tape_mount_by_time ON tape_mount (mounted_at);
--rollback DROP TABLE tape_mount;

--changeset stagehand:s3-stage-1-new-request-notify-function dbms:postgresql splitStatements:false
-- New requests are notified on a channel of their own, 'stagehand_new_requests': a memory of
-- last-known answers that already holds a new request's answer (its own instance stored it, or read
-- it after the commit) need not read it again, while a change, on 'stagehand_status', is always read.
CREATE FUNCTION stagehand_notify_new_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stagehand_new_requests', string_agg(request_id::text, ','))
    FROM (SELECT request_id, (row_number() OVER ()) / 150 AS part FROM changed_requests) AS numbered
    GROUP BY part;
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION stagehand_notify_new_requests();

--changeset stagehand:s3-stage-2-new-request-notify-trigger dbms:postgresql
DROP TRIGGER staging_request_inserted ON staging_request;
CREATE TRIGGER staging_request_inserted AFTER INSERT ON staging_request
    REFERENCING NEW TABLE AS changed_requests FOR EACH STATEMENT EXECUTE FUNCTION stagehand_notify_new_requests();
--rollback DROP TRIGGER staging_request_inserted ON staging_request;
--rollback CREATE TRIGGER staging_request_inserted AFTER INSERT ON staging_request REFERENCING NEW TABLE AS changed_requests FOR EACH STATEMENT EXECUTE FUNCTION stagehand_notify_changed_requests();

--changeset stagehand:s3-stage-3-paths-on-request-file
-- A path request's first path naming a file is kept on that file's request_file row (position, path
-- as sent, metadata): a request of 1,000 paths writes 1,000 rows, not 2,000. request_path keeps only
-- the paths no file's row holds: those naming no file, and later spellings of a file already named.
ALTER TABLE request_file ADD position integer;
ALTER TABLE request_file ADD path varchar(4096);
ALTER TABLE request_file ADD metadata varchar(65536);
UPDATE request_file SET position = (SELECT min(p.position) FROM request_path p
                                    WHERE p.request_id = request_file.request_id AND p.file_id = request_file.file_id)
WHERE EXISTS (SELECT 1 FROM request_path p WHERE p.request_id = request_file.request_id AND p.file_id = request_file.file_id);
UPDATE request_file
SET path = (SELECT p.path FROM request_path p WHERE p.request_id = request_file.request_id AND p.position = request_file.position),
    metadata = (SELECT p.metadata FROM request_path p
                WHERE p.request_id = request_file.request_id AND p.position = request_file.position)
WHERE position IS NOT NULL;
DELETE FROM request_path WHERE EXISTS (SELECT 1 FROM request_file f
                                       WHERE f.request_id = request_path.request_id AND f.position = request_path.position);
--rollback ALTER TABLE request_file DROP COLUMN metadata;
--rollback ALTER TABLE request_file DROP COLUMN path;
--rollback ALTER TABLE request_file DROP COLUMN position;

--changeset stagehand:s3-stage-4-request-file-path-index dbms:postgresql
-- For a client's release by path and the console's search: only rows of path requests have a path.
CREATE INDEX request_file_by_path ON request_file (path) WHERE path IS NOT NULL;
--rollback DROP INDEX request_file_by_path;

--changeset stagehand:s3-stage-4-request-file-path-index-h2 dbms:h2
-- H2 has no partial indexes.
CREATE INDEX request_file_by_path ON request_file (path);
--rollback DROP INDEX request_file_by_path;

--changeset stagehand:s4-stage-1-request-path-list dbms:postgresql
-- A path request as it was accepted: its paths in order, as one document (PathList's text), until the
-- expansion turns it into request_file and request_path rows and deletes it. A stage of 1,000 paths
-- then commits one row before its 201, not 1,000 rows and their work rows' locks.
CREATE TABLE request_path_list (
    request_id uuid NOT NULL PRIMARY KEY REFERENCES staging_request (request_id) ON DELETE CASCADE,
    created_at timestamp with time zone NOT NULL,
    paths      text NOT NULL
);
CREATE INDEX request_path_list_by_age ON request_path_list (created_at);
--rollback DROP TABLE request_path_list;

--changeset stagehand:s4-stage-1-request-path-list-h2 dbms:h2
-- H2's text type without a length limit is a character large object.
CREATE TABLE request_path_list (
    request_id uuid NOT NULL PRIMARY KEY REFERENCES staging_request (request_id) ON DELETE CASCADE,
    created_at timestamp with time zone NOT NULL,
    paths      character large object NOT NULL
);
CREATE INDEX request_path_list_by_age ON request_path_list (created_at);
--rollback DROP TABLE request_path_list;

--changeset stagehand:s4-stage-2-path-list-uncompressed dbms:postgresql
-- A list lives for seconds, until its expansion deletes it: compressing it at each stage cost more
-- of the stage's CPU than its bytes cost to write.
ALTER TABLE request_path_list ALTER COLUMN paths SET STORAGE EXTERNAL;
--rollback ALTER TABLE request_path_list ALTER COLUMN paths SET STORAGE EXTENDED;
