package preview

import (
	"html/template"
	"io"
	"os"
	"path/filepath"

	"budgetsite/internal/report"
)

// The error page uses the site's own stylesheet, read from the sources: the
// build that would have produced the fingerprinted one just failed.
var errorTmpl = template.Must(template.New("fehler").Parse(`<!DOCTYPE html>
<html lang="de" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fehler: Die Vorschau ist nicht aktuell – Persönliches Budget</title>
<style>{{ .CSS }}</style>
</head>
<body class="std">
<a class="skip" href="#inhalt">Zum Inhalt springen</a>
<main id="inhalt" tabindex="-1">
<h1>Die Vorschau ist nicht aktuell</h1>
<p>Der letzte Build ist an {{ .Fehler }} {{ if eq .Fehler 1 }}Fehler{{ else }}Fehlern{{ end }} gescheitert. Beheben Sie {{ if eq .Fehler 1 }}ihn{{ else }}sie{{ end }} in den genannten Dateien und speichern Sie: Diese Seite lädt dann von selbst neu.</p>
{{- range .Files }}
<h2><code>{{ .File }}</code></h2>
<ul>
{{- range .Problems }}
<li><strong>{{ .Severity }}</strong>{{ with .Location }} in <code>{{ . }}</code>{{ end }}{{ with .Rule }} [{{ . }}]{{ end }}: {{ .Message }}{{ with .Suggestion }} Vorschlag: {{ . }}{{ end }}</li>
{{- end }}
</ul>
{{- end }}
</main>
` + reloadScript + `
</body>
</html>
`))

type fileProblems struct {
	File     string
	Problems []report.Problem
}

// errorPage shows the Fehler of a failed build, grouped per file (Warnungen
// stay in the terminal: they do not stop the preview).
func errorPage(w io.Writer, root string, ps []report.Problem) error {
	var files []fileProblems
	n := 0
	for _, p := range ps {
		if p.Severity != report.Fehler {
			continue
		}
		n++
		if len(files) == 0 || files[len(files)-1].File != p.File {
			files = append(files, fileProblems{File: p.File})
		}
		f := &files[len(files)-1]
		f.Problems = append(f.Problems, p)
	}
	css, _ := os.ReadFile(filepath.Join(root, "assets", "css", "main.css"))
	return errorTmpl.Execute(w, struct {
		CSS    template.CSS
		Fehler int
		Files  []fileProblems
	}{template.CSS(css), n, files})
}
