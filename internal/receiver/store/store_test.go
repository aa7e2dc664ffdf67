package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var now = time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)

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
			felder := []Feld{{Name: "organisation", Werte: []string{fmt.Sprint("Verein ", i)}}}
			req, _, err := s.Save(ctx, "ausstellung", "de", felder, now, time.Hour, func(r Request) ([]Mail, error) {
				if i%10 == 0 {
					return nil, errors.New("kaputt")
				}
				return []Mail{{To: "team@example.org", Message: []byte("Anfrage " + r.Nummer)}}, nil
			})
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
	pending, _, _ := s.MailStatus(ctx)
	if pending != n-n/10 {
		t.Errorf("%d mails queued", pending)
	}
	due, _ := s.DueMails(ctx, now, 1000)
	for _, m := range due {
		if string(m.Message) != "Anfrage "+m.Nummer {
			t.Errorf("mail %q belongs to another request than %s", m.Message, m.Nummer)
		}
	}
}

func TestDuplicateWindowAndPurge(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	f := []Feld{{Name: "a", Werte: []string{"x"}}}
	a, ex, _ := s.Save(ctx, "feedback", "de", f, now, time.Hour, nil)
	b, ex2, _ := s.Save(ctx, "feedback", "ls", f, now.Add(30*time.Minute), time.Hour, nil)
	if ex || !ex2 || a.Nummer != b.Nummer {
		t.Errorf("within window: %v %v %s %s", ex, ex2, a.Nummer, b.Nummer)
	}
	c, ex3, _ := s.Save(ctx, "feedback", "de", f, now.Add(2*time.Hour), time.Hour, nil)
	if ex3 || c.Nummer == a.Nummer {
		t.Error("outside the window the same content is a new request")
	}
	if a.Nummer != "2026-00001" {
		t.Errorf("number %s", a.Nummer)
	}
	n, err := s.Purge(ctx, now.Add(time.Hour))
	if err != nil || n != 1 {
		t.Errorf("purged %d, %v", n, err)
	}
}

func TestSaveAfterClose(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, _, err := s.Save(context.Background(), "f", "de", nil, now, 0, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("err %v", err)
	}
}
