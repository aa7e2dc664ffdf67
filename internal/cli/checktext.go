package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"budgetsite/internal/leichtesprache"
	"budgetsite/internal/report"
	"budgetsite/internal/sitedata"
)

// checkText checks text that is not a page: plain text from standard input,
// or one JSON object a line (--jsonl) for measuring the checker on labelled
// texts. The project's word lists (abbreviations, accepted words,
// synonyms) are used when --root holds them; the score and the statement
// count do not depend on them.
func checkText(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flags("check-text", stderr)
	root := fs.String("root", ".", "Projektordner (mit data/leichtesprache-gewichte.yaml)")
	jsonl := fs.String("jsonl", "", "Datei mit einem JSON-Objekt je Zeile {\"id\": …, \"text\": …}; - liest die Standard-Eingabe")
	if fs.Parse(args) != nil {
		return Broken
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "check-text liest den Text von der Standard-Eingabe oder aus --jsonl, nicht aus %q.\n", fs.Arg(0))
		return Broken
	}
	weights, ps := leichtesprache.LoadWeights(*root)
	if len(ps) > 0 {
		report.Print(stderr, ps)
		return Broken
	}
	cfg := leichtesprache.ConfigFor(*root, sitedata.NewGlossary())

	if *jsonl == "" {
		text, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "Die Eingabe ist nicht lesbar: %v\n", err)
			return Broken
		}
		return printTextResult(leichtesprache.CheckText("Eingabe", string(text), cfg, weights), stdout)
	}

	in := stdin
	name := "Standard-Eingabe"
	if *jsonl != "-" {
		f, err := os.Open(*jsonl)
		if err != nil {
			fmt.Fprintf(stderr, "%s: Die Datei ist nicht lesbar: %v\n", *jsonl, err)
			return Broken
		}
		defer f.Close()
		in, name = f, *jsonl
	}
	rows, err := readTextLines(name, in)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return Broken
	}
	// All lines are read and valid before the first result is written:
	// a bad line never leaves half a result behind.
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	code := OK
	for _, r := range rows {
		res := leichtesprache.CheckText(r.ID, r.Text, cfg, weights)
		out := textLine{ID: r.rawID, Words: res.Words, Sentences: res.Sentences, Score: res.Score,
			Statements: res.Statements, Findings: make([]finding, 0, len(res.Problems))}
		for _, p := range res.Problems {
			switch p.Severity {
			case report.Fehler:
				out.Fehler++
				code = Problems
			case report.Hinweis:
				out.Hinweise++
			}
			out.Findings = append(out.Findings, finding{Rule: p.Rule, Severity: p.Severity.String(), Line: p.Line, Column: p.Col, Message: p.Message})
		}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "Die Ausgabe ist nicht schreibbar: %v\n", err)
			return Broken
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "Die Ausgabe ist nicht schreibbar: %v\n", err)
		return Broken
	}
	return code
}

// textLine is one line of check-text --jsonl output, fields in this order.
type textLine struct {
	ID         json.RawMessage `json:"id"`
	Words      int             `json:"words"`
	Sentences  int             `json:"sentences"`
	Score      float64         `json:"score"`
	Statements int             `json:"statements"`
	Fehler     int             `json:"fehler"`
	Hinweise   int             `json:"hinweise"`
	Findings   []finding       `json:"findings"`
}

type finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Message  string `json:"message"`
}

type textRow struct {
	ID    string // for the findings' file name
	rawID json.RawMessage
	Text  string
}

// readTextLines reads one JSON object a line; blank lines are skipped.
func readTextLines(name string, r io.Reader) ([]textRow, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var rows []textRow
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			row, perr := parseTextLine(b)
			if perr != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, line, perr)
			}
			rows = append(rows, row)
		}
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: Die Datei ist nicht lesbar: %v", name, line, err)
		}
	}
}

func parseTextLine(b []byte) (textRow, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return textRow{}, fmt.Errorf("Die Zeile ist kein JSON-Objekt: %v", err)
	}
	id, ok := obj["id"]
	if !ok {
		return textRow{}, errors.New("Das Feld \"id\" fehlt")
	}
	rawText, ok := obj["text"]
	if !ok {
		return textRow{}, errors.New("Das Feld \"text\" fehlt")
	}
	var text string
	if err := json.Unmarshal(rawText, &text); err != nil {
		return textRow{}, errors.New("Das Feld \"text\" ist kein Text (in Anführungszeichen)")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, id); err != nil {
		return textRow{}, fmt.Errorf("Das Feld \"id\" ist kein gültiges JSON: %v", err)
	}
	name := strings.Trim(compact.String(), `"`)
	return textRow{ID: name, rawID: compact.Bytes(), Text: text}, nil
}

// printTextResult prints the findings like check does, and one summary.
func printTextResult(r leichtesprache.TextResult, w io.Writer) int {
	report.Print(w, r.Problems)
	if len(r.Problems) > 0 {
		fmt.Fprintln(w)
	}
	fehler, hint := report.Count(r.Problems, report.Fehler), report.Count(r.Problems, report.Hinweis)
	score := strings.Replace(fmt.Sprintf("%.0f", r.Score), ".", ",", 1)
	fmt.Fprintf(w, "Text: %s, %s, %s, Wert %s von 100 (höher: weiter weg von Leichter Sprache); %d Fehler, %s.\n",
		count(r.Words, "Wort", "Wörter"), count(r.Sentences, "Satz", "Sätze"), count(r.Statements, "Aussage", "Aussagen"),
		score, fehler, count(hint, "Hinweis", "Hinweise"))
	if fehler > 0 {
		return Problems
	}
	return OK
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
