package receiver

import (
	"encoding/json"
	"net/http"
	"time"
)

// StuckAfter is how long a notification may wait before the health check warns.
const StuckAfter = time.Hour

// Health is the answer of the health check: counts and ages only, no personal data.
type Health struct {
	// Status is "ok", "warnung" (mails given up or waiting longer than StuckAfter)
	// or "fehler" (the database does not answer or the last write failed; HTTP 503).
	Status    string `json:"status"`
	Datenbank string `json:"datenbank"`
	// Mail is "aus" when no SMTP server is set, otherwise "an".
	Mail            string `json:"mail"`
	MailsWartend    int    `json:"mails_wartend"`
	MailsAufgegeben int    `json:"mails_aufgegeben"`
	// AeltesteWartendSekunden is the age of the oldest waiting mail (0: none waits).
	AeltesteWartendSekunden int64 `json:"aelteste_wartend_sekunden"`
}

// health answers the operator's monitoring. Check the body for "status":"ok"; a
// broken database also answers 503.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	h := Health{Status: "ok", Datenbank: "ok", Mail: "aus"}
	if s.cfg.Mail.Enabled() {
		h.Mail = "an"
	}
	status := http.StatusOK
	st, err := s.st.MailStatus(r.Context())
	if err == nil {
		err = s.st.Health(r.Context())
	}
	if err != nil {
		s.log.Error("zustand: datenbank", "err", err)
		h.Status, h.Datenbank, status = "fehler", "fehler", http.StatusServiceUnavailable
	} else {
		h.MailsWartend, h.MailsAufgegeben = st.Wartend, st.Aufgegeben
		if !st.AeltesterWartend.IsZero() {
			h.AeltesteWartendSekunden = max(0, int64(s.now().Sub(st.AeltesterWartend).Seconds()))
		}
		if h.MailsAufgegeben > 0 || time.Duration(h.AeltesteWartendSekunden)*time.Second > StuckAfter {
			h.Status = "warnung"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(h)
}
