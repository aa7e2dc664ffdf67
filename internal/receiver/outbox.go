package receiver

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"budgetsite/internal/forms"
	"budgetsite/internal/receiver/mail"
	"budgetsite/internal/receiver/store"
)

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("Adresse %s: %w", addr, err)
	}
	return ln, nil
}

// sendFunc delivers one message; tests replace it.
var sendFunc = mail.Send

// backoff is the wait after the n-th failed attempt: base, 2·base, 4·base, … up to max.
func backoff(n int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// runOutbox delivers queued mails until ctx ends. A mail server that is down only
// delays: failed mails stay queued and are tried again later, forever.
func (s *Server) runOutbox(ctx context.Context) {
	for {
		pause := s.deliverDue(ctx)
		wait := time.Minute
		if next, ok, err := s.st.NextMailDue(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(s.now()), 50*time.Millisecond))
		}
		if pause > wait {
			// After a failure the other due mails wait too, instead of hammering a server that is down.
			wait = pause
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// deliverDue sends what is due; after a failure it stops and says how long to pause.
func (s *Server) deliverDue(ctx context.Context) (pause time.Duration) {
	for ctx.Err() == nil {
		due, err := s.st.DueMails(ctx, s.now(), 20)
		if err != nil {
			s.log.Error("ausgang nicht lesbar", "err", err)
			return s.cfg.RetryBase
		}
		if len(due) == 0 {
			return 0
		}
		for _, m := range due {
			if ctx.Err() != nil {
				return 0
			}
			err := sendFunc(ctx, s.cfg.Mail, m.To, m.Message)
			// Record with a fresh context: a delivered mail must be marked even while shutting down.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			if err == nil {
				if err := s.st.MailSent(rctx, m.ID, s.now()); err != nil {
					s.log.Error("versand nicht vermerkt", "nummer", m.Nummer, "err", err)
				}
				s.log.Info("benachrichtigung gesendet", "nummer", m.Nummer)
			} else {
				pause = backoff(m.Versuche+1, s.cfg.RetryBase, s.cfg.RetryMax)
				s.log.Warn("benachrichtigung fehlgeschlagen, neuer versuch später", "nummer", m.Nummer,
					"versuch", m.Versuche+1, "in", pause.String(), "err", err)
				if err := s.st.MailFailed(rctx, m.ID, s.now().Add(pause), err.Error()); err != nil {
					s.log.Error("fehlversuch nicht vermerkt", "nummer", m.Nummer, "err", err)
				}
			}
			cancel()
			if err != nil {
				return pause
			}
		}
	}
	return 0
}

// runPurge deletes requests older than the retention period, now and every hour.
func (s *Server) runPurge(ctx context.Context) {
	for {
		before := s.now().AddDate(0, 0, -s.cfg.RetentionDays)
		if n, err := s.st.Purge(ctx, before); err != nil {
			s.log.Error("löschen alter anfragen fehlgeschlagen", "err", err)
		} else if n > 0 {
			s.log.Info("alte anfragen gelöscht", "anzahl", n, "aelter_als_tage", s.cfg.RetentionDays)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}

// notification is the organiser's mail about one request: all fields as label and
// value, the person's address as Reply-To so answering reaches them.
func notification(c mail.Config, form *forms.Form, req *store.Request) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "Neue Anfrage über die Website: %s\n\n", form.Titel.DE)
	fmt.Fprintf(&b, "Anfrage-Nummer: %s\n", req.Nummer)
	fmt.Fprintf(&b, "Eingegangen: %s\n", req.Eingang.Format("02.01.2006, 15:04 Uhr"))
	variante := "Standard-Deutsch"
	if req.Variante == string(forms.LS) {
		variante = "Leichte Sprache"
	}
	fmt.Fprintf(&b, "Formular-Seite: %s\n", variante)
	for _, g := range form.Gruppen {
		fmt.Fprintf(&b, "\n== %s ==\n", g.Legende.DE)
		for _, fd := range g.Felder {
			fmt.Fprintf(&b, "%s: %s\n", fd.Label.DE, indent(displayValue(fd, req.Values(fd.Name))))
		}
	}
	b.WriteString("\n-- \nDiese Nachricht wurde automatisch erstellt. Die Anfrage ist im Empfänger gespeichert " +
		"(Befehl: receiver list). Mit „Antworten“ schreiben Sie der anfragenden Person, falls sie eine E-Mail-Adresse angegeben hat.\n")
	_, domain, _ := strings.Cut(c.From, "@")
	msg := mail.Message{
		From:    c.From,
		To:      c.To,
		ReplyTo: req.Get("email"),
		Subject: fmt.Sprintf("Anfrage %s: %s", req.Nummer, form.Titel.DE),
		Body:    b.String(),
		Date:    req.Eingang,
		// Stable per request: a mail sent twice after a crash is recognised as one.
		ID: "anfrage-" + req.Nummer + "@" + domain,
	}
	return msg.Bytes()
}

// displayValue turns stored values into text for people: option labels, German dates.
func displayValue(fd *forms.Field, vals []string) string {
	if len(vals) == 0 {
		return "–"
	}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		switch {
		case fd.HasOptions():
			if o := fd.Option(v); o != nil {
				v = o.Label.DE
			}
		case fd.Typ == forms.TypCheckbox:
			v = "ja"
		case fd.Typ == forms.TypDate:
			if d, ok := forms.ParseDate(v); ok {
				v = d.Format("02.01.2006")
			}
		}
		out = append(out, v)
	}
	return strings.Join(out, ", ")
}

func indent(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	return "\n    " + strings.ReplaceAll(s, "\n", "\n    ")
}
