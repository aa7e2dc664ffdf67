//go:build js && wasm

// The floor for the size benchmark: the smallest useful syscall/js program,
// one exported function and a blocking main, built like cmd/selfcheck.
package main

import "syscall/js"

func main() {
	js.Global().Set("floor", js.FuncOf(func(js.Value, []js.Value) any { return "" }))
	select {}
}
