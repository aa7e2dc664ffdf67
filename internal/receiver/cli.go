package receiver

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"budgetsite/internal/forms"
	"budgetsite/internal/receiver/bundle"
	"budgetsite/internal/receiver/store"
)

const usage = `Anfragen-Empfänger der Website

Befehle:
  init [--start N]             die Datenbank anlegen (einmal, vor dem ersten serve)
  serve                        Formulare entgegennehmen (Standard: http://127.0.0.1:8090)
  list [--form ID] [--full]    gespeicherte Anfragen und nicht zugestellte Benachrichtigungen
  export --format csv|ics      Anfragen ausgeben (--out Datei, --form ID, --excel für Excel-CSV)
  purge [--days N]             Anfragen löschen, die älter als die Speicherdauer sind
  backup ZIEL                  Sicherung der Datenbank, auch während serve läuft
  restore [--start N] QUELLE   Datenbank aus einer Sicherung wiederherstellen (serve vorher beenden)
  resend [NUMMER …]            aufgegebene Benachrichtigungen noch einmal versuchen

Alle Befehle nehmen --db DATEI (Standard: anfragen.db). Jede Option lässt sich
auch als Umgebungsvariable setzen: --smtp-host heißt RECEIVER_SMTP_HOST. Das
SMTP-Passwort nur über RECEIVER_SMTP_PASSWORD oder --smtp-password-file.
"receiver BEFEHL -h" zeigt alle Optionen.
`

// Main runs the command line and returns the exit code. ctx ends on SIGTERM.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer, func(string) (string, bool)) error{
		"serve": cmdServe, "init": cmdInit, "list": cmdList, "export": cmdExport, "purge": cmdPurge,
		"backup": cmdBackup, "restore": cmdRestore, "resend": cmdResend,
	}
	cmd, args := args[0], args[1:]
	run := cmds[cmd]
	if run == nil {
		fmt.Fprintf(stderr, "Unbekannter Befehl %q.\n\n%s", cmd, usage)
		return 2
	}
	err := run(ctx, args, stdout, stderr, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "Fehler: %v\n", err)
		return 1
	}
	return 0
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "receiver %s – Optionen (in Klammern die Umgebungsvariable):\n", name)
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(stderr, "  --%s (%s)\n        %s (Standard: %q)\n", f.Name, envName(f.Name), f.Usage, f.DefValue)
		})
	}
	return fs
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) error {
	c := Defaults()
	var pwFile string
	fs := newFlagSet("serve", stderr)
	serveFlags(fs, &c, &pwFile)
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := c.finish(pwFile, getenv); err != nil {
		return err
	}
	c.Log = slog.New(slog.NewTextHandler(stderr, nil))
	return Run(ctx, c, func(addr string) { fmt.Fprintf(stdout, "Empfänger lauscht auf http://%s\n", addr) })
}

// staff is what the staff commands work with: the database, and the built site's
// bundle when it is there (the commands work without it).
type staff struct {
	st   *store.Store
	site *bundle.Bundle // nil without a built site
	loc  *time.Location
}

// openForStaff opens the database and, if there, the built site's bundle.
func openForStaff(c *Config, stderr io.Writer) (*staff, error) {
	loc, err := time.LoadLocation(c.Zone)
	if err != nil {
		return nil, fmt.Errorf("Zeitzone %q: %w", c.Zone, err)
	}
	st, err := store.Open(c.DB)
	if err != nil {
		return nil, err
	}
	s := &staff{st: st, loc: loc}
	if b, err := bundle.Load(c.Site); err == nil {
		s.site = b
	} else if _, serr := os.Stat(c.Site); serr == nil {
		fmt.Fprintf(stderr, "Hinweis: %v\n", err)
	}
	return s, nil
}

func (s *staff) book() *formBook {
	if s.site == nil {
		return newFormBook(nil)
	}
	return newFormBook(s.site.Forms())
}

type staffOpts struct {
	form  string
	since string
}

func (o *staffOpts) filter(ctx context.Context, s *staff) (store.Filter, error) {
	f := store.Filter{Formular: o.form}
	if o.form != "" {
		known, err := s.st.Forms(ctx)
		if err != nil {
			return f, err
		}
		if s.site != nil {
			known = append(known, s.site.Forms().IDs()...)
		}
		slices.Sort(known)
		known = slices.Compact(known)
		if !slices.Contains(known, o.form) {
			return f, fmt.Errorf("Formular %q gibt es nicht (vorhanden: %s)", o.form, strings.Join(known, ", "))
		}
	}
	if o.since != "" {
		d, ok := forms.ParseDate(o.since)
		if !ok {
			return f, fmt.Errorf("--since %q ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ)", o.since)
		}
		f.Since = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, s.loc)
	}
	return f, nil
}

