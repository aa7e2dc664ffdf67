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
	"budgetsite/internal/variant"
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
// delays: failed mails stay queued and are tried again later, up to RetryFor. After a
// failure the whole outbox pauses, whatever new requests arrive meanwhile: their
// mails wait for the same server.
func (s *Server) runOutbox(ctx context.Context) {
	var pauseUntil time.Time
	for {
		if !s.now().Before(pauseUntil) {
			if pause := s.deliverDue(ctx); pause > 0 {
				pauseUntil = s.now().Add(pause)
			}
		}
		wait := time.Minute
		if now := s.now(); now.Before(pauseUntil) {
			wait = pauseUntil.Sub(now)
		} else if next, ok, err := s.st.NextMailDue(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(now), 50*time.Millisecond))
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

// deliverDue sends what is due. After a failure that may concern the server (not this
// one mail) it stops and says how long to pause.
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
			now := s.now()
			switch {
			case err == nil:
				if err := s.st.MailSent(rctx, m.ID, now); err != nil {
					s.log.Error("versand nicht vermerkt", "nummer", m.Nummer, "err", err)
				}
				s.log.Info("benachrichtigung gesendet", "nummer", m.Nummer)
			case mail.Permanent(err):
				// The server refused this mail for good (5xx): trying again will not
				// help, and the next mail may well go through.
				s.giveUp(rctx, m, now, "vom Mail-Server abgelehnt: "+err.Error())
			default:
				pause = backoff(m.Versuche+1, s.cfg.RetryBase, s.cfg.RetryMax)
				if now.Add(pause).Sub(m.Erstellt) > s.cfg.RetryFor {
					s.giveUp(rctx, m, now, fmt.Sprintf("nach %s nicht zugestellt: %v", s.cfg.RetryFor, err))
				} else {
					s.log.Warn("benachrichtigung fehlgeschlagen, neuer versuch später", "nummer", m.Nummer,
						"versuch", m.Versuche+1, "in", pause.String(), "err", err)
					if err := s.st.MailFailed(rctx, m.ID, now.Add(pause), err.Error()); err != nil {
						s.log.Error("fehlversuch nicht vermerkt", "nummer", m.Nummer, "err", err)
					}
				}
			}
			cancel()
			if pause > 0 {
				return pause
			}
		}
	}
	return 0
}

// giveUp ends the attempts for one mail; list and the health check show it.
func (s *Server) giveUp(ctx context.Context, m store.OutMail, now time.Time, reason string) {
	s.log.Error("benachrichtigung aufgegeben (receiver list zeigt sie, receiver resend versucht sie neu)", "nummer", m.Nummer,
		"versuche", m.Versuche+1, "grund", reason)
	if err := s.st.MailGivenUp(ctx, m.ID, now, reason); err != nil {
		s.log.Error("aufgabe nicht vermerkt", "nummer", m.Nummer, "err", err)
	}
}

// runPurge deletes requests older than the retention period, now and every hour.
func (s *Server) runPurge(ctx context.Context) {
	days := s.b.SpeicherdauerTage
	for {
		before := s.now().AddDate(0, 0, -days)
		if p, err := s.st.Purge(ctx, before); err != nil {
			s.log.Error("löschen alter anfragen fehlgeschlagen", "err", err)
		} else if p.Anfragen > 0 {
			s.log.Info("alte anfragen gelöscht", "anzahl", p.Anfragen, "aelter_als_tage", days)
			if p.Unzugestellt > 0 {
				s.log.Warn("gelöschte anfragen, deren benachrichtigung nie ankam", "anzahl", p.Unzugestellt)
			}
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
func notification(c mail.Config, form *forms.Form, req *store.Request, serie string) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "Neue Anfrage über die Website: %s\n\n", form.Titel.DE)
	fmt.Fprintf(&b, "Anfrage-Nummer: %s\n", req.Nummer)
	fmt.Fprintf(&b, "Eingegangen: %s\n", req.Eingang.Format("02.01.2006, 15:04 Uhr"))
	v, _ := variant.Parse(req.Variante)
	fmt.Fprintf(&b, "Formular-Seite: %s\n", v.Label())
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
		// Stable per request: a mail sent twice after a crash is recognised as one. The
		// database's series keeps it unique when numbers of a lost database come again.
		ID: "anfrage-" + req.Nummer + "." + serie + "@" + domain,
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
