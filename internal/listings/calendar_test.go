package listings

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "Golden-Dateien neu schreiben")

func TestWriteCalendarsGolden(t *testing.T) {
	d, ps := Load(fixtureRoot(t, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)))
	if d == nil {
		t.Fatal(messages(ps))
	}
	out := t.TempDir()
	if _, err := WriteCalendars(d, out, time.Date(2029, 12, 24, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{AusstellungICS, SchulungenICS} {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", filepath.Base(f))
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s weicht von %s ab (go test -update schreibt sie neu):\n%s", f, golden, got)
		}
	}
	// The exhibition's first booking is 31 Jan – 10 Feb inclusive: the
	// exclusive end is 11 Feb.
	ics, _ := os.ReadFile(filepath.Join(out, AusstellungICS))
	if !strings.Contains(string(ics), "DTSTART;VALUE=DATE:20300131\r\nDTEND;VALUE=DATE:20300211\r\n") {
		t.Error("Ende ist nicht ausschließlich (Tag nach dem letzten Tag)")
	}
	if strings.Contains(string(ics), "Geheim") {
		t.Error("der Ort eines nicht öffentlichen Termins steht im Kalender")
	}
}

func TestWriteCalendarsEmpty(t *testing.T) {
	d, _ := Load("../..")
	out := t.TempDir()
	if _, err := WriteCalendars(d, out, time.Now()); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 0 {
		t.Errorf("ohne Termine wurden Dateien geschrieben: %v", entries)
	}
	if _, err := WriteCalendars(nil, out, time.Now()); err == nil {
		t.Error("nil-Daten ohne Fehler")
	}
}
