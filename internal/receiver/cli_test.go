package receiver

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func run(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &out, &errb, envMap(env))
	return out.String(), errb.String(), code
}

// filled stores one request of each form through the handler, with a formula-like
// organisation name and an address over two lines.
func filled(t *testing.T) (*testEnv, string) {
	e := newEnv(t, func(c *Config) { c.Now = time.Now })
	for _, id := range e.set.IDs() {
		vals := e.example(id)
		vals.Set("organisation", "=HYPERLINK(\"http://evil.example\")")
		vals.Set("ort_adresse", "Weg 1\n12345 Ort")
		if w := e.post(id, vals); w.Code != 303 {
			t.Fatalf("%s: %d", id, w.Code)
		}
	}
	return e, e.srv.cfg.DB
}

// TestListExportPurge runs the staff commands with nothing but the database: no
// source tree, no built site (issue 9: they failed opening data/formulare.yaml). Each
// request carries the form definition it was made with.
func TestListExportPurge(t *testing.T) {
	_, db := filled(t)
	env := map[string]string{"RECEIVER_DB": db, "RECEIVER_SITE": filepath.Join(t.TempDir(), "keine-website")}

	out, errs, code := run(t, env, "list")
	if code != 0 || strings.Count(out, "\n") != 4 || !strings.Contains(out, "3 Anfragen.") {
		t.Fatalf("list: %d %q %q", code, out, errs)
	}
	out, _, _ = run(t, env, "list", "--full", "--form", "ausstellung")
	if !strings.Contains(out, "Adresse des Ausstellungsorts: \n    Weg 1\n    12345 Ort") || !strings.Contains(out, "Ist der Raum stufenlos erreichbar?: Weiß ich nicht") {
		t.Errorf("list --full:\n%s", out)
	}
	if _, errs, code := run(t, env, "list", "--form", "gibtsnicht"); code != 1 || !strings.Contains(errs, "ausstellung, feedback, schulung") {
		t.Errorf("unknown form: %d %q", code, errs)
	}

	out, errs, code = run(t, env, "export", "--format", "csv")
	if code != 0 {
		t.Fatal(errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("csv: %v, %d rows", err, len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if v := r[col["organisation"]]; r[col["Formular"]] != "feedback" && !strings.HasPrefix(v, "'=") {
			t.Errorf("formula not defused: %q", v)
		}
	}

	out, _, code = run(t, env, "export", "--format", "csv", "--form", "schulung", "--excel")
	if code != 0 || !strings.HasPrefix(out, "\ufeffNummer;Formular;Variante;Eingang;Name der Organisation;") {
		t.Errorf("excel csv head: %q", out[:min(len(out), 120)])
	}

	file := filepath.Join(t.TempDir(), "a.ics")
	_, errs, code = run(t, env, "export", "--format", "ics", "--out", file)
	if code != 0 || !strings.Contains(errs, "1 Anfragen ohne Datum") || !strings.Contains(errs, "nicht unter die automatische Löschung") {
		t.Fatalf("ics: %d %q", code, errs)
	}
	b, _ := os.ReadFile(file)
	ics := string(b)
	if strings.Count(ics, "BEGIN:VEVENT") != 2 || !strings.Contains(ics, "STATUS:TENTATIVE") || !strings.Contains(ics, "LOCATION:Weg 1\\, 12345 Ort") {
		t.Errorf("ics:\n%s", ics)
	}
	start := time.Now().AddDate(0, 0, 30)
	end := time.Now().AddDate(0, 0, 35) // the last day plus one: DTEND is exclusive
	if !strings.Contains(ics, "DTSTART;VALUE=DATE:"+start.Format("20060102")) || !strings.Contains(ics, "DTEND;VALUE=DATE:"+end.Format("20060102")) {
		t.Errorf("period wrong:\n%s", ics)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("export readable by others: %v", fi.Mode())
	}

	// Without a site and before any serve, the retention period is unknown: say so.
	if _, errs, code := run(t, env, "purge"); code != 1 || !strings.Contains(errs, "Speicherdauer unbekannt") {
		t.Errorf("purge without a retention period: %d %q", code, errs)
	}
	// With the built site it comes from hugo.toml through the bundle.
	env["RECEIVER_SITE"] = testSite(t)
	out, _, _ = run(t, env, "purge")
	if !strings.HasPrefix(out, "0 Anfragen gelöscht") || !strings.Contains(out, "Speicherdauer 180 Tage aus") {
		t.Errorf("purge deleted fresh requests: %q", out)
	}
	// A request from 200 days ago goes with hugo.toml's 180 days.
	if _, err := openStoreRaw(t, db).Exec(`UPDATE anfragen SET eingang = eingang - 200*86400 WHERE formular = 'feedback'`); err != nil {
		t.Fatal(err)
	}
	out, _, _ = run(t, env, "purge")
	if !strings.HasPrefix(out, "1 Anfragen gelöscht") {
		t.Errorf("purge: %q", out)
	}
	out, _, _ = run(t, env, "list")
	if !strings.Contains(out, "2 Anfragen.") {
		t.Errorf("after purge: %q", out)
	}
	// serve leaves the period in the database; then no site is needed either.
	env["RECEIVER_SITE"] = t.TempDir()
	st := openStoreRaw(t, db)
	st.Exec(`INSERT INTO einstellungen (schluessel, wert) VALUES ('speicherdauer_tage', '30')`)
	out, errs, _ = run(t, env, "purge")
	if !strings.Contains(out, "Speicherdauer 30 Tage aus Datenbank") {
		t.Errorf("purge with the database's period: %q %q", out, errs)
	}
}

func TestCommandErrors(t *testing.T) {
	site := testSite(t)
	db := filepath.Join(t.TempDir(), "a.db")
	// A database cut to 0 bytes: serve refuses to start instead of answering 503.
	empty := filepath.Join(t.TempDir(), "leer.db")
	os.WriteFile(empty, nil, 0o600)
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"list", "--db", "/nonexistent/x.db"}, nil, "receiver init"},
		{[]string{"export", "--format", "pdf"}, nil, "erlaubt sind csv und ics"},
		{[]string{"list", "--forms", "/nonexistent.yaml"}, nil, "--forms gibt es nicht mehr"},
		{[]string{"serve", "--retention-days", "30"}, nil, "speicherdauer_tage"},
		{[]string{"purge"}, map[string]string{"RECEIVER_RETENTION_DAYS": "30"}, "RECEIVER_RETENTION_DAYS gibt es nicht mehr"},
		{[]string{"serve", "--smtp-host", "smtp.example.org"}, nil, "Absender-Adresse"},
		{[]string{"serve"}, map[string]string{"RECEIVER_RATE": "viele"}, "RECEIVER_RATE"},
		{[]string{"serve", "--site", t.TempDir()}, nil, "Website bauen"},
		{[]string{"serve", "--site", site, "--db", db, "--addr", "127.0.0.1:0"}, nil, "receiver init"},
		{[]string{"serve", "--site", site, "--db", empty, "--addr", "127.0.0.1:0"}, nil, "leer (0 Bytes)"},
		{[]string{"backup", "--db", db}, nil, "es fehlt das Ziel"},
		{[]string{"restore", "--db", db, filepath.Join(site, "index.html")}, nil, "Sicherung"},
		{[]string{"frobnicate"}, nil, "Unbekannter Befehl"},
	}
	for _, c := range cases {
		_, errs, code := run(t, c.env, c.args...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: code %d, stderr %q lacks %q", c.args, code, errs, c.want)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a command created the database")
	}
	out, errs, code := run(t, nil, "init", "--db", db, "--start", "120")
	if code != 0 || !strings.Contains(out, "laufende Nummer 120") {
		t.Errorf("init: %d %q %q", code, out, errs)
	}
	if _, errs, code := run(t, nil, "init", "--db", db); code != 1 || !strings.Contains(errs, "gibt es schon") {
		t.Errorf("second init: %d %q", code, errs)
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	c := Defaults()
	var pw string
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	serveFlags(fs, &c, &pw)
	env := envMap(map[string]string{"RECEIVER_ADDR": "127.0.0.1:1", "RECEIVER_SMTP_HOST": "mail.example.org",
		"RECEIVER_ORIGIN": "https://a.example, https://b.example", "RECEIVER_SMTP_PASSWORD": "geheim"})
	if err := parseFlags(fs, []string{"--addr", "127.0.0.1:2"}, env); err != nil {
		t.Fatal(err)
	}
	c.Mail.From, c.Mail.To = "a@example.org", "b@example.org"
	if err := c.finish(pw, env); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:2" || c.Mail.Host != "mail.example.org" || len(c.Origins) != 2 || c.Mail.Password != "geheim" {
		t.Errorf("%+v", c)
	}
	d := Defaults()
	if d.Addr != "127.0.0.1:8090" || d.DB != "anfragen.db" || d.Site != "public" || d.DedupeWindow != 10*time.Minute {
		t.Errorf("defaults changed: %+v", d)
	}
}
