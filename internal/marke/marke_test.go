package marke

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
)

// The PNG icons are drawn from the same shapes as the SVG: the coin's yellow
// where the SVG puts the coin, the blue square behind the person, and the
// rounded favicon transparent in its corner while the touch icon is not.
func TestPNGFollowsTheShapes(t *testing.T) {
	for _, c := range []struct {
		px          int
		rounded     bool
		cornerAlpha uint32
	}{{32, true, 0}, {180, false, 0xffff}} {
		b, err := PNG(c.px, c.rounded)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got := img.Bounds().Dx(); got != c.px || img.Bounds().Dy() != c.px {
			t.Fatalf("%d px icon is %v", c.px, img.Bounds())
		}
		at := func(x, y float64) (r, g, b, a uint32) {
			return img.At(int(x*float64(c.px)/size), int(y*float64(c.px)/size)).RGBA()
		}
		if r, g, b, _ := at(45, 33); r>>8 != uint32(yellow.R) || g>>8 != uint32(yellow.G) || b>>8 != uint32(yellow.B) {
			t.Errorf("%d px: the coin is not yellow: %d %d %d", c.px, r>>8, g>>8, b>>8)
		}
		if r, g, b, _ := at(56, 10); r>>8 != uint32(blue.R) || g>>8 != uint32(blue.G) || b>>8 != uint32(blue.B) {
			t.Errorf("%d px: the background is not blue: %d %d %d", c.px, r>>8, g>>8, b>>8)
		}
		if r, g, b, _ := at(25, 21); r>>8 != 255 || g>>8 != 255 || b>>8 != 255 {
			t.Errorf("%d px: the head is not white", c.px)
		}
		if _, _, _, a := at(0, 0); a != c.cornerAlpha {
			t.Errorf("%d px: corner alpha %d, want %d", c.px, a, c.cornerAlpha)
		}
	}
}

// In the header the sign is decorative and stays small without CSS.
func TestInlineSVGIsDecorative(t *testing.T) {
	s := SVG(HeaderPx, true, false)
	for _, want := range []string{`aria-hidden="true"`, `focusable="false"`, `width="44"`, `height="44"`, `viewBox="0 0 64 64"`} {
		if !strings.Contains(s, want) {
			t.Errorf("inline SVG lacks %s: %s", want, s)
		}
	}
	if f := SVG(0, true, true); !strings.Contains(f, `xmlns="http://www.w3.org/2000/svg"`) || strings.Contains(f, "aria-hidden") {
		t.Errorf("favicon SVG: %s", f)
	}
}
