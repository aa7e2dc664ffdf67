package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"budgetsite/internal/forms"
)

// Eval runs a JavaScript expression in the tab and returns its string value.
func Eval(ctx context.Context, expr string) (string, error) {
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		return "", fmt.Errorf("%s: %w", expr, err)
	}
	return s, nil
}

// Type sends the keys of s (kb constants included) to the focused element.
func Type(ctx context.Context, s string) error {
	return chromedp.Do(ctx, chromedp.KeyEvent(s))
}

// TabTo presses Tab until the element with the id has focus (at most 60 times).
func TabTo(ctx context.Context, id string) error {
	for range 60 {
		got, err := Eval(ctx, `document.activeElement ? document.activeElement.id : ""`)
		if err != nil {
			return err
		}
		if got == id {
			return nil
		}
		if err := PressTab(ctx); err != nil {
			return err
		}
	}
	focus, _ := Eval(ctx, `document.activeElement.outerHTML.slice(0, 120)`)
	return fmt.Errorf("Tab erreicht #%s nicht (Fokus: %s)", id, focus)
}

// PressEnterKey sends Enter as one key press (keydown with its text, then
// keyup), as a keyboard does. [PressEnter] sends the text as a separate char
// event; after a link moved the focus into a text field, that char would send
// the form.
func PressEnterKey(ctx context.Context) error {
	ev := kb.Encode('\r')
	down, up := *ev[0], *ev[len(ev)-1]
	down.Text, down.UnmodifiedText = "\r", "\r"
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, p := range []input.DispatchKeyEventParams{down, up} {
			if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	}))
}

// DateKeys are the digits a native date field takes for d, in the order of
// the browser's locale.
func DateKeys(ctx context.Context, d time.Time) (string, error) {
	order, err := Eval(ctx, `new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2027, 0, 2)).filter(p => p.type !== "literal").map(p => p.type).join(",")`)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, part := range strings.Split(order, ",") {
		switch part {
		case "month":
			fmt.Fprintf(&b, "%02d", int(d.Month()))
		case "day":
			fmt.Fprintf(&b, "%02d", d.Day())
		case "year":
			fmt.Fprintf(&b, "%04d", d.Year())
		}
	}
	return b.String(), nil
}

// WaitURL waits up to 10 s for a loaded page whose address matches re.
// While the tab navigates, an evaluation can fail because the document it
// ran in went away ("Inspected target navigated or closed"): that is the
// navigation being waited for, so it is tried again, not returned.
func WaitURL(ctx context.Context, re *regexp.Regexp) (string, error) {
	var last error
	for range 100 {
		u, err := Eval(ctx, `document.readyState === "complete" ? location.href : ""`)
		if err == nil && re.MatchString(u) {
			return u, nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	now, _ := Eval(ctx, `location.href`)
	if last != nil {
		return "", fmt.Errorf("Seite %v nicht erreicht (jetzt %s): %w", re, now, last)
	}
	return "", fmt.Errorf("Seite %v nicht erreicht (jetzt %s)", re, now)
}

// chooseRadio tabs into the radio group and moves to the option with the
// arrow keys, as a keyboard user does: Tab stops once per group.
func chooseRadio(ctx context.Context, fd *forms.Field, value string) error {
	for range 60 {
		name, err := Eval(ctx, `document.activeElement ? document.activeElement.name || "" : ""`)
		if err != nil {
			return err
		}
		if name == fd.Name {
			break
		}
		if err := PressTab(ctx); err != nil {
			return err
		}
	}
	index := func(v string) int {
		return slices.IndexFunc(fd.Optionen, func(o forms.Option) bool { return o.Wert == v })
	}
	at, err := Eval(ctx, `document.activeElement.name === "`+fd.Name+`" ? document.activeElement.value : ""`)
	if err != nil {
		return err
	}
	from, to := index(at), index(value)
	if from < 0 || to < 0 {
		return fmt.Errorf("Tab erreicht die Auswahl %s nicht, oder %q ist keine ihrer Antworten", fd.Name, value)
	}
	key := kb.ArrowDown
	if to < from {
		key = kb.ArrowUp
	}
	for range max(to-from, from-to) {
		if err := Type(ctx, key); err != nil {
			return err
		}
	}
	if from == to {
		// The arrows check what they move to; on the first option, Space does.
		return Type(ctx, " ")
	}
	return nil
}

// FillForm fills the form on the open page with the keyboard only: Tab to each
// field, type the value (dates as the field expects them), the arrow keys in a
// radio group, Space on each checkbox. vals are the values to enter, e.g. from
// [forms.Form.Example]; fields without a value stay empty.
func FillForm(ctx context.Context, f *forms.Form, vals url.Values) error {
	for _, fd := range f.Fields() {
		vs := vals[fd.Name]
		if len(vs) == 0 {
			continue
		}
		switch fd.Typ {
		case forms.TypRadio:
			if err := chooseRadio(ctx, fd, vs[0]); err != nil {
				return err
			}
			continue
		case forms.TypCheckboxes:
			for _, v := range vs {
				if err := TabTo(ctx, fd.OptionID(v)); err != nil {
					return err
				}
				if err := Type(ctx, " "); err != nil {
					return err
				}
			}
			continue
		}
		if err := TabTo(ctx, fd.ID()); err != nil {
			return err
		}
		if fd.Typ == forms.TypCheckbox {
			if err := Type(ctx, " "); err != nil {
				return err
			}
			continue
		}
		text := vs[0]
		if fd.Typ == forms.TypDate {
			typ, err := Eval(ctx, `document.activeElement.type`)
			if err != nil {
				return err
			}
			d, ok := forms.ParseDate(text)
			if !ok {
				return fmt.Errorf("%s: %q ist kein Datum", fd.Name, text)
			}
			if typ == "date" {
				if text, err = DateKeys(ctx, d); err != nil {
					return err
				}
			} else {
				text = d.Format("02.01.2006")
			}
		}
		if err := Type(ctx, text); err != nil {
			return err
		}
	}
	return nil
}
