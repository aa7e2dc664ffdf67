//go:build js && wasm

// Command selfcheck is the self-check's rules in the browser: it binds
// internal/eligibility/rules to the page with syscall/js and nothing else.
// The page hands over the rules in their compact text form (data-regeln), so
// this binary does not change when the rules do. No fmt, no encoding/json,
// no reflection: each would add 100–200 KB (brotli) to what a phone loads.
//
// JavaScript API (globalThis.selbstcheckRegeln):
//
//	laden(text) → "" or an error message
//	auswerten({frageId: "ja"|"nein"|"weiss-nicht", …}) →
//	  {fragen: [ids answered on the path], naechste: id|"", ergebnis: id|"",
//	   art: outcome|"", kontakt: [groups], fehler: ""|message}
package main

import (
	"syscall/js"

	"budgetsite/internal/eligibility/rules"
)

var graph *rules.Graph

func main() {
	api := js.Global().Get("Object").New()
	api.Set("laden", js.FuncOf(load))
	api.Set("auswerten", js.FuncOf(evaluate))
	js.Global().Set("selbstcheckRegeln", api)
	if ready := js.Global().Get("selbstcheckBereit"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

func load(_ js.Value, args []js.Value) any {
	if len(args) != 1 || args[0].Type() != js.TypeString {
		return "laden erwartet den Text der Regeln"
	}
	g, err := rules.Parse(args[0].String())
	if err != nil {
		return err.Error()
	}
	graph = g
	return ""
}

func evaluate(_ js.Value, args []js.Value) any {
	res := js.Global().Get("Object").New()
	res.Set("fehler", "")
	if graph == nil || len(args) != 1 || args[0].Type() != js.TypeObject {
		res.Set("fehler", "Regeln nicht geladen oder Antworten fehlen")
		return res
	}
	answers := args[0]
	w, err := graph.WalkFunc(func(q string) (string, bool) {
		v := answers.Get(q)
		if v.Type() != js.TypeString || v.String() == "" {
			return "", false
		}
		return v.String(), true
	})
	if err != nil {
		res.Set("fehler", err.Error())
	}
	asked := js.Global().Get("Array").New()
	for _, s := range w.Steps {
		asked.Call("push", s.Question)
	}
	res.Set("fragen", asked)
	res.Set("naechste", w.Next)
	groups := js.Global().Get("Array").New()
	for _, k := range w.Kontakt {
		groups.Call("push", k)
	}
	res.Set("kontakt", groups)
	res.Set("ergebnis", "")
	res.Set("art", "")
	if w.Result != nil {
		res.Set("ergebnis", w.Result.ID)
		res.Set("art", w.Result.Outcome)
	}
	return res
}
