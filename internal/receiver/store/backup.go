package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// ErrInUse means a running receiver holds the database.
var ErrInUse = errors.New("die Datenbank ist in Benutzung: ein Empfänger läuft noch")

// Backup writes a consistent copy of the database to target while the receiver goes
// on (VACUUM INTO reads in one transaction, WAL included). The copy is written beside
// target, checked, synced and only then renamed into place, readable by its owner
// only. When target is a folder, the file in it is named by the time. It returns the
// file and how many requests it holds.
func (s *Store) Backup(ctx context.Context, target string, now time.Time) (string, int, error) {
	if fi, err := os.Stat(target); err == nil && fi.IsDir() {
		target = filepath.Join(target, "anfragen-"+now.Format("20060102-150405")+".db")
	}
	tmp, err := emptyFile(target)
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp)
	if _, err := s.r.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return "", 0, fmt.Errorf("Sicherung: %w", err)
	}
	n, err := verify(ctx, tmp)
	if err != nil {
		return "", 0, fmt.Errorf("Sicherung %s ist unbrauchbar: %w", tmp, err)
	}
	if err := syncFile(tmp); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp, target); err != nil {
		return "", 0, fmt.Errorf("Sicherung: %w", err)
	}
	return target, n, syncDir(filepath.Dir(target))
}

// emptyFile creates an empty file beside path, readable by its owner only, for
// VACUUM INTO (which accepts an empty file and keeps its permissions).
func emptyFile(path string) (string, error) {
	var b [6]byte
	rand.Read(b[:])
	tmp := path + ".neu-" + hex.EncodeToString(b[:])
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("%s: %w", filepath.Dir(path), err)
	}
	return tmp, f.Close()
}

// plain opens a database file without changing its journal mode, for reading a
// backup or a database about to be replaced.
func plain(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// verify runs quick_check on a copy and counts its requests.
func verify(ctx context.Context, path string) (int, error) {
	db, err := plain(path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var res string
	var version, n int
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&res); err != nil {
		return 0, err
	}
	if res != "ok" {
		return 0, fmt.Errorf("quick_check: %s", res)
	}
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return 0, err
	}
	if version < 1 || version > SchemaVersion {
		return 0, fmt.Errorf("keine Datenbank des Anfragen-Empfängers (Version %d)", version)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM anfragen`).Scan(&n); err != nil {
		return 0, err
	}
	return n, nil
}

// lastNumber is the highest running number a database handed out (0 when it cannot
// be read: a missing or badly damaged file).
func lastNumber(ctx context.Context, path string) int64 {
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	db, err := plain(path)
	if err != nil {
		return 0
	}
	defer db.Close()
	var seq, id sql.NullInt64
	db.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'anfragen'`).Scan(&seq)
	db.QueryRowContext(ctx, `SELECT max(id) FROM anfragen`).Scan(&id)
	return max(seq.Int64, id.Int64)
}

// Restored tells what Restore did.
type Restored struct {
	Anfragen int
	// Next is the running number the next request gets.
	Next int64
	// Aside is where the replaced database went ("" when there was none).
	Aside string
	// Known tells whether the replaced database's last number could be read; when not,
	// numbers handed out after the backup may come again unless Options.Start is set.
	Known bool
}

// Restore replaces the database at dst with the backup src. It refuses while a
// receiver holds dst. Numbers go on after the highest of the backup's, the replaced
// database's (when it can still be read) and o.Start, so no number handed out before
// is given again; the restored database gets a new series for its mails' Message-IDs.
// The replaced database is kept beside as "<dst>.vor-wiederherstellung-<time>".
func Restore(ctx context.Context, src, dst string, o Options, now time.Time) (Restored, error) {
	var res Restored
	unlock, err := Lock(dst)
	if err != nil {
		return res, err
	}
	defer unlock()
	if _, err := verify(ctx, src); err != nil {
		return res, fmt.Errorf("Sicherung %s: %w", src, err)
	}
	tmp, err := emptyFile(dst)
	if err != nil {
		return res, err
	}
	defer func() {
		for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
			os.Remove(p)
		}
	}()
	sdb, err := plain(src)
	if err != nil {
		return res, err
	}
	_, err = sdb.ExecContext(ctx, `VACUUM INTO ?`, tmp)
	sdb.Close()
	if err != nil {
		return res, fmt.Errorf("Sicherung %s lesen: %w", src, err)
	}
	old := lastNumber(ctx, dst)
	res.Known = old > 0

	// Bring the copy up to date and set its numbers and series.
	w, err := sql.Open("sqlite", dsn(tmp, true))
	if err != nil {
		return res, err
	}
	w.SetMaxOpenConns(1)
	err = check(w, tmp)
	if err == nil {
		err = execEach(ctx, w,
			stmt{`INSERT INTO sqlite_sequence (name, seq) SELECT 'anfragen', coalesce(max(id), 0) FROM anfragen
				WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'anfragen')`, nil},
			stmt{`UPDATE sqlite_sequence SET seq = max(seq, ?, ?) WHERE name = 'anfragen'`, []any{old, o.Start - 1}},
			stmt{`INSERT INTO einstellungen (schluessel, wert) VALUES ('serie', ?), ('wiederhergestellt', ?)
				ON CONFLICT (schluessel) DO UPDATE SET wert = excluded.wert`, []any{newSerie(), now.UTC().Format(time.RFC3339)}})
	}
	if err == nil {
		err = w.QueryRowContext(ctx, `SELECT seq + 1 FROM sqlite_sequence WHERE name = 'anfragen'`).Scan(&res.Next)
	}
	if err == nil {
		err = w.QueryRowContext(ctx, `SELECT count(*) FROM anfragen`).Scan(&res.Anfragen)
	}
	if err == nil {
		_, err = w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return res, fmt.Errorf("Wiederherstellen: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return res, err
	}

	// Put the old database aside with its WAL (which belongs to it and would spoil
	// the new one); the -shm file is only an index and goes.
	if _, err := os.Stat(dst); err == nil {
		res.Aside = dst + ".vor-wiederherstellung-" + now.Format("20060102-150405")
		if err := os.Rename(dst, res.Aside); err != nil {
			return res, err
		}
	}
	if _, err := os.Stat(dst + "-wal"); err == nil {
		if err := os.Rename(dst+"-wal", res.Aside+"-wal"); err != nil {
			return res, err
		}
	}
	os.Remove(dst + "-shm")
	if err := os.Rename(tmp, dst); err != nil {
		return res, err
	}
	return res, syncDir(filepath.Dir(dst))
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	d.Sync() // not every file system can sync a folder; the rename is done either way
	return d.Close()
}
