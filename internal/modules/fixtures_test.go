package modules

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"budgetsite/internal/site"
)

var updateFixtures = flag.Bool("update", false, "rewrite the fixtures other packages' tests read (see TestFixtures)")

// fixtureSite is a tiny site in both variants, written with the glossary
// terms and abbreviations the tests of enrich use. TestFixtures renders it
// with the project's own layouts, configuration and data, so the pages the
// tests of enrich and htmlcheck read are what Hugo writes today, before
// the finish step. The pages carry lastmod: outside Git the "Stand" line
// would otherwise show the day the test ran.
const fixtureSite = `
-- content/de/_index.md --
---
title: "Persönliches Budget"
---
Start.
-- content/ls/_index.md --
---
title: "Persönliches Budget"
---
Start.
-- content/de/budget/_index.md --
---
title: "Das Persönliche Budget"
---
Alles zum Persönlichen Budget.
-- content/ls/budget/_index.md --
---
title: "Das Persönliche Budget"
---
Alles zum Persönlichen Budget.
-- content/de/budget/antrag.md --
---
title: "Der Antrag in 5 Schritten"
description: "So läuft ein Antrag auf ein Persönliches Budget ab."
lastmod: 2025-05-20
---

Das Persönliche Budget ist keine neue Leistung. Statt einer Sachleistung
bekommen Sie Geld, z. B. für Assistenz. Grundlage ist das SGB IX.

## Schritt 1: Antrag

Sie stellen einen Antrag beim Bezirk Schwaben oder beim LVR. Der LVR prüft
als beauftragter Träger, welche anderen Träger beteiligt sind.

- Welche Hilfe brauchen Sie?
- Bekommen Sie schon Sachleistungen?
- Ist das Budget trägerübergreifend?

## Schritt 2: Beratung

Die EUTB berät kostenlos. Auch das KSL hilft, etwa beim [Antrag](/budget/antrag/).

| Stelle | Aufgabe |
| --- | --- |
| EUTB | Beratung |
| Landschaftsverband Rheinland | Leistung |

> Tipp: Schreiben Sie auf, was Sie brauchen.

Mehr im [Wörterbuch](/woerterbuch/#persoenliches-budget).
-- content/ls/budget/antrag.md --
---
title: "So stellen Sie den Antrag"
description: "So stellen Sie den Antrag für das Persönliche Budget."
lastmod: 2025-05-20
---

Sie möchten ein Persönliches Budget?
Dann stellen Sie einen Antrag.
Den Antrag stellen Sie beim Bezirk Schwaben.

## Schritt 1: Der Antrag

In den Antrag schreiben Sie:

- Welche Hilfe brauchen Sie?
- Welche Hilfe bekommen Sie jetzt schon?
  Zum Beispiel eine Sach-Leistung.

## Schritt 2: Das Gespräch

Sie sprechen mit dem Bezirk Schwaben.
Die EUTB kann Ihnen helfen.
Die EUTB ist eine Beratungs·stelle.
-- content/de/berichte/_index.md --
---
title: "Berichte"
---
Berichte aus der Praxis.
-- content/ls/berichte/_index.md --
---
title: "Berichte"
---
Berichte aus der Praxis.
-- content/de/berichte/praxisdialog.md --
---
title: "Praxisdialog zum Persönlichen Budget"
description: "Bericht über einen Praxisdialog des KSL."
lastmod: 2025-05-20
date: 2022-02-22
veranstalter: "KSL Düsseldorf"
format: "Online-Veranstaltung"
regionen: ["Stadt Duisburg"]
teilnehmergruppen:
  - "Mitarbeiterinnen und Mitarbeiter des Landschaftsverbandes Rheinland (LVR)"
  - "Beraterinnen der EUTB"
teilnehmerzahl: 20
themen: ["Persönliches Budget"]
ergebnisse:
  - "Für den LVR hat das Persönliche Budget einen hohen Stellenwert."
jahre: ["2022"]
summary: "Rund 20 Teilnehmende sprachen über das Persönliche Budget."
---

Das KSL lud zum Praxisdialog zum Persönlichen Budget ein. Der LVR und die
EUTB berichteten, z. B. über Sachleistungen.
-- content/de/woerterbuch.md --
---
title: "Wörterbuch"
description: "Schwierige Wörter zum Persönlichen Budget."
lastmod: 2025-05-20
---
Hier erklären wir schwierige Wörter, z. B. Sachleistung und Persönliches Budget.
-- content/ls/woerterbuch.md --
---
title: "Wörterbuch"
description: "Schwierige Wörter zum Persönlichen Budget."
lastmod: 2025-05-20
---
Hier erklären wir schwierige Wörter.
`

// fixtures maps each fixture file (from the module root) to the page it is.
var fixtures = map[string]string{
	"internal/htmlcheck/testdata/seite.html":          "budget/antrag/index.html",
	"internal/enrich/testdata/de-seite.html":          "budget/antrag/index.html",
	"internal/enrich/testdata/de-bericht.html":        "berichte/praxisdialog/index.html",
	"internal/enrich/testdata/ls-antrag.html":         "leichte-sprache/budget/antrag/index.html",
	"internal/enrich/testdata/woerterbuch-seite.html": "woerterbuch/index.html",
}

// TestFixtures renders fixtureSite and checks that the fixtures of enrich
// and htmlcheck are what it renders; with -update it writes them (then run
// go test ./internal/enrich -update for the goldens made from them).
func TestFixtures(t *testing.T) {
	root := copyProject(t)
	for _, v := range []string{"content/de", "content/ls"} {
		if err := os.RemoveAll(filepath.Join(root, v)); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range txtar.Parse([]byte(fixtureSite)).Files {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(f.Name)), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, root, f.Name, string(f.Data))
	}
	const base = "https://www.example.org/"
	// The tiny site lacks pages the data files name: only the render matters here.
	configFiles, _, err := Site(Options{NoWasm: true}).Prepare(site.Options{Root: root, BaseURL: base}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string][]byte{}
	ps, err := site.Render(root, base, configFiles, func(name string, data []byte) {
		pages[strings.TrimPrefix(filepath.ToSlash(name), "/")] = data
	})
	if err != nil || len(ps) > 0 {
		t.Fatal(err, ps)
	}
	mod := moduleRoot(t)
	for file, page := range fixtures {
		got, ok := pages[page]
		if !ok {
			t.Errorf("%s was not rendered", page)
			continue
		}
		path := filepath.Join(mod, filepath.FromSlash(file))
		if *updateFixtures {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if want, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is not what the layouts render for %s: go test ./internal/modules -run TestFixtures -update, then go test ./internal/enrich -update", file, page)
		}
	}
}
