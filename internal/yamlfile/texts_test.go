package yamlfile

import (
	"reflect"
	"testing"
)

func TestTextsUnder(t *testing.T) {
	src := "# Kommentar\n" +
		"a:\n" +
		"  de: \"x\"\n" +
		"  ls: |-\n" +
		"    Erste Zeile.\n" +
		"    Zweite Zeile.\n" +
		"b: {de: \"y\", ls: \"Im Fluss.\"}\n" +
		"c:\n" +
		"  - ls: Ohne Anführungs-Zeichen.\n" +
		"    zahl: 3\n" +
		"  - ls: 4\n"
	got, err := TextsUnder([]byte(src), "ls")
	if err != nil {
		t.Fatal(err)
	}
	want := []Text{
		{Line: 5, Value: "Erste Zeile.\nZweite Zeile."},
		{Line: 7, Value: "Im Fluss."},
		{Line: 9, Value: "Ohne Anführungs-Zeichen."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	if _, err := TextsUnder([]byte("a: {ls: [\n"), "ls"); err == nil {
		t.Error("broken YAML gave no error")
	}
}
