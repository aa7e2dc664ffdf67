// Package mail composes plain-text notification mails and hands them to an SMTP
// server. Header values never carry user input unchecked: addresses must pass a strict
// check (ASCII for the envelope; the Reply-To may have an international local part)
// and no header may contain a line break, so no one can inject a header.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/idna"
)

// Config is the SMTP connection.
type Config struct {
	Host     string
	Port     int
	From     string
	To       string
	User     string
	Password string
	// TLS: "starttls" (required), "tls" (implicit, usually port 465), "none", or
	// "auto" (STARTTLS when the server offers it).
	TLS     string
	Helo    string
	Timeout time.Duration
}

// Enabled reports whether notifications are configured at all.
func (c Config) Enabled() bool { return c.Host != "" }

// Check reports configuration mistakes in plain German.
func (c Config) Check() error {
	if !c.Enabled() {
		return nil
	}
	var errs []error
	if c.Port <= 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("SMTP-Port %d ist ungültig", c.Port))
	}
	if !SafeAddress(c.From) {
		errs = append(errs, fmt.Errorf("Absender-Adresse (smtp-from) %q ist keine gültige E-Mail-Adresse", c.From))
	}
	if !SafeAddress(c.To) {
		errs = append(errs, fmt.Errorf("Empfänger-Adresse (smtp-to) %q ist keine gültige E-Mail-Adresse", c.To))
	}
	switch c.TLS {
	case "auto", "starttls", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("smtp-tls %q: erlaubt sind auto, starttls, tls, none", c.TLS))
	}
	if c.User != "" && c.Password == "" {
		errs = append(errs, errors.New("SMTP-Benutzer ist gesetzt, aber kein Passwort (RECEIVER_SMTP_PASSWORD oder --smtp-password-file)"))
	}
	return errors.Join(errs...)
}

var safeAddr = regexp.MustCompile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$")

// SafeAddress reports whether s is a bare ASCII address that can go into a header
// or an SMTP command as it is.
func SafeAddress(s string) bool { return len(s) <= 254 && safeAddr.MatchString(s) }

// atext is what RFC 5322 allows in an address's local part besides letters and digits.
const atext = "!#$%&'*+/=?^_`{|}~-"

// ReplyTo turns the address a person typed into a Reply-To value. The domain goes
// into its ASCII form (IDNA: müller.de is xn--mller-kva.de); a local part with
// letters beyond ASCII stays UTF-8, as RFC 6532 allows (net/smtp announces SMTPUTF8
// where the server offers it). ok is false for anything that is not one plain
// address: spaces, quotes, commas, brackets, line breaks.
func ReplyTo(addr string) (string, bool) {
	if len(addr) > 254 || strings.Count(addr, "@") != 1 {
		return "", false
	}
	local, domain, _ := strings.Cut(addr, "@")
	if local == "" || len(local) > 64 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return "", false
	}
	for _, r := range local {
		if !(r == '.' || strings.ContainsRune(atext, r) || (r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))) ||
			(r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)))) {
			return "", false
		}
	}
	ascii, err := idna.Lookup.ToASCII(domain)
	if err != nil || !strings.Contains(ascii, ".") {
		return "", false
	}
	out := local + "@" + ascii
	if strings.ContainsAny(out, "\r\n\x00 ") {
		return "", false
	}
	return out, true
}

// Message is one plain-text mail.
type Message struct {
	From, To string
	ReplyTo  string // optional; encoded with ReplyTo, left out when that refuses it
	Subject  string
	Body     string
	Date     time.Time
	ID       string // Message-ID without brackets; generated when empty
}

// ErrHeader means a header value would break the message structure.
var ErrHeader = errors.New("mail: unsafe header value")

// Bytes renders the message (RFC 5322, UTF-8, quoted-printable body, CRLF lines).
func (m Message) Bytes() ([]byte, error) {
	if !SafeAddress(m.From) || !SafeAddress(m.To) {
		return nil, fmt.Errorf("%w: address", ErrHeader)
	}
	if strings.ContainsAny(m.Subject, "\r\n\x00") {
		return nil, fmt.Errorf("%w: subject", ErrHeader)
	}
	id := m.ID
	if id == "" {
		var b [12]byte
		rand.Read(b[:])
		_, domain, _ := strings.Cut(m.From, "@")
		id = hex.EncodeToString(b[:]) + "@" + domain
	}
	if !SafeAddress(id) {
		return nil, fmt.Errorf("%w: message id", ErrHeader)
	}
	var buf bytes.Buffer
	h := func(k, v string) { buf.WriteString(k + ": " + v + "\r\n") }
	h("From", m.From)
	h("To", m.To)
	if rt, ok := ReplyTo(m.ReplyTo); ok {
		h("Reply-To", rt)
	}
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", m.Date.Format(time.RFC1123Z))
	h("Message-ID", "<"+id+">")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	// Automatic notifications: no out-of-office replies back to the sender address.
	h("Auto-Submitted", "auto-generated")
	buf.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&buf)
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	buf.WriteString("\r\n")
	return buf.Bytes(), nil
}

// PermanentError is the server's 5xx refusal of this message (sender, recipient or
// content): sending it again will not help.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent tells whether err means the message will never be accepted.
func Permanent(err error) bool {
	var pe *PermanentError
	return errors.As(err, &pe)
}

// refused marks a 5xx answer to MAIL, RCPT or DATA as permanent. A 5xx elsewhere
// (EHLO, AUTH) is the configuration's fault, which the operator can mend: those
// attempts go on.
func refused(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
		return &PermanentError{Err: err}
	}
	return err
}

// Send delivers msg to the server in c. It gives up when ctx ends or c.Timeout passes.
func Send(ctx context.Context, c Config, to string, msg []byte) (err error) {
	if !SafeAddress(c.From) || !SafeAddress(to) {
		return fmt.Errorf("%w: envelope address", ErrHeader)
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	d := net.Dialer{}
	var conn net.Conn
	if c.TLS == "tls" {
		td := tls.Dialer{NetDialer: &d, Config: &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}}
		conn, err = td.DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return err
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	cl, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		conn.Close()
		return err
	}
	defer cl.Close()
	helo := c.Helo
	if helo == "" {
		helo = "localhost"
	}
	if err = cl.Hello(helo); err != nil {
		return err
	}
	if c.TLS == "starttls" || c.TLS == "auto" {
		if ok, _ := cl.Extension("STARTTLS"); ok {
			if err = cl.StartTLS(&tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}); err != nil {
				return err
			}
		} else if c.TLS == "starttls" {
			return errors.New("SMTP-Server bietet kein STARTTLS an")
		}
	}
	if c.User != "" {
		// PlainAuth refuses to send the password without TLS, except to localhost.
		if err = cl.Auth(smtp.PlainAuth("", c.User, c.Password, c.Host)); err != nil {
			return err
		}
	}
	if err = cl.Mail(c.From); err != nil {
		return refused(err)
	}
	if err = cl.Rcpt(to); err != nil {
		return refused(err)
	}
	w, err := cl.Data()
	if err != nil {
		return refused(err)
	}
	if _, err = w.Write(msg); err != nil {
		return err
	}
	if err = w.Close(); err != nil {
		return refused(err)
	}
	return cl.Quit()
}
