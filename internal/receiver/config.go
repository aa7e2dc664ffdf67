package receiver

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"budgetsite/internal/receiver/mail"
)

// DefaultRetentionDays is how long requests are kept before automatic deletion.
// The privacy page states this number.
const DefaultRetentionDays = 180

// Config is everything the receiver can be told. Every field has a default that
// works on a developer's machine with no set-up.
type Config struct {
	Addr          string  // listen address
	DB            string  // SQLite file
	Site          string  // built site (public/): form and thank-you pages
	Forms         string  // data/formulare.yaml
	Static        bool    // also serve the site's files (GET), for tests and demos
	MaxBody       int64   // bytes
	RatePerMinute float64 // POSTs per client and minute; 0 switches the limit off
	Burst         int
	TrustProxy    bool     // take the client address from X-Forwarded-For
	Origins       []string // extra origins allowed to post (form pages on another host)
	RetentionDays int
	Zone          string // time zone of the organiser: "future" dates, numbers, list output
	DedupeWindow  time.Duration
	Mail          mail.Config
	RetryBase     time.Duration
	RetryMax      time.Duration

	Log *slog.Logger
	Now func() time.Time
}

// Defaults returns the configuration used when nothing is set.
func Defaults() Config {
	return Config{
		Addr:          "127.0.0.1:8090",
		DB:            "anfragen.db",
		Site:          "public",
		Forms:         "data/formulare.yaml",
		MaxBody:       256 << 10,
		RatePerMinute: 6,
		Burst:         10,
		RetentionDays: DefaultRetentionDays,
		Zone:          "Europe/Berlin",
		DedupeWindow:  24 * time.Hour,
		Mail:          mail.Config{Port: 587, TLS: "auto", Timeout: 30 * time.Second},
		RetryBase:     30 * time.Second,
		RetryMax:      time.Hour,
	}
}

// envName is the environment variable of a flag: --smtp-host is RECEIVER_SMTP_HOST.
func envName(flagName string) string {
	return "RECEIVER_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseFlags parses args after taking values from the environment, so flags win.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) (string, bool)) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if v, ok := getenv(envName(f.Name)); ok {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("Umgebungsvariable %s=%q: %v", envName(f.Name), v, err))
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return fs.Parse(args)
}

type listFlag struct{ p *[]string }

func (l listFlag) String() string {
	if l.p == nil {
		return ""
	}
	return strings.Join(*l.p, ",")
}

func (l listFlag) Set(s string) error {
	*l.p = nil
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l.p = append(*l.p, v)
		}
	}
	return nil
}

// storeFlags are shared by every command that opens the database.
func storeFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DB, "db", c.DB, "SQLite-Datei der Anfragen")
	fs.StringVar(&c.Forms, "forms", c.Forms, "Formular-Definitionen (YAML)")
	fs.StringVar(&c.Zone, "tz", c.Zone, "Zeitzone für Datumsangaben")
	fs.IntVar(&c.RetentionDays, "retention-days", c.RetentionDays, "Anfragen nach so vielen Tagen automatisch löschen")
}

func serveFlags(fs *flag.FlagSet, c *Config, passwordFile *string) {
	storeFlags(fs, c)
	fs.StringVar(&c.Addr, "addr", c.Addr, "Adresse, auf der der Empfänger lauscht")
	fs.StringVar(&c.Site, "site", c.Site, "Verzeichnis der gebauten Website (Formular- und Danke-Seiten)")
	fs.BoolVar(&c.Static, "static", c.Static, "auch die Dateien der Website ausliefern (für Tests und Vorführungen)")
	fs.Int64Var(&c.MaxBody, "max-body", c.MaxBody, "größte erlaubte Anfrage in Bytes")
	fs.Float64Var(&c.RatePerMinute, "rate", c.RatePerMinute, "Anfragen je Minute und Absender (0: keine Grenze)")
	fs.IntVar(&c.Burst, "burst", c.Burst, "so viele Anfragen darf ein Absender auf einmal schicken")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", c.TrustProxy, "Absender-Adresse aus X-Forwarded-For nehmen (nur hinter einem eigenen Reverse-Proxy)")
	fs.Var(listFlag{&c.Origins}, "origin", "weitere Herkünfte (https://host), deren Seiten Formulare schicken dürfen, durch Komma getrennt")
	fs.DurationVar(&c.DedupeWindow, "dedupe-window", c.DedupeWindow, "gleiche Anfrage in dieser Zeit nur einmal speichern")
	fs.StringVar(&c.Mail.Host, "smtp-host", c.Mail.Host, "SMTP-Server (leer: keine E-Mail-Benachrichtigung)")
	fs.IntVar(&c.Mail.Port, "smtp-port", c.Mail.Port, "SMTP-Port")
	fs.StringVar(&c.Mail.From, "smtp-from", c.Mail.From, "Absender-Adresse der Benachrichtigungen")
	fs.StringVar(&c.Mail.To, "smtp-to", c.Mail.To, "Empfänger-Adresse der Benachrichtigungen")
	fs.StringVar(&c.Mail.User, "smtp-user", c.Mail.User, "SMTP-Benutzer (Passwort in RECEIVER_SMTP_PASSWORD oder --smtp-password-file)")
	fs.StringVar(passwordFile, "smtp-password-file", "", "Datei mit dem SMTP-Passwort")
	fs.StringVar(&c.Mail.TLS, "smtp-tls", c.Mail.TLS, "auto, starttls, tls oder none")
	fs.StringVar(&c.Mail.Helo, "smtp-helo", c.Mail.Helo, "Name im EHLO")
	fs.DurationVar(&c.Mail.Timeout, "smtp-timeout", c.Mail.Timeout, "Zeitgrenze je Zustellversuch")
	fs.DurationVar(&c.RetryBase, "retry-base", c.RetryBase, "Wartezeit nach dem ersten Fehlversuch (verdoppelt sich)")
	fs.DurationVar(&c.RetryMax, "retry-max", c.RetryMax, "längste Wartezeit zwischen Zustellversuchen")
}

// finish checks the configuration after parsing and fills in secrets.
func (c *Config) finish(passwordFile string, getenv func(string) (string, bool)) error {
	var errs []error
	if pw, ok := getenv("RECEIVER_SMTP_PASSWORD"); ok {
		c.Mail.Password = pw
	}
	if passwordFile != "" {
		b, err := os.ReadFile(passwordFile)
		if err != nil {
			errs = append(errs, fmt.Errorf("SMTP-Passwort: %w", err))
		}
		c.Mail.Password = strings.TrimRight(string(b), "\r\n")
	}
	if c.RetentionDays < 1 {
		errs = append(errs, fmt.Errorf("retention-days muss mindestens 1 sein (ist %d)", c.RetentionDays))
	}
	if c.MaxBody < 1024 {
		errs = append(errs, fmt.Errorf("max-body muss mindestens 1024 Bytes sein (ist %d)", c.MaxBody))
	}
	if c.RatePerMinute < 0 || c.Burst < 1 {
		errs = append(errs, errors.New("rate darf nicht negativ und burst muss mindestens 1 sein"))
	}
	if c.RetryBase <= 0 || c.RetryMax < c.RetryBase {
		errs = append(errs, errors.New("retry-base muss positiv und retry-max mindestens so groß sein"))
	}
	if err := c.Mail.Check(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