// requests opens the store and lists the requests the options select; the
// caller closes the store.
func (o *staffOpts) requests(ctx context.Context, c *Config, stderr io.Writer) (*staff, []store.Request, error) {
	s, err := openForStaff(c, stderr)
	if err != nil {
		return nil, nil, err
	}
	f, err := o.filter(ctx, s)
	if err == nil {
		var reqs []store.Request
		if reqs, err = s.st.List(ctx, f, s.loc); err == nil {
			return s, reqs, nil
		}
	}
	s.st.Close()
	return nil, nil, err
}

// parseWithArg parses flags before and after one positional argument
// ("backup --db x ZIEL" and "backup ZIEL --db x").
func parseWithArg(fs *flag.FlagSet, args []string, getenv func(string) (string, bool), what string) (string, error) {
	if err := parseFlags(fs, args, getenv); err != nil {
		return "", err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return "", fmt.Errorf("es fehlt %s", what)
	}
	arg := rest[0]
	if err := fs.Parse(rest[1:]); err != nil {
		return "", err
	}
	if len(fs.Args()) > 0 {
		return "", fmt.Errorf("zu viele Angaben: %s", strings.Join(fs.Args(), " "))
	}
	return arg, nil
}

func cmdInit(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) error {
	c := Defaults()
	fs := newFlagSet("init", stderr)
	dbFlag(fs, &c)
	start := fs.Int64("start", 1, "erste laufende Nummer (nach Verlust einer Datenbank ohne Sicherung: über der letzten vergebenen)")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	st, err := store.Create(c.DB, store.Options{Start: *start})
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdout, "Datenbank %s angelegt (nur für ihren Besitzer lesbar). Die erste Anfrage bekommt die laufende Nummer %d.\n", c.DB, max(*start, 1))
	return nil
}

func cmdList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) error {
	c := Defaults()
	var o staffOpts
	var full bool
	fs := newFlagSet("list", stderr)
	storeFlags(fs, &c)
	fs.StringVar(&o.form, "form", "", "nur dieses Formular (ausstellung, schulung, feedback)")
	fs.StringVar(&o.since, "since", "", "nur Anfragen ab diesem Tag")
	fs.BoolVar(&full, "full", false, "alle Angaben zeigen")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	s, reqs, err := o.requests(ctx, &c, stderr)
	if err != nil {
		return err
	}
	defer s.st.Close()
	writeList(stdout, s.book(), reqs, full)
	ms, err := s.st.MailStatus(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d Anfragen. Benachrichtigungen: %d gesendet, %d warten auf Versand, %d aufgegeben.\n", len(reqs), ms.Gesendet, ms.Wartend, ms.Aufgegeben)
	open, err := s.st.OpenMails(ctx)
	if err != nil {
		return err
	}
	const when = "02.01.2006 15:04"
	for _, m := range open {
		if m.Aufgegeben.IsZero() {
			fmt.Fprintf(stdout, "  %s  wartet seit %s, %d Versuche, nächster %s", m.Nummer, m.Erstellt.In(s.loc).Format(when), m.Versuche, m.Naechster.In(s.loc).Format(when))
		} else {
			fmt.Fprintf(stdout, "  %s  AUFGEGEBEN am %s nach %d Versuchen", m.Nummer, m.Aufgegeben.In(s.loc).Format(when), m.Versuche)
		}
		if m.Fehler != "" {
			fmt.Fprintf(stdout, ": %s", m.Fehler)
		}
		fmt.Fprintln(stdout)
	}
	if ms.Aufgegeben > 0 {
		fmt.Fprintln(stdout, "Aufgegebene Benachrichtigungen: Anfrage mit list --full lesen und selbst weitergeben, oder nach Behebung des Fehlers: receiver resend")
	}
	return nil
}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) error {
	c := Defaults()
	var o staffOpts
	var format, out string
	var excel bool
	fs := newFlagSet("export", stderr)
	storeFlags(fs, &c)
	fs.StringVar(&format, "format", "csv", "csv oder ics")
	fs.StringVar(&out, "out", "", "Datei (leer: Standardausgabe)")
	fs.StringVar(&o.form, "form", "", "nur dieses Formular")
	fs.StringVar(&o.since, "since", "", "nur Anfragen ab diesem Tag")
	fs.BoolVar(&excel, "excel", false, "CSV für Excel: Semikolon und Byte-Order-Mark")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if format != "csv" && format != "ics" {
		return fmt.Errorf("--format %q: erlaubt sind csv und ics", format)
	}
	s, reqs, err := o.requests(ctx, &c, stderr)
	if err != nil {
		return err
	}
	defer s.st.Close()
	w := stdout
	var file *os.File
	if out != "" {
		// Exports hold personal data: readable by the owner only.
		if file, err = os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
			return err
		}
		w = file
	}
	if format == "csv" {
		err = writeCSV(w, s.book(), o.form, reqs, excel)
	} else {
		var skipped int
		skipped, err = writeICS(w, s.book(), reqs, time.Now())
		if skipped > 0 {
			fmt.Fprintf(stderr, "%d Anfragen ohne Datum nicht im Kalender.\n", skipped)
		}
	}
	if file != nil {
		err = errors.Join(err, file.Close())
		fmt.Fprintf(stderr, "Hinweis: %s fällt nicht unter die automatische Löschung; bitte löschen, sobald sie nicht mehr gebraucht wird.\n", out)
	}
	return err
}

