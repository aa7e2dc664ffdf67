package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func create(t *testing.T, path string, o Options) *Store {
	t.Helper()
	s, err := Create(path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func open(t *testing.T) *Store {
	t.Helper()
	return create(t, filepath.Join(t.TempDir(), "a.db"), Options{})
}

var now = time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)

func sub(org string) Submission {
	return Submission{Formular: "ausstellung", Variante: "de", Felder: []Feld{{Name: "organisation", Werte: []string{org}}},
		Now: now, Client: "192.0.2.1/32", Window: time.Hour, Fassung: []byte(`{"titel":{"de":"T","ls":"T"}}`)}
}

func save(t *testing.T, s *Store, su Submission) (Request, bool) {
	t.Helper()
	r, ex, err := s.Save(context.Background(), su)
	if err != nil {
		t.Fatal(err)
	}
	return r, ex
}

// Concurrent saves share commits; a request whose mail cannot be composed fails
// alone, the others of its batch are stored with their mails.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	const n = 200
	var wg sync.WaitGroup
	errs := make([]error, n)
	nums := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			su := sub(fmt.Sprint("Verein ", i))
			su.Mails = func(r Request) ([]Mail, error) {
				if i%10 == 0 {
					return nil, errors.New("kaputt")
				}
				return []Mail{{To: "team@example.org", Message: []byte("Anfrage " + r.Nummer)}}, nil
			}
			req, _, err := s.Save(ctx, su)
			errs[i], nums[i] = err, req.Nummer
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		if (errs[i] != nil) != (i%10 == 0) {
			t.Errorf("request %d: err %v", i, errs[i])
		}
		if errs[i] == nil {
			if seen[nums[i]] {
				t.Errorf("number %s twice", nums[i])
			}
			seen[nums[i]] = true
		}
	}
	reqs, err := s.List(ctx, Filter{}, time.UTC)
	if err != nil || len(reqs) != n-n/10 {
		t.Fatalf("%d stored, %v", len(reqs), err)
	}
	if string(reqs[0].Fassung) != `{"titel":{"de":"T","ls":"T"}}` {
		t.Errorf("form definition not kept: %q", reqs[0].Fassung)
	}
	var fassungen int
	s.Raw().QueryRow(`SELECT count(*) FROM fassungen`).Scan(&fassungen)
	if fassungen != 1 {
		t.Errorf("%d copies of one definition", fassungen)
	}
	st, _ := s.MailStatus(ctx)
	if st.Wartend != n-n/10 {
		t.Errorf("%d mails queued", st.Wartend)
	}
	due, _ := s.DueMails(ctx, now, 1000)
	for _, m := range due {
		if string(m.Message) != "Anfrage "+m.Nummer {
			t.Errorf("mail %q belongs to another request than %s", m.Message, m.Nummer)
		}
	}
}

// TestDoubleSubmissionPerClient: only the same client sending the same thing in the
// same variant within the window is one request. Identical anonymous feedback of two
// people (or of one person in both variants) is two (issue 9).
func TestDoubleSubmissionPerClient(t *testing.T) {
	s := open(t)
	a, ex := save(t, s, sub("x"))
	if ex || a.Nummer != "2026-00001" {
		t.Fatalf("first: %v %s", ex, a.Nummer)
	}
	again := sub("x")
	again.Now = now.Add(30 * time.Minute)
	if b, ex := save(t, s, again); !ex || b.Nummer != a.Nummer {
		t.Errorf("resend within the window: %v %s", ex, b.Nummer)
	}
	other := sub("x")
	other.Client = "198.51.100.7/32"
	if c, ex := save(t, s, other); ex || c.Nummer == a.Nummer {
		t.Error("another client's identical request merged into the first")
	}
	ls := sub("x")
	ls.Variante = "ls"
	if c, ex := save(t, s, ls); ex || c.Nummer == a.Nummer {
		t.Error("the same content from the other variant merged")
	}
	late := sub("x")
	late.Now = now.Add(2 * time.Hour)
	if c, ex := save(t, s, late); ex || c.Nummer == a.Nummer {
		t.Error("outside the window the same content is a new request")
	}
}

