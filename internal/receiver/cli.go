package receiver

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"budgetsite/internal/forms"
	"budgetsite/internal/receiver/store"
)

const usage = `Anfragen-Empfänger der Website

Befehle:
  serve                        Formulare entgegennehmen (Standard: http://127.0.0.1:8090)
  list [--form ID] [--full]    gespeicherte Anfragen anzeigen
  export --format csv|ics      Anfragen ausgeben (--out Datei, --form ID, --excel für Excel-CSV)
  purge [--days N]             Anfragen löschen, die älter als N Tage sind

Jede Option lässt sich auch als Umgebungsvariable setzen: --smtp-host heißt
RECEIVER_SMTP_HOST. Das SMTP-Passwort nur über RECEIVER_SMTP_PASSWORD oder
--smtp-password-file. "receiver BEFEHL -h" zeigt alle Optionen.
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
	cmd, args := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = cmdServe(ctx, args, stdout, stderr, getenv)
	case "list":
		err = cmdList(ctx, args, stdout, stderr, getenv)
	case "export":
		err = cmdExport(ctx, args, stdout, stderr, getenv)
	case "purge":
		err = cmdPurge(ctx, args, stdout, stderr, getenv)
	default:
		fmt.Fprintf(stderr, "Unbekannter Befehl %q.\n\n%s", cmd, usage)
		return 2
	}
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

// openForStaff opens forms and database for the staff commands.
func openForStaff(c *Config) (*forms.Set, *store.Store, *time.Location, error) {
	loc, err := time.LoadLocation(c.Zone)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("Zeitzone %q: %w", c.Zone, err)
	}
	set, err := forms.Load(c.Forms)
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := os.Stat(c.DB); err != nil {
		return nil, nil, nil, fmt.Errorf("Datenbank %s nicht gefunden (Option --db)", c.DB)
	}
	st, err := store.Open(c.DB)
	if err != nil {
		return nil, nil, nil, err
	}
	return set, st, loc, nil
}

type staffOpts struct {
	form  string
	since string
}

func (o *staffOpts) filter(set *forms.Set, loc *time.Location) (store.Filter, error) {
	f := store.Filter{Formular: o.form}
	if o.form != "" && set.Forms[o.form] == nil {
		return f, fmt.Errorf("Formular %q gibt es nicht (vorhanden: %v)", o.form, set.IDs())
	}
	if o.since != "" {
		d, ok := forms.ParseDate(o.since)
		if !ok {
			return f, fmt.Errorf("--since %q ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ)", o.since)
		}
		f.Since = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	}
	return f, nil
}

// requests opens the store and lists the requests the options select; the
// caller closes the store.
func (o *staffOpts) requests(ctx context.Context, c *Config) (*forms.Set, *store.Store, []store.Request, error) {
	set, st, loc, err := openForStaff(c)
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := o.filter(set, loc)
	if err == nil {
		var reqs []store.Request
		if reqs, err = st.List(ctx, f, loc); err == nil {
			return set, st, reqs, nil
		}
	}
	st.Close()
	return nil, nil, nil, err
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
	set, st, reqs, err := o.requests(ctx, &c)
	if err != nil {
		return err
	}
	defer st.Close()
	writeList(stdout, set, reqs, full)
	pending, sent, err := st.MailStatus(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d Anfragen. Benachrichtigungen: %d gesendet, %d warten auf Versand.\n", len(reqs), sent, pending)
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
	set, st, reqs, err := o.requests(ctx, &c)
	if err != nil {
		return err
	}
	defer st.Close()
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
		err = writeCSV(w, set, o.form, reqs, excel)
	} else {
		var skipped int
		skipped, err = writeICS(w, set, reqs, time.Now())
		if skipped > 0 {
			fmt.Fprintf(stderr, "%d Anfragen ohne Datum nicht im Kalender.\n", skipped)
		}
	}
	if file != nil {
		err = errors.Join(err, file.Close())
	}
	return err
}

func cmdPurge(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) error {
	c := Defaults()
	fs := newFlagSet("purge", stderr)
	storeFlags(fs, &c)
	days := fs.Int("days", -1, "älter als so viele Tage löschen (Standard: --retention-days)")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if *days < 0 {
		*days = c.RetentionDays
	}
	if *days < 1 {
		return fmt.Errorf("--days muss mindestens 1 sein")
	}
	_, st, loc, err := openForStaff(&c)
	if err != nil {
		return err
	}
	defer st.Close()
	before := time.Now().In(loc).AddDate(0, 0, -*days)
	n, err := st.Purge(ctx, before)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d Anfragen gelöscht (eingegangen vor dem %s).\n", n, before.Format("02.01.2006, 15:04 Uhr"))
	return nil
}
