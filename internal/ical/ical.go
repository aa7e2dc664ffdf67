// Package ical writes iCalendar files (RFC 5545) of all-day events: the
// exhibition and training calendars of the site and the receiver's export.
// It writes only what those need, so a reader can check every line.
package ical

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one all-day event. Start and End are calendar dates (only year,
// month and day count, in the time's own location); End is exclusive, as in
// RFC 5545: a one-day event on 3 March has Start 3 March and End 4 March.
type Event struct {
	UID, Summary, Description, Location string
	Start, End                          time.Time
	// Status is CONFIRMED, TENTATIVE or CANCELLED; empty means CONFIRMED.
	Status string
	// URL must be an absolute URI; empty leaves the property out.
	URL string
}

// prodID names the generator; RFC 5545 requires one per calendar.
const prodID = "-//KSL NRW//budgetsite//DE"

// maxLine is the longest content line in octets, without the CRLF.
const maxLine = 75

// Write writes one VCALENDAR with the events in the given order. stamp is
// the DTSTAMP of every event (written in UTC). Invalid events (no UID, no
// dates, End not after Start, unknown status, control characters in the
// URL) are an error and nothing is written.
func Write(w io.Writer, calName string, stamp time.Time, events []Event) error {
	for i, e := range events {
		if err := validate(e); err != nil {
			return fmt.Errorf("ical: Termin %d (%q): %w", i+1, e.UID, err)
		}
	}
	lw := &lineWriter{w: bufio.NewWriter(w)}
	lw.line("BEGIN:VCALENDAR")
	lw.line("VERSION:2.0")
	lw.line("PRODID:" + prodID)
	lw.line("CALSCALE:GREGORIAN")
	lw.line("METHOD:PUBLISH")
	if calName != "" {
		// X-WR-CALNAME is not in RFC 5545, but it is how the common calendar
		// programs show a subscribed calendar's name.
		lw.line("X-WR-CALNAME:" + Escape(calName))
	}
	dtstamp := stamp.UTC().Format("20060102T150405Z")
	for _, e := range events {
		lw.line("BEGIN:VEVENT")
		lw.line("UID:" + Escape(e.UID))
		lw.line("DTSTAMP:" + dtstamp)
		lw.line("DTSTART;VALUE=DATE:" + e.Start.Format("20060102"))
		lw.line("DTEND;VALUE=DATE:" + e.End.Format("20060102"))
		lw.line("SUMMARY:" + Escape(e.Summary))
		if e.Description != "" {
			lw.line("DESCRIPTION:" + Escape(e.Description))
		}
		if e.Location != "" {
			lw.line("LOCATION:" + Escape(e.Location))
		}
		if e.URL != "" {
			lw.line("URL:" + e.URL)
		}
		lw.line("STATUS:" + status(e.Status))
		// Free periods and trainings must not block the reader's own calendar.
		lw.line("TRANSP:TRANSPARENT")
		lw.line("END:VEVENT")
	}
	lw.line("END:VCALENDAR")
	if lw.err != nil {
		return lw.err
	}
	return lw.w.Flush()
}

func status(s string) string {
	if s == "" {
		return "CONFIRMED"
	}
	return s
}

func validate(e Event) error {
	switch {
	case strings.TrimSpace(e.UID) == "":
		return errors.New("UID fehlt")
	case e.Start.IsZero() || e.End.IsZero():
		return errors.New("Beginn oder Ende fehlt")
	case !dateOf(e.End).After(dateOf(e.Start)):
		return errors.New("das Ende (ausschließlich) muss nach dem Beginn liegen")
	}
	switch status(e.Status) {
	case "CONFIRMED", "TENTATIVE", "CANCELLED":
	default:
		return fmt.Errorf("unbekannter STATUS %q (erlaubt: CONFIRMED, TENTATIVE, CANCELLED)", e.Status)
	}
	if strings.ContainsFunc(e.URL, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ' ' }) {
		return errors.New("die URL enthält Leer- oder Steuerzeichen")
	}
	return nil
}

// dateOf drops the clock time, so that only the calendar date is compared.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Escape turns s into an RFC 5545 TEXT value: backslash, semicolon, comma
// and line breaks are escaped; other control characters, which TEXT may not
// contain, become spaces.
func Escape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lineWriter writes content lines with CRLF and folds them at 75 octets,
// never inside a UTF-8 sequence; it keeps the first write error.
type lineWriter struct {
	w   *bufio.Writer
	err error
}

func (lw *lineWriter) line(s string) {
	if lw.err != nil {
		return
	}
	_, lw.err = lw.w.WriteString(fold(s))
}

// fold returns s as one or more physical lines, each ending in CRLF; a
// continuation line starts with a space, which counts towards its 75 octets.
func fold(s string) string {
	var b strings.Builder
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLine - 1
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}