func TestSaveAfterClose(t *testing.T) {
	s, err := Create(filepath.Join(t.TempDir(), "a.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, _, err := s.Save(context.Background(), sub("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("err %v", err)
	}
}

// TestOpenRefusesWhatIsNotTheDatabase: a missing, empty, damaged or foreign file is an
// error at start, never silently a new database (issue 9: numbers began again at 00001).
func TestOpenRefusesWhatIsNotTheDatabase(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "gut.db")
	s := create(t, good, Options{})
	for i := range 50 {
		save(t, s, sub(strings.Repeat(fmt.Sprint(i), 300)))
	}
	s.Close()
	src, _ := os.ReadFile(good)

	damaged := filepath.Join(dir, "kaputt.db")
	bad := bytes.Clone(src)
	for i := 4096 + 100; i < len(bad) && i < 4096*3; i++ {
		bad[i] = 0xA5 // a table page overwritten in the middle
	}
	os.WriteFile(damaged, bad, 0o600)
	empty := filepath.Join(dir, "leer.db")
	os.WriteFile(empty, nil, 0o600)
	foreign := filepath.Join(dir, "fremd.db")
	db, _ := sql.Open("sqlite", foreign)
	db.Exec(`CREATE TABLE t (x)`)
	db.Close()
	cases := map[string]struct{ path, want string }{
		"missing": {filepath.Join(dir, "fehlt.db"), "receiver init"},
		"0 bytes": {empty, "leer (0 Bytes)"},
		"damaged": {damaged, "beschädigt"},
		"foreign": {foreign, "keine Datenbank des Anfragen-Empfängers"},
	}
	for name, c := range cases {
		st, err := Open(c.path)
		if err == nil {
			st.Close()
			t.Errorf("%s: opened", name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, "fehlt.db")); fi != nil {
		t.Error("Open created a missing database")
	}
	if _, err := Create(good, Options{}); err == nil {
		t.Error("Create overwrote a database")
	}
}

// TestFilesOwnerOnly: the database and SQLite's -wal and -shm files hold personal
// data: readable by the owner only, whatever the umask (issue 9).
func TestFilesOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	s := create(t, path, Options{})
	save(t, s, sub("x"))
	check := func(when string) {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s has mode %v", when, filepath.Base(p), fi.Mode().Perm())
			}
		}
	}
	check("created")
	s.Close()
	// A database from before, readable by all, is closed down on open.
	os.Chmod(path, 0o644)
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	save(t, s2, sub("y"))
	check("opened")
}

// TestPurgeLeavesNothingReadable: after purge the deleted requests are in none of the
// files, neither the database nor its WAL (issue 9).
func TestPurgeLeavesNothingReadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	s := create(t, path, Options{})
	ctx := context.Background()
	const marker = "Geheimer-Verein-Marker"
	for i := range 30 {
		su := sub(fmt.Sprintf("%s %d %s", marker, i, strings.Repeat("x", 2000)))
		su.Mails = func(r Request) ([]Mail, error) {
			return []Mail{{To: "team@example.org", Message: []byte(marker + strings.Repeat(" Text", 1000))}}, nil
		}
		save(t, s, su)
	}
	keep := sub("Bleibt")
	keep.Now = now.Add(48 * time.Hour)
	save(t, s, keep)
	if _, err := s.Writer().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	var mode int
	s.Raw().QueryRow(`PRAGMA auto_vacuum`).Scan(&mode)
	if mode != 2 {
		t.Errorf("auto_vacuum %d, want incremental (2)", mode)
	}
	full, _ := os.Stat(path)
	p, err := s.Purge(ctx, now.Add(time.Hour))
	if err != nil || p.Anfragen != 30 || p.Unzugestellt != 30 {
		t.Fatalf("purge %+v, %v", p, err)
	}
	grep := func(when string) {
		for _, f := range []string{path, path + "-wal"} {
			b, _ := os.ReadFile(f)
			if bytes.Contains(b, []byte(marker)) {
				t.Errorf("%s: %s still holds a deleted request", when, filepath.Base(f))
			}
		}
	}
	grep("after purge")
	if small, _ := os.Stat(path); small.Size() >= full.Size()/2 {
		t.Errorf("freed pages not given back: %d bytes before, %d after", full.Size(), small.Size())
	}
	reqs, _ := s.List(ctx, Filter{}, time.UTC)
	if len(reqs) != 1 || reqs[0].Get("organisation") != "Bleibt" {
		t.Errorf("left: %v", reqs)
	}
	s.Close()
	grep("after close")
}

