// Package store keeps requests and the mail outbox in one SQLite file. A request and
// its notification mails are written in one transaction, synchronously, before the
// sender gets an answer: what was acknowledged survives a crash or power cut.
//
// The file is created once (Create, the command "receiver init") and from then on only
// opened (Open): a missing, empty or damaged file is an error, never silently a new
// database whose numbers start again at 1. The file and SQLite's -wal and -shm files
// beside it are readable by their owner only.
package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite"
)

// Feld is one stored field with its cleaned values.
type Feld struct {
	Name  string   `json:"n"`
	Werte []string `json:"w"`
}

// Request is one stored request.
type Request struct {
	ID       int64
	Nummer   string
	Formular string
	Variante string
	Eingang  time.Time
	Felder   []Feld
	// Fassung is the form definition (JSON) the request was made with; nil for
	// requests stored before the database kept them.
	Fassung []byte
}

// Get returns the field's first value.
func (r *Request) Get(name string) string {
	if v := r.Values(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Values returns all values of the field.
func (r *Request) Values(name string) []string {
	for _, f := range r.Felder {
		if f.Name == name {
			return f.Werte
		}
	}
	return nil
}

// Mail is one notification to queue with a request.
type Mail struct {
	To      string
	Message []byte
}

// OutMail is a queued notification.
type OutMail struct {
	ID       int64
	Nummer   string
	To       string
	Message  []byte
	Versuche int
	Erstellt time.Time
}

// Store is the database. It is safe for concurrent use.
type Store struct {
	path string
	w    *sql.DB // the one writer: SQLite serialises writers anyway, queueing in Go is cheaper than busy-waiting
	r    *sql.DB

	serie string

	queue      chan *saveReq
	writerDone chan struct{}
	mu         sync.RWMutex
	closed     bool
	// writeErr is the error of the last commit, nil after a good one: the health check.
	writeErr atomic.Pointer[error]
}

// SchemaVersion is the database's user_version this code writes.
const SchemaVersion = 2

// schema is version 2. fassungen keeps each form definition requests were made with,
// so list and export need nothing but this file. einstellungen holds the database's
// series (part of every mail's Message-ID, new with every created or restored
// database) and the retention period the receiver last ran with.
const schema = `
CREATE TABLE IF NOT EXISTS fassungen (
	id         INTEGER PRIMARY KEY,
	formular   TEXT    NOT NULL,
	pruefsumme TEXT    NOT NULL UNIQUE,
	definition TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS anfragen (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	nummer     TEXT    NOT NULL UNIQUE,
	formular   TEXT    NOT NULL,
	variante   TEXT    NOT NULL,
	eingang    INTEGER NOT NULL,
	daten      TEXT    NOT NULL,
	pruefsumme TEXT    NOT NULL,
	fassung    INTEGER REFERENCES fassungen(id)
);
CREATE INDEX IF NOT EXISTS anfragen_eingang ON anfragen(eingang);
CREATE INDEX IF NOT EXISTS anfragen_pruefsumme ON anfragen(pruefsumme);
CREATE TABLE IF NOT EXISTS ausgang (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	anfrage_id INTEGER NOT NULL REFERENCES anfragen(id) ON DELETE CASCADE,
	empfaenger TEXT    NOT NULL,
	nachricht  BLOB    NOT NULL,
	versuche   INTEGER NOT NULL DEFAULT 0,
	naechster  INTEGER NOT NULL,
	gesendet   INTEGER,
	fehler     TEXT    NOT NULL DEFAULT '',
	erstellt   INTEGER NOT NULL DEFAULT 0,
	aufgegeben INTEGER
);
CREATE INDEX IF NOT EXISTS ausgang_offen ON ausgang(gesendet, naechster);
CREATE INDEX IF NOT EXISTS ausgang_anfrage ON ausgang(anfrage_id);
CREATE TABLE IF NOT EXISTS einstellungen (
	schluessel TEXT PRIMARY KEY,
	wert       TEXT NOT NULL
);
`

// migrateV1 brings a version-1 database (before fassungen, einstellungen and the
// outbox's end state) to version 2.
const migrateV1 = `
CREATE TABLE IF NOT EXISTS fassungen (
	id         INTEGER PRIMARY KEY,
	formular   TEXT    NOT NULL,
	pruefsumme TEXT    NOT NULL UNIQUE,
	definition TEXT    NOT NULL
);
ALTER TABLE anfragen ADD COLUMN fassung INTEGER REFERENCES fassungen(id);
ALTER TABLE ausgang ADD COLUMN erstellt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ausgang ADD COLUMN aufgegeben INTEGER;
UPDATE ausgang SET erstellt = naechster;
CREATE TABLE IF NOT EXISTS einstellungen (
	schluessel TEXT PRIMARY KEY,
	wert       TEXT NOT NULL
);
`

func dsn(path string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	// FULL: every commit is on disk before Save returns, the heart of "never lost".
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	if writer {
		// Deleted requests are overwritten with zeros, not just marked free.
		q.Add("_pragma", "secure_delete(1)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// ErrMissing means the database file is not there.
var ErrMissing = errors.New("Datenbank fehlt")

// Options of Create.
type Options struct {
	// Start is the first request number's running part; 0 means 1. After a database
	// was lost without a backup, set it above the last number handed out (the
	// notification mails show it), so no number is given twice.
	Start int64
}

// Create makes a new, empty database at path. It refuses when the file, or a -wal
// file of an earlier one, is there.
func Create(path string, o Options) (*Store, error) {
	for _, p := range []string{path, path + "-wal"} {
		if _, err := os.Lstat(p); err == nil {
			return nil, fmt.Errorf("Datenbank %s gibt es schon; neu anlegen nur an einer freien Stelle", p)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("Datenbank %s anlegen: %w", path, err)
	}
	f.Close()
	// auto_vacuum must be set before the first table, and before WAL mode writes the
	// header: so a plain connection first, WAL from Open on.
	db, err := plain(path)
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	err = execEach(context.Background(), db,
		stmt{`PRAGMA auto_vacuum = INCREMENTAL`, nil},
		stmt{schema, nil},
		stmt{`INSERT INTO sqlite_sequence (name, seq) VALUES ('anfragen', ?)`, []any{max(o.Start, 1) - 1}},
		stmt{`INSERT INTO einstellungen (schluessel, wert) VALUES ('serie', ?), ('angelegt', ?)`, []any{newSerie(), time.Now().UTC().Format(time.RFC3339)}},
		stmt{`PRAGMA user_version = 2`, nil},
		stmt{`PRAGMA journal_mode = WAL`, nil})
	db.Close()
	if err != nil {
		os.Remove(path)
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
		return nil, fmt.Errorf("Datenbank %s anlegen: %w", path, err)
	}
	return Open(path)
}

type stmt struct {
	q    string
	args []any
}

// execEach runs the statements one by one until one fails. One statement per Exec
// where there are parameters: the driver binds every statement of a multi-statement
// Exec from the first argument on.
func execEach(ctx context.Context, db *sql.DB, stmts ...stmt) error {
	for _, st := range stmts {
		if _, err := db.ExecContext(ctx, st.q, st.args...); err != nil {
			return err
		}
	}
	return nil
}

// newSerie is a random name for one database's life: it goes into the Message-ID of
// every mail, so mails of a re-created or restored database never share an id with
// mails sent before.
func newSerie() string {
	var b [5]byte
	rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.EncodeToString(b[:]))
}

// Open opens an existing database. It refuses a missing or empty file and one that
// fails SQLite's quick_check, brings an older schema up to date, and takes read and
// write access away from everyone but the owner.
func Open(path string) (*Store, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s gibt es nicht. Beim ersten Start anlegen: receiver init --db %s. Ging sie verloren: receiver restore --db %s SICHERUNG", ErrMissing, path, path, path)
	}
	if err != nil {
		return nil, fmt.Errorf("Datenbank %s: %w", path, err)
	}
	if fi.Size() == 0 {
		return nil, fmt.Errorf("Datenbank %s ist leer (0 Bytes), also beschädigt. Bitte aus der Sicherung wiederherstellen: receiver restore --db %s SICHERUNG", path, path)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil {
				return nil, fmt.Errorf("Datenbank %s: Rechte nicht einschränkbar: %w", p, err)
			}
		}
	}
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := check(w, path); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	s := &Store{path: path, w: w, r: r, queue: make(chan *saveReq, maxBatch), writerDone: make(chan struct{})}
	if err := w.QueryRow(`SELECT wert FROM einstellungen WHERE schluessel = 'serie'`).Scan(&s.serie); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("Datenbank %s: %w", path, err)
	}
	go s.writer()
	return s, nil
}

// check runs quick_check and migrates an older schema.
func check(db *sql.DB, path string) error {
	damaged := func(detail string) error {
		return fmt.Errorf("Datenbank %s ist beschädigt (%s). Der Empfänger startet nicht, damit keine Anfrage verloren geht. "+
			"Bitte aus der Sicherung wiederherstellen: receiver restore --db %s SICHERUNG", path, detail, path)
	}
	var res string
	if err := db.QueryRow(`PRAGMA quick_check`).Scan(&res); err != nil {
		return damaged(err.Error())
	}
	if res != "ok" {
		return damaged(res)
	}
	var version int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		return damaged(err.Error())
	}
	switch version {
	case SchemaVersion:
		return nil
	case 1:
		_, err := db.Exec(`BEGIN; ` + migrateV1 + `
			INSERT OR IGNORE INTO einstellungen (schluessel, wert) VALUES ('serie', '` + newSerie() + `');
			PRAGMA user_version = 2; COMMIT;`)
		if err != nil {
			db.Exec(`ROLLBACK`)
			return fmt.Errorf("Datenbank %s: Aktualisierung auf Version 2 fehlgeschlagen: %w", path, err)
		}
		return nil
	case 0:
		return fmt.Errorf("%s ist keine Datenbank des Anfragen-Empfängers (Option --db prüfen)", path)
	default:
		return fmt.Errorf("Datenbank %s stammt von einem neueren Empfänger (Version %d); bitte den Empfänger aktualisieren", path, version)
	}
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Serie is the database's random series name (see newSerie).
func (s *Store) Serie() string { return s.serie }

// Close finishes queued saves and closes the database; SQLite checkpoints the WAL.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.queue)
	s.mu.Unlock()
	<-s.writerDone
	return errors.Join(s.r.Close(), s.w.Close())
}

// Checksum identifies a submission for recognising a double submission: the same
// client sending the same content in the same variant.
func Checksum(client, formular, variante string, felder []Feld) string {
	b, _ := json.Marshal(felder)
	h := sha256.New()
	for _, p := range []string{client, formular, variante} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// ErrClosed is returned by Save after Close.
var ErrClosed = errors.New("store: closed")

// Submission is what Save stores.
type Submission struct {
	Formular, Variante string
	Felder             []Feld
	Now                time.Time
	// Client identifies the sender (the address the rate limit counts) for recognising
	// a double submission within Window; it is stored only inside a hash.
	Client string
	Window time.Duration
	// Fassung is the form definition (JSON) the request was made with.
	Fassung []byte
	// Mails composes the notifications once the number is known; nil: none.
	Mails func(Request) ([]Mail, error)
}

type saveReq struct {
	sub     Submission
	reserve bool // only take a number (see Reserve)
	done    chan saveRes
}

type saveRes struct {
	req      Request
	existing bool
	err      error
}

// maxBatch bounds how many requests share one commit.
const maxBatch = 64

// Save stores a request and the mails that announce it; it returns once both are
// committed to disk. The same submission from the same client within the window (a
// double click, a resend after a lost answer) is not stored twice: Save returns the
// earlier one and existing. Requests that arrive together share one transaction and
// one fsync (group commit), each in its own savepoint, so one failing request does
// not fail the others.
func (s *Store) Save(ctx context.Context, sub Submission) (Request, bool, error) {
	return s.enqueue(ctx, &saveReq{sub: sub, done: make(chan saveRes, 1)})
}

// Reserve takes the next request number without storing anything, committed like a
// request. The receiver answers a bot with it, so the bot sees what a person sees.
func (s *Store) Reserve(ctx context.Context, now time.Time) (string, error) {
	r, _, err := s.enqueue(ctx, &saveReq{sub: Submission{Now: now}, reserve: true, done: make(chan saveRes, 1)})
	return r.Nummer, err
}

func (s *Store) enqueue(ctx context.Context, r *saveReq) (Request, bool, error) {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return Request{}, false, ErrClosed
	}
	select {
	case s.queue <- r:
	case <-ctx.Done():
		s.mu.RUnlock()
		return Request{}, false, ctx.Err()
	}
	s.mu.RUnlock()
	// Once queued, wait for the outcome even if the client has gone: it may be committed.
	res := <-r.done
	return res.req, res.existing, res.err
}

// writer commits queued saves in batches until the queue is closed.
func (s *Store) writer() {
	defer close(s.writerDone)
	for first := range s.queue {
		batch := []*saveReq{first}
	fill:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-s.queue:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.commit(batch)
	}
}

func (s *Store) commit(batch []*saveReq) {
	ctx := context.Background()
	res := make([]saveRes, len(batch))
	fail := func(err error) {
		s.writeErr.Store(&err)
		for _, r := range batch {
			r.done <- saveRes{err: err}
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return
	}
	for i, r := range batch {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT anfrage`); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
		if r.reserve {
			res[i] = reserveOne(ctx, tx, r.sub.Now)
		} else {
			res[i] = saveOne(ctx, tx, &r.sub)
		}
		end := `RELEASE anfrage`
		if res[i].err != nil {
			end = `ROLLBACK TO anfrage; RELEASE anfrage`
		}
		if _, err := tx.ExecContext(ctx, end); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(err)
		return
	}
	s.writeErr.Store(nil)
	for i, r := range batch {
		r.done <- res[i]
	}
}

func number(now time.Time, id int64) string { return fmt.Sprintf("%d-%05d", now.Year(), id) }

func reserveOne(ctx context.Context, tx *sql.Tx, now time.Time) saveRes {
	var id int64
	if _, err := tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) SELECT 'anfragen', coalesce(max(id), 0) FROM anfragen
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'anfragen')`); err != nil {
		return saveRes{err: err}
	}
	if err := tx.QueryRowContext(ctx, `UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'anfragen' RETURNING seq`).Scan(&id); err != nil {
		return saveRes{err: err}
	}
	return saveRes{req: Request{ID: id, Nummer: number(now, id)}}
}

func saveOne(ctx context.Context, tx *sql.Tx, r *Submission) saveRes {
	daten, err := json.Marshal(r.Felder)
	if err != nil {
		return saveRes{err: err}
	}
	sum := Checksum(r.Client, r.Formular, r.Variante, r.Felder)
	var id, eingang int64
	var nummer string
	err = tx.QueryRowContext(ctx, `SELECT id, nummer, eingang FROM anfragen WHERE pruefsumme = ? AND eingang >= ? ORDER BY id LIMIT 1`,
		sum, r.Now.Add(-r.Window).Unix()).Scan(&id, &nummer, &eingang)
	if err == nil {
		return saveRes{existing: true, req: Request{ID: id, Nummer: nummer, Formular: r.Formular, Variante: r.Variante,
			Eingang: time.Unix(eingang, 0).In(r.Now.Location()), Felder: r.Felder, Fassung: r.Fassung}}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return saveRes{err: err}
	}
	var fassung sql.NullInt64
	if r.Fassung != nil {
		// Look first: an upsert would write the definition's page again each time.
		fsum := sha256.Sum256(r.Fassung)
		key := hex.EncodeToString(fsum[:])
		err := tx.QueryRowContext(ctx, `SELECT id FROM fassungen WHERE pruefsumme = ?`, key).Scan(&fassung)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRowContext(ctx, `INSERT INTO fassungen (formular, pruefsumme, definition) VALUES (?, ?, ?) RETURNING id`,
				r.Formular, key, string(r.Fassung)).Scan(&fassung)
		}
		if err != nil {
			return saveRes{err: err}
		}
	}
	// The number needs the row id, so insert with a placeholder unique to this
	// transaction and set it in the same transaction.
	resExec, err := tx.ExecContext(ctx, `INSERT INTO anfragen (nummer, formular, variante, eingang, daten, pruefsumme, fassung) VALUES ('neu-' || hex(randomblob(8)), ?, ?, ?, ?, ?, ?)`,
		r.Formular, r.Variante, r.Now.Unix(), string(daten), sum, fassung)
	if err != nil {
		return saveRes{err: err}
	}
	if id, err = resExec.LastInsertId(); err != nil {
		return saveRes{err: err}
	}
	nummer = number(r.Now, id)
	if _, err = tx.ExecContext(ctx, `UPDATE anfragen SET nummer = ? WHERE id = ?`, nummer, id); err != nil {
		return saveRes{err: err}
	}
	req := Request{ID: id, Nummer: nummer, Formular: r.Formular, Variante: r.Variante, Eingang: time.Unix(r.Now.Unix(), 0).In(r.Now.Location()),
		Felder: r.Felder, Fassung: r.Fassung}
	if r.Mails != nil {
		ms, err := r.Mails(req)
		if err != nil {
			return saveRes{err: err}
		}
		for _, m := range ms {
			if _, err = tx.ExecContext(ctx, `INSERT INTO ausgang (anfrage_id, empfaenger, nachricht, naechster, erstellt) VALUES (?, ?, ?, ?, ?)`,
				id, m.To, m.Message, r.Now.Unix(), r.Now.Unix()); err != nil {
				return saveRes{err: err}
			}
		}
	}
	return saveRes{req: req}
}

// Filter narrows List.
type Filter struct {
	Formular string    // empty: all forms
	Since    time.Time // zero: all
}

// List returns the stored requests, oldest first, with times in loc.
func (s *Store) List(ctx context.Context, f Filter, loc *time.Location) ([]Request, error) {
	q := `SELECT a.id, a.nummer, a.formular, a.variante, a.eingang, a.daten, a.fassung, f.definition
		FROM anfragen a LEFT JOIN fassungen f ON f.id = a.fassung WHERE a.eingang >= ?`
	args := []any{f.Since.Unix()}
	if f.Since.IsZero() {
		args[0] = int64(-1 << 62)
	}
	if f.Formular != "" {
		q += ` AND a.formular = ?`
		args = append(args, f.Formular)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Request
	defs := map[int64][]byte{} // one slice per definition, shared by its requests
	for rows.Next() {
		var r Request
		var eingang int64
		var daten string
		var fassung sql.NullInt64
		var def sql.NullString
		if err := rows.Scan(&r.ID, &r.Nummer, &r.Formular, &r.Variante, &eingang, &daten, &fassung, &def); err != nil {
			return nil, err
		}
		r.Eingang = time.Unix(eingang, 0).In(loc)
		if err := json.Unmarshal([]byte(daten), &r.Felder); err != nil {
			return nil, fmt.Errorf("Anfrage %s: gespeicherte Daten unlesbar: %w", r.Nummer, err)
		}
		if fassung.Valid && def.Valid {
			if defs[fassung.Int64] == nil {
				defs[fassung.Int64] = []byte(def.String)
			}
			r.Fassung = defs[fassung.Int64]
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Forms lists the ids of the forms that have requests.
func (s *Store) Forms(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT formular FROM anfragen ORDER BY formular`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Purged is what one Purge deleted.
type Purged struct {
	Anfragen int64
	// Unzugestellt counts deleted requests whose notification never arrived.
	Unzugestellt int64
}

// Purge deletes requests received before the time, with their mails. The deleted
// rows are overwritten (secure_delete), the freed pages given back to the file system,
// and the WAL, which still holds copies of the old pages, truncated: afterwards the
// requests are not in the files any more.
func (s *Store) Purge(ctx context.Context, before time.Time) (Purged, error) {
	var p Purged
	err := s.w.QueryRowContext(ctx, `SELECT count(DISTINCT a.id) FROM anfragen a JOIN ausgang m ON m.anfrage_id = a.id
		WHERE a.eingang < ? AND m.gesendet IS NULL`, before.Unix()).Scan(&p.Unzugestellt)
	if err != nil {
		return p, err
	}
	res, err := s.w.ExecContext(ctx, `DELETE FROM anfragen WHERE eingang < ?`, before.Unix())
	if err != nil {
		return p, err
	}
	if p.Anfragen, err = res.RowsAffected(); err != nil || p.Anfragen == 0 {
		return p, err
	}
	var mode int
	if err := s.w.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil {
		return p, err
	}
	reclaim := `PRAGMA incremental_vacuum`
	if mode == 0 {
		// A database from before version 2: convert it once.
		reclaim = `PRAGMA auto_vacuum = INCREMENTAL; VACUUM`
	}
	if _, err := s.w.ExecContext(ctx, reclaim); err != nil {
		return p, err
	}
	_, err = s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return p, err
}

// DueMails returns unsent mails whose next attempt is due.
func (s *Store) DueMails(ctx context.Context, now time.Time, limit int) ([]OutMail, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT a.id, n.nummer, a.empfaenger, a.nachricht, a.versuche, a.erstellt
		FROM ausgang a JOIN anfragen n ON n.id = a.anfrage_id
		WHERE a.gesendet IS NULL AND a.aufgegeben IS NULL AND a.naechster <= ? ORDER BY a.naechster, a.id LIMIT ?`, now.Unix(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutMail
	for rows.Next() {
		var m OutMail
		var erstellt int64
		if err := rows.Scan(&m.ID, &m.Nummer, &m.To, &m.Message, &m.Versuche, &erstellt); err != nil {
			return nil, err
		}
		m.Erstellt = time.Unix(erstellt, 0)
		out = append(out, m)
	}
	return out, rows.Err()
}

// NextMailDue returns when the earliest waiting mail is due; ok is false when none waits.
func (s *Store) NextMailDue(ctx context.Context) (t time.Time, ok bool, err error) {
	var n sql.NullInt64
	if err = s.r.QueryRowContext(ctx, `SELECT min(naechster) FROM ausgang WHERE gesendet IS NULL AND aufgegeben IS NULL`).Scan(&n); err != nil || !n.Valid {
		return t, false, err
	}
	return time.Unix(n.Int64, 0), true, nil
}

// MailSent marks a mail delivered.
func (s *Store) MailSent(ctx context.Context, id int64, now time.Time) error {
	_, err := s.w.ExecContext(ctx, `UPDATE ausgang SET gesendet = ?, versuche = versuche + 1, fehler = '' WHERE id = ?`, now.Unix(), id)
	return err
}

// MailFailed records a failed attempt and when to try again.
func (s *Store) MailFailed(ctx context.Context, id int64, next time.Time, reason string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE ausgang SET versuche = versuche + 1, naechster = ?, fehler = ? WHERE id = ?`, next.Unix(), reason, id)
	return err
}

// MailGivenUp records the last failed attempt and that there will be no other.
func (s *Store) MailGivenUp(ctx context.Context, id int64, now time.Time, reason string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE ausgang SET versuche = versuche + 1, aufgegeben = ?, fehler = ? WHERE id = ?`, now.Unix(), reason, id)
	return err
}

// MailStats counts the outbox.
type MailStats struct {
	Wartend, Gesendet, Aufgegeben int
	// AeltesterWartend is when the oldest waiting mail was queued; zero when none waits.
	AeltesterWartend time.Time
}

// MailStatus counts mails: waiting, sent and given up.
func (s *Store) MailStatus(ctx context.Context) (MailStats, error) {
	var st MailStats
	var oldest sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT
			count(*) FILTER (WHERE gesendet IS NULL AND aufgegeben IS NULL),
			count(*) FILTER (WHERE gesendet IS NOT NULL),
			count(*) FILTER (WHERE aufgegeben IS NOT NULL),
			min(erstellt) FILTER (WHERE gesendet IS NULL AND aufgegeben IS NULL)
		FROM ausgang`).Scan(&st.Wartend, &st.Gesendet, &st.Aufgegeben, &oldest)
	if oldest.Valid {
		st.AeltesterWartend = time.Unix(oldest.Int64, 0)
	}
	return st, err
}

// MailState is one mail that has not arrived, for the staff's list.
type MailState struct {
	Nummer     string
	Versuche   int
	Fehler     string
	Erstellt   time.Time
	Naechster  time.Time // the next attempt; zero when given up
	Aufgegeben time.Time // zero while it still waits
}

// OpenMails lists the mails that have not arrived: waiting, then given up.
func (s *Store) OpenMails(ctx context.Context) ([]MailState, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT n.nummer, a.versuche, a.fehler, a.erstellt, a.naechster, a.aufgegeben
		FROM ausgang a JOIN anfragen n ON n.id = a.anfrage_id
		WHERE a.gesendet IS NULL ORDER BY a.aufgegeben IS NOT NULL, a.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MailState
	for rows.Next() {
		var m MailState
		var erstellt, naechster int64
		var aufgegeben sql.NullInt64
		if err := rows.Scan(&m.Nummer, &m.Versuche, &m.Fehler, &erstellt, &naechster, &aufgegeben); err != nil {
			return nil, err
		}
		m.Erstellt = time.Unix(erstellt, 0)
		if aufgegeben.Valid {
			m.Aufgegeben = time.Unix(aufgegeben.Int64, 0)
		} else {
			m.Naechster = time.Unix(naechster, 0)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Health tells whether the database answers and the last write went through.
func (s *Store) Health(ctx context.Context) error {
	if p := s.writeErr.Load(); p != nil {
		return fmt.Errorf("letztes Speichern fehlgeschlagen: %w", *p)
	}
	var n int
	return s.r.QueryRowContext(ctx, `SELECT count(*) FROM einstellungen`).Scan(&n)
}

// Setting reads one value of einstellungen; ok is false when it is not set.
func (s *Store) Setting(ctx context.Context, key string) (val string, ok bool, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT wert FROM einstellungen WHERE schluessel = ?`, key).Scan(&val)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return val, err == nil, err
}

// SetSetting writes one value of einstellungen.
func (s *Store) SetSetting(ctx context.Context, key, val string) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO einstellungen (schluessel, wert) VALUES (?, ?)
		ON CONFLICT (schluessel) DO UPDATE SET wert = excluded.wert`, key, val)
	return err
}

// Raw gives tests and maintenance read access to the database.
func (s *Store) Raw() *sql.DB { return s.r }

// Writer gives tests write access (for example to age requests).
func (s *Store) Writer() *sql.DB { return s.w }

// RetryMails puts given-up mails back into the queue, those of the numbers given or
// all; their time to be given up again starts anew.
func (s *Store) RetryMails(ctx context.Context, now time.Time, numbers []string) (int64, error) {
	q := `UPDATE ausgang SET aufgegeben = NULL, naechster = ?, erstellt = ? WHERE aufgegeben IS NOT NULL`
	args := []any{now.Unix(), now.Unix()}
	if len(numbers) > 0 {
		q += ` AND anfrage_id IN (SELECT id FROM anfragen WHERE nummer IN (?` + strings.Repeat(`, ?`, len(numbers)-1) + `))`
		for _, n := range numbers {
			args = append(args, n)
		}
	}
	res, err := s.w.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
