// Forward-only schema migrations. Each runs in one transaction that ends by
// setting PRAGMA user_version, so a crash leaves the store at a whole version.
// Never edit a released migration: add the next one. A migration that changes
// the columns of a protected table (row-state.ts) changes every row's digest:
// it ends with a new baseline, as version 7 does.
import { appendAudit } from './audit';
import type { Db } from './database';
import { markEveryRow, trackChanges } from './row-state';

export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Runs after the SQL, in the same transaction. */
  after?: (db: Db) => void;
}

/** Vouches in the audit trail for every protected row as it is now: the start of each row's history. */
function rowBaseline(db: Db, reason: string): void {
  trackChanges(db);
  markEveryRow(db);
  appendAudit(db, { actor: 'lesiontrack:migration', action: 'store.baseline', entity: 'store', newValue: { reason } });
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'catalog of imported DICOM, import log, append-only audit trail',
    sql: `
      CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        patient_key TEXT NOT NULL UNIQUE,
        patient_id TEXT NOT NULL,
        patient_name TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        sex TEXT NOT NULL
      ) STRICT;

      CREATE TABLE studies (
        id INTEGER PRIMARY KEY,
        patient_ref INTEGER NOT NULL REFERENCES patients(id),
        study_uid TEXT NOT NULL UNIQUE,
        study_date TEXT NOT NULL,
        study_time TEXT NOT NULL,
        description TEXT NOT NULL,
        accession_number TEXT NOT NULL
      ) STRICT;
      CREATE INDEX studies_patient ON studies(patient_ref);

      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        study_ref INTEGER NOT NULL REFERENCES studies(id),
        series_uid TEXT NOT NULL,
        -- One DICOM series that mixes orientations or image sizes is split into stacks.
        stack_key TEXT NOT NULL,
        modality TEXT NOT NULL,
        description TEXT NOT NULL,
        series_number INTEGER,
        body_part TEXT NOT NULL,
        protocol_name TEXT NOT NULL,
        image_type TEXT NOT NULL,
        UNIQUE (series_uid, stack_key)
      ) STRICT;
      CREATE INDEX series_study ON series(study_ref);

      CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        folder TEXT NOT NULL,
        actor TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        files_seen INTEGER NOT NULL DEFAULT 0,
        instances_added INTEGER NOT NULL DEFAULT 0,
        duplicates_skipped INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE import_problems (
        id INTEGER PRIMARY KEY,
        import_ref INTEGER NOT NULL REFERENCES imports(id),
        kind TEXT NOT NULL CHECK (kind IN ('rejected', 'conflict')),
        relative_path TEXT NOT NULL,
        reason TEXT NOT NULL
      ) STRICT;
      CREATE INDEX import_problems_import ON import_problems(import_ref);

      CREATE TABLE instances (
        id INTEGER PRIMARY KEY,
        series_ref INTEGER NOT NULL REFERENCES series(id),
        import_ref INTEGER NOT NULL REFERENCES imports(id),
        sop_instance_uid TEXT NOT NULL UNIQUE,
        sop_class_uid TEXT NOT NULL,
        transfer_syntax TEXT NOT NULL,
        instance_number INTEGER,
        frames INTEGER NOT NULL,
        rows INTEGER,
        columns INTEGER,
        image_position TEXT,
        image_orientation TEXT,
        -- JSON array of per-frame positions for multi-frame (enhanced) images.
        frame_positions TEXT,
        pixel_spacing TEXT,
        slice_thickness REAL,
        has_pixel_data INTEGER NOT NULL,
        file_path TEXT NOT NULL,
        file_size INTEGER NOT NULL,
        header_sha256 TEXT NOT NULL,
        header_length INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX instances_series ON instances(series_ref);

      -- Append-only: each row holds the hash of the one before it, so an
      -- edited, deleted or reordered row is detectable even by someone who
      -- drops these triggers with a plain SQLite client.
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT,
        old_value TEXT,
        new_value TEXT,
        reason TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    `,
  },
  {
    version: 2,
    description: 'trial organisation: participants, patient links, visit and region decisions, settings',
    sql: `
      CREATE TABLE participants (
        id INTEGER PRIMARY KEY,
        subject_code TEXT NOT NULL UNIQUE,
        baseline_date TEXT NOT NULL
      ) STRICT;

      -- Which participant a DICOM patient is: entered by a reader, never guessed.
      CREATE TABLE patient_links (
        patient_ref INTEGER PRIMARY KEY REFERENCES patients(id),
        participant_ref INTEGER NOT NULL REFERENCES participants(id)
      ) STRICT;

      -- A reader's confirmation or override of a suggestion; no row means "suggested".
      CREATE TABLE study_decisions (
        study_ref INTEGER PRIMARY KEY REFERENCES studies(id),
        visit_code TEXT,
        decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        reason TEXT
      ) STRICT;

      CREATE TABLE series_decisions (
        series_ref INTEGER PRIMARY KEY REFERENCES series(id),
        region TEXT CHECK (region IS NULL OR region IN ('brain', 'spinal_cord', 'optic_nerve')),
        sequence TEXT NOT NULL CHECK (sequence IN ('FLAIR', 'T2', 'STIR', 'T1', 'other')),
        decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        reason TEXT
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    description: 'lesions with one identity across visits, and their observations',
    sql: `
      CREATE TABLE lesions (
        id INTEGER PRIMARY KEY,
        participant_ref INTEGER NOT NULL REFERENCES participants(id),
        region TEXT NOT NULL CHECK (region IN ('brain', 'spinal_cord', 'optic_nerve')),
        number INTEGER NOT NULL,
        label TEXT NOT NULL,
        -- optic nerve lesions: which nerve (or the chiasm)
        side TEXT CHECK (side IS NULL OR side IN ('left', 'right', 'chiasm')),
        split_from INTEGER REFERENCES lesions(id),
        split_at TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (participant_ref, region, number)
      ) STRICT;

      CREATE TABLE observations (
        id INTEGER PRIMARY KEY,
        lesion_ref INTEGER NOT NULL REFERENCES lesions(id),
        visit_code TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('measured', 'resolved', 'not_evaluable', 'merged')),
        longest_diameter_mm REAL CHECK (longest_diameter_mm IS NULL OR longest_diameter_mm > 0),
        merged_into INTEGER REFERENCES lesions(id),
        series_ref INTEGER REFERENCES series(id),
        instance_ref INTEGER REFERENCES instances(id),
        frame INTEGER,
        -- JSON: the marked centre and diameter end points, in patient coordinates (mm)
        marks TEXT,
        upper_level TEXT,
        lower_level TEXT,
        beyond_half_length INTEGER,
        involves_chiasm INTEGER,
        status_override TEXT CHECK (status_override IS NULL OR status_override IN ('new', 'enlarging', 'stable', 'shrinking', 'resolved', 'not_evaluable', 'merged')),
        override_reason TEXT,
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        UNIQUE (lesion_ref, visit_code),
        CHECK ((kind = 'measured') = (longest_diameter_mm IS NOT NULL)),
        CHECK ((kind = 'merged') = (merged_into IS NOT NULL)),
        CHECK (status_override IS NULL OR length(trim(override_reason)) > 0)
      ) STRICT;
      CREATE INDEX observations_lesion ON observations(lesion_ref);
    `,
  },
  {
    version: 4,
    description: 'reader profiles and signed reads',
    sql: `
      CREATE TABLE readers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('reader', 'adjudicator', 'data_manager')),
        -- scrypt$N$r$p$salt$hash: the secret itself is never stored
        secret_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      -- One row per signature. Unlocking supersedes it; the signed content stays retrievable.
      CREATE TABLE signatures (
        id INTEGER PRIMARY KEY,
        participant_ref INTEGER NOT NULL REFERENCES participants(id),
        visit_code TEXT NOT NULL,
        region TEXT NOT NULL CHECK (region IN ('brain', 'spinal_cord', 'optic_nerve')),
        reader_ref INTEGER NOT NULL REFERENCES readers(id),
        meaning TEXT NOT NULL,
        charter_id TEXT NOT NULL,
        content TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        superseded_at TEXT,
        superseded_by TEXT,
        superseded_reason TEXT
      ) STRICT;
      CREATE INDEX signatures_read ON signatures(participant_ref, visit_code, region);
      CREATE UNIQUE INDEX signatures_one_active ON signatures(participant_ref, visit_code, region) WHERE superseded_at IS NULL;
    `,
  },
  {
    version: 5,
    description: 'alignment of a comparator series to the current series',
    sql: `
      -- The rigid transform taking the current series' patient coordinates to
      -- the comparator's, per ordered pair of series: found automatically or set by a reader.
      CREATE TABLE series_alignments (
        current_series_ref INTEGER NOT NULL REFERENCES series(id),
        comparator_series_ref INTEGER NOT NULL REFERENCES series(id),
        transform TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('automatic', 'manual')),
        score REAL,
        saved_by TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (current_series_ref, comparator_series_ref)
      ) STRICT;
    `,
  },
  {
    version: 6,
    description: 'a random identity of this store, from which lesion tracking UIDs and exported document UIDs are derived',
    sql: `
      INSERT INTO settings (key, value) VALUES ('store_uid', lower(hex(randomblob(16))));
    `,
  },
  {
    version: 7,
    description: 'tamper evidence for the reading tables: each audit entry carries the digests of the rows its change wrote',
    sql: `
      ALTER TABLE audit ADD COLUMN state TEXT;
    `,
    after: (db) => rowBaseline(db, 'row digests start here: every row below is as it was when this version first opened the store'),
  },
  {
    version: 8,
    description: "each reader's reading layout per region (two panes or four, the sequences preferred), remembered between reads",
    sql: `
      -- A reader's preference, like a hanging protocol: not trial data, so neither audited nor in the row digests.
      CREATE TABLE reader_layouts (
        reader_ref INTEGER NOT NULL REFERENCES readers(id),
        region TEXT NOT NULL CHECK (region IN ('brain', 'spinal_cord', 'optic_nerve')),
        layout TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (reader_ref, region)
      ) STRICT;
    `,
  },
  {
    version: 9,
    description: "reader tracks: each lesion and signature belongs to one reader's independent reading of a participant (single, reader1, reader2) or to the adjudicated final one",
    sql: `
      ALTER TABLE lesions ADD COLUMN track TEXT NOT NULL DEFAULT 'single' CHECK (track IN ('single', 'reader1', 'reader2', 'final'));
      ALTER TABLE signatures ADD COLUMN track TEXT NOT NULL DEFAULT 'single' CHECK (track IN ('single', 'reader1', 'reader2', 'final'));
      -- One signature in force per read of each track.
      DROP INDEX signatures_one_active;
      CREATE UNIQUE INDEX signatures_one_active ON signatures(participant_ref, track, visit_code, region) WHERE superseded_at IS NULL;
      CREATE INDEX lesions_track ON lesions(participant_ref, track);

      -- Which reader reads which track of a participant in a double-read trial: taken at their first change, never by both.
      CREATE TABLE reader_tracks (
        participant_ref INTEGER NOT NULL REFERENCES participants(id),
        track TEXT NOT NULL CHECK (track IN ('reader1', 'reader2')),
        reader_ref INTEGER NOT NULL REFERENCES readers(id),
        taken_at TEXT NOT NULL,
        PRIMARY KEY (participant_ref, track),
        UNIQUE (participant_ref, reader_ref)
      ) STRICT;
    `,
    after: (db) => rowBaseline(db, 'lesions and signatures carry their track from here: every row below is as it was when this version first opened the store'),
  },
  {
    version: 10,
    description: 'derived images: aligned subtractions of a series pair, and the readers\' reviews of the candidate lesions found in them',
    sql: `
      -- A cache, not trial data (neither audited nor in the row digests): one row per series pair, alignment,
      -- algorithm and smallest lesion size, which the result id hashes. The images are files beside the store.
      CREATE TABLE subtraction_results (
        result_id TEXT PRIMARY KEY CHECK (length(result_id) = 32),
        current_series_ref INTEGER NOT NULL REFERENCES series(id),
        comparator_series_ref INTEGER NOT NULL REFERENCES series(id),
        alignment_saved_at TEXT NOT NULL,
        algorithm INTEGER NOT NULL,
        min_lesion_size_mm REAL NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('ready', 'failed')),
        message TEXT,
        noise REAL,
        slices INTEGER,
        -- JSON: the changes found (shared/subtraction.ts Change[]), increases and decreases
        changes TEXT,
        computed_at TEXT NOT NULL,
        CHECK ((state = 'ready') = (noise IS NOT NULL AND slices IS NOT NULL AND changes IS NOT NULL)),
        CHECK ((state = 'failed') = (message IS NOT NULL))
      ) STRICT;
      CREATE INDEX subtraction_results_pair ON subtraction_results(current_series_ref, comparator_series_ref);

      -- A reader's decision on a candidate, kept by place (its centre in the current series' patient coordinates, mm),
      -- so that it holds when the same spot is found again by a later computation.
      CREATE TABLE candidate_reviews (
        id INTEGER PRIMARY KEY,
        participant_ref INTEGER NOT NULL REFERENCES participants(id),
        track TEXT NOT NULL CHECK (track IN ('single', 'reader1', 'reader2', 'final')),
        visit_code TEXT NOT NULL,
        region TEXT NOT NULL CHECK (region IN ('brain', 'spinal_cord', 'optic_nerve')),
        current_series_ref INTEGER NOT NULL REFERENCES series(id),
        comparator_series_ref INTEGER NOT NULL REFERENCES series(id),
        centre_x REAL NOT NULL,
        centre_y REAL NOT NULL,
        centre_z REAL NOT NULL,
        diameter_mm REAL NOT NULL CHECK (diameter_mm >= 0),
        decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
        -- The lesion a confirmation recorded.
        lesion_ref INTEGER REFERENCES lesions(id),
        reviewed_by TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        CHECK ((decision = 'confirmed') = (lesion_ref IS NOT NULL))
      ) STRICT;
      CREATE INDEX candidate_reviews_read ON candidate_reviews(participant_ref, track, visit_code, region);
    `,
  },
  {
    version: 11,
    description: 'extents measured on the image: vertebral rulers of cord series, optic nerve traces, and the ends of cord and optic lesions',
    sql: `
      -- The vertebral bodies a reader clicked on one sagittal cord series: each cord level of that series follows from them.
      CREATE TABLE vertebral_rulers (
        id INTEGER PRIMARY KEY,
        participant_ref INTEGER NOT NULL REFERENCES participants(id),
        track TEXT NOT NULL CHECK (track IN ('single', 'reader1', 'reader2', 'final')),
        series_ref INTEGER NOT NULL REFERENCES series(id),
        -- JSON: [{level, point: [x, y, z]}], patient coordinates (mm)
        anchors TEXT NOT NULL,
        saved_by TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        UNIQUE (series_ref, track)
      ) STRICT;

      -- One optic nerve traced from the globe to the chiasm at one visit.
      CREATE TABLE nerve_traces (
        id INTEGER PRIMARY KEY,
        participant_ref INTEGER NOT NULL REFERENCES participants(id),
        track TEXT NOT NULL CHECK (track IN ('single', 'reader1', 'reader2', 'final')),
        visit_code TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('left', 'right')),
        series_ref INTEGER NOT NULL REFERENCES series(id),
        -- JSON: [[x, y, z], ...] from the globe to the chiasm centre, patient coordinates (mm)
        points TEXT NOT NULL,
        saved_by TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        UNIQUE (participant_ref, track, visit_code, side)
      ) STRICT;

      -- JSON: the lesion's clicked ends and what they measured (shared/contract/lesions.ts MeasuredExtent), kept as recorded.
      ALTER TABLE observations ADD COLUMN extent TEXT;
      ALTER TABLE observations ADD COLUMN ruler_ref INTEGER REFERENCES vertebral_rulers(id);
      ALTER TABLE observations ADD COLUMN trace_ref INTEGER REFERENCES nerve_traces(id);
      CREATE INDEX observations_ruler ON observations(ruler_ref) WHERE ruler_ref IS NOT NULL;
      CREATE INDEX observations_trace ON observations(trace_ref) WHERE trace_ref IS NOT NULL;
    `,
    after: (db) => rowBaseline(db, 'observations carry their measured extent from here: every row below is as it was when this version first opened the store'),
  },
];