// TestNumbersNeverRepeat: a reserved number (the honeypot's) is not given again, and
// after a restore numbers go on after every number handed out before.
func TestNumbersNeverRepeat(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	s := create(t, path, Options{})
	a, _ := save(t, s, sub("a"))
	r, err := s.Reserve(ctx, now)
	if err != nil || r != "2026-00002" {
		t.Fatalf("reserve %q %v", r, err)
	}
	b, _ := save(t, s, sub("b"))
	if a.Nummer != "2026-00001" || b.Nummer != "2026-00003" {
		t.Fatalf("%s %s", a.Nummer, b.Nummer)
	}
	serie := s.Serie()
	backup, n, err := s.Backup(ctx, dir, now)
	if err != nil || n != 2 {
		t.Fatalf("backup %s %d %v", backup, n, err)
	}
	if fi, _ := os.Stat(backup); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v", fi.Mode().Perm())
	}
	c, _ := save(t, s, sub("c")) // after the backup: lost with the database below
	s.Close()

	// The running receiver holds the lock: no restore.
	unlock, err := Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, backup, path, Options{}, now); !errors.Is(err, ErrInUse) {
		t.Errorf("restore under a running receiver: %v", err)
	}
	unlock()

	res, err := Restore(ctx, backup, path, Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Anfragen != 2 || !res.Known || res.Next != 5 || res.Aside == "" {
		t.Errorf("restore: %+v", res)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := save(t, s2, sub("d"))
	if d.Nummer == c.Nummer || d.Nummer != "2026-00005" {
		t.Errorf("after restore %s (lost one was %s)", d.Nummer, c.Nummer)
	}
	if !regexp.MustCompile(`^[a-z2-7]{8}$`).MatchString(serie) || !regexp.MustCompile(`^[a-z2-7]{8}$`).MatchString(s2.Serie()) {
		t.Errorf("series %q, %q", serie, s2.Serie())
	}
	if s2.Serie() == serie {
		t.Error("restored database keeps the old series: Message-IDs may repeat")
	}
	s2.Close()

	// The database is gone altogether: Start carries the numbers on.
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	res, err = Restore(ctx, backup, path, Options{Start: 40}, now)
	if err != nil || res.Known || res.Next != 40 {
		t.Fatalf("%+v %v", res, err)
	}
	fresh := create(t, filepath.Join(dir, "neu.db"), Options{Start: 700})
	if e, _ := save(t, fresh, sub("e")); e.Nummer != "2026-00700" {
		t.Errorf("start: %s", e.Nummer)
	}
}

// A version-1 database (before fassungen) opens, migrates and keeps its requests.
func TestMigrateV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alt.db")
	db, _ := sql.Open("sqlite", path)
	_, err := db.Exec(`
CREATE TABLE anfragen (id INTEGER PRIMARY KEY AUTOINCREMENT, nummer TEXT NOT NULL UNIQUE, formular TEXT NOT NULL,
	variante TEXT NOT NULL, eingang INTEGER NOT NULL, daten TEXT NOT NULL, pruefsumme TEXT NOT NULL);
CREATE TABLE ausgang (id INTEGER PRIMARY KEY AUTOINCREMENT, anfrage_id INTEGER NOT NULL REFERENCES anfragen(id) ON DELETE CASCADE,
	empfaenger TEXT NOT NULL, nachricht BLOB NOT NULL, versuche INTEGER NOT NULL DEFAULT 0, naechster INTEGER NOT NULL,
	gesendet INTEGER, fehler TEXT NOT NULL DEFAULT '');
INSERT INTO anfragen (nummer, formular, variante, eingang, daten, pruefsumme) VALUES ('2026-00001', 'feedback', 'de', 1, '[{"n":"a","w":["x"]}]', 'p');
INSERT INTO ausgang (anfrage_id, empfaenger, nachricht, naechster) VALUES (1, 'a@b.de', 'm', 5);
PRAGMA user_version = 1;`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	reqs, err := s.List(context.Background(), Filter{}, time.UTC)
	if err != nil || len(reqs) != 1 || reqs[0].Get("a") != "x" || reqs[0].Fassung != nil {
		t.Fatalf("%+v %v", reqs, err)
	}
	st, _ := s.MailStatus(context.Background())
	if st.Wartend != 1 || st.AeltesterWartend.Unix() != 5 {
		t.Errorf("%+v", st)
	}
	if r, _ := save(t, s, sub("neu")); r.Nummer != "2026-00002" {
		t.Errorf("next number %s", r.Nummer)
	}
}
