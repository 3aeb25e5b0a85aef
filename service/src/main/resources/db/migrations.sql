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
