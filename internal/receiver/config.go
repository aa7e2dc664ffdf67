package receiver

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"budgetsite/internal/receiver/bundle"
	"budgetsite/internal/receiver/mail"
)

// Config is everything the receiver can be told. Every field has a default that
// works on a developer's machine with no set-up.
type Config struct {
	Addr string // listen address
	DB   string // SQLite file
	// Site is the built site (public/): the form definitions, texts and retention
	// period (anfragen/empfaenger.json), the form and thank-you pages.
	Site          string
	Static        bool    // also serve the site's files (GET), for tests and demos
	MaxBody       int64   // bytes
	RatePerMinute float64 // POSTs per client and minute; 0 switches the limit off
	Burst         int
	TrustProxy    bool     // take the client address from X-Forwarded-For
	Origins       []string // extra origins allowed to post (form pages on another host)
	Zone          string   // time zone of the organiser: "future" dates, numbers, list output
	// DedupeWindow is how long the same submission from the same client counts as a
	// double submission (a double click, a resend after a lost answer).
	DedupeWindow time.Duration
	Mail         mail.Config
	RetryBase    time.Duration
	RetryMax     time.Duration
	// RetryFor is how long a notification is tried before it is given up (and shown
	// as such in list and the health check).
	RetryFor time.Duration

	Log *slog.Logger
	Now func() time.Time
}

// Defaults returns the configuration used when nothing is set.
func Defaults() Config {
	return Config{
		Addr:          "127.0.0.1:8090",
		DB:            "anfragen.db",
		Site:          "public",
		MaxBody:       256 << 10,
		RatePerMinute: 6,
		Burst:         10,
		Zone:          "Europe/Berlin",
		DedupeWindow:  10 * time.Minute,
		Mail:          mail.Config{Port: 587, TLS: "auto", Timeout: 30 * time.Second},
		RetryBase:     30 * time.Second,
		RetryMax:      time.Hour,
		// As long as mail servers keep a message in their queue (Postfix: 5 days).
		RetryFor: 5 * 24 * time.Hour,
	}
}

// envName is the environment variable of a flag: --smtp-host is RECEIVER_SMTP_HOST.
func envName(flagName string) string {
	return "RECEIVER_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// removed are options of earlier versions, with what replaced them: an operator's
// old unit file gets a clear answer instead of "flag provided but not defined".
var removed = map[string]string{
	"forms": "Die Formulare kommen aus der gebauten Website (--site, Datei " + bundle.File + "), nicht mehr aus data/formulare.yaml.",
	"retention-days": "Die Speicherdauer steht an einer Stelle: hugo.toml, [params.datenschutz] speicherdauer_tage. " +
		"Der Empfänger liest sie aus der gebauten Website (" + bundle.File + "); purge --days N löscht einmalig mit anderer Frist.",
}

// parseFlags parses args after taking values from the environment, so flags win.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) (string, bool)) error {
	var errs []error
	for name, msg := range removed {
		if _, ok := getenv(envName(name)); ok {
			errs = append(errs, fmt.Errorf("Umgebungsvariable %s gibt es nicht mehr. %s", envName(name), msg))
		}
		for _, a := range args {
			if a == "--" {
				break
			}
			if n := strings.TrimLeft(a, "-"); a != n && (n == name || strings.HasPrefix(n, name+"=")) {
				errs = append(errs, fmt.Errorf("--%s gibt es nicht mehr. %s", name, msg))
			}
		}
	}
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

// dbFlag is shared by every command that opens the database.
func dbFlag(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DB, "db", c.DB, "SQLite-Datei der Anfragen")
}

// storeFlags are shared by the staff commands.
func storeFlags(fs *flag.FlagSet, c *Config) {
	dbFlag(fs, c)
	fs.StringVar(&c.Site, "site", c.Site, "gebaute Website (für Anfragen ohne gespeicherte Formular-Fassung und die Speicherdauer; darf fehlen)")
	fs.StringVar(&c.Zone, "tz", c.Zone, "Zeitzone für Datumsangaben")
}

func serveFlags(fs *flag.FlagSet, c *Config, passwordFile *string) {
	dbFlag(fs, c)
	fs.StringVar(&c.Zone, "tz", c.Zone, "Zeitzone für Datumsangaben")
	fs.StringVar(&c.Addr, "addr", c.Addr, "Adresse, auf der der Empfänger lauscht")
	fs.StringVar(&c.Site, "site", c.Site, "Verzeichnis der gebauten Website (Formulare, Texte, Speicherdauer, Formular- und Danke-Seiten)")
	fs.BoolVar(&c.Static, "static", c.Static, "auch die Dateien der Website ausliefern (für Tests und Vorführungen)")
	fs.Int64Var(&c.MaxBody, "max-body", c.MaxBody, "größte erlaubte Anfrage in Bytes")
	fs.Float64Var(&c.RatePerMinute, "rate", c.RatePerMinute, "Anfragen je Minute und Absender (0: keine Grenze)")
	fs.IntVar(&c.Burst, "burst", c.Burst, "so viele Anfragen darf ein Absender auf einmal schicken")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", c.TrustProxy, "Absender-Adresse aus X-Forwarded-For nehmen (nur hinter einem eigenen Reverse-Proxy)")
	fs.Var(listFlag{&c.Origins}, "origin", "weitere Herkünfte (https://host), deren Seiten Formulare schicken dürfen, durch Komma getrennt")
	fs.DurationVar(&c.DedupeWindow, "dedupe-window", c.DedupeWindow, "gleiche Anfrage vom selben Absender in dieser Zeit nur einmal speichern")
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
	fs.DurationVar(&c.RetryFor, "retry-for", c.RetryFor, "so lange eine Benachrichtigung versuchen, dann aufgeben (list zeigt sie)")
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
	if c.MaxBody < 1024 {
		errs = append(errs, fmt.Errorf("max-body muss mindestens 1024 Bytes sein (ist %d)", c.MaxBody))
	}
	if c.RatePerMinute < 0 || c.Burst < 1 {
		errs = append(errs, errors.New("rate darf nicht negativ und burst muss mindestens 1 sein"))
	}
	if c.RetryBase <= 0 || c.RetryMax < c.RetryBase || c.RetryFor < c.RetryBase {
		errs = append(errs, errors.New("retry-base muss positiv, retry-max und retry-for mindestens so groß sein"))
	}
	if c.DedupeWindow < 0 {
		errs = append(errs, errors.New("dedupe-window darf nicht negativ sein"))
	}
	if err := c.Mail.Check(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