func cmdPurge(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) error {
	c := Defaults()
	fs := newFlagSet("purge", stderr)
	storeFlags(fs, &c)
	days := fs.Int("days", 0, "älter als so viele Tage löschen (Standard: die Speicherdauer aus hugo.toml, über die gebaute Website)")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if *days < 0 {
		return fmt.Errorf("--days muss mindestens 1 sein")
	}
	s, err := openForStaff(&c, stderr)
	if err != nil {
		return err
	}
	defer s.st.Close()
	n, source := *days, "--days"
	if n == 0 && s.site != nil {
		n, source = s.site.SpeicherdauerTage, filepath.Join(c.Site, bundle.File)
	}
	if n == 0 {
		v, ok, err := s.st.Setting(ctx, settingRetention)
		if err != nil {
			return err
		}
		if n, _ = strconv.Atoi(v); ok && n > 0 {
			source = "Datenbank (zuletzt von serve eingetragen)"
		}
	}
	if n < 1 {
		return fmt.Errorf("Speicherdauer unbekannt: keine gebaute Website unter %s und noch kein serve auf dieser Datenbank. Bitte --site oder --days angeben", c.Site)
	}
	before := time.Now().In(s.loc).AddDate(0, 0, -n)
	p, err := s.st.Purge(ctx, before)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d Anfragen gelöscht (eingegangen vor dem %s; Speicherdauer %d Tage aus %s).\n", p.Anfragen, before.Format("02.01.2006, 15:04 Uhr"), n, source)
	if p.Unzugestellt > 0 {
		fmt.Fprintf(stdout, "Achtung: bei %d davon kam die Benachrichtigung nie an.\n", p.Unzugestellt)
	}
	return nil
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) error {
	c := Defaults()
	fs := newFlagSet("backup", stderr)
	dbFlag(fs, &c)
	target, err := parseWithArg(fs, args, getenv, "das Ziel (Datei oder Ordner): receiver backup ZIEL")
	if err != nil {
		return err
	}
	st, err := store.Open(c.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	file, n, err := st.Backup(ctx, target, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Sicherung %s geschrieben: %d Anfragen (nur für ihren Besitzer lesbar; fällt nicht unter die automatische Löschung).\n", file, n)
	return nil
}

func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) error {
	c := Defaults()
	fs := newFlagSet("restore", stderr)
	dbFlag(fs, &c)
	start := fs.Int64("start", 0, "neue Anfragen frühestens mit dieser laufenden Nummer (wenn die ersetzte Datenbank nicht mehr lesbar ist)")
	src, err := parseWithArg(fs, args, getenv, "die Sicherung: receiver restore QUELLE")
	if err != nil {
		return err
	}
	res, err := store.Restore(ctx, src, c.DB, store.Options{Start: *start}, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s aus %s wiederhergestellt: %d Anfragen. Die nächste Anfrage bekommt die laufende Nummer %d.\n", c.DB, src, res.Anfragen, res.Next)
	if res.Aside != "" {
		fmt.Fprintf(stdout, "Die ersetzte Datenbank liegt unter %s; bitte löschen, sobald alles geprüft ist.\n", res.Aside)
	}
	if !res.Known && *start == 0 {
		fmt.Fprintf(stdout, "Achtung: Die ersetzte Datenbank war nicht lesbar. Wurden nach der Sicherung noch Anfragen angenommen, "+
			"bekämen neue Anfragen deren Nummern noch einmal. Die letzte vergebene Nummer steht in der letzten Benachrichtigungs-Mail; "+
			"dann bitte wiederholen mit: receiver restore --start NUMMER+1 %s\n", src)
	}
	return nil
}

func cmdResend(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) error {
	c := Defaults()
	fs := newFlagSet("resend", stderr)
	dbFlag(fs, &c)
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	st, err := store.Open(c.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.RetryMails(ctx, time.Now(), fs.Args())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d Benachrichtigungen warten wieder auf Versand; ein laufender Empfänger versucht sie innerhalb einer Minute.\n", n)
	return nil
}
