package receiver

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"budgetsite/internal/forms"
	"budgetsite/internal/ical"
	"budgetsite/internal/receiver/store"
	"budgetsite/internal/variant"
)

// formBook gives each request the form definition it was made with: the one stored
// with it, or, for requests from before the database kept them, the built site's.
// Staff commands thus need nothing but the database.
type formBook struct {
	site  *forms.Set // nil without a built site
	byDef map[string]*forms.Form
}

func newFormBook(site *forms.Set) *formBook {
	return &formBook{site: site, byDef: map[string]*forms.Form{}}
}

// of returns the request's form, or nil when neither the database nor the site has it.
func (fb *formBook) of(r *store.Request) *forms.Form {
	if r.Fassung == nil {
		if fb.site == nil {
			return nil
		}
		return fb.site.Forms[r.Formular]
	}
	key := string(r.Fassung)
	if f, ok := fb.byDef[key]; ok {
		return f
	}
	var f *forms.Form
	if err := json.Unmarshal(r.Fassung, &f); err == nil && f != nil {
		if set, ps := forms.NewSet("Datenbank", map[string]*forms.Form{r.Formular: f}); len(ps) == 0 {
			f = set.Forms[r.Formular]
		} else {
			f = nil
		}
	}
	fb.byDef[key] = f
	return f
}

// writeList prints one line per request, or every field with full. A request whose
// form is unknown shows its field names and values as stored.
func writeList(w io.Writer, book *formBook, reqs []store.Request, full bool) {
	for _, r := range reqs {
		form := book.of(&r)
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
			if form == nil {
				for _, f := range r.Felder {
					if len(parts) < 3 {
						parts = append(parts, f.Name+"="+strings.Join(f.Werte, "; "))
					}
				}
			}
			fmt.Fprintf(w, "%s  %s  %-12s %-2s  %s\n", r.Nummer, r.Eingang.Format("02.01.2006 15:04"), r.Formular, r.Variante, strings.Join(parts, " · "))
			if full && form == nil {
				for _, f := range r.Felder {
					fmt.Fprintf(w, "  %s: %s\n", f.Name, indent(strings.Join(f.Werte, "; ")))
				}
				fmt.Fprintln(w)
			}
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
func writeCSV(w io.Writer, book *formBook, formID string, reqs []store.Request, excel bool) error {
	type col struct{ name, head string }
	var cols []col
	seen := map[string]bool{}
	add := func(name, head string) {
		if !seen[name] {
			seen[name] = true
			if formID == "" {
				head = name
			}
			cols = append(cols, col{name, head})
		}
	}
	// The newest definition of each form first: its labels head the columns.
	var defs []*forms.Form
	for i := len(reqs) - 1; i >= 0; i-- {
		if f := book.of(&reqs[i]); f != nil && !slices.Contains(defs, f) {
			defs = append(defs, f)
		}
	}
	if book.site != nil {
		for _, id := range book.site.IDs() {
			if formID == "" || id == formID {
				defs = append(defs, book.site.Forms[id])
			}
		}
	}
	slices.SortStableFunc(defs, func(a, b *forms.Form) int { return strings.Compare(a.ID, b.ID) })
	for _, f := range defs {
		for _, fd := range f.Fields() {
			add(fd.Name, fd.Title(variant.Standard))
		}
	}
	for _, r := range reqs {
		for _, f := range r.Felder {
			add(f.Name, f.Name)
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
		form := book.of(&r)
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
func writeICS(w io.Writer, book *formBook, reqs []store.Request, stamp time.Time) (skipped int, err error) {
	var events []ical.Event
	for _, r := range reqs {
		form := book.of(&r)
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
