// Package marke is the site's own sign: a person beside a coin on a calm
// blue square. One description of its shapes gives the inline SVG of the
// header, the SVG favicon and the PNG icons (favicon fallback and
// apple-touch-icon), drawn here so no picture is copied from anywhere and
// the PNGs can never drift from the SVG.
package marke

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
)

// The colours: the site's link blue (10:1 on white) and the GOV.UK focus
// yellow, the person in white.
var (
	blue   = color.RGBA{0x0b, 0x4a, 0x82, 0xff}
	white  = color.RGBA{0xff, 0xff, 0xff, 0xff}
	yellow = color.RGBA{0xff, 0xdd, 0x00, 0xff}
)

// size is the side of the drawing in its own units (the SVG's viewBox).
const size = 64

// shape is one filled figure, in drawing units.
type shape struct {
	kind       string // "rect" (rounded), "circle", "ring", "top" (the upper half of a circle)
	x, y, w, h float64
	r, r2      float64
	fill       color.RGBA
}

// sign is the drawing, back to front. rounded says whether the square has
// round corners (the favicon) or fills its box (the touch icon, which the
// phone rounds itself).
func sign(rounded bool) []shape {
	corner := 12.0
	if !rounded {
		corner = 0
	}
	return []shape{
		{kind: "rect", w: size, h: size, r: corner, fill: blue},
		// The person: head and shoulders.
		{kind: "circle", x: 25, y: 21, r: 8.5, fill: white},
		{kind: "top", x: 25, y: 52, r: 15, fill: white},
		// The coin, with a ring inside.
		{kind: "circle", x: 45, y: 43, r: 11.5, fill: yellow},
		{kind: "ring", x: 45, y: 43, r: 7.5, r2: 5.5, fill: blue},
	}
}

// SVG is the sign as an SVG element of px × px: for the header it is
// decorative (aria-hidden; the link beside it names the site), and width
// and height keep it small when the stylesheet does not load.
func SVG(px int, rounded bool, standalone bool) string {
	var b strings.Builder
	if standalone {
		fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d">`, size, size)
	} else {
		fmt.Fprintf(&b, `<svg class="marke-bild" viewBox="0 0 %d %d" width="%d" height="%d" aria-hidden="true" focusable="false">`, size, size, px, px)
	}
	for _, s := range sign(rounded) {
		c := hex(s.fill)
		switch s.kind {
		case "rect":
			fmt.Fprintf(&b, `<rect width="%g" height="%g" rx="%g" fill="%s"/>`, s.w, s.h, s.r, c)
		case "circle":
			fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="%g" fill="%s"/>`, s.x, s.y, s.r, c)
		case "ring":
			fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="%g" fill="none" stroke="%s" stroke-width="%g"/>`, s.x, s.y, (s.r+s.r2)/2, c, s.r-s.r2)
		case "top":
			fmt.Fprintf(&b, `<path d="M%g %gA%g %g 0 0 1 %g %gZ" fill="%s"/>`, s.x-s.r, s.y, s.r, s.r, s.x+s.r, s.y, c)
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// inside tells whether the point (x, y) in drawing units is in the shape.
func (s shape) inside(x, y float64) bool {
	switch s.kind {
	case "rect":
		if x < 0 || y < 0 || x > s.w || y > s.h {
			return false
		}
		// Distance to the nearest corner's centre, where a corner applies.
		cx := math.Max(s.r, math.Min(x, s.w-s.r))
		cy := math.Max(s.r, math.Min(y, s.h-s.r))
		return math.Hypot(x-cx, y-cy) <= s.r || s.r == 0
	case "circle":
		return math.Hypot(x-s.x, y-s.y) <= s.r
	case "ring":
		d := math.Hypot(x-s.x, y-s.y)
		return d <= s.r && d >= s.r2
	case "top":
		return y <= s.y && math.Hypot(x-s.x, y-s.y) <= s.r
	}
	return false
}

// PNG draws the sign at px × px with 4 × 4 samples a pixel for smooth edges.
func PNG(px int, rounded bool) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, px, px))
	shapes := sign(rounded)
	const n = 4
	scale := float64(size) / float64(px)
	for py := range px {
		for pxl := range px {
			var r, g, b, a float64
			for sy := range n {
				for sx := range n {
					x := (float64(pxl) + (float64(sx)+0.5)/n) * scale
					y := (float64(py) + (float64(sy)+0.5)/n) * scale
					var c color.RGBA
					for _, s := range shapes {
						if s.inside(x, y) {
							c = s.fill
						}
					}
					r += float64(c.R) * float64(c.A) / 255
					g += float64(c.G) * float64(c.A) / 255
					b += float64(c.B) * float64(c.A) / 255
					a += float64(c.A)
				}
			}
			if a == 0 {
				continue
			}
			// Premultiplied sums back to straight colour.
			k := 255 / a
			img.SetNRGBA(pxl, py, color.NRGBA{uint8(math.Round(r * k)), uint8(math.Round(g * k)), uint8(math.Round(b * k)), uint8(math.Round(a / (n * n)))})
		}
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}
