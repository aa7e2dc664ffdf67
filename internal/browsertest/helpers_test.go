package browsertest_test

import (
	"context"

	"github.com/chromedp/chromedp"
)

func pageText(ctx context.Context) (string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("status").textContent`))
}

func runJS(ctx context.Context, js string) error {
	return chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](js))
}
