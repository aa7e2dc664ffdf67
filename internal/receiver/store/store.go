// Package store keeps requests and the mail outbox in one SQLite file. A request and
// its notification mails are written in one transaction, synchronously, before the
// sender gets an answer: what was acknowledged survives a crash or power cut.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"
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
}

// Store is the database. It is safe for concurrent use.
type Store struct {
	w *sql.DB // the one writer: SQLite serialises writers anyway, queueing in Go is cheaper than busy-waiting
	r *sql.DB

	queue      chan *saveReq
	writerDone chan struct{}
	mu         sync.RWMutex
	closed     bool
}

const schema = `
CREATE TABLE IF NOT EXISTS anfragen (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	nummer     TEXT    NOT NULL UNIQUE,
	formular   TEXT    NOT NULL,
	variante   TEXT    NOT NULL,
	eingang    INTEGER NOT NULL,
	daten      TEXT    NOT NULL,
	pruefsumme TEXT    NOT NULL
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
	fehler     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS ausgang_offen ON ausgang(gesendet, naechster);
CREATE INDEX IF NOT EXISTS ausgang_anfrage ON ausgang(anfrage_id);
PRAGMA user_version = 1;
`

func dsn(path string, txlock bool) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	// FULL: every commit is on disk before Save returns, the heart of "never lost".
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	if txlock {
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Open opens or creates the database file.
func Open(path string) (*Store, error) {
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if _, err := w.Exec(schema); err != nil {
		w.Close()
		return nil, fmt.Errorf("Datenbank %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	s := &Store{w: w, r: r, queue: make(chan *saveReq, maxBatch), writerDone: make(chan struct{})}
	go s.writer()
	return s, nil
}

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

// Checksum identifies a submission's content, to recognise a double submission.
func Checksum(formular string, felder []Feld) string {
	b, _ := json.Marshal(felder)
	h := sha256.Sum256(append([]byte(formular+"\x00"), b...))
	return hex.EncodeToString(h[:])
}

// ErrClosed is returned by Save after Close.
var ErrClosed = errors.New("store: closed")

type saveReq struct {
	formular, variante string
	felder             []Feld
	now                time.Time
	window             time.Duration
	mails              func(Request) ([]Mail, error)
	done               chan saveRes
}

type saveRes struct {
	req      Request
	existing bool
	err      error
}

// maxBatch bounds how many requests share one commit.
const maxBatch = 64

// Save stores a request and the mails that announce it; it returns once both are
// committed to disk. A request with the same content within window (a double click, a
// resend after a lost answer) is not stored twice: Save returns the earlier one and
// existing. Requests that arrive together share one transaction and one fsync (group
// commit), each in its own savepoint, so one failing request does not fail the others.
func (s *Store) Save(ctx context.Context, formular, variante string, felder []Feld, now time.Time, window time.Duration,
	mails func(Request) ([]Mail, error)) (Request, bool, error) {
	r := &saveReq{formular: formular, variante: variante, felder: felder, now: now, window: window, mails: mails, done: make(chan saveRes, 1)}
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
		res[i] = saveOne(ctx, tx, r)
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
	for i, r := range batch {
		r.done <- res[i]
	}
}

func saveOne(ctx context.Context, tx *sql.Tx, r *saveReq) saveRes {
	daten, err := json.Marshal(r.felder)
	if err != nil {
		return saveRes{err: err}
	}
	sum := Checksum(r.formular, r.felder)
	var id, eingang int64
	var nummer string
	err = tx.QueryRowContext(ctx, `SELECT id, nummer, eingang FROM anfragen WHERE pruefsumme = ? AND eingang >= ? ORDER BY id LIMIT 1`,
		sum, r.now.Add(-r.window).Unix()).Scan(&id, &nummer, &eingang)
	if err == nil {
		return saveRes{existing: true, req: Request{ID: id, Nummer: nummer, Formular: r.formular, Variante: r.variante,
			Eingang: time.Unix(eingang, 0).In(r.now.Location()), Felder: r.felder}}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return saveRes{err: err}
	}
	// The number needs the row id, so insert with a placeholder unique to this
	// transaction and set it in the same transaction.
	resExec, err := tx.ExecContext(ctx, `INSERT INTO anfragen (nummer, formular, variante, eingang, daten, pruefsumme) VALUES ('neu-' || hex(randomblob(8)), ?, ?, ?, ?, ?)`,
		r.formular, r.variante, r.now.Unix(), string(daten), sum)
	if err != nil {
		return saveRes{err: err}
	}
	if id, err = resExec.LastInsertId(); err != nil {
		return saveRes{err: err}
	}
	nummer = fmt.Sprintf("%d-%05d", r.now.Year(), id)
	if _, err = tx.ExecContext(ctx, `UPDATE anfragen SET nummer = ? WHERE id = ?`, nummer, id); err != nil {
		return saveRes{err: err}
	}
	req := Request{ID: id, Nummer: nummer, Formular: r.formular, Variante: r.variante, Eingang: time.Unix(r.now.Unix(), 0).In(r.now.Location()), Felder: r.felder}
	if r.mails != nil {
		ms, err := r.mails(req)
		if err != nil {
			return saveRes{err: err}
		}
		for _, m := range ms {
			if _, err = tx.ExecContext(ctx, `INSERT INTO ausgang (anfrage_id, empfaenger, nachricht, naechster) VALUES (?, ?, ?, ?)`,
				id, m.To, m.Message, r.now.Unix()); err != nil {
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
	q := `SELECT id, nummer, formular, variante, eingang, daten FROM anfragen WHERE eingang >= ?`
	args := []any{f.Since.Unix()}
	if f.Since.IsZero() {
		args[0] = int64(-1 << 62)
	}
	if f.Formular != "" {
		q += ` AND formular = ?`
		args = append(args, f.Formular)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		var r Request
		var eingang int64
		var daten string
		if err := rows.Scan(&r.ID, &r.Nummer, &r.Formular, &r.Variante, &eingang, &daten); err != nil {
			return nil, err
		}
		r.Eingang = time.Unix(eingang, 0).In(loc)
		if err := json.Unmarshal([]byte(daten), &r.Felder); err != nil {
			return nil, fmt.Errorf("Anfrage %s: gespeicherte Daten unlesbar: %w", r.Nummer, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Purge deletes requests received before the time, with their mails, and returns how
// many requests went.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM anfragen WHERE eingang < ?`, before.Unix())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DueMails returns unsent mails whose next attempt is due.
func (s *Store) DueMails(ctx context.Context, now time.Time, limit int) ([]OutMail, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT a.id, n.nummer, a.empfaenger, a.nachricht, a.versuche
		FROM ausgang a JOIN anfragen n ON n.id = a.anfrage_id
		WHERE a.gesendet IS NULL AND a.naechster <= ? ORDER BY a.naechster, a.id LIMIT ?`, now.Unix(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutMail
	for rows.Next() {
		var m OutMail
		if err := rows.Scan(&m.ID, &m.Nummer, &m.To, &m.Message, &m.Versuche); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// NextMailDue returns when the earliest unsent mail is due; ok is false when none waits.
func (s *Store) NextMailDue(ctx context.Context) (t time.Time, ok bool, err error) {
	var n sql.NullInt64
	if err = s.r.QueryRowContext(ctx, `SELECT min(naechster) FROM ausgang WHERE gesendet IS NULL`).Scan(&n); err != nil || !n.Valid {
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

// MailStatus counts mails: still waiting and sent.
func (s *Store) MailStatus(ctx context.Context) (pending, sent int, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE gesendet IS NULL), count(*) FILTER (WHERE gesendet IS NOT NULL) FROM ausgang`).Scan(&pending, &sent)
	return
}

// Raw gives tests and maintenance read access to the database.
func (s *Store) Raw() *sql.DB { return s.r }

// Writer gives tests write access (for example to age requests).
func (s *Store) Writer() *sql.DB { return s.w }
