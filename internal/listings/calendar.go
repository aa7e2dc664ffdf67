package listings

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"time"

	"budgetsite/internal/ical"
)

// Calendar files, relative to the output directory. The pages link to them
// only when there are dates, and then these files exist.
const (
	AusstellungICS = "angebote/ausstellung.ics"
	SchulungenICS  = "angebote/schulungen.ics"
)

// WriteCalendars writes the .ics feed of each listing that has dates into
// outDir (the rendered site). A listing without dates gets no file, since
// RFC 5545 requires at least one event in a calendar, and its page shows
// no calendar link.
func WriteCalendars(d *Data, outDir string, stamp time.Time) ([]string, error) {
	if d == nil {
		return nil, fmt.Errorf("listings: keine Daten")
	}
	var written []string
	for _, c := range []struct {
		file, name string
		events     []ical.Event
	}{
		{AusstellungICS, d.Ausstellung.Name.DE, ausstellungEvents(&d.Ausstellung)},
		{SchulungenICS, d.Schulungen.Name.DE, schulungenEvents(&d.Schulungen)},
	} {
		if len(c.events) == 0 {
			continue
		}
		var buf bytes.Buffer
		if err := ical.Write(&buf, c.name, stamp, c.events); err != nil {
			return written, fmt.Errorf("listings: %s: %w", c.file, err)
		}
		path := filepath.Join(outDir, filepath.FromSlash(c.file))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return written, fmt.Errorf("listings: %w", err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return written, fmt.Errorf("listings: %w", err)
		}
		written = append(written, c.file)
	}
	return written, nil
}

func ausstellungEvents(a *Ausstellung) []ical.Event {
	var out []ical.Event
	for _, t := range a.Buchungen {
		e := baseEvent("ausstellung", t)
		switch {
		case t.Status == "frei":
			e.Summary = a.Name.DE + ": frei, kann ausgeliehen werden"
			e.Status = "TENTATIVE"
		case t.Oeffentlich:
			e.Summary = a.Name.DE + " in " + t.Ort
			e.Location = t.Ort
			e.Description = "Öffentlich zu sehen. " + venueFacts(t)
		default:
			e.Summary = a.Name.DE + ": ausgeliehen (nicht öffentlich)"
		}
		out = append(out, e)
	}
	return out
}

func schulungenEvents(s *Schulungen) []ical.Event {
	var out []ical.Event
	for _, t := range s.Termine {
		e := baseEvent("schulung", t)
		name := s.Name.DE
		if t.Thema.DE != "" {
			name += ": " + t.Thema.DE
		}
		switch {
		case t.Status == "frei":
			e.Summary = name + " (Termin frei, kann angefragt werden)"
			e.Status = "TENTATIVE"
		case t.Oeffentlich:
			e.Summary = name
			e.Location = t.Ort
			e.Description = "Öffentliche Schulung. " + venueFacts(t)
		default:
			e.Summary = name + " (Termin vergeben, nicht öffentlich)"
		}
		out = append(out, e)
	}
	return out
}

// baseEvent sets what every event has. The UID depends on kind, dates and
// place only, so a subscribed calendar updates an entry whose status
// changes instead of showing it twice.
func baseEvent(kind string, t Termin) ical.Event {
	h := fnv.New32a()
	h.Write([]byte(t.Ort))
	return ical.Event{
		UID:    fmt.Sprintf("%s-%s-%s-%08x@budgetsite", kind, t.Start.Format("20060102"), t.End.Format("20060102"), h.Sum32()),
		Start:  t.Start,
		End:    t.End.AddDate(0, 0, 1), // RFC 5545: the end date is exclusive
		Status: "CONFIRMED",
	}
}

// venueFacts says in words what is known about the venue's accessibility;
// unknown facts are named as unknown, never guessed.
func venueFacts(t Termin) string {
	var b strings.Builder
	for _, f := range []struct {
		v       *bool
		yes, no string
		what    string
	}{
		{t.Stufenlos, "Der Ort ist stufenlos erreichbar.", "Der Ort ist nicht stufenlos erreichbar.", "Stufenloser Zugang"},
		{t.Induktionsschleife, "Es gibt eine Induktionsschleife.", "Es gibt keine Induktionsschleife.", "Induktionsschleife"},
		{t.GebaerdenspracheAufAnfrage, "Gebärdensprache ist auf Anfrage möglich.", "Gebärdensprache auf Anfrage: nicht möglich.", "Gebärdensprache auf Anfrage"},
	} {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		switch {
		case f.v == nil:
			b.WriteString(f.what + ": nicht bekannt.")
		case *f.v:
			b.WriteString(f.yes)
		default:
			b.WriteString(f.no)
		}
	}
	return b.String()
}
