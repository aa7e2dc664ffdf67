// Package yamlfile decodes the project's YAML data files strictly and turns
// every problem into a report.Problem with file and line, so an editor can
// find the spot without reading a Go error.
package yamlfile

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"budgetsite/internal/report"
)

// Doc is a decoded file that can still say where a value stands.
type Doc struct {
	File string
	ast  *ast.File
}

// Decode fills v from src. Unknown keys, wrong types and broken syntax are
// Fehler at their line. The returned Doc locates values for later checks.
func Decode(file string, src []byte, v any) (*Doc, []report.Problem) {
	d := &Doc{File: file}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return d, []report.Problem{fromErr(file, err)}
	}
	d.ast = f
	if err := yaml.UnmarshalWithOptions(src, v, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		return d, []report.Problem{fromErr(file, err)}
	}
	return d, nil
}

// Line returns the line of the value at a YAML path such as
// "$.gruppen[0].personen[1].telefon", or of the nearest parent that exists.
func (d *Doc) Line(path string) int {
	if d == nil || d.ast == nil {
		return 0
	}
	for p := path; p != "" && p != "$"; p = parent(p) {
		yp, err := yaml.PathString(p)
		if err != nil {
			continue
		}
		n, err := yp.FilterFile(d.ast)
		if err != nil || n == nil {
			continue
		}
		if tk := n.GetToken(); tk != nil && tk.Position != nil {
			return tk.Position.Line
		}
	}
	return 1
}

// Errorf is a Fehler at the value found under path.
func (d *Doc) Errorf(path, rule, msg string) report.Problem {
	return report.Problem{File: d.File, Line: d.Line(path), Severity: report.Fehler, Rule: rule, Message: msg}
}

// Warnf is a Warnung at the value found under path.
func (d *Doc) Warnf(path, rule, msg string) report.Problem {
	p := d.Errorf(path, rule, msg)
	p.Severity = report.Warnung
	return p
}

func parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return ""
	}
	return p[:i]
}

func fromErr(file string, err error) report.Problem {
	p := report.Problem{File: file, Line: 1, Severity: report.Fehler, Rule: "yaml"}
	var ye yaml.Error
	msg := err.Error()
	if errors.As(err, &ye) {
		msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			p.Line, p.Col = tk.Position.Line, tk.Position.Column
		}
	}
	p.Message = germanize(msg)
	return p
}

var (
	definedAtRe = regexp.MustCompile(`^mapping key "([^"]*)" already defined at \[(\d+):\d+\]`)
	unknownRe   = regexp.MustCompile(`unknown field "([^"]*)"`)
	wrongTypeRe = regexp.MustCompile(`cannot unmarshal (\S+(?: \{\})?) into .* of type (\S+)`)
	usedWhereRe = regexp.MustCompile(`^(\S+) was used where (\S+) is expected`)
)

// kind names a Go or YAML type the way an editor thinks of the value.
func kind(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"), t == "sequence":
		return "eine Liste (- … oder [ … ])"
	case strings.HasPrefix(t, "map"), t == "mapping", strings.Contains(t, "struct"):
		return "Einträge mit Namen (name: Wert)"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "eine Zahl"
	case t == "bool":
		return "true oder false"
	case t == "string":
		return "ein Text"
	}
	return "ein Wert anderer Art (" + t + ")"
}

// germanize says in plain German what the parser found and what usually
// causes it; a message it does not know stays in English after a German
// lead-in, so that nothing is hidden.
func germanize(msg string) string {
	msg = strings.TrimSpace(msg)
	if m := definedAtRe.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("Der Eintrag „%s“ steht doppelt (zuerst in Zeile %s). Jeder Eintrag darf nur einmal vorkommen.", m[1], m[2])
	}
	if m := wrongTypeRe.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("Hier muss %s stehen, nicht %s.", kind(m[2]), kind(m[1]))
	}
	if m := usedWhereRe.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("Hier muss %s stehen, nicht %s.", kind(m[2]), kind(m[1]))
	}
	if m := unknownRe.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("Den Eintrag „%s“ gibt es hier nicht. Ist er falsch geschrieben oder falsch eingerückt?", m[1])
	}
	for _, r := range []struct{ en, de string }{
		{"mapping value is not allowed in this context", "Hier steht ein Doppelpunkt, wo keiner stehen darf. Setzen Sie einen Text mit Doppelpunkt in Anführungszeichen, oder prüfen Sie, ob die nächste Zeile zu weit eingerückt ist."},
		{"value is not allowed in this context", "Hier steht ein Wert, wo keiner stehen darf. Meist ist die Zeile zu weit oder zu wenig eingerückt, oder in der Zeile davor fehlt ein Doppelpunkt."},
		{"mapping end token '}' not found", "Eine geschweifte Klammer { wird nicht geschlossen: es fehlt }."},
		{"',' or '}' must be specified", "Eine geschweifte Klammer { wird nicht geschlossen: am Ende der Zeile davor fehlt } (oder zwischen zwei Angaben ein Komma)."},
		{"sequence end token ']' not found", "Eine eckige Klammer [ wird nicht geschlossen: es fehlt ]."},
		{"',' or ']' must be specified", "Eine eckige Klammer [ wird nicht geschlossen: am Ende der Zeile davor fehlt ] (oder zwischen zwei Angaben ein Komma)."},
		{"could not find end character of double-quoted text", "Ein Anführungszeichen \" wird nicht geschlossen."},
		{"could not find end character of single-quoted text", "Ein Hochkomma ' wird nicht geschlossen."},
		{"that cannot start any token", "Am Zeilenanfang steht ein Tabulator oder ein Zeichen, mit dem kein Wert beginnen darf. Rücken Sie mit Leerzeichen ein und setzen Sie Texte in Anführungszeichen."},
		{"tab character cannot use as a map key directly", "Am Zeilenanfang steht ein Tabulator. Rücken Sie mit Leerzeichen ein."},
		{"unexpected key name", "Nach dem Namen fehlt der Doppelpunkt (so: name: Wert)."},
		{"cannot unmarshal", "Der Wert hat die falsche Art."},
		{"found invalid token", "Hier steht ein Zeichen, das an dieser Stelle nicht erlaubt ist."},
	} {
		if strings.Contains(msg, r.en) {
			return r.de
		}
	}
	return "Die Datei ist nicht lesbar: " + msg + "."
}

// Text is a string value of a file and the line its text starts on.
type Text struct {
	Line  int
	Value string
}

// TextsUnder returns, in file order, every string value whose key is key
// (e.g. every "ls" text), with the line its first text line stands on: the
// line of the key, or the line below it for a block scalar (| or >). It
// reports only whether the file parses; checking its shape is its owner's job.
func TextsUnder(src []byte, key string) ([]Text, error) {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, err
	}
	var out []Text
	for _, doc := range f.Docs {
		ast.Walk(visitFunc(func(n ast.Node) {
			mv, ok := n.(*ast.MappingValueNode)
			if !ok || mv.Key == nil || mv.Key.String() != key {
				return
			}
			switch v := mv.Value.(type) {
			case *ast.StringNode:
				if tk := v.GetToken(); tk != nil && tk.Position != nil {
					out = append(out, Text{Line: tk.Position.Line, Value: v.Value})
				}
			case *ast.LiteralNode:
				if tk := v.GetToken(); tk != nil && tk.Position != nil && v.Value != nil {
					out = append(out, Text{Line: tk.Position.Line + 1, Value: v.Value.Value})
				}
			}
		}), doc)
	}
	return out, nil
}

type visitFunc func(ast.Node)

func (f visitFunc) Visit(n ast.Node) ast.Visitor { f(n); return f }
