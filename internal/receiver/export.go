package receiver

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"budgetsite/internal/forms"
	"budgetsite/internal/ical"
	"budgetsite/internal/receiver/store"
)

// writeList prints one line per request, or every field with full.
func writeList(w io.Writer, set *forms.Set, reqs []store.Request, full bool) {
	for _, r := range reqs {
		form := set.Forms[r.Formular]
		if !full || form == nil {
			var parts []string
			if form != nil {
				for _, fd := range form.Fields() {
					if fd.Typ == forms.TypText || fd.Typ == forms.TypEmail {
						if v := r.Get(fd.Name); v != "" && len(parts) < 3 {
							parts = append(parts, v)
						}
					}
				}
			}
			fmt.Fprintf(w, "%s  %s  %-12s %-2s  %s\n", r.Nummer, r.Eingang.Format("02.01.2006 15:04"), r.Formular, r.Variante, strings.Join(parts, " · "))
			continue
		}
		fmt.Fprintf(w, "Anfrage %s – %s\nEingegangen: %s (%s)\n", r.Nummer, form.Titel.DE, r.Eingang.Format("02.01.2006, 15:04 Uhr"), r.Variante)
		for _, fd := range form.Fields() {
			fmt.Fprintf(w, "  %s: %s\n", fd.Label.DE, indent(displayValue(fd, r.Values(fd.Name))))
		}
		fmt.Fprintln(w)
	}
}

// csvSafe keeps spreadsheet programs from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// writeCSV writes one row per request. With one form the header uses its labels;
// with several it uses field names, the union in definition order.
func writeCSV(w io.Writer, set *forms.Set, formID string, reqs []store.Request, excel bool) error {
	type col struct{ name, head string }
	var cols []col
	seen := map[string]bool{}
	ids := set.IDs()
	if formID != "" {
		ids = []string{formID}
	}
	for _, id := range ids {
		for _, fd := range set.Forms[id].Fields() {
			if seen[fd.Name] {
				continue
			}
			seen[fd.Name] = true
			head := fd.Name
			if formID != "" {
				head = fd.Title(forms.DE)
			}
			cols = append(cols, col{fd.Name, head})
		}
	}
	if excel {
		// Excel reads UTF-8 only with a byte order mark, and German Excel splits at ';'.
		io.WriteString(w, "\ufeff")
	}
	cw := csv.NewWriter(w)
	if excel {
		cw.Comma = ';'
	}
	head := []string{"Nummer", "Formular", "Variante", "Eingang"}
	for _, c := range cols {
		head = append(head, c.head)
	}
	cw.Write(head)
	for _, r := range reqs {
		row := []string{r.Nummer, r.Formular, r.Variante, r.Eingang.Format(time.RFC3339)}
		form := set.Forms[r.Formular]
		for _, c := range cols {
			vals := r.Values(c.name)
			v := strings.Join(vals, "; ")
			if form != nil {
				if fd := form.Field(c.name); fd != nil && (fd.HasOptions() || fd.Typ == forms.TypCheckbox) && len(vals) > 0 {
					v = displayValue(fd, vals)
				}
			}
			row = append(row, csvSafe(v))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// dateRange finds a form's requested period: the first date field and the date field
// that must come after it. ok is false for forms without dates.
func dateRange(form *forms.Form) (start, end *forms.Field, ok bool) {
	for _, fd := range form.Fields() {
		if fd.Typ == forms.TypDate && start == nil {
			start = fd
		}
	}
	if start == nil {
		return nil, nil, false
	}
	for _, fd := range form.Fields() {
		if fd.Nach == start.Name {
			end = fd
		}
	}
	return start, end, true
}

// writeICS writes the requested periods as tentative all-day events. It returns how
// many requests had no dates and were left out.
func writeICS(w io.Writer, set *forms.Set, reqs []store.Request, stamp time.Time) (skipped int, err error) {
	var events []ical.Event
	for _, r := range reqs {
		form := set.Forms[r.Formular]
		if form == nil {
			skipped++
			continue
		}
		sf, ef, ok := dateRange(form)
		if !ok {
			skipped++
			continue
		}
		start, ok := forms.ParseDate(r.Get(sf.Name))
		if !ok {
			skipped++
			continue
		}
		end := start
		if ef != nil {
			if d, ok := forms.ParseDate(r.Get(ef.Name)); ok {
				end = d
			}
		}
		var desc strings.Builder
		fmt.Fprintf(&desc, "Anfrage %s vom %s\n", r.Nummer, r.Eingang.Format("02.01.2006"))
		loc := ""
		for _, fd := range form.Fields() {
			vals := r.Values(fd.Name)
			if len(vals) == 0 {
				continue
			}
			fmt.Fprintf(&desc, "%s: %s\n", fd.Label.DE, displayValue(fd, vals))
			if fd.Autocomplete == "street-address" {
				loc = strings.ReplaceAll(vals[0], "\n", ", ")
			}
		}
		summary := fmt.Sprintf("Anfrage %s: %s", r.Nummer, form.Titel.DE)
		if org := r.Get("organisation"); org != "" {
			summary += " – " + org
		}
		events = append(events, ical.Event{
			UID:         "anfrage-" + r.Nummer + "@budgetsite",
			Summary:     summary,
			Description: strings.TrimSpace(desc.String()),
			Location:    loc,
			Start:       start,
			End:         end.AddDate(0, 0, 1),
			Status:      "TENTATIVE",
		})
	}
	return skipped, ical.Write(w, "Anfragen", stamp, events)
}
